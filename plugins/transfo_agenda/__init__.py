"""The agenda of sector events: its own content kind, pages, iCalendar feeds, schema.org Event."""

from .plugin import register

__all__ = ["register"]
