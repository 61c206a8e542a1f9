"""What other plugins may use of the newsletter: where its editor files live, and their fields.

The admin (Decap CMS) offers a collection for the editor files from these two.
"""

from __future__ import annotations

from pathlib import Path

from .editor import EDITOR_FIELDS
from .settings import read_settings

__all__ = ["EDITOR_FIELDS", "editor_folder"]


def editor_folder(settings: dict) -> Path:
    """The folder of the editor files (newsletter/ beside content/ unless set)."""
    return read_settings(settings).path
