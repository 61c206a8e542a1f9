"""The .eml: multipart/alternative, UTF-8, list headers."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.header import decode_header, make_header

from transfo_newsletter.message import build_message, is_address, unsubscribe_headers
from transfo_newsletter.model import Month
from transfo_newsletter.selection import select_edition
from transfo_newsletter.settings import read_settings
from transfo_newsletter.tests.sample import PUBLIC_URL, at, snapshot


def settings(**extra):
    return read_settings({"PUBLIC_URL": PUBLIC_URL, "PATH": "/tmp/content", **extra})


def edition():
    return select_edition(snapshot(), Month.parse("2019-11"), at("2019-12-01 10:00"))


def test_message_has_both_parts_and_every_header():
    cfg = settings(TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL="https://transfo.example.org/stop/",
                   TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO="stop@example.org")
    raw = build_message(edition(), "<p>Déjà là</p>", "Déjà là", cfg, to="lea@example.org",
                        date=at("2019-12-01 10:00")).as_bytes()
    assert raw.isascii()  # encoded for any SMTP server
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert str(make_header(decode_header(parsed["Subject"]))) == (
        "Transfo · novembre 2019 : Cooperative alpha")
    assert parsed["From"] == "Transfo <transfo@economiesociale.be>"
    assert parsed["Reply-To"] == "transfo@economiesociale.be"
    assert parsed["Date"] == "Sun, 01 Dec 2019 10:00:00 +0100"
    assert parsed["Message-ID"].endswith("@economiesociale.be>")
    assert parsed["List-Id"].endswith("<transfo.economiesociale.be>")
    assert parsed["List-Unsubscribe"] == (
        "<https://transfo.example.org/stop/>, <mailto:stop@example.org?subject=unsubscribe>")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parsed.get_payload()
    assert (text.get_content_type(), text.get_content_charset()) == ("text/plain", "utf-8")
    assert (html.get_content_type(), html.get_content_charset()) == ("text/html", "utf-8")
    assert text.get_content() == "Déjà là\n" and "Déjà là" in html.get_content()


def test_one_click_header_only_with_an_https_address():
    assert unsubscribe_headers(settings(TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO="stop@example.org")) == {
        "List-Unsubscribe": "<mailto:stop@example.org?subject=unsubscribe>"}
    assert unsubscribe_headers(settings()) == {}


def test_message_ids_are_stable_per_recipient_and_run():
    cfg = settings()
    first = build_message(edition(), "<p>x</p>", "x", cfg, to="a@example.org", date=at("2019-12-01 10:00"))
    again = build_message(edition(), "<p>x</p>", "x", cfg, to="A@example.org", date=at("2019-12-02 10:00"))
    other = build_message(edition(), "<p>x</p>", "x", cfg, to="b@example.org", date=at("2019-12-01 10:00"))
    proof = build_message(edition(), "<p>x</p>", "x", cfg, to="a@example.org",
                          date=at("2019-12-01 10:00"), proof=True)
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert proof["Message-ID"] != first["Message-ID"]
    assert proof["Subject"].startswith("[ÉPREUVE] ")


def test_addresses_are_checked():
    assert is_address("lea@example.org")
    assert not is_address("lea@") and not is_address("pas une adresse") and not is_address("a@b")
    assert not any(map(is_address, ["<lea@example.org>", "@example.org", "a@.be", "a@x..be"]))
