"""The agenda of sector events: its own content kind, pages, iCalendar feeds, schema.org Event.

Other plugins use `transfo_agenda.api` (the published events, typed).
"""

from .plugin import register

__all__ = ["register"]
