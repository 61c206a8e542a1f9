"""Settings: defaults in one place, each wrong value named by its key."""

from __future__ import annotations

from pathlib import Path

import pytest
from transfo_newsletter.settings import NewsletterSettingsError, read_settings, smtp_from_environment

BASE = {"PUBLIC_URL": "https://transfo.example.org", "PATH": "/srv/transfo/content"}


def test_defaults_and_folders():
    cfg = read_settings(BASE)
    assert cfg.path == Path("/srv/transfo/newsletter")  # beside the content folder
    assert cfg.templates == Path("/srv/transfo/newsletter/templates")
    assert cfg.archive == Path("/srv/transfo/newsletter/envois")
    assert cfg.edition_path("2019-11") == "newsletter/2019-11/"
    assert (cfg.max_bytes, cfg.target_bytes, cfg.agenda_weeks) == (102 * 1024, 60 * 1024, 6)


@pytest.mark.parametrize("key, value, message", [
    ("TRANSFO_NEWSLETTER_MAX_BYTES", 0,
     "^Réglage TRANSFO_NEWSLETTER_MAX_BYTES : trouvé 0 ; attendu : un nombre entier d’au moins 1$"),
    ("TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL", "http://x.org/stop",
     "^Réglage TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL : trouvé 'http://x.org/stop' ; attendu : une adresse https://"),
    ("TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO", "stop", "attendu : une adresse e-mail"),
    ("TRANSFO_NEWSLETTER_SEND_HOUR", 25,
     "^Réglage TRANSFO_NEWSLETTER_SEND_HOUR : trouvé 25 ; attendu : une heure de 0 à 23$"),
])
def test_wrong_values_name_their_key(key, value, message):
    with pytest.raises(NewsletterSettingsError, match=message):
        read_settings({**BASE, key: value})


def test_smtp_comes_from_the_environment_only():
    with pytest.raises(NewsletterSettingsError, match="TRANSFO_NEWSLETTER_SMTP_HOST"):
        smtp_from_environment({})
    smtp = smtp_from_environment({"TRANSFO_NEWSLETTER_SMTP_HOST": "smtp.example.org",
                                  "TRANSFO_NEWSLETTER_SMTP_USER": "u",
                                  "TRANSFO_NEWSLETTER_SMTP_PASSWORD": "p"})
    assert (smtp.host, smtp.port, smtp.tls, smtp.user, smtp.password) == (
        "smtp.example.org", 587, "starttls", "u", "p")
    with pytest.raises(NewsletterSettingsError, match="attendu : none, starttls ou ssl"):
        smtp_from_environment({"TRANSFO_NEWSLETTER_SMTP_HOST": "h", "TRANSFO_NEWSLETTER_SMTP_TLS": "x"})
    assert smtp.timeout == 60
    assert smtp_from_environment({"TRANSFO_NEWSLETTER_SMTP_HOST": "h",
                                  "TRANSFO_NEWSLETTER_SMTP_TIMEOUT": "5"}).timeout == 5
    for wrong in ("0", "-1", "1.5", "nan", ""):
        with pytest.raises(NewsletterSettingsError, match="TRANSFO_NEWSLETTER_SMTP_TIMEOUT : .*secondes"):
            smtp_from_environment({"TRANSFO_NEWSLETTER_SMTP_HOST": "h",
                                   "TRANSFO_NEWSLETTER_SMTP_TIMEOUT": wrong})
