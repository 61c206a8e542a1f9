"""Pelican side of the admin: writes /admin/ (Decap CMS) in the output phase."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.writers import Writer
from transfo import plugin_names
from transfo_common.config import RUBRICS
from transfo_newsletter.api import EDITOR_FIELDS, editor_folder
from transfo_validation import signals as validation_signals
from transfo_validation.check import collect_declarations
from transfo_validation.fields import Field
from transfo_validation.schema import KindExtension, merge

from .assets import DECAP_SCRIPT, PAGE_SCRIPTS, write_admin
from .collections import decap_config, page_setup, site_collections
from .settings import AdminSettings, read_settings

logger = logging.getLogger(__name__)

MISSING = ("Decap CMS absent ({script} introuvable dans {dist}) : lancez « npm ci --omit=dev » "
           "(ou « make site ») à la racine du dépôt")


class AdminMissing(RuntimeError):
    """Decap CMS is not installed and this build requires the admin."""

    exitcode = 2


def newsletter_folder(settings: dict, cfg: AdminSettings) -> tuple[str, Mapping[str, Field]] | None:
    """(folder in the repository, fields) of the newsletter's editor files, when the plugin is on
    and they are in the repository: decap-server edits nothing else (`invoke newsletter --editions`
    may name a folder elsewhere; the admin then has no newsletter collection)."""
    if "transfo_newsletter" not in plugin_names(settings):
        return None
    folder = Path(editor_folder(settings)).resolve()
    if not folder.is_relative_to(cfg.repo_root):
        return None
    return cfg.in_repo(folder), EDITOR_FIELDS


def site_admin(settings: dict, cfg: AdminSettings) -> tuple[dict, dict]:
    """The Decap configuration of this site and the data of its setup script."""
    declarations = collect_declarations(settings)
    rubric_fields: dict[str, tuple[str, ...]] = {}
    for item in declarations:
        if isinstance(item, KindExtension) and item.kind == "article" and item.rubric:
            rubric_fields[item.rubric] = rubric_fields.get(item.rubric, ()) + tuple(item.fields)
    rubrics = tuple(RUBRICS.value(settings))
    collections = site_collections(merge(declarations), cfg, rubrics, rubric_fields,
                                   newsletter_folder(settings, cfg))
    config = decap_config(collections, cfg)
    return config, page_setup(collections, cfg)


class AdminGenerator(Generator):
    """Writes output/admin/: nothing in the context phase, files in the output phase."""

    def generate_output(self, writer: Writer) -> None:
        cfg = read_settings(self.settings)
        if not (cfg.decap_dist / DECAP_SCRIPT).is_file():
            message = MISSING.format(script=DECAP_SCRIPT, dist=cfg.decap_dist)
            if cfg.required:
                raise AdminMissing(message)
            logger.warning("%s ; le site est construit sans /%s", message, cfg.url)
            return
        config, setup = site_admin(self.settings, cfg)
        written = write_admin(Path(self.output_path) / cfg.folder, cfg.decap_dist, config, setup)
        logger.debug("transfo_admin: %d file(s) of /%s written", written, cfg.url)
        # The page itself is a theme template, written as every page is (content_written, sitemap:
        # noindex keeps it out).
        writer.write_file(cfg.url + "index.html", self.get_template("admin"), self.context,
                          relative_urls=False, admin_scripts=PAGE_SCRIPTS, noindex=True)


def get_generators(_pelican: Pelican) -> type[Generator]:
    return AdminGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).url]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    signals.get_generators.connect(get_generators)
