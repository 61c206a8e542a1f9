"""Benchmark of the image step alone: N generated photos, a first build then a second one.

`bench_images()` returns the figures; `report()` turns them into lines for
`invoke bench-images` (and for the global `invoke bench`, which may call it).
The first build starts from an empty cache; the second must encode nothing.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from PIL import Image, ImageDraw

from .library import ImageLibrary

ROOT = Path(__file__).resolve().parents[2]


def make_photo(path: Path, rng: random.Random, size: tuple[int, int]) -> None:
    """A photo-like JPEG (gradient, shapes, grain) so encoders do real work."""
    width, height = size
    top, bottom = (tuple(rng.randint(20, 235) for _ in range(3)) for _ in range(2))
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, top), Image.new("RGB", size, bottom), mask)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randint(20, width // 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    Image.blend(image, grain, 0.08).save(path, "JPEG", quality=85)


def _settings(workdir: Path, workers: int | None) -> dict:
    return {
        "PATH": str(workdir / "content"),
        "OUTPUT_PATH": str(workdir / "output"),
        "CACHE_PATH": str(workdir / "cache"),
        "THEME": str(ROOT / "theme"),
        "SITENAME": "Transfo",
        "SITESUBTITLE": "Le magazine de l'économie sociale en Wallonie et à Bruxelles",
        "SITEURL": "",
        "PUBLIC_URL": "http://127.0.0.1:8000",
        "TRANSFO_IMAGES_WORKERS": workers,
    }


def _one_build(settings: dict, objects: list) -> dict:
    """What a site build does with images: batch-encode, then templates publish each picture."""
    started = time.perf_counter()
    library = ImageLibrary(settings)
    library.prepare(objects, home_title=settings["SITESUBTITLE"])
    for obj in objects:
        library.responsive(obj)
        library.share_image(obj)
    return {"seconds": time.perf_counter() - started, "encoded": library.encoded,
            "reused": library.reused}


def bench_images(count: int = 200, size: tuple[int, int] = (2400, 1600), workers: int | None = None,
                 workdir: Path | None = None, progress: Callable[[str], object] = print,
                 seed: int = 6) -> dict:
    """Time the image step on `count` generated photos: first build (empty cache), second build."""
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="transfo-bench-images-")) if workdir is None else Path(workdir)
    try:
        images = workdir / "content" / "images"
        images.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed)
        progress(f"Génération de {count} photos {size[0]}×{size[1]}…")
        objects = []
        for number in range(count):
            name = f"photo-{number:03d}.jpg"
            make_photo(images / name, rng, size)
            objects.append(SimpleNamespace(
                title=f"Article de test numéro {number}", image=f"images/{name}",
                image_alt=f"Photo {number}", source_path=str(workdir / "content" / f"{number}.md")))
        shutil.rmtree(workdir / "cache", ignore_errors=True)
        settings = _settings(workdir, workers)
        progress("Première construction (cache vide)…")
        first = _one_build(settings, objects)
        progress("Deuxième construction (rien n'a changé)…")
        second = _one_build(settings, objects)
        library = ImageLibrary(settings)
        return {"count": count, "size": size, "workers": library.cfg.workers,
                "formats": library.cfg.formats, "widths": library.cfg.widths,
                "first": first, "second": second}
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def report(result: dict) -> str:
    first, second = result["first"], result["second"]
    per_photo = first["seconds"] / max(1, result["count"])
    return "\n".join([
        f"Images : {result['count']} photos {result['size'][0]}×{result['size'][1]}, "
        f"largeurs {', '.join(map(str, result['widths']))}, formats {', '.join(result['formats'])}, "
        f"{result['workers']} processus",
        f"  1re construction : {first['seconds']:.1f} s, {first['encoded']} fichier(s) encodé(s) "
        f"({per_photo * 1000:.0f} ms par photo)",
        f"  2e construction  : {second['seconds']:.2f} s, {second['encoded']} fichier(s) encodé(s), "
        f"{second['reused']} repris du cache",
    ])
