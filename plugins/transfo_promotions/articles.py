"""The site's articles as promotions need them: slug, title, date, address.

Read from the content files' headers (not from Pelican's objects), so the
build check, the import and the report see the same slugs, even when some
other article of the site has a mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from transfo_validation import frontmatter
from transfo_validation.core_schema import article_kind
from transfo_validation.schema import kind_files
from transfo_validation.settings import read_settings as read_validation_settings
from transfo_validation.status import DRAFT, article_statuses, status_code

_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


@dataclass(frozen=True)
class ArticleRef:
    slug: str
    title: str
    date: datetime | None
    draft: bool
    url: str | None  # relative to the site, e.g. 2019/04/slug/; None for drafts


def _date(raw: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt)
        except ValueError:
            continue
    return None


def article_url(settings: dict, slug: str, date: datetime | None) -> str | None:
    """The article's address as Pelican writes it (ARTICLE_URL)."""
    pattern = settings.get("ARTICLE_URL", "{slug}.html")
    if date is None and "{date" in pattern:
        return None
    try:
        return pattern.format(slug=slug, date=date)
    except (KeyError, AttributeError, IndexError, ValueError):
        return None


def scan_articles(settings: dict) -> dict[str, ArticleRef]:
    """Every article of the content folder by slug, drafts included."""
    cfg = read_validation_settings(settings)
    articles: dict[str, ArticleRef] = {}
    for path in kind_files(article_kind(cfg), cfg.content_root):
        try:
            raw = frontmatter.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):  # unreadable: the content check names the file
            continue
        title = raw.fields.get("title", "")
        slug = raw.fields.get("slug") or slugify(
            title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS",
                                           DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )
        if not slug:
            continue
        date = _date(raw.fields.get("date", ""))
        draft = status_code(article_statuses(), raw.fields.get("status")) == DRAFT
        articles[slug] = ArticleRef(
            slug=slug, title=title, date=date, draft=draft,
            url=None if draft else article_url(settings, slug, date),
        )
    return articles


def closest_slug(value: str, slugs: Iterable[str]) -> str | None:
    """The slug an editor most likely meant. Slugs are long and typos are
    often in their first words, so each slug is also compared by its start."""
    value = value.strip().lower()
    best, best_score = None, 0.0
    for slug in sorted(slugs):
        score = max(SequenceMatcher(None, value, slug).ratio(),
                    SequenceMatcher(None, value, slug[: len(value) + 2]).ratio())
        if score > best_score:
            best, best_score = slug, score
    return best if best_score >= 0.6 else None


def did_you_mean_slug(value: str, slugs: Iterable[str]) -> str:
    suggestion = closest_slug(value, slugs)
    return f" (vouliez-vous dire « {suggestion} » ?)" if suggestion else ""
