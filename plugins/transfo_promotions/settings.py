"""The promotions plugin's settings, read and validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from transfo_common.config import (
    AMOUNT,
    BOOLEAN,
    LOCALE_SETTING,
    Check,
    Setting,
    cache_folder,
    checked_values,
)

from .filetypes import DEFAULT_OUTPUT_TYPES, KINDS

SETTINGS = (
    Setting("TRANSFO_PROMOTIONS_FILE", "promotions/promotions.csv",
            Check(lambda value: isinstance(value, str) and bool(value.strip()) and not Path(value).is_absolute(),
                  "un chemin relatif au dossier des contenus"),
            "Le fichier interne des promotions, relatif au dossier des contenus ; jamais publié."),
    Setting("TRANSFO_PROMOTIONS_MONTHLY_BUDGET", 300, AMOUNT,
            "Ce que l’équipe compte dépenser en promotions chaque mois, en euros (rapport interne)."),
    Setting("TRANSFO_PROMOTIONS_LEAK_MEMORY", True, BOOLEAN,
            "Se souvenir des fichiers du site trouvés sans fuite, pour ne chercher ensuite que dans les "
            "fichiers nouveaux ou modifiés (False : tous, toujours)."),
    Setting("TRANSFO_OUTPUT_TYPES", DEFAULT_OUTPUT_TYPES,
            Check(lambda types: isinstance(types, dict) and all(
                isinstance(suffix, str) and suffix == suffix.lower() and suffix.isascii() and suffix
                and "." not in suffix and kind in KINDS for suffix, kind in types.items()),
                  "{extension en minuscules, sans son point : genre}, les genres étant " + ", ".join(KINDS)),
            "Les types de fichiers que le site construit peut contenir, {extension: genre}, chacun "
            "vérifié d’après son contenu par la recherche de fuites."),
)


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
    headers_memo: Path | None = None  # the articles' headers kept between builds; None: read each time


def read_settings(settings: dict) -> PromotionSettings:
    merged = checked_values(settings, SETTINGS, PromotionSettingsError)
    content_root = Path(settings.get("PATH", "content"))
    cache_dir = cache_folder(settings, "transfo_promotions")
    return PromotionSettings(
        content_root=content_root,
        data_file=content_root / merged["TRANSFO_PROMOTIONS_FILE"],
        monthly_budget=Decimal(str(merged["TRANSFO_PROMOTIONS_MONTHLY_BUDGET"])),
        locale=LOCALE_SETTING.value(settings),
        static_paths=tuple(settings.get("STATIC_PATHS") or ()),
        leak_memory=cache_dir if merged["TRANSFO_PROMOTIONS_LEAK_MEMORY"] else None,
        output_types=dict(merged["TRANSFO_OUTPUT_TYPES"]),
        headers_memo=cache_dir / "article-headers.json" if settings.get("CACHE_PATH") else None,
    )
