"""What `invoke newsletter` and `invoke newsletter-send` do (tasks.py stays thin).

The content comes from the real build machinery: a complete Pelican run with
the site's settings and plugins, into a scratch folder (`read_site`); the
snapshot of the content is taken once every generator has built its context.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from transfo_i18n.translations import load_translations
from transfo_images.api import ImageLibrary, email_image, image_library
from transfo_promotions.api import best_promoted_slug
from transfo_publication.api import build_now

from .editions import EDITION_JSON, assemble, frozen_dir, load_frozen
from .links import EmailImages, Resolver, absolute_url
from .message import build_message, is_address
from .model import Edition, Month, SiteSnapshot
from .render import WORDMARK, BudgetReport, EmailContext, RenderedEdition, check_budget, render_edition
from .sending import (
    Journal,
    SendError,
    SendReport,
    SmtpTransport,
    plan_send,
    read_recipients,
    send_list,
    send_proof,
)
from .settings import NewsletterSettings, read_settings, smtp_from_environment
from .snapshot import snapshot_from_context

if TYPE_CHECKING:  # Pelican is imported where a build runs (read_site)
    from pelican.generators import Generator

JOURNAL = "journal.jsonl"
FILES = {"html": "email.html", "text": "email.txt", "eml": "edition.eml", "report": "rapport.txt"}


@dataclass(frozen=True)
class Site:
    snapshot: SiteSnapshot
    images: Resolver | None = None


def derivative_resolver(library: ImageLibrary | None) -> Resolver | None:
    """Email images from the image plugin's JPEG derivatives, when it is installed."""
    if library is None:
        return None

    def resolve(image: str, width: int) -> tuple[str, Path | None] | None:
        found = email_image(library, image, width)
        return (found.output_rel, found.file) if found is not None else None

    return resolve


def read_site(settings: dict) -> Site:
    """Build the whole site into a scratch folder and keep what the newsletter reads of it.

    A complete Pelican run, signals and all: the snapshot and the image library are taken
    at `all_generators_finalized`, when every generator has built its context, and the run
    goes on to its end, so every plugin sees the build finish as usual. The scratch output
    is deleted; the search index, which no email reads, is not built.
    """
    from pelican import Pelican, signals

    captured: dict[str, Site] = {}

    def capture(generators: Sequence[Generator]) -> None:
        context = generators[0].context
        captured["site"] = Site(snapshot_from_context(context, generators[0].settings),
                                derivative_resolver(image_library(context)))

    with tempfile.TemporaryDirectory(prefix="transfo-newsletter-") as scratch:
        pelican = Pelican({**settings, "OUTPUT_PATH": scratch, "DELETE_OUTPUT_DIRECTORY": False,
                           "TRANSFO_SEARCH_ENABLED": False})
        signals.all_generators_finalized.connect(capture)
        try:
            pelican.run()
        finally:
            signals.all_generators_finalized.disconnect(capture)
    return captured["site"]


def email_context(cfg: NewsletterSettings, month: str,
                  images: Resolver | None = None) -> EmailContext:
    return EmailContext(
        public_url=cfg.public_url, site_name=cfg.site_name,
        web_version_path=cfg.edition_path(month), archive_path=cfg.url,
        unsubscribe_url=cfg.unsubscribe_url, unsubscribe_mailto=cfg.unsubscribe_mailto,
        images=EmailImages(cfg.public_url, cfg.content_root, images),
        # The wordmark is the theme's static file, published under the same path (THEME_STATIC_DIR).
        theme_files=((absolute_url(cfg.public_url, WORDMARK.path), cfg.theme / WORDMARK.path),),
    )


@dataclass(frozen=True)
class Outcome:
    edition: Edition
    html: str
    text: str
    report: BudgetReport
    frozen: bool


def default_month(settings: dict) -> Month:
    return Month.before(build_now(settings).date())


def prepare(settings: dict, month: Month) -> Outcome:
    """The edition of `month`: its frozen copy when sent, else assembled from the site."""
    cfg = read_settings(settings)
    frozen = load_frozen(cfg, month)
    if frozen is not None:
        folder = frozen_dir(cfg, month)
        html = (folder / FILES["html"]).read_text(encoding="utf-8")
        text = (folder / FILES["text"]).read_text(encoding="utf-8")
        report = check_budget(html, email_context(cfg, str(month)), cfg.max_bytes, cfg.target_bytes)
        return Outcome(frozen, html, text, report, frozen=True)
    site = read_site(settings)
    edition = assemble(cfg, site.snapshot, month, promoted=best_promoted_slug(settings))
    translations = load_translations(cfg.translations_path, cfg.locale)
    rendered: RenderedEdition = render_edition(edition, email_context(cfg, str(month), site.images),
                                               cfg.templates, translations, cfg.max_bytes,
                                               cfg.target_bytes)
    return Outcome(edition, rendered.html, rendered.text, rendered.report, frozen=False)


def _edition_date(edition: Edition) -> datetime:
    return datetime.fromisoformat(edition.send_date)


def write_outputs(outcome: Outcome, cfg: NewsletterSettings, folder: Path) -> list[Path]:
    """edition.html / .txt / .eml / .json and the budget report, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = build_message(outcome.edition, outcome.html, outcome.text, cfg,
                           to=cfg.reply_to, date=_edition_date(outcome.edition))
    files = {
        FILES["html"]: outcome.html.encode("utf-8"),
        FILES["text"]: outcome.text.encode("utf-8"),
        FILES["eml"]: sample.as_bytes(),
        EDITION_JSON: json.dumps(outcome.edition.to_json_dict(), ensure_ascii=False,
                                 indent=2).encode("utf-8"),
        FILES["report"]: ("\n".join(outcome.report.lines()) + "\n").encode("utf-8"),
    }
    written = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


def freeze(outcome: Outcome, cfg: NewsletterSettings, sent_at: datetime) -> Path:
    """Keep what is sent in newsletter/envois/<month>/, so rebuilds never change it."""
    folder = frozen_dir(cfg, Month.parse(outcome.edition.month))
    if not (folder / EDITION_JSON).is_file():
        edition = replace(outcome.edition, sent_at=sent_at.isoformat(timespec="minutes"))
        outcome = replace(outcome, edition=edition, frozen=True)
        staging = folder.with_name(folder.name + ".tmp")
        if staging.exists():
            shutil.rmtree(staging)
        write_outputs(outcome, cfg, staging)
        journal = folder / JOURNAL
        if journal.exists():  # a journal can predate a freeze only if copied by hand
            shutil.copy2(journal, staging / JOURNAL)
        if folder.exists():
            shutil.rmtree(folder)
        staging.replace(folder)
    return folder


def empty_edition(edition: Edition) -> str:
    return (f"lettre de {edition.month_label} vide : ni édito, ni article, ni événement, ni offre ; "
            f"attendu : un mois où le site a publié, ou un édito dans newsletter/{edition.month}.md")


def proof(settings: dict, month: Month, recipients: list[str], now: datetime,
          transport: SmtpTransport | None = None) -> tuple[Outcome, int]:
    bad = [r for r in recipients if not is_address(r)]
    if bad or not recipients:
        raise SendError(f"--to : adresse « {', '.join(bad)} » illisible ; attendu : une adresse "
                        "e-mail, ou plusieurs séparées par des virgules")
    cfg = read_settings(settings)
    transport = transport or SmtpTransport(smtp_from_environment())
    outcome = prepare(settings, month)
    messages = [build_message(outcome.edition, outcome.html, outcome.text, cfg, to=r, date=now,
                              proof=True) for r in recipients]
    with transport:
        return outcome, send_proof(messages, transport)


class _SendGuard(TypedDict):
    """What plan_send and send_list both check before anything is sent again."""

    force: bool
    retry_uncertain: bool
    sent_at: str
    edition_file: Path


def send_to_list(settings: dict, month: Month, csv_path: Path, now: datetime, *,
                 repository: Path | None = None, force: bool = False,
                 retry_uncertain: bool = False, transport: SmtpTransport | None = None,
                 sleep: Callable[[float], None] | None = None) -> tuple[Outcome, SendReport, list[str]]:
    """Freeze the edition (first time), then send it to every address of the CSV once.

    The CSV must lie outside the repository and the site's folders, so that
    no address is ever committed or published. The journal and edition.json
    are checked before anything else: a damaged journal or an edition already
    sent stops the command before the site is even read.
    """
    csv_path = Path(csv_path).resolve()
    cfg = read_settings(settings)
    guarded = [cfg.path.resolve(), cfg.content_root.resolve(),
               Path(settings.get("OUTPUT_PATH", "output")).resolve()]
    if repository is not None:
        guarded.append(Path(repository).resolve())
    if any(csv_path.is_relative_to(folder) for folder in guarded):
        raise SendError(f"--list : {csv_path} est dans le dépôt ; attendu : un fichier d'adresses "
                        "gardé hors du dépôt (les adresses ne doivent jamais y entrer)")
    if not csv_path.is_file():
        raise SendError(f"--list : fichier {csv_path} introuvable")
    if not cfg.public_url.startswith("https://"):
        raise SendError(f"--list : les liens de la lettre mèneraient à {cfg.public_url} ; attendu : "
                        "les réglages de production (adresse https), donc sans --dev")
    recipients, problems = read_recipients(csv_path)
    if not recipients:
        raise SendError(f"--list : aucune adresse lisible dans {csv_path}")
    folder = frozen_dir(cfg, month)
    journal = Journal(folder / JOURNAL)
    sent_before = load_frozen(cfg, month)
    guard: _SendGuard = {"force": force, "retry_uncertain": retry_uncertain,
             "sent_at": sent_before.sent_at if sent_before else "",
             "edition_file": folder / EDITION_JSON}
    plan_send(journal.state(), journal.path, **guard)  # refuses before Pelican runs
    transport = transport or SmtpTransport(smtp_from_environment())
    outcome = prepare(settings, month)
    if outcome.edition.empty:
        raise SendError(empty_edition(outcome.edition))
    freeze(outcome, cfg, now)

    def build(address: str, run: int) -> EmailMessage:
        return build_message(outcome.edition, outcome.html, outcome.text, cfg, to=address,
                             date=now, run=run)

    with transport:
        report = send_list(outcome.edition.campaign, recipients, build, transport, journal,
                           rate_per_minute=cfg.rate_per_minute, **guard, sleep=sleep or time.sleep)
    return outcome, report, problems
