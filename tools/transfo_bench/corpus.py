"""A deterministic synthetic content tree for the benchmark.

`generate(spec, root)` writes N articles of French prose (headings, lists,
links, tags over many years, the four rubrics), JPEG images for a share of
them, and, for each extra content kind the installed plugins declare
(events, offers, dossiers...), files filled from that kind's own schema.
The same spec gives the same bytes: every choice comes from one seeded
`random.Random`, and files are written in a fixed order.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from . import prose

DEFAULT_RUBRICS = {"Actualités": 0.45, "Analyses": 0.25, "Portraits": 0.15, "Dossiers": 0.15}
# Files of other kinds per article, when a plugin declares the kind ("portrait":
# any non-zero value adds the portrait facts to every 'Portraits' article).
DEFAULT_EXTRA_KINDS = {"event": 0.08, "offer": 0.04, "dossier": 0.02, "portrait": 1.0}


@dataclass(frozen=True)
class CorpusSpec:
    n: int = 2000
    seed: int = 2019
    image_share: float = 0.3  # articles with a lead image
    image_size: tuple[int, int] = (960, 640)
    first_day: date = date(2004, 1, 5)
    last_day: date = date(2019, 11, 29)
    rubrics: dict = field(default_factory=lambda: dict(DEFAULT_RUBRICS))
    extra_kinds: dict = field(default_factory=lambda: dict(DEFAULT_EXTRA_KINDS))


@dataclass
class Corpus:
    root: Path  # the content folder
    articles: list[Path]
    images: list[Path]
    extra: dict[str, list[Path]]  # kind name -> files
    skipped_kinds: dict[str, str] = field(default_factory=dict)  # kind -> why

    def digest(self) -> str:
        """A hash of every file's path and bytes: equal digests, equal corpora."""
        sha = hashlib.sha256()
        for path in sorted(p for p in self.root.rglob("*") if p.is_file()):
            sha.update(path.relative_to(self.root).as_posix().encode())
            sha.update(path.read_bytes())
        return sha.hexdigest()[:16]


def make_jpeg(path: Path, rng: random.Random, size: tuple[int, int]) -> None:
    """A photo-like JPEG (gradient, shapes, noise) so encoders do real work."""
    from PIL import Image, ImageDraw

    width, height = size
    top = tuple(rng.randint(20, 235) for _ in range(3))
    bottom = tuple(rng.randint(20, 235) for _ in range(3))
    image = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", [
        image.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in zip(top, bottom, strict=True)
    ])
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(max(2, width // 40), max(3, width // 4))
        draw.ellipse((x - r, y - r, x + r, y + r),
                     fill=tuple(rng.randint(0, 255) for _ in range(3)))
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    image = Image.blend(image, Image.merge("RGB", [noise] * 3), 0.08)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=82)


def _dates(spec: CorpusSpec, rng: random.Random) -> list[datetime]:
    span = (spec.last_day - spec.first_day).days
    days = sorted(rng.randrange(span + 1) for _ in range(spec.n))
    return [datetime.combine(spec.first_day + timedelta(days=d), datetime.min.time())
            .replace(hour=rng.choice((7, 9, 12, 16)), minute=rng.choice((0, 15, 30)))
            for d in days]


def _slug(text: str) -> str:
    return slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def _unique_title(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    text = prose.title(rng)
    slug = _slug(text)
    number = 2
    while slug in taken:
        candidate = f"{text} ({number})"
        slug, number = _slug(candidate), number + 1
        if slug not in taken:
            text = candidate
    taken.add(slug)
    return text, slug


def article_text(rng: random.Random, title: str, when: datetime, rubric: str,
                 links: list[str], image: str | None) -> str:
    header = [
        f"Title: {title}",
        f"Date: {when:%Y-%m-%d %H:%M}",
        f"Category: {rubric}",
        f"Tags: {', '.join(prose.tags(rng))}",
        f"Authors: {prose.person(rng)}",
        f"Summary: {prose.summary(rng)}",
    ]
    if image:
        header += [f"Image: {image}",
                   f"Image_alt: Illustration : {prose.sentence(rng)[:200]}",
                   "Image_credit: Illustration : Transfo"]
    if rng.random() < 0.03:
        header.append("Featured: oui")
    return "\n".join(header) + "\n\n" + prose.body(rng, links, image if image and rng.random() < 0.3 else None)


def write_articles(spec: CorpusSpec, root: Path, rng: random.Random) -> tuple[list[Path], list[Path]]:
    rubrics = list(spec.rubrics)
    weights = [spec.rubrics[r] for r in rubrics]
    taken: set[str] = set()
    articles: list[Path] = []
    images: list[Path] = []
    links: list[str] = []
    for when in _dates(spec, rng):
        title, slug = _unique_title(rng, taken)
        image = None
        if rng.random() < spec.image_share:
            image = f"images/{when:%Y}/{slug[:60]}.jpg"
            make_jpeg(root / image, rng, spec.image_size)
            images.append(root / image)
        rubric = rng.choices(rubrics, weights)[0]
        relative = f"articles/{when:%Y}/{slug}.md"
        text = article_text(rng, title, when, rubric, links[-50:], image)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        articles.append(path)
        links.append("/" + relative)
    return articles, images


def generate(spec: CorpusSpec, root: Path, settings: dict | None = None) -> Corpus:
    """Write the corpus under `root` (emptied first); extra kinds need the site's settings."""
    import shutil

    from . import kinds

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(spec.seed)
    articles, images = write_articles(spec, root, rng)
    (root / "pages").mkdir()
    (root / "pages" / "a-propos.md").write_text(
        "Title: À propos\n\nTransfo, le magazine de l'économie sociale.\n", encoding="utf-8")
    corpus = Corpus(root, articles, images, {})
    if settings is not None:
        kinds.add_extra_kinds(corpus, spec, settings, random.Random(spec.seed + 1))
    return corpus


def main(argv: list[str] | None = None) -> int:
    """`python -m transfo_bench.corpus CONTENT [--n N] ...`: write a corpus, print its digest."""
    import argparse

    from .build import transfo_settings

    parser = argparse.ArgumentParser(prog="python -m transfo_bench.corpus")
    parser.add_argument("content", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--image-share", type=float, default=0.3)
    parser.add_argument("--image-size", default="960x640")
    parser.add_argument("--now", default="2019-11-30")
    args = parser.parse_args(argv)
    from pelican import Pelican

    args.content.mkdir(parents=True, exist_ok=True)
    settings = transfo_settings(args.content.resolve(), args.content.parent / "output",
                                args.content.parent / "cache", args.now)
    Pelican(settings)  # loads the plugins, whose content kinds the corpus follows
    width, height = (int(v) for v in args.image_size.split("x"))
    corpus = generate(CorpusSpec(n=args.n, seed=args.seed, image_share=args.image_share,
                                 image_size=(width, height)), args.content.resolve(), settings)
    counts = {"articles": len(corpus.articles), "images": len(corpus.images),
              **{kind: len(files) for kind, files in corpus.extra.items()}}
    print(corpus.digest(), counts, corpus.skipped_kinds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
