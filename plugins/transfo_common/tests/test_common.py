import os

import pytest
from transfo_common import caches
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


def test_files_of_a_folder_that_is_gone_are_pruned(tmp_path):
    cache, kept, gone = tmp_path / "cache", tmp_path / "kept", tmp_path / "gone"
    cache.mkdir()
    kept.mkdir()
    gone.mkdir()
    for name, folder in (("record-a.json", kept), ("record-b.json", gone), ("parsed-c.pickle", gone)):
        (cache / name).write_text("x", encoding="utf-8")
        caches.note_owner(cache / name, folder)
    (cache / "record-b.json.123.tmp").write_text("x", encoding="utf-8")  # left by a build that died
    (cache / "unnoted.json").write_text("x", encoding="utf-8")
    assert caches.prune(cache) == []
    gone.rmdir()
    assert {path.name for path in caches.prune(cache)} == {
        "record-b.json", "record-b.for", "record-b.json.123.tmp", "parsed-c.pickle", "parsed-c.for"}
    assert sorted(path.name for path in cache.iterdir()) == ["record-a.for", "record-a.json", "unnoted.json"]


def test_derived_values_are_set_and_can_be_computed_again():
    from types import SimpleNamespace

    from transfo_common import derived

    seen = []

    def length(obj):
        seen.append(derived.is_deriving())
        return len(obj.body)

    obj = SimpleNamespace(body="abc")
    derived.set_derived(obj, "length", length)
    assert obj.length == 3 and seen == [True] and not derived.is_deriving()
    obj.body = "abcdef"
    assert derived.derivers()["length"](obj) == 6
