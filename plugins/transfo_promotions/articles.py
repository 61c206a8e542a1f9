"""The site's articles as promotions need them: slug, title, date, address.

Read from the content files' headers (not from Pelican's objects), so the
build check, the import and the report see the same slugs, even when some
other article of the site has a mistake. The headers read are kept between
builds (`KeptStatMemo`), each while its file is as it was: an edit's build
reads one file, not 2,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

from pelican import __version__ as pelican_version
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from transfo_common.files import KeptStatMemo, content_key
from transfo_validation import frontmatter
from transfo_validation.core_schema import article_kind
from transfo_validation.schema import kind_files
from transfo_validation.settings import read_settings as read_validation_settings
from transfo_validation.status import DRAFT, article_statuses, status_code

from .settings import read_settings

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
    slug_rules = (settings.get("SLUG_REGEX_SUBSTITUTIONS", DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
                  settings.get("SLUGIFY_PRESERVE_CASE", False), settings.get("SLUGIFY_USE_UNICODE", False))

    def headers(path: str) -> list[str]:
        """Title, slug (given or made from the title), date and status of one file, as JSON."""
        fields = frontmatter.parse(Path(path).read_text(encoding="utf-8")).fields
        title = fields.get("title", "")
        slug = fields.get("slug") or slugify(title, regex_subs=slug_rules[0], preserve_case=slug_rules[1],
                                             use_unicode=slug_rules[2])
        return [title, slug, fields.get("date", ""), fields.get("status", "")]

    kept = read_settings(settings).headers_memo
    code = content_key(Path(frontmatter.__file__).read_bytes(), pelican_version, repr(slug_rules))
    memo = KeptStatMemo(kept, code) if kept else None
    articles: dict[str, ArticleRef] = {}
    for path in kind_files(article_kind(cfg), cfg.content_root):
        try:
            title, slug, raw_date, status = memo.get(str(path), path.stat(), headers) if memo else headers(str(path))
        except (OSError, UnicodeDecodeError):  # unreadable: the content check names the file
            continue
        if not slug:
            continue
        date = _date(raw_date)
        draft = status_code(article_statuses(), status) == DRAFT
        articles[slug] = ArticleRef(
            slug=slug, title=title, date=date, draft=draft,
            url=None if draft else article_url(settings, slug, date),
        )
    if memo:
        memo.save()
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
