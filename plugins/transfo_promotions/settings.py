"""The promotions plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .filetypes import DEFAULT_OUTPUT_TYPES, KINDS

DEFAULTS = {
    # The internal data file, relative to the content folder (PATH).
    "TRANSFO_PROMOTIONS_FILE": "promotions/promotions.csv",
    # What the team means to spend on boosts each month, in EUR.
    "TRANSFO_PROMOTIONS_MONTHLY_BUDGET": 300,
    "TRANSFO_LOCALE": "fr_BE",
    # Remember, in <CACHE_PATH>/transfo_promotions/, the output files found free of
    # leaks, so the next build searches only new or changed files (False: all, always).
    "TRANSFO_PROMOTIONS_LEAK_MEMORY": True,
    # The file types the built site may hold, {extension: kind}, each checked against the
    # file's content by the leak check (filetypes.KINDS lists the kinds). To add one:
    # TRANSFO_OUTPUT_TYPES = {**DEFAULT_OUTPUT_TYPES, "pdf": ...} with a kind of KINDS.
    "TRANSFO_OUTPUT_TYPES": DEFAULT_OUTPUT_TYPES,
}


class PromotionSettingsError(ValueError):
    """A promotions setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class PromotionSettings:
    content_root: Path
    data_file: Path  # absolute
    monthly_budget: Decimal
    locale: str
    static_paths: tuple[str, ...]
    leak_memory: Path | None = None  # the folder of the leak check's memory, None when off
    output_types: dict[str, str] | None = None  # {extension: kind}; None: DEFAULT_OUTPUT_TYPES


def read_settings(settings: dict) -> PromotionSettings:
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    content_root = Path(settings.get("PATH", "content"))
    relative = merged["TRANSFO_PROMOTIONS_FILE"]
    if not isinstance(relative, str) or not relative.strip() or Path(relative).is_absolute():
        raise PromotionSettingsError(
            "TRANSFO_PROMOTIONS_FILE: expected a path relative to the content folder, "
            f"got {relative!r}"
        )
    budget = merged["TRANSFO_PROMOTIONS_MONTHLY_BUDGET"]
    try:
        monthly_budget = Decimal(str(budget))
    except InvalidOperation:
        monthly_budget = Decimal(-1)
    if isinstance(budget, bool) or not monthly_budget.is_finite() or monthly_budget <= 0:
        raise PromotionSettingsError(
            f"TRANSFO_PROMOTIONS_MONTHLY_BUDGET: expected a positive amount in EUR, got {budget!r}"
        )
    memory = merged["TRANSFO_PROMOTIONS_LEAK_MEMORY"]
    if not isinstance(memory, bool):
        raise PromotionSettingsError(
            f"TRANSFO_PROMOTIONS_LEAK_MEMORY: expected True or False, got {memory!r}"
        )
    types = merged["TRANSFO_OUTPUT_TYPES"]
    if not isinstance(types, dict) or not all(
            isinstance(suffix, str) and suffix == suffix.lower() and suffix.isascii()
            and suffix and "." not in suffix and kind in KINDS for suffix, kind in types.items()):
        raise PromotionSettingsError(
            "TRANSFO_OUTPUT_TYPES: expected {extension in lower case, without its dot: kind}, "
            f"kinds being {', '.join(KINDS)}; got {types!r}")
    return PromotionSettings(
        content_root=content_root,
        data_file=content_root / relative,
        monthly_budget=monthly_budget,
        locale=merged["TRANSFO_LOCALE"],
        static_paths=tuple(settings.get("STATIC_PATHS") or ()),
        leak_memory=(Path(settings.get("CACHE_PATH") or "cache") / "transfo_promotions"
                     if memory else None),
        output_types=dict(types),
    )
