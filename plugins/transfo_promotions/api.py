"""What other plugins and tools may use of the promotions: which article led each month, never
a figure; and the leak check of a folder about to be published (`check_folder`).

The boost records and their figures are internal: they never reach the site or an email.
"""

from __future__ import annotations

from collections.abc import Callable

from .figures import best_performer
from .leaks import PromotionLeakError
from .plugin import check_folder
from .records import read_records
from .settings import read_settings

__all__ = ["PromotionLeakError", "best_promoted_slug", "check_folder"]


def best_promoted_slug(settings: dict) -> Callable[[object], str | None] | None:
    """Month -> slug of the month's best promoted article (lowest cost per read), or None that
    month; None when the site has no promotion record. A month is anything whose text is
    "YYYY-MM" (the newsletter's `Month`)."""
    records, _problems = read_records(read_settings(settings).data_file)
    if not records:
        return None

    def pick(month: object) -> str | None:
        best = best_performer(records, str(month))
        return best.slug if best is not None else None

    return pick
