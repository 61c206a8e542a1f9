"""Pelican side of the dossiers: declare the schema, read declarations, write pages and feeds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import Generator
from pelican.utils import slugify
from pelican.writers import Writer
from transfo_common.config import RUBRICS
from transfo_common.contents import NewPage, folder_address, read_with_address
from transfo_common.urls import absolute
from transfo_feeds.api import FeedAddress, FeedMeta, article_entry, feed_address, feed_settings, write_atom
from transfo_images.api import published_copy
from transfo_publication.api import NavItem, add_menu_item, build_now
from transfo_validation import signals as validation_signals
from transfo_validation.check import display_path
from transfo_validation.fields import ParseContext
from transfo_validation.problems import Problem
from transfo_validation.schema import ContentKind, Document, KindExtension, kind_files, validate
from transfo_validation.signals import content_kinds, cross_checks
from transfo_validation.status import is_draft

from . import api, jsonld, logic, schema
from .settings import DossiersSettings, read_settings

PART_TEMPLATE = "dossier_part"


def declare_kinds(settings: dict) -> list[ContentKind | KindExtension]:
    cfg = read_settings(settings)
    return [schema.dossier_kind(cfg.path), schema.article_extension(cfg.rubric)]


def check_across(documents: Mapping[str, list[Document]], settings: dict) -> list[Problem]:
    return schema.cross_problems(
        documents.get("dossier", []), documents.get("article", []), read_settings(settings).path
    )


class DossierPage(Content):
    """A declaration as Pelican reads it: its body is the dossier's introduction.

    Its address, the landing page's, is set as it is read (`read_declarations`).
    Read like the other content files, its body goes through the site's
    Markdown reader (links, images), `{filename}` links to the declaration
    lead to the landing page, and the introduction is read only when the
    landing page shows it, so editing it renders that page alone
    (transfo_perf follows body reads).
    """

    mandatory_properties = ("title",)
    default_template = "dossier"


def landing_address(cfg: DossiersSettings, slug: str, _metadata: dict) -> dict[str, str]:
    """A declaration's address: its landing page's, for the slug the check read."""
    return folder_address(cfg.landing_url(slug), slug=slug)


def read_declarations(generator: Generator) -> list[logic.Declaration]:
    """The declarations of content/dossiers/ (validation has already accepted them)."""
    cfg = read_settings(generator.settings)
    declarations = []
    for path in kind_files(schema.dossier_kind(cfg.path), Path(generator.settings["PATH"])):
        declaration = read_declaration(generator, path)
        if declaration is not None:
            generator.add_source_path(declaration.page)
            declarations.append(declaration)
    return declarations


def read_declaration(generator: Generator, path: Path) -> logic.Declaration | None:
    """One declaration (None for a draft)."""
    root = Path(generator.settings["PATH"])
    cfg = read_settings(generator.settings)
    doc, problems = validate(path.read_text(encoding="utf-8"), display_path(path), schema.dossier_kind(cfg.path),
                             ParseContext(content_root=root, source_path=path))
    if problems:  # only when validation is not installed; never build half a dossier
        raise ValueError("\n".join(map(str, problems)))
    values = doc.values
    if is_draft(values):
        return None
    page = read_with_address(generator, str(path.relative_to(root)), DossierPage,
                             partial(landing_address, cfg, values["slug"]))
    return logic.Declaration(
        slug=values["slug"], title=values["title"], page=page,
        start=values["start"], end=values.get("end"), summary=values.get("summary", ""),
        image=values["image"], image_alt=values["image_alt"],
        image_credit=values.get("image_credit", ""), source=doc.path,
    )


class DossiersGenerator(Generator):
    """Assembles `context["dossiers"]`, annotates the parts, writes landing pages and feeds."""

    def generate_context(self) -> None:
        cfg = read_settings(self.settings)
        now = build_now(self.settings)
        dossiers, numbers = self._assemble(cfg, read_declarations(self), now)
        for dossier in dossiers:
            self._annotate_parts(cfg, dossier, numbers)
        self.context[api.DOSSIERS] = dossiers
        self.context["home_dossiers"] = [d for d in dossiers if d.is_running][: cfg.home_limit]
        self.context["DOSSIERS_INDEX_URL"] = cfg.url
        nav = self._nav_item(cfg)
        self.context["dossiers_nav_key"] = nav.key
        if dossiers:
            add_menu_item(self.context, nav)

    def _assemble(self, cfg: DossiersSettings, declarations: list[logic.Declaration],
                  now: datetime) -> tuple[list[logic.Dossier], dict[int, tuple[logic.Dossier, int]]]:
        def feed(slug: str) -> tuple[str, str]:
            address = feed_address(self.settings, f"dossier-{slug}.atom.xml")
            return address.url, address.path

        return logic.assemble(declarations, self.context.get("articles", []),
                              self.context.get("scheduled_articles", []), now.date(), cfg.landing_url, feed)

    def reads_file(self, path: str) -> bool:
        root = Path(self.settings["PATH"])
        return Path(root, path) in kind_files(schema.dossier_kind(read_settings(self.settings).path), root)

    def page_for_new_file(self, path: str) -> NewPage | None:
        """The landing page of a declaration added since the last build (None: it gets none yet)."""
        cfg = read_settings(self.settings)
        declaration = read_declaration(self, Path(self.settings["PATH"], path))
        dossiers = self._assemble(cfg, [declaration], build_now(self.settings))[0] if declaration else []
        if not dossiers:
            return None
        dossier, = dossiers
        return NewPage(dossier.page, dossier.url + "index.html", "dossier", self._landing_page(cfg, dossier))

    def _nav_item(self, cfg: DossiersSettings) -> NavItem:
        rubrics = list(RUBRICS.value(self.settings))
        if cfg.rubric and cfg.rubric in rubrics:
            slug = slugify(cfg.rubric, regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
            # Same key as the rubric's entry: the index replaces it, and the
            # rubric's pages keep marking the entry as current.
            return NavItem(cfg.nav_label, cfg.url, f"rubrique:{slug}", rubrics.index(cfg.rubric))
        return NavItem(cfg.nav_label, cfg.url, "dossiers", 45)

    def _annotate_parts(self, cfg: DossiersSettings, dossier: logic.Dossier,
                        numbers: dict[int, tuple[logic.Dossier, int]]) -> None:
        def to_abs(path: str) -> str:
            return absolute(self.settings, path)

        api.mark_parts(dossier, [numbers[id(part)][1] for part in dossier.parts])
        for part in dossier.parts:
            part.dossier_jsonld = jsonld.breadcrumbs(
                [(self.settings.get("SITENAME", "Transfo"), ""), (cfg.nav_label, cfg.url),
                 (dossier.title, dossier.url), (part.title, part.url)],
                to_abs,
            )
            if getattr(part, "template", "article") == "article":
                part.template = PART_TEMPLATE

    def generate_output(self, writer: Writer) -> None:
        cfg = read_settings(self.settings)
        dossiers = api.site_dossiers(self.context)
        if not dossiers:
            return
        relative = self.settings.get("RELATIVE_URLS", False)
        writer.write_file(cfg.url + "index.html", self.get_template("dossiers"), self.context,
                          relative, url=cfg.url, dossiers=dossiers)
        for dossier in dossiers:
            writer.write_file(dossier.url + "index.html", self.get_template("dossier"), self.context,
                              relative, url=dossier.url, **self._landing_page(cfg, dossier))
            if dossier.feed_path:
                self._write_feed(dossier)

    def _landing_page(self, cfg: DossiersSettings, dossier: logic.Dossier) -> dict[str, object]:
        """What a dossier's landing page adds to the context: the dossier, and its structured data."""
        copy = published_copy(self.context, dossier.image, dossier.page.source_path)
        series = jsonld.series(dossier, lambda path: absolute(self.settings, path),
                               lambda part: part.dossier_part, copy.url if copy else "")
        trail = jsonld.breadcrumbs(
            [(self.settings.get("SITENAME", "Transfo"), ""), (cfg.nav_label, cfg.url), (dossier.title, dossier.url)],
            lambda path: absolute(self.settings, path),
        )
        return {"dossier": dossier, "dossier_jsonld": [series, trail]}

    def _write_feed(self, dossier: logic.Dossier) -> None:
        feeds = feed_settings(self.settings)
        meta = FeedMeta(
            title=logic.feed_title(feeds.site_name, dossier),
            subtitle=logic.feed_subtitle(dossier),
            site_url=absolute(self.settings, dossier.url),
            atom_url=dossier.feed_url,
            rss_url="",
            language=feeds.language,
            entries=tuple(article_entry(part, feeds.public_url, self.context) for part in dossier.parts),
        )
        write_atom(self.output_path, FeedAddress(dossier.feed_url, dossier.feed_path), meta)


def get_generators(_pelican: Pelican) -> type[Generator]:
    return DossiersGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).url]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    content_kinds.connect(declare_kinds)
    cross_checks.connect(check_across)
    signals.get_generators.connect(get_generators)
