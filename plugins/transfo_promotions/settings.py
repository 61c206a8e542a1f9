"""The promotions plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from transfo_common.config import (
    AMOUNT, BOOLEAN, LOCALE_SETTING, MAPPING, PATH, Setting, defaults, read_values,
)

from .filetypes import DEFAULT_OUTPUT_TYPES, KINDS

SETTINGS = (
    Setting("TRANSFO_PROMOTIONS_FILE", "promotions/promotions.csv", PATH,
            "Le fichier interne des promotions, relatif au dossier des contenus ; jamais publié."),
    Setting("TRANSFO_PROMOTIONS_MONTHLY_BUDGET", 300, AMOUNT,
            "Ce que l’équipe compte dépenser en promotions chaque mois, en euros (rapport interne)."),
    Setting("TRANSFO_PROMOTIONS_LEAK_MEMORY", True, BOOLEAN,
            "Se souvenir des fichiers du site trouvés sans fuite, pour ne chercher ensuite que dans les "
            "fichiers nouveaux ou modifiés (False : tous, toujours)."),
    Setting("TRANSFO_OUTPUT_TYPES", DEFAULT_OUTPUT_TYPES, MAPPING,
            "Les types de fichiers que le site construit peut contenir, {extension: genre}, chacun "
            "vérifié d’après son contenu par la recherche de fuites."),
)
DEFAULTS = defaults(SETTINGS)


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
    merged = read_values(settings, SETTINGS)
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
        locale=LOCALE_SETTING.value(settings),
        static_paths=tuple(settings.get("STATIC_PATHS") or ()),
        leak_memory=(Path(settings.get("CACHE_PATH") or "cache") / "transfo_promotions"
                     if memory else None),
        output_types=dict(types),
    )
