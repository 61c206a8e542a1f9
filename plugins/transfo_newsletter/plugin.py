"""Pelican side: web versions of the editions and the archive page, nothing else.

The email itself is produced by `invoke newsletter` (see commands.py), which
runs this same build machinery to read the site's content.
"""

from __future__ import annotations

from datetime import datetime

from pelican import signals
from pelican.generators import Generator
from transfo_publication.settings import read_settings as publication_settings
from transfo_validation import signals as validation_signals
from transfo_validation.problems import ContentError

from .editions import site_editions
from .editor import EditionError
from .settings import read_settings
from .snapshot import snapshot_from_context

SNAPSHOT_KEY = "newsletter_snapshot"
EDITIONS_KEY = "newsletter_editions"


def promoted_lead(settings: dict):
    """Month -> slug of the month's best promoted article, from the promotions plugin.

    None when that plugin is not there. Only the slug is used: the promotion
    figures are internal and never reach an edition.
    """
    try:
        from transfo_promotions.figures import best_performer
        from transfo_promotions.records import read_records
        from transfo_promotions.settings import read_settings as promotion_settings
    except ImportError:
        return None
    records, _problems = read_records(promotion_settings(settings).data_file)
    if not records:
        return None

    def pick(month):
        best = best_performer(records, str(month))
        return getattr(best, "slug", None)

    return pick


def collect(generators) -> None:
    """all_generators_finalized: the content snapshot and the editions shown on the site."""
    context = generators[0].context
    settings = generators[0].settings
    cfg = read_settings(settings)
    context[SNAPSHOT_KEY] = snapshot_from_context(context, settings)
    now = publication_settings(settings).now
    try:
        context[EDITIONS_KEY] = site_editions(cfg, context[SNAPSHOT_KEY], now,
                                              promoted_lead(settings))
    except EditionError as error:
        raise ContentError(error.problems) from None


class NewsletterGenerator(Generator):
    """Writes newsletter/<month>/ (web version) and newsletter/ (archive)."""

    def generate_context(self):
        cfg = read_settings(self.settings)
        self.context["NEWSLETTER_ARCHIVE_URL"] = cfg.url

    def generate_output(self, writer):
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


def name_input_folder(pelican) -> None:
    """initialized: the editor files' folder, resolved, as a setting.

    The default lies beside the content folder; naming it lets every reader of
    the settings find it, among them transfo_perf, whose record of a build's
    inputs covers each folder a setting names (an edited editor file is then
    never skipped as "nothing changed").
    """
    pelican.settings["TRANSFO_NEWSLETTER_PATH"] = str(read_settings(pelican.settings).path.resolve())


def get_generators(_pelican):
    return NewsletterGenerator


def output_paths(settings):
    return [read_settings(settings).url]


def register():
    validation_signals.output_paths.connect(output_paths)
    signals.initialized.connect(name_input_folder)
    signals.all_generators_finalized.connect(collect)
    signals.get_generators.connect(get_generators)
