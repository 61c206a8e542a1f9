"""The files a full build writes, noted below its output folder only while it lists them."""

from __future__ import annotations

import os

from transfo_common import written
from transfo_common.files import copy_if_changed, write_if_changed


def test_names_are_relative_to_the_output_and_nothing_outside_it_has_one(tmp_path):
    output = str(tmp_path / "output")
    assert written.relative_name(output, os.path.join(output, "2019", "a", "index.html")) == "2019/a/index.html"
    assert written.relative_name(output, str(tmp_path / "other" / "x.html")) is None
    assert written.relative_name(output, str(tmp_path / "output-2" / "x.html")) is None
    assert written.relative_name(output, output) is None
    assert written.relative_name(output, os.devnull) is None


def test_a_listing_holds_the_writes_below_its_output_between_start_and_finish(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    write_if_changed(output / "before.html", b"x")  # no build listing yet
    written.start(str(output))
    write_if_changed(output / "feeds" / "a.xml", b"feed")
    write_if_changed(output / "feeds" / "a.xml", b"feed")  # unchanged: still this build's
    write_if_changed(output / "before.html", b"x")
    write_if_changed(cache / "note.json", b"{}")  # not the output
    written.note(str(output / "2019" / "page" / "index.html"))
    assert written.finish(str(output)) == {"feeds/a.xml", "before.html", "2019/page/index.html"}
    assert written.finish(str(output)) is None  # a refresh after the build: nothing listed
    write_if_changed(output / "after.html", b"y")
    assert written.finish(str(output)) is None


def test_what_a_page_notes_is_captured_even_without_a_listing_and_copies_are_noted(tmp_path):
    output = tmp_path / "output"
    (tmp_path / "decap.js").write_text("cms")
    with written.captured() as page:
        write_if_changed(output / "media" / "a.jpg", b"jpeg")
        copy_if_changed(tmp_path / "decap.js", output / "admin" / "decap.js")
    write_if_changed(output / "media" / "b.jpg", b"jpeg")  # after the page
    assert page == {str(output / "media" / "a.jpg"), str(output / "admin" / "decap.js")}
    written.start(str(output))
    assert not copy_if_changed(tmp_path / "decap.js", output / "admin" / "decap.js")  # already there
    assert written.finish(str(output)) == {"admin/decap.js"}
