"""No page reads the clock while it renders.

The build date reaches pages only through their context, which each page's view fingerprints
(`transfo_perf.affected.page_views`): a new day renders again the pages whose context it changed,
and no other. A template, filter or global that read the clock itself would escape the view, and
a later build would keep that page as the day before left it. A profiler hook (`ClockReads`) sees
every call to the clock made while a template's code is on the stack.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
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


BUILD = """
import json, sys
from pelican import signals
from tests.test_template_clock import ClockReads
from transfo_bench.build import main

hook = ClockReads()

def start(generators):
    sys.setprofile(hook)

def stop(pelican):
    sys.setprofile(None)

signals.all_generators_finalized.connect(start)
signals.finalized.connect(stop)
main(sys.argv[1:])
print("CLOCK" + json.dumps({"reads": hook.reads, "templates": sorted(hook.templates)}))
"""


@pytest.mark.slow
def test_no_page_of_the_sample_site_reads_the_clock_while_it_renders(tmp_path):
    """Every template of the theme renders at least one page of the sample site, in this process
    (TRANSFO_PERF_PARALLEL_RENDER off), with the hook on from the output phase to the end."""
    result = python("-c", BUILD, "transfo", "--content", str(ROOT / "content"), "--output", str(tmp_path / "out"),
                    "--cache", str(tmp_path / "cache"), "--now", "2019-11-30",
                    "--set", "TRANSFO_PERF_PARALLEL_RENDER=false", "--set", 'TRANSFO_IMAGES_FORMATS=["jpeg"]')
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.rsplit("CLOCK", 1)[1])
    theme = {path.name for path in (ROOT / "theme" / "templates").glob("*.html")}
    assert theme <= set(found["templates"]), sorted(theme - set(found["templates"]))
    assert found["reads"] == []


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
