"""What a build reads outside what `transfo_perf` fingerprints for each page.

No page reads the clock while it renders. The build date reaches pages only through their context,
which each page's view fingerprints (`transfo_perf.affected.page_views`): a new day renders again
the pages whose context it changed, and no other. A template, filter or global that read the clock
itself would escape the view, and a later build would keep that page as the day before left it. A
profiler hook (`ClockReads`) sees every call to the clock made while a template's code is on the
stack.

Nothing reads the theme's static files but Pelican's copy of them. They are out of the site key
(`transfo_perf.incremental.Fingerprints.statics`): an edited stylesheet is copied, and no page is
rendered again. A plugin or template that read one (a stylesheet inlined, an icon's size) would
keep showing the old file. An audit hook (`StaticReads`) sees every file the build opens.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import sysconfig
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType

import jinja2
import pytest

from tests.support import ROOT, python

CLOCK_FUNCTIONS = frozenset({"time", "time_ns", "localtime", "gmtime", "ctime"})  # of the time module
CLOCK_METHODS = frozenset({"now", "utcnow", "today"})  # of datetime.date and datetime.datetime


class ClockReads:
    """A `sys.setprofile` hook: the templates rendered, and each clock read made while one renders,
    as (template, function)."""

    def __init__(self) -> None:
        self.reads: list[tuple[str, str]] = []
        self.templates: set[str] = set()

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            template = frame.f_globals.get("__jinja_template__")
            if template is not None:
                self.templates.add(template.name)
        elif event == "c_call" and _reads_the_clock(arg) and not _default_left_unused(frame):
            rendering = _template_on(frame)
            if rendering is not None:
                self.reads.append((rendering, getattr(arg, "__name__", "?")))


def _reads_the_clock(function: object) -> bool:
    owner, name = getattr(function, "__self__", None), getattr(function, "__name__", "")
    return ((owner is time and name in CLOCK_FUNCTIONS)
            or (isinstance(owner, type) and issubclass(owner, datetime.date) and name in CLOCK_METHODS))


def _default_left_unused(frame: FrameType) -> bool:
    """Pelican's `Content.url_format` reads the clock as the default of `getattr(self, "date", ...)`:
    only an object without a date, whose URL settings name the date, uses the value."""
    if frame.f_code.co_name != "url_format":
        return False
    obj = frame.f_locals.get("self")
    if hasattr(obj, "date"):
        return True
    kind = type(obj).__name__.upper() + "_"
    return not any("{date" in str(value) for key, value in getattr(obj, "settings", {}).items()
                   if key.removeprefix("DRAFT_").startswith(kind) and key.endswith(("_URL", "_SAVE_AS")))


def _template_on(frame: FrameType | None) -> str | None:
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.name
        frame = frame.f_back
    return None


class StaticReads:
    """A `sys.addaudithook` hook: the files under `folders` opened outside Pelican's copy of them and
    the build's fingerprints of its inputs, as (file, function that opened it); and how many were
    opened by the copy."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = tuple(f"{Path(folder).resolve()}{os.sep}" for folder in folders)
        self.reads: list[tuple[str, str]] = []
        self.copied = 0

    def __call__(self, event: str, args: tuple) -> None:
        if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if not path.startswith(self.folders):
            return
        frame = sys._getframe(1)
        if _copying_or_fingerprinting(frame):
            self.copied += 1
        else:
            self.reads.append((path, _caller(frame)))


STANDARD_LIBRARY = sysconfig.get_paths()["stdlib"] + os.sep


def _caller(frame: FrameType) -> str:
    """The innermost function outside the standard library (which opens for pathlib, shutil...)."""
    while frame.f_back is not None and frame.f_code.co_filename.startswith(STANDARD_LIBRARY):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_code.co_name}"


def _copying_or_fingerprinting(frame: FrameType | None) -> bool:
    from pelican.generators import StaticGenerator

    while frame is not None:
        code = frame.f_code
        if code.co_name == "generate_output" and isinstance(frame.f_locals.get("self"), StaticGenerator):
            return True
        if code.co_name == "inputs_fingerprints" and frame.f_globals.get("__name__") == "transfo_perf.incremental":
            return True
        frame = frame.f_back
    return False


BUILD = """
import json, sys
from pelican import signals
from tests.test_build_reads import ClockReads, StaticReads
from transfo_bench.build import main

hook = ClockReads()
statics = StaticReads([sys.argv[1]])
sys.addaudithook(statics)

def start(generators):
    sys.setprofile(hook)

def stop(pelican):
    sys.setprofile(None)

signals.all_generators_finalized.connect(start)
signals.finalized.connect(stop)
main(sys.argv[2:])
print("READS" + json.dumps({"clock": hook.reads, "templates": sorted(hook.templates),
                            "statics": statics.reads, "copied": statics.copied}))
"""


@pytest.mark.slow
def test_no_page_of_the_sample_site_reads_the_clock_nor_does_the_build_read_the_theme_s_static_files(tmp_path):
    """Every template of the theme renders at least one page of the sample site, in this process
    (TRANSFO_PERF_PARALLEL_RENDER and _READ off), with the clock's hook on from the output phase to
    the end and the audit hook on from start to end."""
    statics = ROOT / "theme" / "static"
    result = python("-c", BUILD, str(statics), "transfo", "--content", str(ROOT / "content"),
                    "--output", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "--now", "2019-11-30",
                    "--set", "TRANSFO_PERF_PARALLEL_RENDER=false", "--set", "TRANSFO_PERF_PARALLEL_READ=false",
                    "--set", 'TRANSFO_IMAGES_FORMATS=["jpeg"]')
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.rsplit("READS", 1)[1])
    theme = {path.name for path in (ROOT / "theme" / "templates").glob("*.html")}
    assert theme <= set(found["templates"]), sorted(theme - set(found["templates"]))
    assert found["clock"] == []
    assert found["statics"] == []
    assert found["copied"] >= 2 * len([path for path in statics.rglob("*") if path.is_file()])  # fingerprint, copy


CONTROL = """
import json, sys
from pathlib import Path
from pelican.generators import StaticGenerator
from pelican.settings import DEFAULT_CONFIG
from tests.test_build_reads import StaticReads

theme, output = Path(sys.argv[1]), Path(sys.argv[2])
statics = StaticReads([theme / "static"])
sys.addaudithook(statics)

def inline_the_stylesheet():
    return (theme / "static" / "site.css").read_text()

inline_the_stylesheet()
settings = {**DEFAULT_CONFIG, "THEME": str(theme), "OUTPUT_PATH": str(output)}
StaticGenerator({"staticfiles": []}, settings, str(theme), str(theme), str(output)).generate_output(None)
print(json.dumps({"reads": [function for _path, function in statics.reads], "copied": statics.copied}))
"""


def test_the_audit_hook_sees_a_static_file_read_outside_pelican_s_copy(tmp_path):
    (tmp_path / "theme" / "static").mkdir(parents=True)
    (tmp_path / "theme" / "static" / "site.css").write_text("body { color: #222 }", encoding="utf-8")
    result = python("-c", CONTROL, str(tmp_path / "theme"), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"reads": ["<string>:inline_the_stylesheet"], "copied": 1}
    assert (tmp_path / "out" / "theme" / "site.css").exists()  # copied by Pelican, the hook looking on


def test_the_hook_sees_a_global_a_filter_and_a_dateless_url_reading_the_clock():
    from pelican.contents import Article, Page
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "PAGE_URL": "{date:%Y}/{slug}/"}
    dated = Article("", {"title": "Daté", "date": datetime.datetime(2019, 11, 30)}, settings=settings)
    dateless = Page("", {"title": "Sans date"}, settings=settings)
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "global.html": "{{ today() }}",
        "filter.html": "{{ days | days_ago }}",
        "urls.html": "{{ dated.url }}",
        "dateless.html": "{{ page.url }}",
    }))
    env.globals["today"] = datetime.date.today
    env.filters["days_ago"] = lambda days: datetime.datetime.now() - datetime.timedelta(days=days)
    hook = ClockReads()
    sys.setprofile(hook)
    try:
        for name in ("global.html", "filter.html", "urls.html", "dateless.html"):
            env.get_template(name).render(dated=dated, page=dateless, days=3)
    finally:
        sys.setprofile(None)
    assert hook.reads == [("global.html", "today"), ("filter.html", "now"), ("dateless.html", "now")]
    assert hook.templates == {"global.html", "filter.html", "urls.html", "dateless.html"}
