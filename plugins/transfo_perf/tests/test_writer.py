import os

import pytest
from pelican.writers import FileOverwriteFailedError
from transfo_perf.writer import ChangedOnlyWriter, write_if_different


def test_identical_bytes_leave_the_file_and_its_mtime_alone(tmp_path):
    target = tmp_path / "page.html"
    assert write_if_different(str(target), b"<p>un</p>")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert not write_if_different(str(target), b"<p>un</p>")
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert write_if_different(str(target), b"<p>deux</p>")
    assert target.read_bytes() == b"<p>deux</p>"


def test_same_size_different_bytes_is_written(tmp_path):
    target = tmp_path / "page.html"
    target.write_bytes(b"aaaa")
    assert write_if_different(str(target), b"bbbb")
    assert target.read_bytes() == b"bbbb"


def _writer(tmp_path):
    return ChangedOnlyWriter(str(tmp_path), settings={"RELATIVE_URLS": False})


def test_writer_keeps_pelicans_rule_against_writing_a_file_twice(tmp_path):
    writer = _writer(tmp_path)
    path = str(tmp_path / "a.html")
    with writer._open_w(path, "utf-8") as handle:
        handle.write("é")
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "é"
    with pytest.raises(FileOverwriteFailedError):
        writer._open_w(path, "utf-8")


def test_overridden_file_is_kept_and_later_writes_skipped(tmp_path):
    writer = _writer(tmp_path)
    path = str(tmp_path / "b.html")
    with writer._open_w(path, "utf-8") as handle:
        handle.write("first")
    with writer._open_w(path, "utf-8", override=True) as handle:
        handle.write("override")
    with writer._open_w(path, "utf-8") as handle:  # skipped, as Pelican does
        handle.write("ignored")
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == "override"
    with pytest.raises(FileOverwriteFailedError):
        writer._open_w(path, "utf-8", override=True)


def test_unchanged_page_written_by_a_new_writer_keeps_its_mtime(tmp_path):
    path = tmp_path / "c.html"
    with _writer(tmp_path)._open_w(str(path), "utf-8") as handle:
        handle.write("same")
    os.utime(path, ns=(5_000_000_000, 5_000_000_000))
    with _writer(tmp_path)._open_w(str(path), "utf-8") as handle:
        handle.write("same")
    assert path.stat().st_mtime_ns == 5_000_000_000
