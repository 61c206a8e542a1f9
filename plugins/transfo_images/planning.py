"""What to produce for an image, computed from its bytes and the settings (no encoding).

A plan names every derivative (width, format, cache file, output path) so a
template can write `<picture>` markup before, or without, encoding anything.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from transfo_common.files import sha256_of_file as file_hash

from .processing import PIPELINE_VERSION, Output, derivative_widths, oriented_size, scaled_height
from .settings import EXTENSIONS, MIME_TYPES, ImagesSettings
from .sources import ACCEPTED_SUFFIXES

FALLBACK_MAX_WIDTH = 1200
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    fmt: str
    quality: int
    cache_file: Path
    output_rel: str  # below the output folder, e.g. media/x.1a2b3c4d5e.800.webp


@dataclass(frozen=True)
class Source:
    type: str
    srcset: str


@dataclass(frozen=True)
class ResponsiveImage:
    """What a template needs for `<picture>`: sources by format, the JPEG fallback, its size."""

    path: str  # relative to content/
    source: Path
    sha: str
    source_size: tuple[int, int]
    width: int
    height: int
    src: str
    srcset: str
    sources: tuple[Source, ...]
    derivatives: tuple[Derivative, ...]
    full: str  # URL of the largest JPEG: what a link to the image leads to

    @property
    def outputs(self) -> tuple[Output, ...]:
        return tuple(Output(d.width, d.height, d.fmt, d.quality, d.cache_file) for d in self.derivatives)


def safe_stem(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "image"


def normalise(value: object) -> str | None:
    """`{static}/images/x.jpg`, `/images/x.jpg`, `images/x.jpg` -> `images/x.jpg`."""
    if not value or not isinstance(value, str):
        return None
    relative = value.strip()
    for prefix in ("{static}", "{filename}"):
        relative = relative.removeprefix(prefix)
    return relative.lstrip("/") or None


def versioned(cache_path: Path) -> Path:
    return cache_path / f"v{PIPELINE_VERSION}"


def cache_root(cfg: ImagesSettings) -> Path:
    return versioned(cfg.cache_path)


def has_derivatives(cache_path: Path, sha: str) -> bool:
    """True when the cache holds a derivative of the image with these bytes (`store` writes them
    whole or not at all): encoding it decoded the image whole."""
    try:
        names = os.listdir(versioned(cache_path) / sha[:2])
    except OSError:
        return False
    return any(name.startswith(f"{sha}-") for name in names)


def url(cfg: ImagesSettings, output_rel: str) -> str:
    return f"{cfg.siteurl}/{output_rel}"


SourceFacts = tuple[str, tuple[int, int]]  # the sha256 of an image's bytes, its size as displayed


def source_facts(cfg: ImagesSettings, source: Path) -> SourceFacts:
    """What a plan reads of the image itself: its bytes' hash and its header (ImageReadError)."""
    return file_hash(source), oriented_size(source, cfg.max_pixels)


def plan_image(cfg: ImagesSettings, relative: str,
               facts: Callable[[Path], SourceFacts] | None = None) -> ResponsiveImage:
    """The derivatives of `content/<relative>`; ImageReadError when missing or unreadable.
    `facts(source)`: `source_facts` of the image, from a caller that keeps them."""
    from .processing import ImageReadError

    source = cfg.content_root / relative
    if not source.is_file():
        raise ImageReadError("fichier introuvable")
    sha, size = facts(source) if facts is not None else source_facts(cfg, source)
    stem = safe_stem(Path(relative).stem)
    derivatives = []
    for width in derivative_widths(size[0], cfg.widths):
        height = scaled_height(size, width)
        for fmt in cfg.formats:
            quality = cfg.quality[fmt]
            ext = EXTENSIONS[fmt]
            derivatives.append(Derivative(
                width, height, fmt, quality,
                cache_root(cfg) / sha[:2] / f"{sha}-{width}-q{quality}.{ext}",
                f"{cfg.output_dir}/{stem}.{sha[:10]}.{width}.{ext}",
            ))

    def srcset(fmt: str) -> str:
        return ", ".join(f"{url(cfg, d.output_rel)} {d.width}w" for d in derivatives if d.fmt == fmt)

    jpegs = [d for d in derivatives if d.fmt == "jpeg"]
    fallback = max((d for d in jpegs if d.width <= FALLBACK_MAX_WIDTH), key=lambda d: d.width,
                   default=jpegs[0])
    largest = jpegs[-1]
    return ResponsiveImage(
        path=relative,
        source=source,
        sha=sha,
        source_size=size,
        width=largest.width,
        height=largest.height,
        src=url(cfg, fallback.output_rel),
        srcset=srcset("jpeg"),
        sources=tuple(Source(MIME_TYPES[fmt], srcset(fmt)) for fmt in cfg.formats if fmt != "jpeg"),
        derivatives=tuple(derivatives),
        full=url(cfg, largest.output_rel),
    )


def is_external(src: str) -> bool:
    return not src or bool(_SCHEME.match(src)) or src.startswith(("//", "#"))


def candidates(src: str, content_root: Path, source_dir: Path) -> list[Path]:
    """Where a body image `src` may live: Pelican's `{static}` (and `{attach}`) rules, else content/
    then beside the file."""
    clean = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if clean.startswith(("{static}", "{attach}")):
        rest = clean.removeprefix("{static}").removeprefix("{attach}")
        return [content_root / rest.lstrip("/")] if rest.startswith("/") else [source_dir / rest]
    if clean.startswith("{"):
        return []  # {filename}...: Pelican's business
    if clean.startswith("/"):
        return [content_root / clean.lstrip("/")]
    return [content_root / clean, source_dir / clean]


def looks_like_image(src: str) -> bool:
    clean = src.split("#", 1)[0].split("?", 1)[0]
    return not is_external(src) and Path(clean).suffix.lower() in ACCEPTED_SUFFIXES


def resolve_source(src: str, content_root: Path, source_dir: Path) -> str | None:
    """The path below content/ of a body image, or None when it is not a local content image."""
    if not looks_like_image(src):
        return None
    root = content_root.resolve()
    for candidate in candidates(src, root, source_dir):
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
    return None
