"""Files of the extra content kinds (events, offers, dossiers...) for the corpus.

The kinds and their fields come from the installed plugins, through
transfo_validation's `content_kinds` signal, so the corpus follows their
schemas as they evolve. Kinds with a dedicated maker here get realistic
files; any other declared kind gets its required fields filled from their
types. A kind whose files do not pass validation is dropped from the corpus
(and reported), so the benchmark still runs while a plugin is half-done.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from transfo_validation import fields as f
from transfo_validation.check import check_site, collect_kinds, kind_of
from transfo_validation.schema import ContentKind

from . import prose

if TYPE_CHECKING:  # corpus imports this module when it generates
    from .corpus import Corpus, CorpusSpec


def _header(values: Mapping[str, object]) -> str:
    return "\n".join(f"{key[:1].upper()}{key[1:]}: {value}" for key, value in values.items())


def _write(path: Path, values: Mapping[str, object], body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_header(values) + "\n\n" + body, encoding="utf-8")
    return path


def _day(spec: CorpusSpec, rng: random.Random, future_share: float = 0.0) -> date:
    if rng.random() < future_share:
        return spec.last_day + timedelta(days=rng.randint(2, 200))
    return spec.first_day + timedelta(days=rng.randrange((spec.last_day - spec.first_day).days))


def generic_value(name: str, spec_field: f.Field, rng: random.Random, corpus: Corpus,
                  spec: CorpusSpec, index: int) -> str | None:
    """A valid raw value for a field, from its type; None for types we do not know."""
    if isinstance(spec_field, f.ImagePath):
        return corpus.images[index % len(corpus.images)].relative_to(corpus.root).as_posix() \
            if corpus.images else None
    if isinstance(spec_field, f.Slug):
        return f"{name}-{index:05d}"
    if isinstance(spec_field, f.Choice):
        return spec_field.choices[0]
    if isinstance(spec_field, f.DateTime):
        return f"{_day(spec, rng):%Y-%m-%d} 09:00"
    if isinstance(spec_field, f.Day):
        return f"{_day(spec, rng):%Y-%m-%d}"
    if isinstance(spec_field, f.Boolean):
        return "non"
    if isinstance(spec_field, f.TextList):
        return ", ".join(prose.tags(rng)[:2])
    if isinstance(spec_field, f.Url):
        return f"https://www.example.be/{name}/{index}"
    if isinstance(spec_field, f.Email):
        return f"contact{index}@example.be"
    if isinstance(spec_field, f.Integer):
        return str(spec_field.minimum if spec_field.minimum is not None else 1)
    if isinstance(spec_field, f.Amount):
        return "1500"
    if isinstance(spec_field, f.Text):
        text = prose.title(rng) if name == "title" else prose.sentence(rng)
        if name == "title":
            text = f"{text} ({index})"
        limit = spec_field.max_length or len(text)
        return text[:limit].rstrip()
    if type(spec_field).__name__ in ("EventTime",):
        return f"{_day(spec, rng):%Y-%m-%d}"
    return None


def generic_maker(kind: ContentKind, corpus: Corpus, spec: CorpusSpec, count: int, rng: random.Random) -> list[Path]:
    folder = corpus.root / kind.folders[0]
    made = []
    for index in range(count):
        values = {}
        for name, spec_field in kind.fields.items():
            if not spec_field.required:
                continue
            value = generic_value(name, spec_field, rng, corpus, spec, index)
            if value is None:
                return []
            values[name] = value
        if "image" in values and "image_alt" in kind.fields:
            values["image_alt"] = "Illustration : " + prose.sentence(rng)[:200]
        made.append(_write(folder / f"{kind.name}-{index:05d}.md", values, prose.paragraph(rng) + "\n"))
    return made


def event_maker(kind: ContentKind, corpus: Corpus, spec: CorpusSpec, count: int, rng: random.Random) -> list[Path]:
    folder = corpus.root / kind.folders[0]
    made = []
    for index in range(count):
        day = _day(spec, rng, future_share=0.15)
        announced = min(day - timedelta(days=rng.randint(7, 60)), spec.last_day)
        title = f"{rng.choice(('Journée portes ouvertes', 'Conférence', 'Atelier', 'Salon', 'Rencontre'))}" \
                f" : {rng.choice(prose.SUBJECTS)} à {rng.choice(prose.PLACES)}"
        values = {
            "title": title[:160],
            "date": f"{announced:%Y-%m-%d} 10:00",
            "start": f"{day:%Y-%m-%d} {rng.choice(('09:30', '14:00', '18:30'))}",
            "venue": f"{rng.choice(prose.NAMES)}",
            "address": f"Rue de la Station {rng.randint(1, 200)}",
            "town": rng.choice(prose.PLACES),
            "organiser": rng.choice(prose.NAMES),
            "price": rng.choice(("gratuit", "10", "12,50")),
            "summary": prose.sentence(rng)[:400],
            "tags": ", ".join(prose.tags(rng)[:3]),
        }
        values = {k: v for k, v in values.items() if k in kind.fields}
        made.append(_write(folder / f"{day:%Y}" / f"evenement-{index:05d}.md", values,
                           prose.paragraph(rng) + "\n\n" + prose.paragraph(rng) + "\n"))
    return made


def dossier_maker(kind: ContentKind, corpus: Corpus, spec: CorpusSpec, count: int, rng: random.Random,
                  article_kind: ContentKind | None = None) -> list[Path]:
    """Dossier declarations, each with 2-4 consecutive 'Dossiers' articles as its parts."""
    links = article_kind is not None and {"dossier", "dossier_part"} <= set(article_kind.fields)
    candidates = [p for p in corpus.articles
                  if "\nCategory: Dossiers\n" in p.read_text(encoding="utf-8")]
    folder = corpus.root / kind.folders[0]
    made = []
    position = 0
    for index in range(count):
        size = rng.randint(2, 4)
        parts = candidates[position:position + size]
        position += size
        slug = f"dossier-{index:04d}"
        dates = [_article_date(p) for p in parts] or [_day(spec, rng)]
        values = {
            "title": f"Dossier : {rng.choice(prose.SUBJECTS)} ({index + 1})",
            "slug": slug,
            "start": f"{min(dates):%Y-%m-%d}",
            "end": f"{max(dates):%Y-%m-%d}",
            "summary": prose.sentence(rng)[:300],
            "image": corpus.images[index % len(corpus.images)].relative_to(corpus.root).as_posix()
            if corpus.images else None,
            "image_alt": "Illustration : " + prose.sentence(rng)[:200],
        }
        values = {k: v for k, v in values.items() if k in kind.fields and v is not None}
        made.append(_write(folder / f"{slug}.md", values, prose.paragraph(rng) + "\n"))
        if links:
            for number, part in enumerate(parts, 1):
                text = part.read_text(encoding="utf-8")
                text = text.replace("\nCategory: Dossiers\n",
                                    f"\nCategory: Dossiers\nDossier: {slug}\nDossier_part: {number}\n", 1)
                part.write_text(text, encoding="utf-8")
    return made


def _article_date(path: Path) -> date:
    match = re.search(r"^Date: (\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M)
    if match is None:
        raise ValueError(f"{path}: no Date line")
    return datetime.strptime(match.group(1), "%Y-%m-%d").date()


def offer_maker(kind: ContentKind, corpus: Corpus, spec: CorpusSpec, count: int, rng: random.Random) -> list[Path]:
    """Calls for projects (the offer kind that needs the fewest job-specific fields)."""
    folder = corpus.root / kind.folders[0]
    made = []
    for index in range(count):
        published = _day(spec, rng)
        organisation = rng.choice(prose.NAMES)
        values = {
            "title": f"Appel à projets « {rng.choice(prose.SUBJECTS)} » n° {index + 1}",
            "slug": f"appel-a-projets-{index:05d}",
            "kind": "appel à projets",
            "organisation": organisation,
            "organisation_website": f"https://www.example.be/organisation-{index}",
            "region": rng.choice(("Wallonie", "Bruxelles")),
            "funding": f"jusqu'à {rng.randint(5, 50)} 000 € par projet",
            "date": f"{published:%Y-%m-%d} 11:00",
            "deadline": f"{published + timedelta(days=rng.randint(20, 90)):%Y-%m-%d} 12:00",
            "apply_url": f"https://www.example.be/appels/{index}",
            "summary": prose.sentence(rng)[:300],
        }
        values = {k: v for k, v in values.items() if k in kind.fields}
        made.append(_write(folder / f"appel-{index:05d}.md", values,
                           prose.paragraph(rng) + "\n\n" + prose.paragraph(rng) + "\n"))
    return made


def portrait_facts(corpus: Corpus, article_kind: ContentKind, rng: random.Random) -> list[Path]:
    """Person, sector, town and region on 'Portraits' articles, when a plugin declares them."""
    fields = article_kind.fields
    if not {"sector", "town", "region"} <= set(fields):
        return []
    sector, region = fields["sector"], fields["region"]
    if not isinstance(sector, f.Choice) or not isinstance(region, f.Choice):
        return []
    enriched = []
    for path in corpus.articles:
        text = path.read_text(encoding="utf-8")
        if "\nCategory: Portraits\n" not in text:
            continue
        facts = {"person": prose.person(rng), "enterprise": rng.choice(prose.NAMES),
                 "sector": rng.choice(sector.choices),
                 "town": rng.choice(prose.PLACES), "region": rng.choice(region.choices)}
        lines = "".join(f"{k.capitalize()}: {v}\n" for k, v in facts.items() if k in fields)
        path.write_text(text.replace("\nCategory: Portraits\n", "\nCategory: Portraits\n" + lines, 1),
                        encoding="utf-8")
        enriched.append(path)
    return enriched


MAKERS = {"event": event_maker, "dossier": dossier_maker, "offer": offer_maker}


def add_extra_kinds(corpus: Corpus, spec: CorpusSpec, settings: dict, rng: random.Random) -> None:
    """Write files for every configured kind a plugin declares; drop kinds that fail validation."""
    declared = collect_kinds(settings)
    for name, share in spec.extra_kinds.items():
        if name == "portrait":  # not a kind of its own: facts on 'Portraits' articles
            files = portrait_facts(corpus, declared["article"], rng) if share else []
            if files:
                corpus.extra[name] = files
            else:
                corpus.skipped_kinds[name] = "no plugin declares portrait fields"
            continue
        if name not in declared:
            corpus.skipped_kinds[name] = "no plugin declares this kind yet"
            continue
        if not declared[name].folders or declared[name].folders[0] in ("", "articles"):
            corpus.skipped_kinds[name] = "kind shares the article folders"
            continue
        count = max(1, round(share * spec.n))
        if name == "dossier":
            files = dossier_maker(declared[name], corpus, spec, count, rng, declared.get("article"))
        else:
            files = MAKERS.get(name, generic_maker)(declared[name], corpus, spec, count, rng)
        if files:
            corpus.extra[name] = files
        else:
            corpus.skipped_kinds[name] = "fields of unknown types"
    _drop_invalid_kinds(corpus, settings, declared)


def _drop_invalid_kinds(corpus: Corpus, settings: dict, declared: dict[str, ContentKind]) -> None:
    _documents, problems = check_site(settings)
    root = corpus.root
    failing: dict[str, str] = {}
    for problem in problems:
        kind = kind_of(str(Path(problem.path).resolve()), declared, root)
        name = kind.name if kind else "?"
        failing.setdefault(name, str(problem))
    if "article" in failing and "dossier" in corpus.extra:
        failing.setdefault("dossier", failing.pop("article"))
    if set(failing) - (set(corpus.extra) - {"portrait"}):
        raise RuntimeError(f"the synthetic corpus does not validate: {next(iter(failing.values()))}")
    for name, first in failing.items():
        for path in corpus.extra.pop(name):
            path.unlink()
        if name == "dossier":
            _unlink_dossier_parts(corpus.articles)
        corpus.skipped_kinds[name] = f"its files did not validate: {first}"
    if failing:
        _drop_invalid_kinds(corpus, settings, declared)


def _unlink_dossier_parts(articles: list[Path]) -> None:
    for path in articles:
        text = path.read_text(encoding="utf-8")
        stripped = re.sub(r"^Dossier(?:_part)?: .*\n", "", text, flags=re.M)
        if stripped != text:
            path.write_text(stripped, encoding="utf-8")
