"""Typed data of the newsletter: what the site holds, and what an edition contains.

`SiteSnapshot` is plain data extracted from Pelican's context (see
`snapshot.py`); the selection turns it, with the editor file and the send
date, into an `Edition`. Editions serialise to JSON so a sent one can be
frozen and rendered again, identically, by later builds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

BLOCKS = ("edito", "lead", "articles", "dossiers", "portraits", "agenda", "jobs")
BLOCK_NAMES_FR = {  # how editors write the blocks in the Ordre field
    "edito": "edito", "une": "lead", "articles": "articles", "dossiers": "dossiers",
    "portraits": "portraits", "agenda": "agenda", "offres": "jobs",
}


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        match = _MONTH.match(str(text).strip())
        if not match:
            raise ValueError(f"mois « {text} » ; attendu : AAAA-MM, par exemple 2019-11")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def before(cls, day: date) -> "Month":
        """The month that ended before `day`'s month began."""
        return cls(day.year - 1, 12) if day.month == 1 else cls(day.year, day.month - 1)

    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def contains(self, moment: date) -> bool:
        return (moment.year, moment.month) == (self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


# --- what the site holds -------------------------------------------------

@dataclass(frozen=True)
class ArticleRecord:
    slug: str
    title: str
    url: str  # site path, e.g. 2019/11/x/
    date: datetime
    summary: str  # plain text
    category: str
    image: str | None = None  # path relative to the content root
    image_alt: str = ""
    featured: bool = False
    status: str = "published"
    reading_minutes: int | None = None
    dossier: str | None = None  # slug of the dossier this article is a part of
    dossier_part: int | None = None


@dataclass(frozen=True)
class DossierRecord:
    slug: str
    title: str
    url: str
    summary: str = ""
    image: str | None = None
    image_alt: str = ""


@dataclass(frozen=True)
class EventRecord:
    slug: str
    title: str
    url: str
    start: datetime
    end: datetime | None = None
    all_day: bool = False
    status: str = ""
    place: str = ""  # venue and town, or "en ligne"


@dataclass(frozen=True)
class OfferRecord:
    slug: str
    title: str
    url: str
    kind_label: str = ""
    organisation: str = ""
    deadline: date | None = None
    place: str = ""
    withdrawn: bool = False  # Status pourvue or clôturée: out of the letter whatever its deadline


@dataclass(frozen=True)
class SiteSnapshot:
    articles: tuple[ArticleRecord, ...] = ()
    dossiers: tuple[DossierRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    offers: tuple[OfferRecord, ...] = ()
    portrait_category: str = "Portraits"
    agenda_url: str = ""  # "see all" pages, when the site has them
    offers_url: str = ""


# --- what an edition contains --------------------------------------------

@dataclass(frozen=True)
class Item:
    """One entry of a block, display-ready: links are site paths, dates typed."""

    slug: str
    title: str
    url: str  # site path (absolute URLs and tracking are added when rendering)
    summary: str = ""
    kicker: str = ""  # rubric, kind of offer...
    meta: str = ""  # one French line: date and place, deadline...
    image: str | None = None
    image_alt: str = ""
    date: str = ""  # ISO date(time) of the item, for <time datetime>


@dataclass(frozen=True)
class Block:
    key: str  # one of BLOCKS
    title: str
    items: tuple[Item, ...] = ()
    url: str = ""  # "see all" link (site path)
    intro: str = ""


@dataclass(frozen=True)
class Edition:
    month: str  # 2019-11
    campaign: str  # transfo-2019-11
    subject: str
    preheader: str
    send_date: str  # ISO datetime, Europe/Brussels
    month_label: str  # "novembre 2019"
    edito_html: str = ""
    lead: Item | None = None
    blocks: tuple[Block, ...] = ()
    order: tuple[str, ...] = BLOCKS
    sources: dict = field(default_factory=dict)  # what it was assembled from
    sent_at: str = ""  # ISO datetime of the first list send, set when the edition is frozen

    def to_json_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json_dict(cls, data: dict) -> "Edition":
        lead = Item(**data["lead"]) if data.get("lead") else None
        blocks = tuple(
            Block(**{**b, "items": tuple(Item(**i) for i in b["items"])}) for b in data["blocks"]
        )
        return cls(**{**data, "lead": lead, "blocks": blocks, "order": tuple(data["order"])})

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)

    @property
    def empty(self) -> bool:
        """Nothing to read: no edito, no lead, no item in any block (a month the site was silent)."""
        return not self.edito_html.strip() and next(self.items(), None) is None

    def items(self) -> Iterator[tuple[str, Item]]:
        """Every item of the edition, lead first."""
        if self.lead:
            yield "lead", self.lead
        for block in self.blocks:
            for item in block.items:
                yield block.key, item
