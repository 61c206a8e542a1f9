"""Pure logic: dossiers assembled from declarations and articles, ordered, numbered.

Works on any objects with the attributes Pelican articles have (`title`,
`date`, `dossier`, `dossier_part`), so tests use plain stand-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the logic reads articles, it never needs Pelican to run
    from pelican.contents import Article


@dataclass(frozen=True)
class Declaration:
    """A dossier as its editor declared it in content/dossiers/<slug>.md."""

    slug: str
    title: str
    page: Any  # what gives the introduction: its `content` (HTML), read when a page shows it
    start: date
    image: str
    image_alt: str
    end: date | None = None
    summary: str = ""
    image_credit: str = ""
    source: str = ""


@dataclass(frozen=True)
class Announced:
    """A part not yet published: its announced title and date, nothing of its body."""

    title: str
    date: datetime
    number: int


@dataclass
class Dossier:
    """What templates, feeds and other plugins see of a dossier (`context["dossiers"]`)."""

    slug: str
    title: str
    url: str
    page: Any = field(repr=False, compare=False)  # the declaration as read (see Declaration.page)
    summary: str
    image: str
    image_alt: str
    image_credit: str
    start: date
    end: date | None
    is_running: bool
    parts: list[Any] = field(default_factory=list)  # published articles, in order
    announced: list[Announced] = field(default_factory=list)
    feed_url: str = ""
    feed_path: str = ""

    @property
    def intro(self) -> str:
        """The introduction as HTML, read from the declaration when a page shows it."""
        return self.page.content

    @property
    def total(self) -> int:
        """N in "partie n/N": published and announced parts."""
        return len(self.parts) + len(self.announced)

    @property
    def next_announced(self) -> Announced | None:
        return self.announced[0] if self.announced else None

    def __str__(self) -> str:
        return self.title  # {{ article.dossier }} prints the title; .slug is the identifier


def _slug_of(article: Article) -> str | None:
    value = getattr(article, "dossier", None)
    return getattr(value, "slug", value)


def _by_dossier(articles: Iterable[Article]) -> dict[str, list[Article]]:
    """{dossier slug: its articles, in the given order}: one pass, whatever the number of dossiers."""
    parts: dict[str, list[Article]] = {}
    for article in articles:
        slug = _slug_of(article)
        if slug is not None:
            parts.setdefault(slug, []).append(article)
    return parts


def part_order_key(article: Article) -> tuple[float, datetime]:
    """Parts sort by their number, else by date."""
    number = getattr(article, "dossier_part", None)
    return (number if isinstance(number, int) else float("inf"), article.date)


def number_parts(published: Iterable[Article],
                 scheduled: Iterable[Article]) -> list[tuple[Article, int, bool]]:
    """[(article, n, is_published)] for one dossier, in reading order.

    n is the editor's Dossier_part, else the position by date among all parts.
    """
    rows = [(a, True) for a in published] + [(a, False) for a in scheduled]
    rows.sort(key=lambda row: part_order_key(row[0]))
    numbered: list[tuple[Article, int, bool]] = []
    for position, (article, is_published) in enumerate(rows, start=1):
        number = getattr(article, "dossier_part", None)
        numbered.append((article, number if isinstance(number, int) else position, is_published))
    return numbered


def is_visible(declaration: Declaration, today: date) -> bool:
    """A dossier shows from its start date on."""
    return declaration.start <= today


def is_running(declaration: Declaration, today: date) -> bool:
    return declaration.start <= today and (declaration.end is None or today <= declaration.end)


def assemble(declarations: Iterable[Declaration], published: Iterable[Article],
             scheduled: Iterable[Article], today: date, landing_url: Callable[[str], str],
             feed: Callable[[str], tuple[str, str]] | None = None,
             ) -> tuple[list[Dossier], dict[int, tuple[Dossier, int]]]:
    """Visible dossiers, running ones first then newest, each with its parts and announced parts.

    Returns (dossiers, numbers) where numbers maps id(article) -> (dossier, n) for the
    published parts, so callers can annotate the articles.
    """
    feed = feed or (lambda slug: ("", ""))
    dossiers: list[Dossier] = []
    numbers: dict[int, tuple[Dossier, int]] = {}
    published_parts, scheduled_parts = _by_dossier(published), _by_dossier(scheduled)
    for decl in declarations:
        if not is_visible(decl, today):
            continue
        mine = published_parts.get(decl.slug, [])
        waiting = scheduled_parts.get(decl.slug, [])
        feed_url, feed_path = feed(decl.slug)
        dossier = Dossier(
            slug=decl.slug, title=decl.title, url=landing_url(decl.slug), page=decl.page,
            summary=decl.summary, image=decl.image, image_alt=decl.image_alt,
            image_credit=decl.image_credit, start=decl.start, end=decl.end,
            is_running=is_running(decl, today), feed_url=feed_url, feed_path=feed_path,
        )
        for article, number, is_published in number_parts(mine, waiting):
            if is_published:
                dossier.parts.append(article)
                numbers[id(article)] = (dossier, number)
            else:
                dossier.announced.append(Announced(article.title, article.date, number))
        if not dossier.parts:  # no feed before the first part: it would have nothing to date it by
            dossier.feed_url = dossier.feed_path = ""
        dossiers.append(dossier)
    dossiers.sort(key=lambda d: (not d.is_running, -d.start.toordinal(), d.slug))
    return dossiers, numbers


def feed_title(site_name: str, dossier: Dossier) -> str:
    """"Transfo · Dossier : <title>", a no-break space before the colon as French wants."""
    return f"{site_name} · Dossier\u00a0: {dossier.title}"


def feed_subtitle(dossier: Dossier) -> str:
    """The dossier's summary, else "Les parties du dossier « <title> »" (no-break spaces)."""
    return dossier.summary or f"Les parties du dossier \u00ab\u00a0{dossier.title}\u00a0\u00bb"


def neighbours(dossier: Dossier, article: Article) -> tuple[Article | None, Article | None]:
    """(previous part, next part) of a published part; None at the ends."""
    index = next(i for i, part in enumerate(dossier.parts) if part is article)
    before = dossier.parts[index - 1] if index > 0 else None
    after = dossier.parts[index + 1] if index + 1 < len(dossier.parts) else None
    return before, after
