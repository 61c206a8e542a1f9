"""What other plugins may use of the agenda: the published events of the build, typed."""

from __future__ import annotations

from .model import Event

EVENTS = "events"  # the context key plugin.py sets in its context phase

__all__ = ["Event", "site_events"]


def site_events(context: dict) -> list[Event]:
    """Every published event, past and upcoming; [] before the agenda's context phase or without it."""
    return list(context.get(EVENTS, ()))
