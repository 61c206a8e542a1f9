"""List sends: journal, resume after an interruption, refusal of a second send, rate limit."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from transfo_newsletter.sending import (AlreadySent, Journal, SendInterrupted, journal_state,
                                        read_recipients, recipient_key, send_list)

CAMPAIGN = "transfo-2019-11"
ADDRESSES = [f"lecteur{n}@example.org" for n in range(6)]


class FakeTransport:
    """Accepts messages until `fail_after`, then behaves as a server that went away."""

    def __init__(self, fail_after=None, refuse=()):
        self.delivered, self.fail_after, self.refuse, self.closed = [], fail_after, set(refuse), 0

    def send(self, message):
        if self.fail_after is not None and len(self.delivered) >= self.fail_after:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if message["To"] in self.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such user")})
        self.delivered.append(message["To"])

    def close(self):
        self.closed += 1


def build(address, run):
    message = EmailMessage()
    message["To"] = address
    message["Message-ID"] = f"<{run}.{recipient_key(CAMPAIGN, address)[:12]}@test>"
    message.set_content("x")
    return message


def send(journal, transport, addresses=ADDRESSES, **kwargs):
    return send_list(CAMPAIGN, addresses, build, transport, journal, rate_per_minute=60_000,
                     sleep=lambda _s: None, **kwargs)


def test_interrupted_send_resumes_without_duplicate_or_loss(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    first = FakeTransport(fail_after=2)
    with pytest.raises(SendInterrupted, match="Relancez la même commande"):
        send(journal, first)
    assert first.delivered == ADDRESSES[:2] and first.closed == 1
    second = FakeTransport()
    report = send(journal, second)
    assert second.delivered == ADDRESSES[2:]
    assert (report.sent, report.skipped, report.total) == (4, 2, 6)
    assert sorted(first.delivered + second.delivered) == sorted(ADDRESSES)
    assert journal_state(journal.records()).complete


def test_journal_keeps_hashes_never_addresses(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    send(journal, FakeTransport())
    text = journal.path.read_text()
    assert "example.org" not in text
    assert recipient_key(CAMPAIGN, ADDRESSES[0]) in text


def test_an_edition_sent_is_refused_unless_forced(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    send(journal, FakeTransport())
    with pytest.raises(AlreadySent, match="--force"):
        send(journal, FakeTransport())
    again = FakeTransport()
    report = send(journal, again, force=True)
    assert again.delivered == ADDRESSES and report.run == 2


def test_rejected_recipients_are_recorded_and_not_retried(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    transport = FakeTransport(refuse={ADDRESSES[1]})
    report = send(journal, transport)
    assert report.rejected == 1 and ADDRESSES[1] not in transport.delivered
    assert any(r.get("event") == "rejected" and r.get("code") == 550 for r in journal.records())


def test_a_line_cut_by_a_crash_is_ignored(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    with pytest.raises(SendInterrupted):
        send(journal, FakeTransport(fail_after=3))
    with journal.path.open("a") as handle:
        handle.write('{"event": "sent", "run": 1, "recip')
    transport = FakeTransport()
    send(journal, transport)
    assert transport.delivered == ADDRESSES[3:]


def test_rate_limit_waits_between_messages(tmp_path):
    waits, now = [], [0.0]
    send_list(CAMPAIGN, ADDRESSES[:3], build, FakeTransport(), Journal(tmp_path / "j.jsonl"),
              rate_per_minute=30, sleep=waits.append, clock=lambda: now[0])
    assert waits == [2.0, 2.0]  # 30 a minute: one every two seconds


def test_recipients_csv_with_header_duplicates_and_bad_rows(tmp_path):
    path = tmp_path / "abonnes.csv"
    path.write_text("nom,email\nLéa,lea@example.org\nLéa bis,LEA@example.org\nX,pas-une-adresse\n"
                    "Marc,marc@example.org\n", encoding="utf-8")
    addresses, problems = read_recipients(path)
    assert addresses == ["lea@example.org", "marc@example.org"]
    assert problems == ["abonnes.csv:4: adresse illisible ; ligne ignorée"]
    bare = tmp_path / "bare.csv"
    bare.write_text("a@example.org\nb@example.org\n")
    assert read_recipients(bare)[0] == ["a@example.org", "b@example.org"]
