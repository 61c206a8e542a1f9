"""The publish scenarios: `invoke publish` timed as an editor runs it, on the bench's corpus.

Publish is driven only through its command line (`invoke publish --root R
--content C --now D`), in a new process each time, so that the bench keeps
measuring whatever publish becomes. It runs in a copy of the project's
settings and theme (`make_site`): publish's cache folder is relative to
where it runs (CACHE_PATH = "cache"), so the bench's caches stay apart from
the project's, and the template scenario edits the copy's theme, never the
repository's.

The corpus edits are pure functions of text (`set_field`, `mark_template`,
`new_event`), so the tests check them without publishing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

COPIED = ("tasks.py", "pelicanconf.py", "publishconf.py", "theme")  # pelicanconf.py finds the rest beside itself
LINKED = ("plugins", "newsletter")
EDITED_TEMPLATE = Path("theme") / "templates" / "article.html"
ENDBLOCK = "{% endblock %}"


def make_site(project: Path, site: Path) -> Path:
    """A fresh copy of the project's settings, tasks and theme in `site` (plugins linked, not copied)."""
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    for name in COPIED:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy2(source, site / name)
    for name in LINKED:
        if (project / name).exists():
            (site / name).symlink_to(project / name)
    return site


def publish_command(site: Path, root: Path, content: Path, now: str, report: Path | None = None) -> list[str]:
    """`invoke publish` for the bench's site; `report` when publish can write its breakdown.

    `--keep 1`: each publish from the third on finds the release `prune` set aside to recycle, as
    production does from its (keep + 2)th publish on, without five publishes first."""
    command = [sys.executable, "-m", "invoke", "--search-root", str(site), "publish",
               "--root", str(root), "--content", str(content), "--keep", "1", "--now", now]
    return command + (["--report", str(report)] if report else [])


def publish_options(site: Path) -> set[str]:
    """The long options `invoke publish` takes, read from its own help."""
    shown = subprocess.run([sys.executable, "-m", "invoke", "--search-root", str(site), "--help", "publish"],
                           cwd=site, capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"--(?:\[no-\])?([a-z][a-z0-9-]*)", shown))


def read_breakdown(path: Path) -> dict[str, float]:
    """Publish's machine-readable report, flattened to `step: seconds` (empty when it wrote none).

    Numbers at the top level or one level down ("steps": {"build": 12.3}) are kept;
    what is not a number (file lists, names) is left out of the bench's table.
    """
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(_numbers(data))


def _numbers(data: object, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, float]]:
    if not isinstance(data, dict) or depth > 1:
        return
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            yield name, float(value)
        elif isinstance(value, dict):
            yield from _numbers(value, f"{name}.", depth + 1)


def set_field(text: str, name: str, value: str) -> str:
    """`text` with its header field `name` set to `value` (added after the title when absent)."""
    header, separator, body = text.partition("\n\n")
    pattern = re.compile(rf"^{re.escape(name)}:.*$", re.M | re.I)
    if pattern.search(header):
        header = pattern.sub(lambda _match: f"{name}: {value}", header, count=1)
    else:
        title, newline, rest = header.partition("\n")
        header = f"{title}\n{name}: {value}" + (newline + rest if rest else "")
    return header + separator + body


def field(text: str, name: str) -> str | None:
    """The value of a header field, or None."""
    header = text.partition("\n\n")[0]
    match = re.search(rf"^{re.escape(name)}:\s*(.*)$", header, re.M | re.I)
    return match.group(1).strip() if match else None


def mark_template(text: str, run: int) -> str:
    """A template with a visible-in-source change inside its last block: every page it renders changes."""
    before, found, after = text.rpartition(ENDBLOCK)
    if not found:
        raise ValueError("the template has no {% endblock %} to edit before")
    return f"{before}<!-- gabarit modifié par le banc, passage {run + 1} -->\n{ENDBLOCK}{after}"


def fixture_day(now: str, run: int) -> date:
    """The day the `run`-th daily rebuild moves to: the day after the previous publish's."""
    return date.fromisoformat(now[:10]) + timedelta(days=run + 1)


def daily_fixtures(offers: list[Path], events: list[Path], now: str, runs: int) -> list[Path]:
    """For each daily rebuild, one offer whose deadline and one event whose hours fall on its day.

    A date as `--now` is the end of that day (transfo_publication): the offer
    closes and the event passes between the publish at `now + run` and the one
    at `now + run + 1`. The event is given its end: one without an end stays
    « à venir » to the end of its day, like a whole day (transfo_agenda's
    `Event.over_at`). Needs `runs` offers and events in the corpus.
    """
    if len(offers) < runs or len(events) < runs:
        raise ValueError(f"the daily rebuild needs {runs} offer(s) and event(s); "
                         f"the corpus has {len(offers)} and {len(events)}")
    edited = []
    for run in range(runs):
        day = fixture_day(now, run)
        for path, fields in ((offers[run], {"Deadline": "12:00"}), (events[run], {"Start": "14:00", "End": "16:00"})):
            text = path.read_text(encoding="utf-8")
            for name, hour in fields.items():
                text = set_field(text, name, f"{day:%Y-%m-%d} {hour}")
            path.write_text(text, encoding="utf-8")
            edited.append(path)
    return edited


def with_lead_image(text: str, image: str) -> str:
    """An article's text with `image` (a path in the content folder) as its lead image."""
    text = set_field(text, "Image", image)
    return set_field(text, "Image_alt", "Photo ajoutée par le banc : une rencontre dans un atelier")


def new_event(model: str, now: str, run: int) -> str:
    """A new event announced on `now`, a month later, made from an existing event file's text; it
    ends that evening when the model has an end (the model's own end would come before its start)."""
    day = date.fromisoformat(now[:10])
    starts = day + timedelta(days=30)
    text = set_field(model, "Title", f"Rencontre ajoutée par le banc n° {run + 1}")
    text = set_field(text, "Date", f"{day:%Y-%m-%d} 08:00")
    text = set_field(text, "Start", f"{starts:%Y-%m-%d} 18:30")
    return text if field(text, "End") is None else set_field(text, "End", f"{starts:%Y-%m-%d} 21:00")
