"""The newsletter's settings, read and validated in one place.

Site settings carry the prefix TRANSFO_NEWSLETTER_. SMTP credentials are
never settings: they come from the environment (see `smtp_from_environment`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from transfo_common.urls import public_url
from transfo_i18n.settings import read_settings as i18n_settings

DEFAULTS = {
    # Folder of editor files (2019-11.md), MJML templates and frozen editions.
    "TRANSFO_NEWSLETTER_PATH": None,  # None: "newsletter" beside the content folder
    "TRANSFO_NEWSLETTER_TEMPLATES": None,  # None: <TRANSFO_NEWSLETTER_PATH>/templates
    "TRANSFO_NEWSLETTER_FROM": "Transfo <transfo@economiesociale.be>",
    "TRANSFO_NEWSLETTER_REPLY_TO": "transfo@economiesociale.be",
    "TRANSFO_NEWSLETTER_LIST_ID": "Transfo, la lettre mensuelle <transfo.economiesociale.be>",
    # https address of the one-click unsubscribe page; "{email}" is replaced
    # by the recipient's address (URL-encoded) when the URL contains it.
    "TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL": "",
    "TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO": "",
    # The mailing provider's subscription form (the site's subscribe block posts to it).
    "TRANSFO_NEWSLETTER_SUBSCRIBE_URL": "",
    "TRANSFO_NEWSLETTER_SUBSCRIBE_FIELD": "EMAIL",
    "TRANSFO_NEWSLETTER_MAX_BYTES": 102 * 1024,  # Gmail clips messages above this
    "TRANSFO_NEWSLETTER_TARGET_BYTES": 60 * 1024,  # warn above this
    "TRANSFO_NEWSLETTER_AGENDA_WEEKS": 6,
    "TRANSFO_NEWSLETTER_MAX_ITEMS": 6,  # per block
    "TRANSFO_NEWSLETTER_SEND_HOUR": 10,  # default send time on the 1st of the next month
    "TRANSFO_NEWSLETTER_RATE_PER_MINUTE": 120,  # list sends: messages per minute
    "TRANSFO_NEWSLETTER_URL": "newsletter/",  # archive page; editions at newsletter/<month>/
    # "See all" links under the agenda and offers blocks (site paths; "" = no link).
    "TRANSFO_NEWSLETTER_AGENDA_URL": "",
    "TRANSFO_NEWSLETTER_OFFERS_URL": "",
}

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
    merged = {**DEFAULTS, **{k: settings[k] for k in DEFAULTS if k in settings}}
    for key in ("TRANSFO_NEWSLETTER_MAX_BYTES", "TRANSFO_NEWSLETTER_TARGET_BYTES",
                "TRANSFO_NEWSLETTER_AGENDA_WEEKS", "TRANSFO_NEWSLETTER_MAX_ITEMS",
                "TRANSFO_NEWSLETTER_RATE_PER_MINUTE"):
        if not isinstance(merged[key], int) or isinstance(merged[key], bool) or merged[key] < 1:
            raise NewsletterSettingsError(f"{key}: expected a positive integer, got {merged[key]!r}")
    hour = merged["TRANSFO_NEWSLETTER_SEND_HOUR"]
    if not isinstance(hour, int) or not 0 <= hour <= 23:
        raise NewsletterSettingsError(f"TRANSFO_NEWSLETTER_SEND_HOUR: expected 0-23, got {hour!r}")
    unsubscribe = merged["TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL"] or ""
    if unsubscribe and not unsubscribe.startswith("https://"):
        raise NewsletterSettingsError(
            f"TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL: expected an https:// address, got {unsubscribe!r}")
    mailto = (merged["TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO"] or "").removeprefix("mailto:")
    if mailto and "@" not in mailto:
        raise NewsletterSettingsError(
            f"TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO: expected an e-mail address, got {mailto!r}")
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
        unsubscribe_url=unsubscribe,
        unsubscribe_mailto=mailto,
        subscribe_url=merged["TRANSFO_NEWSLETTER_SUBSCRIBE_URL"] or "",
        subscribe_field=merged["TRANSFO_NEWSLETTER_SUBSCRIBE_FIELD"],
        max_bytes=merged["TRANSFO_NEWSLETTER_MAX_BYTES"],
        target_bytes=merged["TRANSFO_NEWSLETTER_TARGET_BYTES"],
        agenda_weeks=merged["TRANSFO_NEWSLETTER_AGENDA_WEEKS"],
        max_items=merged["TRANSFO_NEWSLETTER_MAX_ITEMS"],
        send_hour=hour,
        rate_per_minute=merged["TRANSFO_NEWSLETTER_RATE_PER_MINUTE"],
        url=url,
        content_root=content_root,
        timezone=settings.get("TIMEZONE") or "Europe/Brussels",
        locale=i18n.locale,
        translations_path=i18n.translations_path,
    )


def smtp_from_environment(environ=None) -> SmtpSettings:
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
