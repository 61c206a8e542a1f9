"""transfo_perf.quick: the launch key follows the resolved settings, and the check needs no Pelican."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from transfo_common import files
from transfo_perf import incremental, quick


def settings_file(folder: Path, body: str) -> Path:
    path = folder / "conf.py"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_key_follows_the_values_the_file_defines_and_the_overrides(tmp_path):
    conf = settings_file(tmp_path, "SITENAME = 'Transfo'\nTHEME = 'theme'\n")
    key = quick.launch_key(conf, {"TRANSFO_NOW": "2019-11-30"})
    assert key == quick.launch_key(conf, {"TRANSFO_NOW": "2019-11-30"})
    assert key != quick.launch_key(conf, {"TRANSFO_NOW": "2019-12-01"})
    settings_file(tmp_path, "SITENAME = 'Transfo'\nTHEME = 'theme'  # same values, new comment\n")
    assert quick.launch_key(conf, {"TRANSFO_NOW": "2019-11-30"}) == key
    settings_file(tmp_path, "SITENAME = 'Transfo Bruxelles'\nTHEME = 'theme'\n")
    assert quick.launch_key(conf, {"TRANSFO_NOW": "2019-11-30"}) != key


def test_a_value_computed_when_the_file_runs_is_in_the_key(tmp_path):
    """A settings file reading the clock or the environment gets a new key when they change."""
    conf = settings_file(tmp_path, "import os\nSITEURL = os.environ.get('TRANSFO_TEST_SITEURL', '')\n")
    keys = []
    for value in ("https://a.example", "https://b.example"):
        env = {"PATH": "/usr/bin:/bin", "TRANSFO_TEST_SITEURL": value}
        keys.append(subprocess.run(
            [sys.executable, "-c", f"from transfo_perf import quick; print(quick.launch_key({str(conf)!r}, {{}}))"],
            capture_output=True, text=True, check=True, env=env, cwd=tmp_path).stdout)
    assert keys[0] != keys[1]


def test_a_broken_settings_file_is_left_to_pelican(tmp_path):
    conf = settings_file(tmp_path, "SITENAME = undefined_name\n")
    assert quick.launch_setting(conf, {}, tmp_path / "cache") == {}
    assert quick.nothing_changed({}) is False


def test_no_pointer_or_a_pointer_to_a_missing_record_means_build(tmp_path):
    conf = settings_file(tmp_path, "SITENAME = 'Transfo'\n")
    launch = quick.launch_setting(conf, {}, tmp_path / "cache")
    assert quick.nothing_changed(launch) is False
    content, output = tmp_path / "content", tmp_path / "output"
    content.mkdir()
    output.mkdir()
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text("<title>{{ SITENAME }}</title>", encoding="utf-8")
    plan = incremental.InputsPlan("settings", "2019-11-30", (str(content), str(theme)), str(content), (".md",),
                                  (str(theme / "templates"),))
    record = tmp_path / "cache" / "last-build.json"
    quick.remember(launch[quick.LAUNCH_SETTING], plan, record, output)
    assert quick.nothing_changed(launch) is False  # the record itself is gone (a build failed half-way)
    inputs = incremental.combined(plan, *incremental.inputs_fingerprints(plan))
    incremental.remember(record, {"inputs": inputs}, output)
    assert quick.nothing_changed(launch) is True
    (content / "article.md").write_text("Title: Nouveau\n", encoding="utf-8")
    assert quick.nothing_changed(launch) is False
    (content / "article.md").unlink()
    assert quick.nothing_changed(launch) is True
    (theme / "templates" / "base.html").write_text("<title>{{ SITENAME }} !</title>", encoding="utf-8")
    assert quick.nothing_changed(launch) is False  # out of the site key, not out of the build's inputs
    (theme / "templates" / "base.html").write_text("<title>{{ SITENAME }}</title>", encoding="utf-8")
    (output / "index.html").write_text("<p>ajouté à la main</p>", encoding="utf-8")
    assert quick.nothing_changed(launch) is False

    # The output folder gone, its record and pointer go at the next build's clean-up.
    shutil.rmtree(output)
    removed = {path.name for path in files.prune_orphans(tmp_path / "cache")}
    pointer = quick.pointer_path(tmp_path / "cache", launch[quick.LAUNCH_SETTING]["key"])
    assert {"last-build.json", pointer.name} <= removed
    assert not any((tmp_path / "cache").iterdir())


def test_the_plan_survives_its_json_form():
    plan = incremental.InputsPlan("s", "now", ("/a", "/b"), "/a", (".md", ".markdown"), ("/b/templates",))
    assert incremental.InputsPlan.from_json(json.loads(json.dumps(plan.as_json()))) == plan


def test_asking_imports_neither_pelican_nor_a_plugin():
    code = ("import sys; from transfo_perf import quick; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pelican', 'jinja2', 'markdown', 'docutils', 'transfo_validation', 'PIL')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "[]"


def test_the_templates_and_the_static_files_are_fingerprinted_apart_from_the_rest_of_the_theme(tmp_path):
    """A template reaches only the pages that use it (`affected.page_views`), a static file of the
    theme (THEME_STATIC_PATHS: a folder, a file) only its copy; the theme's other files
    (translations) and every other input reach any page (the site key)."""
    theme, overrides = tmp_path / "theme", tmp_path / "overrides"
    for folder in (theme / "templates", theme / "static", theme / "translations", overrides):
        folder.mkdir(parents=True)
    settings = {"PATH": str(tmp_path / "content"), "THEME": str(theme), "THEME_TEMPLATES_OVERRIDES": [str(overrides)],
                "THEME_STATIC_PATHS": ["static", "robots.txt"]}
    plan = incremental.InputsPlan.of(settings, "now", (".md",))
    fingerprints = [incremental.inputs_fingerprints(plan)]

    def changed_parts(path: Path, text: str) -> set[str]:
        """The parts that changed since the last call."""
        path.write_text(text, encoding="utf-8")
        fingerprints.append(incremental.inputs_fingerprints(plan))
        before, after = fingerprints[-2:]
        return {part for part in ("site", "templates", "statics") if getattr(after, part) != getattr(before, part)}

    assert changed_parts(theme / "templates" / "article.html", "{{ article.title }}") == {"templates"}
    assert changed_parts(overrides / "article.html", "{{ article.title }}") == {"templates"}
    assert changed_parts(theme / "static" / "style.css", "body {}") == {"statics"}
    assert changed_parts(theme / "robots.txt", "User-agent: *") == {"statics"}
    assert changed_parts(theme / "static-old.css", "body {}") == {"site"}  # not a static path, nor inside one
    assert changed_parts(theme / "translations" / "messages.po", 'msgid ""') == {"site"}


def test_content_files_pages_read_themselves_are_fingerprinted_apart_from_the_site(tmp_path):
    """An image (a suffix some plugin declared through `transfo_common.reads`, whatever its case)
    reaches only the pages whose rendering noted it; any other file of the content folder, and an
    image in a folder the build reads besides the content, still reach every page."""
    content, theme = tmp_path / "content", tmp_path / "theme"
    for folder in (content / "images", theme / "templates"):
        folder.mkdir(parents=True)
    settings = {"PATH": str(content), "THEME": str(theme)}
    plan = incremental.InputsPlan.of(settings, "now", (".md",), (".jpg", ".png"))
    assert incremental.InputsPlan.from_json(json.loads(json.dumps(plan.as_json()))) == plan
    before = incremental.inputs_fingerprints(plan)
    (content / "images" / "photo.jpg").write_bytes(b"jpeg")
    (content / "images" / "PHONE.JPG").write_bytes(b"jpeg from a phone")
    after = incremental.inputs_fingerprints(plan)
    assert after.site == before.site
    assert set(after.noted) == {str(content / "images" / "photo.jpg"), str(content / "images" / "PHONE.JPG")}
    assert incremental.combined(plan, *after) != incremental.combined(plan, *before)  # still an input
    (content / "notes.txt").write_text("pas une image", encoding="utf-8")
    (theme / "templates" / "logo.png").write_bytes(b"png")
    last = incremental.inputs_fingerprints(plan)
    assert last.site != after.site and last.noted == after.noted
