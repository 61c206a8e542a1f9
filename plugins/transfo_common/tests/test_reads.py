import os

from transfo_common import reads


def test_a_read_is_noted_by_every_capture_open_and_only_while_one_is():
    reads.note("/content/images/before.jpg")  # no page renders: nothing to note it
    with reads.captured() as page:
        reads.note("/content/images/../images/photo.jpg")
        with reads.captured() as nested:
            reads.note("relative.png")
    reads.note("/content/images/after.jpg")
    assert page == {"/content/images/photo.jpg", os.path.abspath("relative.png")}
    assert nested == {os.path.abspath("relative.png")}


def test_declared_suffixes_are_kept_lowercase_once():
    reads.declare([".JPG", ".webp"])
    reads.declare([".jpg"])
    assert {".jpg", ".webp"} <= set(reads.noted_suffixes())
    assert ".JPG" not in reads.noted_suffixes()
