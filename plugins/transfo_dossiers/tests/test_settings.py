import pytest
from transfo_dossiers.settings import DossiersSettingsError, read_settings


def test_defaults_and_urls():
    cfg = read_settings({})
    assert (cfg.path, cfg.url, cfg.rubric) == ("dossiers", "dossiers/", "Dossiers")
    assert read_settings({"TRANSFO_DOSSIERS_URL": "/series"}).landing_url("x") == "series/x/"


@pytest.mark.parametrize("key, value", [("TRANSFO_DOSSIERS_PATH", ""), ("TRANSFO_DOSSIERS_RUBRIC", None),
                                        ("TRANSFO_DOSSIERS_HOME_LIMIT", -1)])
def test_bad_settings_name_their_key(key, value):
    with pytest.raises(DossiersSettingsError, match=key):
        read_settings({key: value})
