"""The image plugin's settings, read and checked in one place (prefix TRANSFO_IMAGES_)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PIL import features

THEME_FONTS = Path("static") / "fonts"

DEFAULTS = {
    # Widths of the derivatives, in pixels; an image is never enlarged.
    "TRANSFO_IMAGES_WIDTHS": (400, 800, 1200, 1600),
    # Formats, best first; "avif" is dropped when the installed Pillow cannot write it.
    "TRANSFO_IMAGES_FORMATS": ("avif", "webp", "jpeg"),
    "TRANSFO_IMAGES_QUALITY": {"avif": 55, "webp": 78, "jpeg": 82},
    # Where encoded files are kept between builds (default: <CACHE_PATH>/images).
    "TRANSFO_IMAGES_CACHE_PATH": None,
    # Folder of the output that receives derivatives and share cards.
    "TRANSFO_IMAGES_OUTPUT_DIR": "media",
    # Folders of content/ that hold images: checked file by file (type, size, links), never
    # copied as they are; each image is published only as derivatives a published page uses.
    "TRANSFO_IMAGES_PATHS": ("images",),
    # Largest image accepted, in pixels (width × height), read from the file's header.
    "TRANSFO_IMAGES_MAX_PIXELS": 40_000_000,
    # Encoding processes (default: every core).
    "TRANSFO_IMAGES_WORKERS": None,
    # The font of generated share cards, shipped in the theme (OFL).
    "TRANSFO_IMAGES_CARD_FONTS": ("Lato-Black.ttf", "Lato-Bold.ttf"),
    "TRANSFO_IMAGES_CARD_COLOURS": {"teal": "#0b5563", "orange": "#e8833a", "cream": "#f4efe6"},
}

KNOWN_FORMATS = ("avif", "webp", "jpeg")
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


def _widths(value) -> tuple[int, ...]:
    try:
        widths = tuple(sorted({int(w) for w in value}))
    except (TypeError, ValueError):
        widths = ()
    if not widths or any(w < 16 or w > 8000 for w in widths):
        raise ImagesSettingsError(
            f"TRANSFO_IMAGES_WIDTHS: expected a list of widths in pixels (16-8000), got {value!r}"
        )
    return widths


def _formats(value) -> tuple[str, ...]:
    formats = tuple(str(f).lower() for f in value or ())
    unknown = [f for f in formats if f not in KNOWN_FORMATS]
    if unknown or "jpeg" not in formats:
        raise ImagesSettingsError(
            f"TRANSFO_IMAGES_FORMATS: expected formats among {', '.join(KNOWN_FORMATS)} "
            f"including 'jpeg' (the fallback), got {value!r}"
        )
    if "avif" in formats and not avif_supported():
        formats = tuple(f for f in formats if f != "avif")
    # The JPEG fallback goes last: browsers take the first <source> they support.
    return tuple(f for f in formats if f != "jpeg") + ("jpeg",)


def _quality(value) -> dict:
    merged = {**DEFAULTS["TRANSFO_IMAGES_QUALITY"], **(value or {})}
    for fmt, quality in merged.items():
        if fmt not in KNOWN_FORMATS or not isinstance(quality, int) or not 1 <= quality <= 100:
            raise ImagesSettingsError(
                f"TRANSFO_IMAGES_QUALITY: expected {{format: 1-100}} for {', '.join(KNOWN_FORMATS)}, "
                f"got {fmt!r}: {quality!r}"
            )
    return merged


def _colour(name: str, value) -> str:
    text = str(value)
    if not (text.startswith("#") and len(text) == 7):
        raise ImagesSettingsError(
            f"TRANSFO_IMAGES_CARD_COLOURS: expected '#rrggbb' for {name!r}, got {value!r}"
        )
    try:
        int(text[1:], 16)
    except ValueError:
        raise ImagesSettingsError(
            f"TRANSFO_IMAGES_CARD_COLOURS: expected '#rrggbb' for {name!r}, got {value!r}"
        ) from None
    return text


def cache_folder(settings: dict) -> Path:
    """TRANSFO_IMAGES_CACHE_PATH, else <CACHE_PATH>/images: what validation needs of these settings."""
    cache = settings.get("TRANSFO_IMAGES_CACHE_PATH")
    return (Path(cache) if cache else Path(settings.get("CACHE_PATH") or "cache") / "images").resolve()


def _image_folders(value, static_paths) -> tuple[str, ...]:
    folders = tuple(str(folder).strip("/") for folder in value or ())
    if not folders or not all(folders) or any(".." in Path(folder).parts for folder in folders):
        raise ImagesSettingsError(
            f"TRANSFO_IMAGES_PATHS: expected folders below the content folder, got {value!r}"
        )
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
    value = settings.get("TRANSFO_IMAGES_MAX_PIXELS")
    value = DEFAULTS["TRANSFO_IMAGES_MAX_PIXELS"] if value is None else value
    if not isinstance(value, int) or isinstance(value, bool) or value < 1_000_000:
        raise ImagesSettingsError(
            f"TRANSFO_IMAGES_MAX_PIXELS: expected a number of pixels of at least 1000000, got {value!r}"
        )
    return value


def read_settings(settings: dict) -> ImagesSettings:
    def get(key):
        value = settings.get(key)
        return DEFAULTS[key] if value is None else value

    content_root = Path(settings.get("PATH", "content")).resolve()
    cache_path = cache_folder(settings)
    workers = get("TRANSFO_IMAGES_WORKERS") or os.cpu_count() or 1
    if not isinstance(workers, int) or workers < 1:
        raise ImagesSettingsError(f"TRANSFO_IMAGES_WORKERS: expected a positive integer, got {workers!r}")
    output_dir = str(get("TRANSFO_IMAGES_OUTPUT_DIR")).strip("/")
    if not output_dir:
        raise ImagesSettingsError("TRANSFO_IMAGES_OUTPUT_DIR: expected a folder name such as 'media'")
    theme_fonts = Path(settings.get("THEME", "theme")) / THEME_FONTS
    fonts = tuple(Path(f) if Path(f).is_absolute() else theme_fonts / f
                  for f in get("TRANSFO_IMAGES_CARD_FONTS"))
    if len(fonts) != 2 or not all(f.is_file() for f in fonts):
        raise ImagesSettingsError(
            "TRANSFO_IMAGES_CARD_FONTS: expected two font files (title, kicker) in "
            f"{theme_fonts}, got {[str(f) for f in fonts]!r}"
        )
    colours = {**DEFAULTS["TRANSFO_IMAGES_CARD_COLOURS"], **get("TRANSFO_IMAGES_CARD_COLOURS")}
    colours = {name: _colour(name, value) for name, value in colours.items()}
    return ImagesSettings(
        content_root=content_root,
        image_folders=_image_folders(get("TRANSFO_IMAGES_PATHS"), settings.get("STATIC_PATHS")),
        max_pixels=max_pixels(settings),
        output_path=Path(settings.get("OUTPUT_PATH", "output")),
        cache_path=cache_path,
        output_dir=output_dir,
        widths=_widths(get("TRANSFO_IMAGES_WIDTHS")),
        formats=_formats(get("TRANSFO_IMAGES_FORMATS")),
        quality=_quality(settings.get("TRANSFO_IMAGES_QUALITY")),
        workers=workers,
        card_fonts=(fonts[0], fonts[1]),
        colours=colours,
        site_name=settings.get("SITENAME", ""),
        site_subtitle=settings.get("SITESUBTITLE", ""),
        siteurl=(settings.get("SITEURL") or "").rstrip("/"),
    )
