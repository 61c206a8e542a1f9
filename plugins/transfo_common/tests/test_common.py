import os

import pytest
from transfo_common.output import write_if_changed
from transfo_common.urls import PublicUrlError, absolute, public_url


def test_write_if_changed_keeps_untouched_files(tmp_path):
    target = tmp_path / "a" / "b.txt"
    assert write_if_changed(target, b"un")
    os.utime(target, (1, 1))
    assert not write_if_changed(target, b"un")
    assert target.stat().st_mtime == 1
    assert write_if_changed(target, b"deux")
    assert target.read_bytes() == b"deux"


def test_absolute_urls():
    settings = {"PUBLIC_URL": "https://www.economiesociale.be/transfo/"}
    assert public_url(settings) == "https://www.economiesociale.be/transfo"
    assert absolute(settings, "/2019/11/a/") == "https://www.economiesociale.be/transfo/2019/11/a/"
    assert absolute(settings, "https://autre.be/x") == "https://autre.be/x"
    with pytest.raises(PublicUrlError, match="PUBLIC_URL"):
        public_url({"SITEURL": ""})
