"""Pelican side of related reading: articles in, `article.related` out."""

from __future__ import annotations

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from transfo_common.config import cache_folder
from transfo_common.files import ContentStore
from transfo_dossiers.api import dossier_field

from .api import attach
from .logic import Item
from .memo import related_all
from .settings import read_settings


def as_item(article: Article) -> Item:
    dossier = dossier_field(article)
    return Item(
        key=article.url,
        date=article.date,
        rubric=article.category.name,
        tags=frozenset(tag.slug for tag in getattr(article, "tags", ()) or ()),
        dossier=dossier.slug if dossier is not None else None,
    )


def store(settings: dict) -> ContentStore:
    """Where rankings are kept: `<CACHE_PATH>/transfo_related/`, outside any output."""
    return ContentStore(cache_folder(settings, "transfo_related"))


def attach_related(generator: ArticlesGenerator) -> None:
    """Give every published article its `related` list (articles, best first)."""
    limit = read_settings(generator.settings).limit
    by_key = {article.url: article for article in generator.articles}
    ranking = related_all([as_item(a) for a in generator.articles], limit, store(generator.settings))
    for key, article in by_key.items():
        attach(article, [by_key[k] for k in ranking[key]])


def register() -> None:
    signals.article_generator_finalized.connect(attach_related)
