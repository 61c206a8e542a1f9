"""Calendars kept by the hash of their inputs: the same bytes as rendered, and rendered again on any change."""

from __future__ import annotations

from types import SimpleNamespace

from transfo_agenda import ical, kept
from transfo_common.files import ContentStore

from .test_ical_jsonld import META, absolute, make


def other_site(path):
    return f"https://autre.exemple.be/{path}"


def test_a_kept_calendar_is_the_rendered_one_and_any_input_renders_again(tmp_path):
    store = ContentStore(tmp_path / "kept")
    events = [make(), make("atelier", title="Atelier")]
    first = kept.calendar(events, META, absolute, store)
    assert first == ical.render_calendar(events, META, absolute)
    assert kept.calendar(events, META, absolute, store) == first  # read back
    assert len(list((tmp_path / "kept").rglob("*"))) == 2  # one folder, one calendar

    body = [make(source=SimpleNamespace(content="<p>Un autre programme.</p>")), events[1]]
    changes = [
        (body, META, absolute),
        ([make(town="Liège"), events[1]], META, absolute),
        (events[:1], META, absolute),
        (events, ical.CalendarMeta(name="Autre", description="x", timezone="Europe/Brussels"), absolute),
        (events, META, other_site),
    ]
    for changed_events, meta, site in changes:
        rendered = ical.render_calendar(changed_events, meta, site)
        assert rendered != first
        assert kept.calendar(changed_events, meta, site, store) == rendered


def test_a_damaged_entry_is_rendered_again_and_replaced(tmp_path):
    store = ContentStore(tmp_path / "kept")
    events = [make()]
    expected = kept.calendar(events, META, absolute, store)
    entry = store.path(kept.calendar_key(events, META, absolute))
    entry.write_bytes(expected[: len(expected) // 2])
    assert kept.calendar(events, META, absolute, store) == expected
    assert entry.read_bytes() == expected
