"""Pelican side: web versions of the editions and the archive page, nothing else.

The email itself is produced by `invoke newsletter` (see commands.py), which
runs this same build machinery to read the site's content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.writers import Writer
from transfo_promotions.api import best_promoted_slug
from transfo_publication.api import build_now
from transfo_validation import signals as validation_signals
from transfo_validation.problems import ContentError

from .editions import site_editions
from .editor import EditionError
from .settings import read_settings
from .snapshot import snapshot_from_context

SNAPSHOT_KEY = "newsletter_snapshot"
EDITIONS_KEY = "newsletter_editions"


def collect(generators: Sequence[Generator]) -> None:
    """all_generators_finalized: the content snapshot and the editions shown on the site."""
    context = generators[0].context
    settings = generators[0].settings
    cfg = read_settings(settings)
    context[SNAPSHOT_KEY] = snapshot_from_context(context, settings)
    now = build_now(settings)
    try:
        context[EDITIONS_KEY] = site_editions(cfg, context[SNAPSHOT_KEY], now,
                                              best_promoted_slug(settings))
    except EditionError as error:
        raise ContentError(error.problems) from None


class NewsletterGenerator(Generator):
    """Writes newsletter/<month>/ (web version) and newsletter/ (archive)."""

    def generate_context(self) -> None:
        cfg = read_settings(self.settings)
        self.context["NEWSLETTER_ARCHIVE_URL"] = cfg.url

    def generate_output(self, writer: Writer) -> None:
        cfg = read_settings(self.settings)
        editions = self.context.get(EDITIONS_KEY, [])
        for entry in editions:
            path = cfg.edition_path(entry.edition.month)
            writer.write_file(path + "index.html", self.get_template("newsletter"), self.context,
                              edition=entry.edition, frozen=entry.frozen, edition_path=path,
                              send_date=datetime.fromisoformat(entry.edition.send_date),
                              sent_at=(datetime.fromisoformat(entry.edition.sent_at)
                                       if entry.edition.sent_at else None),
                              relative_urls=False)
        writer.write_file(cfg.url + "index.html", self.get_template("newsletter_archive"),
                          self.context, editions=[e.edition for e in editions],
                          archive_path=cfg.url, relative_urls=False)


def name_input_folder(pelican: Pelican) -> None:
    """initialized: the editor files' folder, resolved, as a setting.

    The default lies beside the content folder; naming it lets every reader of
    the settings find it, among them transfo_perf, whose record of a build's
    inputs covers each folder a setting names (an edited editor file is then
    never skipped as "nothing changed").
    """
    pelican.settings["TRANSFO_NEWSLETTER_PATH"] = str(read_settings(pelican.settings).path.resolve())


def get_generators(_pelican: Pelican) -> type[Generator]:
    return NewsletterGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).url]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    signals.initialized.connect(name_input_folder)
    signals.all_generators_finalized.connect(collect)
    signals.get_generators.connect(get_generators)
