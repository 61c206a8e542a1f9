"""The theme's static files are listed under the names Pelican copies them to."""

from __future__ import annotations

from transfo_output.statics import theme_static_names


def test_a_folder_keeps_its_tree_a_file_its_name_and_ignored_names_are_left_out(tmp_path):
    theme = tmp_path / "theme"
    (theme / "static" / "css" / ".#brouillon").mkdir(parents=True)
    (theme / "static" / "css" / "site.css").write_text("body{}")
    (theme / "static" / "css" / ".#brouillon" / "x.css").write_text("")  # an ignored folder
    (theme / "static" / ".#verrou").write_text("")  # an editor's lock file
    (theme / "static" / "« R&D ».svg").write_text("<svg/>")
    (theme / "robots.txt").write_text("User-agent: *")
    names = theme_static_names(str(theme), ["static", "robots.txt", "absent"], "theme", [".#*"])
    assert names == {"theme/css/site.css", "theme/« R&D ».svg", "theme/robots.txt"}


def test_the_output_folder_itself_as_destination(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "a.js").write_text("")
    assert theme_static_names(str(tmp_path), ["static"], ".", []) == {"a.js"}
