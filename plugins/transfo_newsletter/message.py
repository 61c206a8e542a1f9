"""The MIME message of an edition: multipart/alternative, UTF-8, list headers."""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from .model import Edition
from .settings import NewsletterSettings

PROOF_PREFIX = "[ÉPREUVE] "


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


def message_id(edition: Edition, recipient: str, sender: str, run: int = 1) -> str:
    """Stable per edition, recipient and send run: a resumed send reuses the same id."""
    digest = hashlib.sha256(f"{edition.campaign}:{run}:{recipient.lower()}".encode()).hexdigest()
    return f"<{edition.campaign}.{run}.{digest[:20]}@{_domain(sender)}>"


def unsubscribe_headers(cfg: NewsletterSettings) -> dict[str, str]:
    targets = []
    if cfg.unsubscribe_url:
        targets.append(f"<{cfg.unsubscribe_url}>")
    if cfg.unsubscribe_mailto:
        targets.append(f"<mailto:{cfg.unsubscribe_mailto}?subject=unsubscribe>")
    headers = {}
    if targets:
        headers["List-Unsubscribe"] = ", ".join(targets)
    if cfg.unsubscribe_url:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def build_message(edition: Edition, html: str, text: str, cfg: NewsletterSettings, *,
                  to: str, date: datetime, proof: bool = False, run: int = 1) -> EmailMessage:
    """One message to one recipient; `html` and `text` are the rendered parts."""
    if date.tzinfo is None:
        raise ValueError("date must be timezone-aware")
    message = EmailMessage()
    message["Subject"] = (PROOF_PREFIX if proof else "") + edition.subject
    message["From"] = cfg.sender
    message["To"] = to
    message["Reply-To"] = cfg.reply_to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id(edition, to, cfg.sender, 0 if proof else run)
    message["List-Id"] = cfg.list_id
    for name, value in unsubscribe_headers(cfg).items():
        message[name] = value
    message["X-Transfo-Edition"] = edition.month
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def is_address(text: str) -> bool:
    """A plausible single e-mail address (what a CSV cell or --to must hold)."""
    try:
        address = Address(addr_spec=text.strip())
    except (ValueError, IndexError, HeaderParseError):  # `<a@b.be>`, `@b.be`, `a@b..be`
        return False
    return bool(address.username and "." in address.domain)
