"""What other plugins may use of the dossiers: which dossier an article belongs to, and where.

The dossiers plugin is the only one that knows how articles carry their dossier; other plugins
ask these functions instead of reading attributes. Templates read the same facts on the article
(`dossier`, `dossier_part`, `dossier_total`, `dossier_previous`, `dossier_next`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .logic import Dossier, neighbours

DOSSIERS = "dossiers"  # the context key plugin.py sets in its context phase

__all__ = ["Dossier", "DossierField", "DossierPart", "dossier_field", "dossier_part", "mark_parts",
           "site_dossiers"]


@dataclass(frozen=True)
class DossierField:
    """What an article's header says: the dossier it names (Dossier) and its number, if any."""

    slug: str
    number: int | None = None


@dataclass(frozen=True)
class DossierPart:
    """A published part's place in its dossier, as the site shows it ("partie n/N")."""

    dossier: Dossier
    number: int  # n: the editor's Dossier_part, else the position by date
    total: int  # N: published and announced parts
    previous: Any | None = None  # the part before, None for the first
    next: Any | None = None  # the part after, None for the last published one


def site_dossiers(context: dict) -> list[Dossier]:
    """The visible dossiers, running ones first then newest; [] before the dossiers' context phase."""
    return list(context.get(DOSSIERS, ()))


def dossier_field(article: Any) -> DossierField | None:
    """The dossier `article` names, whether it is published, scheduled or not assembled yet.

    For plugins working before the dossiers' context phase (related reading groups articles at
    `article_generator_finalized`) or on scheduled articles (the newsletter); a published part's
    number after assembly is `dossier_part(article).number`.
    """
    value = getattr(article, "dossier", None)
    slug = value.slug if isinstance(value, Dossier) else value if isinstance(value, str) and value else None
    if slug is None:
        return None
    number = getattr(article, "dossier_part", None)
    if isinstance(number, str) and number.isdigit():
        number = int(number)
    return DossierField(slug, number if isinstance(number, int) else None)


def dossier_part(article: Any) -> DossierPart | None:
    """The place of a published part in its dossier; None for any other article.

    Complete once the dossiers' generator has built its context (`all_generators_finalized`).
    """
    dossier = getattr(article, "dossier", None)
    if not isinstance(dossier, Dossier):
        return None
    return DossierPart(dossier, article.dossier_part, article.dossier_total,
                       article.dossier_previous, article.dossier_next)


def mark_parts(dossier: Dossier, numbers: Sequence[int]) -> None:
    """Give each published part of `dossier` its place; `numbers[i]` is n of `dossier.parts[i]`."""
    for part, number in zip(dossier.parts, numbers, strict=True):
        part.dossier = dossier
        part.dossier_part = number
        part.dossier_total = dossier.total
        part.dossier_previous, part.dossier_next = neighbours(dossier, part)
