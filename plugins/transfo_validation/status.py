"""The one status vocabulary of every kind of content, French words first.

A file's `Status` says whether it is on the site and, for events and offers,
what became of it. Each word means one code, the same across kinds:
`brouillon` (draft) keeps a file off the site, `publié` (published, the
default) puts it on. Events may also be `annulé`, `reporté` or `passé en
ligne`; offers `pourvue` or `clôturée`; pages `masquée` (published, but in no
menu or list). English words and older spellings (`planned`, `ouverte`...)
are still accepted and mean the same. Review stages (relecture, prêt) are
not statuses: they live in the CMS's editorial workflow, not in the file.
"""

from __future__ import annotations

from dataclasses import replace

from .vocabulary import Keyword, Term, lookup

DRAFT = "draft"
PUBLISHED = "published"
HIDDEN = "hidden"
CANCELLED = "cancelled"
POSTPONED = "postponed"
MOVED_ONLINE = "moved-online"
FILLED = "filled"
CLOSED = "closed"

_DRAFT = Term(DRAFT, "brouillon", aliases=("draft",))
_PUBLISHED = Term(PUBLISHED, "publié", aliases=("publiée", "published"))
_HIDDEN = Term(HIDDEN, "masquée", aliases=("masqué", "cachée", "caché", "hidden"))
_CANCELLED = Term(CANCELLED, "annulé", aliases=("annulée", "cancelled", "canceled"))
_POSTPONED = Term(POSTPONED, "reporté", aliases=("reportée", "postponed"))
_MOVED_ONLINE = Term(MOVED_ONLINE, "passé en ligne", aliases=("passée en ligne", "moved-online"))
_FILLED = Term(FILLED, "pourvue", aliases=("pourvu", "filled"))
_CLOSED = Term(CLOSED, "clôturée", aliases=("clôturé", "fermée", "annulée", "closed"))


def _published(*older: str) -> Term:
    """`publié`, plus the words a kind used for it before the vocabulary was shared."""
    return replace(_PUBLISHED, aliases=_PUBLISHED.aliases + older)


def article_statuses() -> tuple[Term, ...]:
    return (_PUBLISHED, _DRAFT)


def page_statuses() -> tuple[Term, ...]:
    return (_PUBLISHED, _HIDDEN, _DRAFT)


def dossier_statuses() -> tuple[Term, ...]:
    return (_PUBLISHED, _DRAFT)


def event_statuses() -> tuple[Term, ...]:
    return (_published("prévu", "prévue", "planned"), _CANCELLED, _POSTPONED, _MOVED_ONLINE, _DRAFT)


def offer_statuses() -> tuple[Term, ...]:
    return (_published("ouverte", "ouvert", "open"), _FILLED, _CLOSED, _DRAFT)


def status_field(terms: tuple[Term, ...]) -> Keyword:
    """The `Status` field of a kind: one of `terms`, typed in French or English; gives its code."""
    return Keyword(terms=terms, help="absent : publié")


def status_code(terms: tuple[Term, ...], text: str | None) -> str | None:
    """The code of a status as typed (`Brouillon` -> draft); published when absent, None when unknown."""
    if text is None or not text.strip():
        return PUBLISHED
    term = lookup(terms, text)
    return term.code if term else None


def is_draft(values: dict) -> bool:
    """Whether a validated document (its typed values) stays off the site."""
    return values.get("status") == DRAFT
