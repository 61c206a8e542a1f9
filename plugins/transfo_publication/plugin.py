"""Pelican signal handlers around the publication logic."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, Generator
from transfo_common.derived import set_derived
from transfo_common.pelican_compat import body_of
from transfo_common.urls import absolute, public_url
from transfo_i18n.settings import read_settings as read_i18n_settings
from transfo_validation.check import display_path
from transfo_validation.problems import Problem
from transfo_validation.signals import cross_checks

from . import jsonld, logic
from .api import MENU_EXTRA
from .settings import read_settings

report_logger = logging.getLogger(logic.REPORT_LOGGER)

# The publisher logo of NewsArticle data: the wordmark PNG the theme ships (516×132).
PUBLISHER_LOGO = ("brand/wordmark.png", 516, 132)


def hold_scheduled(generator: ArticlesGenerator) -> None:
    """Before tags and rubrics are counted, hold back articles dated after the build date."""
    cfg = read_settings(generator.settings)
    generator.articles, scheduled = logic.split_scheduled(generator.articles, cfg.now)
    generator.context["scheduled_articles"] = scheduled
    generator.context["build_now"] = cfg.now
    generator.context.setdefault(logic.HELD_BACK, []).extend(
        logic.HeldBack(display_path(Path(a.source_path)), "article", a.date) for a in scheduled)


def report_build_date(generators: Sequence[Generator]) -> None:
    """Say the build date and what it held back, so that nothing is absent without a word."""
    context = generators[0].context
    cfg, i18n = read_settings(context), read_i18n_settings(context)
    held = context.get(logic.HELD_BACK, ())
    lines = logic.build_date_report(cfg.now, cfg.now_pinned, held, i18n.timezone, locale=i18n.locale)
    day = logic.shown_by(held, i18n.timezone)
    for line in lines[:-1] if day else lines:
        report_logger.info(line)
    if day:  # the launcher names its own command (tasks.BuildDateReport)
        report_logger.info(lines[-1], extra={logic.SHOWN_BY: day})


def check_modified(documents: dict, settings: dict) -> list[Problem]:
    """Across files, since only this step knows the build date (validation results are kept
    from one day to the next): no update dated after it."""
    cfg, i18n = read_settings(settings), read_i18n_settings(settings)
    return logic.future_modifications(documents, cfg.now, i18n.timezone, i18n.locale)


def annotate_articles(generator: ArticlesGenerator) -> None:
    cfg = read_settings(generator.settings)
    featured = logic.featured(generator.articles, cfg.home_featured)
    generator.context["featured_articles"] = featured
    generator.context["latest_by_rubric"] = logic.latest_by_rubric(
        generator.categories, cfg.rubrics, cfg.home_per_rubric, exclude=featured
    )


def count_reading_time(generators: Sequence[Generator]) -> None:
    """Words are counted in the body as read, before Pelican resolves its links: resolving
    them only rewrites addresses inside tags, which are not counted, and costs more than the
    count (2,000 bodies on every build). Pelican also keeps a body's first resolution, which
    is then left to the page that shows it, once every generator has read its content."""
    context = generators[0].context
    cfg = read_settings(context)

    def reading_minutes(article: Article) -> int:
        body = body_of(article)
        return logic.reading_minutes(article.content if body is None else body, cfg.words_per_minute)

    for article in context.get("articles", []):
        set_derived(article, "reading_minutes", reading_minutes)


def build_navigation(generators: Sequence[Generator]) -> None:
    context = generators[0].context
    cfg = read_settings(context)
    context["nav_items"] = logic.navigation(
        context.get("categories", []), cfg.rubrics, context.get(MENU_EXTRA, [])
    )


def install_jsonld(generator: Generator) -> None:
    """Templates call news_article_jsonld(article, image_url) for an article's JSON-LD."""
    settings = generator.settings

    def news_article_jsonld(article: Article, image_url: str) -> dict:
        logo, width, height = PUBLISHER_LOGO
        publisher = jsonld.Publisher(
            settings.get("SITENAME", ""), public_url(settings) + "/",
            absolute(settings, f"{settings.get('THEME_STATIC_DIR', 'theme')}/{logo}"), width, height,
        )
        return jsonld.news_article(article, image_url, partial(absolute, settings), publisher)

    generator.env.globals["news_article_jsonld"] = news_article_jsonld


def register() -> None:
    cross_checks.connect(check_modified)
    signals.generator_init.connect(install_jsonld)
    signals.article_generator_pretaxonomy.connect(hold_scheduled)
    signals.article_generator_finalized.connect(annotate_articles)
    signals.all_generators_finalized.connect(count_reading_time)
    signals.all_generators_finalized.connect(build_navigation)
    signals.all_generators_finalized.connect(report_build_date)
