"""Pelican side of the portraits: schema, page template, index and filter pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.utils import slugify
from pelican.writers import Writer
from transfo_common.config import RUBRICS
from transfo_publication.api import NavItem, add_menu_item
from transfo_related.api import leave_out
from transfo_validation import signals as validation_signals
from transfo_validation.schema import KindExtension
from transfo_validation.signals import content_kinds

from . import logic, schema
from .settings import PortraitsSettings, read_settings

logger = logging.getLogger(__name__)
PORTRAIT_TEMPLATE = "portrait"


def declare_kinds(settings: dict) -> list[KindExtension]:
    return [schema.article_extension(read_settings(settings))]


class PortraitsGenerator(Generator):
    """`context["portraits"]` and its facets; writes /portraits/ and one page per filter value."""

    def generate_context(self) -> None:
        cfg = read_settings(self.settings)
        slug = partial(slugify, regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
        portraits = [a for a in self.context.get("articles", []) if a.category.name == cfg.rubric]
        for portrait in portraits:
            if not logic.has_facts(portrait):
                logger.warning(
                    "%s : portrait sans fiche (Person ou Enterprise, Sector, Town, Region) ; "
                    "il n'apparaît dans aucun filtre de %s", portrait.relative_source_path, cfg.url,
                )
        sectors = logic.facets(portraits, "sector", slug, cfg.sector_url, cfg.sectors)
        regions = logic.facets(portraits, "region", slug, cfg.region_url, cfg.regions)
        by_value: dict[tuple[str, object], logic.Facet] = {
            (kind, f.name): f for kind, facets in (("sector", sectors), ("region", regions)) for f in facets}
        neighbours = logic.PortraitNeighbours(portraits)
        for portrait in portraits:
            portrait.portrait_name = logic.display_name(portrait)
            portrait.portrait_sector = by_value.get(("sector", getattr(portrait, "sector", None)))
            portrait.portrait_region = by_value.get(("region", getattr(portrait, "region", None)))
            portrait.portrait_related = neighbours.related(portrait, cfg.related)
            # Related reading leaves out what "Other portraits" already shows.
            leave_out(portrait, portrait.portrait_related)
            if getattr(portrait, "template", "article") == "article":
                portrait.template = PORTRAIT_TEMPLATE
        self.context.update(
            portraits=portraits, portrait_sectors=sectors, portrait_regions=regions,
            PORTRAITS_INDEX_URL=cfg.url, portraits_nav_key=self._nav_item(cfg, slug).key,
        )
        if portraits:
            add_menu_item(self.context, self._nav_item(cfg, slug))

    def _nav_item(self, cfg: PortraitsSettings, slug: Callable[[str], str]) -> NavItem:
        rubrics = list(RUBRICS.value(self.settings))
        order = rubrics.index(cfg.rubric) if cfg.rubric in rubrics else 45
        # The rubric's key: the index replaces the rubric's menu entry.
        return NavItem(cfg.rubric, cfg.url, f"rubrique:{slug(cfg.rubric)}", order)

    def generate_output(self, writer: Writer) -> None:
        cfg = read_settings(self.settings)
        portraits = self.context.get("portraits", [])
        if not portraits:
            return
        template = self.get_template("portraits")
        relative = self.settings.get("RELATIVE_URLS", False)
        writer.write_file(cfg.url + "index.html", template, self.context, relative, url=cfg.url,
                          shown_portraits=portraits, portrait_filter=None)
        for kind, facets in (("sector", self.context["portrait_sectors"]),
                             ("region", self.context["portrait_regions"])):
            for facet in facets:
                writer.write_file(facet.url + "index.html", template, self.context, relative,
                                  url=facet.url, shown_portraits=facet.portraits,
                                  portrait_filter={"kind": kind, "facet": facet})


def get_generators(_pelican: Pelican) -> type[Generator]:
    return PortraitsGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).url]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    content_kinds.connect(declare_kinds)
    signals.get_generators.connect(get_generators)
