"""What other plugins may use of the publication: the build date, the menu, the held-back report.

- `build_now(settings)`: the one date of this build (resolved at `initialized`).
- `add_menu_item(context, item)`: a section of the main menu (`NavItem`), during the context phase.
- `hold_back(context, held)`: a file left off the site because of its date (`HeldBack`), so the
  build-date report names it.
"""

from __future__ import annotations

from .logic import HELD_BACK, HeldBack, NavItem
from .settings import build_now

MENU_EXTRA = "nav_extra"  # context key read by `navigation` at all_generators_finalized

__all__ = ["HeldBack", "NavItem", "add_menu_item", "build_now", "hold_back"]


def add_menu_item(context: dict, item: NavItem) -> None:
    """Add a section to the main menu; the menu is built once every generator has built its context."""
    context.setdefault(MENU_EXTRA, []).append(item)


def hold_back(context: dict, held: HeldBack) -> None:
    """Note a file this build leaves off the site because it is dated after the build date."""
    context.setdefault(HELD_BACK, []).append(held)
