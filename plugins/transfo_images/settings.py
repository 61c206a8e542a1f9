"""The image plugin's settings, read and checked in one place (prefix TRANSFO_IMAGES_)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import features
from transfo_common.config import (
    NAME,
    PATH,
    POSITIVE,
    TEXT_LIST,
    Check,
    Setting,
    checked_values,
    defaults,
    optional,
)

# Share-card fonts live beside the plugin, not in the theme's static/: they are drawn
# into images, never served to readers.
CARD_FONTS_DIR = Path(__file__).resolve().parent / "fonts"

KNOWN_FORMATS = ("avif", "webp", "jpeg")


def _is_colour(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value) is not None


MAX_PIXELS = Setting(
    "TRANSFO_IMAGES_MAX_PIXELS", 40_000_000,
    Check(lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= 1_000_000,
          "un nombre de pixels d’au moins 1000000"),
    "Plus grande image acceptée, en pixels (largeur × hauteur), lue dans l’en-tête du fichier.")
SETTINGS = (
    Setting("TRANSFO_IMAGES_WIDTHS", (400, 800, 1200, 1600),
            Check(lambda value: isinstance(value, (list, tuple)) and bool(value)
                  and all(isinstance(w, int) and 16 <= w <= 8000 for w in value),
                  "une liste de largeurs en pixels (16 à 8000), comme (400, 800, 1200)"),
            "Largeurs des images produites, en pixels ; une image n’est jamais agrandie."),
    Setting("TRANSFO_IMAGES_FORMATS", ("avif", "webp", "jpeg"),
            Check(lambda value: isinstance(value, (list, tuple)) and "jpeg" in value
                  and all(f in KNOWN_FORMATS for f in value),
                  "des formats parmi avif, webp, jpeg, dont « jpeg »"),
            "Formats produits, le meilleur d’abord ; « avif » est omis si Pillow ne sait pas l’écrire."),
    Setting("TRANSFO_IMAGES_QUALITY", {"avif": 55, "webp": 78, "jpeg": 82},
            Check(lambda value: isinstance(value, dict) and all(
                f in KNOWN_FORMATS and isinstance(q, int) and 1 <= q <= 100 for f, q in value.items()),
                  "{format: qualité de 1 à 100}"),
            "Qualité d’encodage par format."),
    Setting("TRANSFO_IMAGES_CACHE_PATH", None, optional(PATH, "<CACHE_PATH>/images"),
            "Dossier où les images encodées sont gardées d’une construction à l’autre."),
    Setting("TRANSFO_IMAGES_OUTPUT_DIR", "media", NAME,
            "Dossier du site construit qui reçoit les images produites et les cartes de partage."),
    Setting("TRANSFO_IMAGES_PATHS", ("images",),
            Check(lambda value: TEXT_LIST.accepts(value) and all(".." not in Path(f).parts for f in value),
                  "une liste non vide de dossiers du dossier des contenus, comme (\"images\",)"),
            "Dossiers des contenus qui contiennent des images : vérifiées une à une, jamais copiées "
            "telles quelles ; seules les tailles utilisées par une page publiée sont publiées."),
    MAX_PIXELS,
    Setting("TRANSFO_IMAGES_WORKERS", None, optional(POSITIVE, "un par processeur"),
            "Nombre de processus d’encodage."),
    Setting("TRANSFO_IMAGES_CARD_FONTS", ("Lato-Black.ttf", "Lato-Bold.ttf"), TEXT_LIST,
            "Polices des cartes de partage (titre, surtitre), dans plugins/transfo_images/fonts/ (OFL), "
            "jamais publiées."),
    Setting("TRANSFO_IMAGES_CARD_COLOURS", {"teal": "#0b5563", "orange": "#e8833a", "cream": "#f4efe6"},
            Check(lambda value: isinstance(value, dict) and all(_is_colour(c) for c in value.values()),
                  "{nom: couleur « #rrggbb »}"),
            "Couleurs des cartes de partage."),
)
DEFAULTS = defaults(SETTINGS)

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
SHARE_SIZE = (1200, 630)


class ImagesSettingsError(ValueError):
    """A TRANSFO_IMAGES_* setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class ImagesSettings:
    content_root: Path
    image_folders: tuple[str, ...]
    max_pixels: int
    output_path: Path
    cache_path: Path
    output_dir: str
    widths: tuple[int, ...]
    formats: tuple[str, ...]  # best first, always ending with "jpeg" (the fallback)
    quality: dict
    workers: int
    card_fonts: tuple[Path, Path]  # title font, kicker font
    colours: dict
    site_name: str
    site_subtitle: str
    siteurl: str


def avif_supported() -> bool:
    return bool(features.check("avif"))


def _formats(value: Iterable[str]) -> tuple[str, ...]:
    """Best first, "avif" only when Pillow writes it, the JPEG fallback last (browsers take the
    first <source> they support)."""
    formats = tuple(value)
    if "avif" in formats and not avif_supported():
        formats = tuple(f for f in formats if f != "avif")
    return tuple(f for f in formats if f != "jpeg") + ("jpeg",)


def cache_folder(settings: dict) -> Path:
    """TRANSFO_IMAGES_CACHE_PATH, else <CACHE_PATH>/images: what validation needs of these settings."""
    cache = settings.get("TRANSFO_IMAGES_CACHE_PATH")
    return (Path(cache) if cache else Path(settings.get("CACHE_PATH") or "cache") / "images").resolve()


def _image_folders(value: Iterable[object], static_paths: Iterable[object] | None) -> tuple[str, ...]:
    folders = tuple(str(folder).strip("/") for folder in value)
    for static in static_paths or ():
        static = str(static).strip("/")
        if any(not static or folder == static or folder.startswith(static + "/")
               or static.startswith(folder + "/") for folder in folders):
            raise ImagesSettingsError(
                f"TRANSFO_IMAGES_PATHS: {static!r} is also in STATIC_PATHS, so Pelican would "
                "publish the original files; remove it from STATIC_PATHS"
            )
    return folders


def max_pixels(settings: dict) -> int:
    """TRANSFO_IMAGES_MAX_PIXELS, checked: what header checks need of these settings."""
    return checked_values(settings, (MAX_PIXELS,), ImagesSettingsError)[MAX_PIXELS.name]


def read_settings(settings: dict) -> ImagesSettings:
    merged = checked_values(settings, SETTINGS, ImagesSettingsError)
    content_root = Path(settings.get("PATH", "content")).resolve()
    fonts = tuple(Path(f) if Path(f).is_absolute() else CARD_FONTS_DIR / f
                  for f in merged["TRANSFO_IMAGES_CARD_FONTS"])
    if len(fonts) != 2 or not all(f.is_file() for f in fonts):
        raise ImagesSettingsError(
            "TRANSFO_IMAGES_CARD_FONTS: expected two font files (title, kicker) in "
            f"{CARD_FONTS_DIR}, got {[str(f) for f in fonts]!r}"
        )
    return ImagesSettings(
        content_root=content_root,
        image_folders=_image_folders(merged["TRANSFO_IMAGES_PATHS"], settings.get("STATIC_PATHS")),
        max_pixels=merged["TRANSFO_IMAGES_MAX_PIXELS"],
        output_path=Path(settings.get("OUTPUT_PATH", "output")),
        cache_path=cache_folder(settings),
        output_dir=merged["TRANSFO_IMAGES_OUTPUT_DIR"].strip("/"),
        widths=tuple(sorted(set(merged["TRANSFO_IMAGES_WIDTHS"]))),
        formats=_formats(merged["TRANSFO_IMAGES_FORMATS"]),
        quality={**DEFAULTS["TRANSFO_IMAGES_QUALITY"], **merged["TRANSFO_IMAGES_QUALITY"]},
        workers=merged["TRANSFO_IMAGES_WORKERS"] or os.cpu_count() or 1,
        card_fonts=(fonts[0], fonts[1]),
        colours={**DEFAULTS["TRANSFO_IMAGES_CARD_COLOURS"], **merged["TRANSFO_IMAGES_CARD_COLOURS"]},
        site_name=settings.get("SITENAME", ""),
        site_subtitle=settings.get("SITESUBTITLE", ""),
        siteurl=(settings.get("SITEURL") or "").rstrip("/"),
    )
