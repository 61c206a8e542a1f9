"""The newsletter's settings, read and validated in one place.

Site settings carry the prefix TRANSFO_NEWSLETTER_. SMTP credentials are
never settings: they come from the environment (see `smtp_from_environment`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from transfo_common.config import (
    NAME,
    PATH,
    POSITIVE,
    TEXT,
    TIMEZONE,
    Check,
    Setting,
    checked_values,
    optional,
)
from transfo_common.urls import public_url
from transfo_i18n.settings import read_settings as i18n_settings

SETTINGS = (
    Setting("TRANSFO_NEWSLETTER_PATH", None, optional(PATH, "« newsletter » à côté du dossier des contenus"),
            "Dossier des fichiers de la lettre (2019-11.md), des gabarits MJML et des éditions envoyées."),
    Setting("TRANSFO_NEWSLETTER_TEMPLATES", None, optional(PATH, "<TRANSFO_NEWSLETTER_PATH>/templates"),
            "Dossier des gabarits MJML de la lettre."),
    Setting("TRANSFO_NEWSLETTER_FROM", "Transfo <transfo@economiesociale.be>", NAME, "Expéditeur de la lettre."),
    Setting("TRANSFO_NEWSLETTER_REPLY_TO", "transfo@economiesociale.be", NAME, "Adresse de réponse."),
    Setting("TRANSFO_NEWSLETTER_LIST_ID", "Transfo, la lettre mensuelle <transfo.economiesociale.be>", NAME,
            "En-tête List-Id des envois."),
    Setting("TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL", "",
            Check(lambda value: value in ("", None) or isinstance(value, str) and value.startswith("https://"),
                  "une adresse https://, ou \"\""),
            "Adresse https de la désinscription en un clic ; « {email} » y est remplacé par l’adresse "
            "du destinataire."),
    Setting("TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO", "",
            Check(lambda value: value in ("", None) or isinstance(value, str) and "@" in value,
                  "une adresse e-mail, ou \"\""),
            "Adresse e-mail de désinscription."),
    Setting("TRANSFO_NEWSLETTER_SUBSCRIBE_URL", "", TEXT,
            "Formulaire d’inscription du prestataire d’envoi (le bloc d’inscription du site y envoie)."),
    Setting("TRANSFO_NEWSLETTER_SUBSCRIBE_FIELD", "EMAIL", NAME, "Nom du champ e-mail de ce formulaire."),
    Setting("TRANSFO_NEWSLETTER_MAX_BYTES", 102 * 1024, POSITIVE,
            "Taille maximale d’une lettre, en octets (Gmail coupe les messages plus lourds)."),
    Setting("TRANSFO_NEWSLETTER_TARGET_BYTES", 60 * 1024, POSITIVE,
            "Au-delà de cette taille, en octets, la construction avertit."),
    Setting("TRANSFO_NEWSLETTER_AGENDA_WEEKS", 6, POSITIVE, "Semaines d’agenda annoncées dans la lettre."),
    Setting("TRANSFO_NEWSLETTER_MAX_ITEMS", 6, POSITIVE, "Nombre maximal d’éléments par bloc."),
    Setting("TRANSFO_NEWSLETTER_SEND_HOUR", 10,
            Check(lambda value: isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23,
                  "une heure de 0 à 23"),
            "Heure d’envoi par défaut, le 1er du mois suivant."),
    Setting("TRANSFO_NEWSLETTER_RATE_PER_MINUTE", 120, POSITIVE, "Envois à la liste : messages par minute."),
    Setting("TRANSFO_NEWSLETTER_URL", "newsletter/", NAME,
            "Page des archives ; chaque édition est publiée sous newsletter/<mois>/."),
    Setting("TRANSFO_NEWSLETTER_AGENDA_URL", "", TEXT,
            "Lien « Voir tout » sous le bloc agenda (chemin du site ; \"\" : pas de lien)."),
    Setting("TRANSFO_NEWSLETTER_OFFERS_URL", "", TEXT,
            "Lien « Voir tout » sous le bloc des offres (chemin du site ; \"\" : pas de lien)."),
)

SMTP_ENVIRONMENT = ("TRANSFO_NEWSLETTER_SMTP_HOST", "TRANSFO_NEWSLETTER_SMTP_PORT",
                    "TRANSFO_NEWSLETTER_SMTP_TLS", "TRANSFO_NEWSLETTER_SMTP_USER",
                    "TRANSFO_NEWSLETTER_SMTP_PASSWORD", "TRANSFO_NEWSLETTER_SMTP_TIMEOUT")
# Seconds to wait for each SMTP reply; after the message itself, no reply in time
# makes that delivery "uncertain" (see sending.py).
SMTP_TIMEOUT = 60


class NewsletterSettingsError(ValueError):
    """A newsletter setting has the wrong shape; the message names the key."""

    exitcode = 2


@dataclass(frozen=True)
class NewsletterSettings:
    path: Path
    templates: Path
    public_url: str
    site_name: str
    sender: str
    reply_to: str
    list_id: str
    unsubscribe_url: str
    unsubscribe_mailto: str
    subscribe_url: str
    subscribe_field: str
    max_bytes: int
    target_bytes: int
    agenda_weeks: int
    max_items: int
    send_hour: int
    rate_per_minute: int
    url: str
    content_root: Path
    timezone: str
    locale: str
    translations_path: Path  # the theme's gettext catalogues (UI strings of the email)
    theme: Path = Path("theme")  # its static/ holds the header's wordmark

    @property
    def archive(self) -> Path:
        """Frozen editions, one folder per month."""
        return self.path / "envois"

    def editor_file(self, month: str) -> Path:
        return self.path / f"{month}.md"

    def edition_path(self, month: str) -> str:
        """Site path of an edition's web version, e.g. newsletter/2019-11/."""
        return f"{self.url}{month}/"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "none", "starttls" or "ssl"
    user: str
    password: str
    timeout: float = SMTP_TIMEOUT


def read_settings(settings: dict) -> NewsletterSettings:
    merged = checked_values(settings, SETTINGS, NewsletterSettingsError)
    url = merged["TRANSFO_NEWSLETTER_URL"].strip("/") + "/"
    content_root = Path(settings.get("PATH", "content"))
    i18n = i18n_settings(settings)
    path = Path(merged["TRANSFO_NEWSLETTER_PATH"] or content_root.parent / "newsletter")
    return NewsletterSettings(
        path=path,
        templates=Path(merged["TRANSFO_NEWSLETTER_TEMPLATES"] or path / "templates"),
        public_url=public_url(settings),
        site_name=settings.get("SITENAME", "Transfo"),
        sender=merged["TRANSFO_NEWSLETTER_FROM"],
        reply_to=merged["TRANSFO_NEWSLETTER_REPLY_TO"],
        list_id=merged["TRANSFO_NEWSLETTER_LIST_ID"],
        unsubscribe_url=merged["TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL"] or "",
        unsubscribe_mailto=(merged["TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO"] or "").removeprefix("mailto:"),
        subscribe_url=merged["TRANSFO_NEWSLETTER_SUBSCRIBE_URL"] or "",
        subscribe_field=merged["TRANSFO_NEWSLETTER_SUBSCRIBE_FIELD"],
        max_bytes=merged["TRANSFO_NEWSLETTER_MAX_BYTES"],
        target_bytes=merged["TRANSFO_NEWSLETTER_TARGET_BYTES"],
        agenda_weeks=merged["TRANSFO_NEWSLETTER_AGENDA_WEEKS"],
        max_items=merged["TRANSFO_NEWSLETTER_MAX_ITEMS"],
        send_hour=merged["TRANSFO_NEWSLETTER_SEND_HOUR"],
        rate_per_minute=merged["TRANSFO_NEWSLETTER_RATE_PER_MINUTE"],
        url=url,
        content_root=content_root,
        timezone=TIMEZONE.value(settings),
        locale=i18n.locale,
        translations_path=i18n.translations_path,
        theme=Path(settings.get("THEME") or "theme"),
    )


def smtp_from_environment(environ: Mapping[str, str] | None = None) -> SmtpSettings:
    """SMTP server and credentials, from environment variables only."""
    env = os.environ if environ is None else environ
    host = env.get("TRANSFO_NEWSLETTER_SMTP_HOST", "")
    if not host:
        raise NewsletterSettingsError(
            "TRANSFO_NEWSLETTER_SMTP_HOST : variable d'environnement absente ; "
            "attendu : l'adresse du serveur SMTP (avec _PORT, _TLS, _USER, _PASSWORD)")
    tls = env.get("TRANSFO_NEWSLETTER_SMTP_TLS", "starttls").lower()
    if tls not in ("none", "starttls", "ssl"):
        raise NewsletterSettingsError(
            f"TRANSFO_NEWSLETTER_SMTP_TLS : « {tls} » ; attendu : none, starttls ou ssl")
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[tls]
    port_text = env.get("TRANSFO_NEWSLETTER_SMTP_PORT", str(default_port))
    if not port_text.isdigit():
        raise NewsletterSettingsError(
            f"TRANSFO_NEWSLETTER_SMTP_PORT : « {port_text} » ; attendu : un numéro de port")
    timeout_text = env.get("TRANSFO_NEWSLETTER_SMTP_TIMEOUT", str(SMTP_TIMEOUT))
    if not timeout_text.isdigit() or int(timeout_text) < 1:
        raise NewsletterSettingsError(
            f"TRANSFO_NEWSLETTER_SMTP_TIMEOUT : « {timeout_text} » ; attendu : un nombre entier "
            "de secondes, au moins 1")
    return SmtpSettings(host=host, port=int(port_text), tls=tls,
                        user=env.get("TRANSFO_NEWSLETTER_SMTP_USER", ""),
                        password=env.get("TRANSFO_NEWSLETTER_SMTP_PASSWORD", ""),
                        timeout=int(timeout_text))
