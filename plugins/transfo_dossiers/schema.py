"""What editors write: dossier declarations, the dossier fields of articles, and their checks.

Pure functions over validated `Document`s: no Pelican, no files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from transfo_validation.fields import TITLE_LENGTH, Day, ImagePath, Integer, Slug, Text, closest
from transfo_validation.problems import Problem
from transfo_validation.schema import ContentKind, Document, KindExtension
from transfo_validation.status import dossier_statuses, is_draft, status_field


def end_after_start_rule(doc: Document) -> Iterator[Problem]:
    start, end = doc.values.get("start"), doc.values.get("end")
    if start and end and end < start:
        yield doc.problem("end", f"fin le {end.isoformat()}, avant le début le {start.isoformat()} ; "
                          "attendu : une date de fin égale ou postérieure à Start")


def part_needs_dossier_rule(doc: Document) -> Iterator[Problem]:
    if "dossier_part" in doc.values and "dossier" not in doc.values:
        yield doc.problem("dossier_part", "numéro de partie sans champ Dossier ; attendu : "
                          "Dossier: <slug du dossier> à côté de Dossier_part")


def dossier_kind(folder: str) -> ContentKind:
    return ContentKind(
        name="dossier",
        folders=(folder,),
        fields={
            "title": Text(required=True, max_length=TITLE_LENGTH),
            "slug": Slug(required=True),
            "start": Day(required=True),
            "end": Day(),
            "summary": Text(max_length=300),
            "image": ImagePath(required=True),
            "image_alt": Text(required=True, max_length=300),
            "image_credit": Text(max_length=200),
            "status": status_field(dossier_statuses()),
        },
        rules=(end_after_start_rule,),
    )


def article_extension(rubric: str = "") -> KindExtension:
    return KindExtension(
        kind="article",
        fields={"dossier": Slug(), "dossier_part": Integer(minimum=1, maximum=99)},
        rules=(part_needs_dossier_rule,),
        rubric=rubric,
    )


def _day(value: date) -> date:
    return value.date() if hasattr(value, "date") else value


def cross_problems(dossiers: list[Document], articles: list[Document], folder: str) -> list[Problem]:
    """Problems across files: duplicate dossier slugs, unknown slugs, numbering, dates."""
    problems: list[Problem] = []
    declared: dict[str, Document] = {}
    drafts: dict[str, Document] = {}
    for doc in dossiers:
        if is_draft(doc.values):  # not declared yet: a published part of it is refused, saying why
            if doc.values.get("slug"):
                drafts.setdefault(doc.values["slug"], doc)
            continue
        slug = doc.values["slug"]
        if slug in declared:
            problems.append(doc.problem("slug", f"le dossier « {slug} » est déjà déclaré dans "
                                        f"{declared[slug].path} ; attendu : un Slug unique"))
        else:
            declared[slug] = doc
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in articles:
        slug = doc.values.get("dossier")
        if slug is None or is_draft(doc.values):  # drafts are checked once their Status changes
            continue
        if slug not in declared:
            problems.append(doc.problem("dossier", _draft_dossier(slug, drafts[slug]) if slug in drafts
                                        else _unknown(slug, declared, folder)))
        else:
            groups[slug].append(doc)
    for slug, parts in groups.items():
        problems += numbering_problems(parts)
        problems += date_problems(parts, declared[slug])
    return problems


def _draft_dossier(slug: str, draft: Document) -> str:
    return (f"dossier « {slug} » encore en brouillon ({draft.path}) ; attendu : le dossier publié "
            "(Status: publié) avant ses parties, ou cette partie en brouillon")


def _unknown(slug: str, declared: dict, folder: str) -> str:
    if not declared:
        return (f"dossier « {slug} » inconnu ; attendu : le Slug d'un dossier déclaré dans "
                f"content/{folder}/ (aucun dossier n'y est déclaré)")
    suggestion = closest(slug, declared, cutoff=0.0)
    return (f"dossier « {slug} » inconnu (vouliez-vous dire « {suggestion} » ?) ; attendu : le Slug "
            f"d'un dossier déclaré dans content/{folder}/ : {', '.join(sorted(declared))}")


def numbering_problems(parts: list[Document]) -> list[Problem]:
    """Parts of one dossier: all numbered or none, each number once, no gap from 1."""
    numbered = [p for p in parts if "dossier_part" in p.values]
    if not numbered:
        return []  # order by date
    problems = [
        p.problem("dossier", "numéro de partie absent alors que d'autres parties de ce dossier "
                  "sont numérotées ; attendu : un champ Dossier_part")
        for p in parts if "dossier_part" not in p.values
    ]
    by_number: dict[int, list[Document]] = defaultdict(list)
    for part in numbered:
        by_number[part.values["dossier_part"]].append(part)
    for number, same in sorted(by_number.items()):
        for part in same[1:]:
            problems.append(part.problem("dossier_part", f"partie {number} déjà attribuée à "
                                         f"{same[0].path} ; attendu : un numéro par partie"))
    present = sorted(by_number)
    for missing in sorted(set(range(1, present[-1] + 1)) - set(present)):
        following = min(n for n in present if n > missing)
        for part in by_number[following]:
            problems.append(part.problem("dossier_part", f"partie {following} alors qu'il n'y a "
                                         f"pas de partie {missing} ; attendu : des numéros qui se "
                                         "suivent à partir de 1"))
    return problems


def date_problems(parts: list[Document], dossier: Document) -> list[Problem]:
    start, end = dossier.values["start"], dossier.values.get("end")
    problems = []
    for part in parts:
        if "date" not in part.values:
            continue
        day = _day(part.values["date"])
        if day < start or (end and day > end):
            span = f"du {start.isoformat()} au {end.isoformat()}" if end else f"à partir du {start.isoformat()}"
            problems.append(part.problem("date", f"{day.isoformat()} hors des dates du dossier "
                                         f"« {dossier.values['slug']} » ({span}, {dossier.path}) ; "
                                         "attendu : une date dans cette période, ou changez Start/End du dossier"))
    return problems
