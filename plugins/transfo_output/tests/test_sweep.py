"""What a build no longer writes is removed, and nothing else."""

from __future__ import annotations

from transfo_output import sweep


def test_a_list_kept_is_read_back_and_a_damaged_one_is_none(tmp_path):
    record = sweep.record_path(tmp_path / "cache", tmp_path / "output")
    assert sweep.load(record) is None
    sweep.save(record, {"b.html", "a/index.html", "« R&D ».html"}, tmp_path / "output")
    assert sweep.load(record) == {"b.html", "a/index.html", "« R&D ».html"}
    assert record.with_suffix(".for").read_text(encoding="utf-8") == str((tmp_path / "output").resolve())
    for damaged in ("", "{", '{"a": 1}', '["a", 2]'):
        record.write_text(damaged, encoding="utf-8")
        assert sweep.load(record) is None, damaged
    assert sweep.record_path(tmp_path, tmp_path / "a") != sweep.record_path(tmp_path, tmp_path / "b")


def test_only_what_the_last_build_wrote_and_this_one_did_not_is_stale():
    assert sweep.stale({"a.html", "b/index.html", "c.xml"}, {"a.html", "c.xml", "d.html"}) == ["b/index.html"]
    assert sweep.stale(set(), {"a.html"}) == []


def test_removing_deletes_the_files_and_the_folders_they_leave_empty_and_nothing_else(tmp_path):
    output = tmp_path / "output"
    (output / "2019" / "10" / "article").mkdir(parents=True)
    (output / "2019" / "10" / "article" / "index.html").write_text("page")
    (output / "2019" / "10" / "other").mkdir()
    (output / "2019" / "10" / "other" / "index.html").write_text("kept")
    (output / "sujet" / "impact").mkdir(parents=True)
    (output / "sujet" / "impact" / "index.html").write_text("page")
    (output / "folder.html").mkdir()  # a folder where a file was: left alone
    (tmp_path / "outside.html").write_text("outside")
    (output / "2018" / "06" / "gone").mkdir(parents=True)  # its page already taken away
    removed = sweep.remove(output, ["2019/10/article/index.html", "sujet/impact/index.html", "folder.html",
                                    "../outside.html", "missing.html", "2018/06/gone/index.html"])
    assert removed == ["2019/10/article/index.html", "sujet/impact/index.html"]
    assert not (output / "2019" / "10" / "article").exists() and not (output / "sujet").exists()
    assert not (output / "2018").exists()
    assert (output / "2019" / "10" / "other" / "index.html").read_text() == "kept"
    assert (output / "folder.html").is_dir() and (tmp_path / "outside.html").is_file() and output.is_dir()


def test_an_empty_output_is_kept_even_when_its_last_file_goes(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("page")
    assert sweep.remove(output, ["index.html"]) == ["index.html"]
    assert output.is_dir() and list(output.iterdir()) == []


def test_a_stale_page_whose_folder_is_now_a_file_of_this_build_is_already_gone(tmp_path):
    """`agenda/index.html` last time, a file `agenda` now: nothing to remove, no error."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "agenda").write_text("page")
    assert sweep.remove(output, ["agenda/index.html"]) == []
    assert (output / "agenda").read_text() == "page"


def test_unlisted_files_are_those_this_build_did_not_write_but_folders_kept_whole(tmp_path):
    for name in ("index.html", "2019/ancien/index.html", "notes.html", "pagefind/pagefind.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sweep.unlisted(tmp_path, {"index.html"}, ("pagefind",)) == ["2019/ancien/index.html", "notes.html"]
    assert sweep.unlisted(tmp_path, {"index.html", "notes.html", "2019/ancien/index.html"}, ("pagefind/",)) == []
