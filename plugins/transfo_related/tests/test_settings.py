import pytest
from transfo_related.settings import RelatedSettingsError, read_settings


def test_default_is_three_and_bad_values_name_the_key():
    assert read_settings({}).limit == 3
    with pytest.raises(RelatedSettingsError, match="TRANSFO_RELATED_MAX"):
        read_settings({"TRANSFO_RELATED_MAX": "3"})
