"""List sends against a real SMTP server on 127.0.0.1: journal, resume, at most once per address."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest
from transfo_newsletter.sending import (
    AlreadySent,
    Journal,
    JournalDamaged,
    SendInterrupted,
    SmtpTransport,
    journal_state,
    read_recipients,
    recipient_key,
    send_list,
)
from transfo_newsletter.settings import SmtpSettings
from transfo_newsletter.tests.smtpserver import Recorder, SmtpServer, free_port

CAMPAIGN = "transfo-2019-11"
ADDRESSES = [f"lecteur{n}@example.org" for n in range(6)]


def build(address, run):
    message = EmailMessage()
    message["From"] = "Transfo <transfo@example.org>"
    message["To"] = address
    message["Message-ID"] = f"<{run}.{recipient_key(CAMPAIGN, address)[:12]}@test>"
    message.set_content("Bonjour.\n.ligne qui commence par un point\n")
    return message


def send(journal, port, addresses=ADDRESSES, timeout=10, **kwargs):
    transport = SmtpTransport(SmtpSettings("127.0.0.1", port, "none", "", "", timeout=timeout))
    with transport:
        return send_list(CAMPAIGN, addresses, build, transport, journal, rate_per_minute=60_000,
                         sleep=lambda _s: None, **kwargs)


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


def test_interrupted_send_resumes_without_duplicate_or_loss(journal):
    port = free_port()
    with SmtpServer(port, Recorder(accept=2)) as first, \
            pytest.raises(SendInterrupted, match="Relancez la même commande"):
        send(journal, port)
    assert first.recipients() == ADDRESSES[:2]
    with SmtpServer(port, Recorder()) as second:
        report = send(journal, port)
    assert second.recipients() == ADDRESSES[2:]  # the deferred one (421) is sent again
    assert (report.sent, report.skipped, report.total, report.uncertain) == (4, 2, 6, ())
    assert journal.state().complete
    # the message went through DATA whole: the line starting with a dot came back intact
    assert b"\r\n.ligne qui commence" in second.messages[0][1].replace(b"\n", b"\r\n")


def test_journal_keeps_hashes_never_addresses_and_checksums_every_line(journal):
    port = free_port()
    with SmtpServer(port, Recorder()):
        send(journal, port)
    text = journal.path.read_text()
    assert "example.org" not in text
    assert recipient_key(CAMPAIGN, ADDRESSES[0]) in text
    assert all(len(json.loads(line)["sum"]) == 64 for line in text.splitlines())
    states = [json.loads(line)["event"] for line in text.splitlines()]
    assert states == ["start", *["pending", "sent"] * 6, "complete"]


def test_an_edition_sent_is_refused_unless_forced(journal):
    port = free_port()
    with SmtpServer(port, Recorder()) as server:
        send(journal, port)
        with pytest.raises(AlreadySent, match="--force"):
            send(journal, port)
        report = send(journal, port, force=True)
    assert server.recipients() == ADDRESSES * 2 and report.run == 2


def test_sent_at_without_a_journal_is_refused_unless_forced(journal, tmp_path):
    edition = tmp_path / "edition.json"
    port = free_port()
    with SmtpServer(port, Recorder()) as server:
        with pytest.raises(AlreadySent, match=r"edition\.json: .*sent_at 2019-12-01T10:00.*--force"):
            send(journal, port, sent_at="2019-12-01T10:00", edition_file=edition)
        assert server.messages == []
        send(journal, port, sent_at="2019-12-01T10:00", edition_file=edition, force=True)
    assert server.recipients() == ADDRESSES


def test_rejected_recipients_are_recorded_and_not_retried(journal):
    port = free_port()
    with SmtpServer(port, Recorder(refuse={ADDRESSES[1]})) as server:
        report = send(journal, port)
    assert report.rejected == 1 and ADDRESSES[1] not in server.recipients()
    assert len(server.recipients()) == 5
    assert any(r["event"] == "rejected" and r["code"] == 550 for r in journal.records())


def test_no_address_reaches_the_journal_even_when_the_server_quotes_it(journal):
    port = free_port()
    with SmtpServer(port, Recorder(refuse={ADDRESSES[0]}, greylist={ADDRESSES[2]})):
        with pytest.raises(SendInterrupted, match="greylisted"):
            send(journal, port)
    text = journal.path.read_text().lower()
    assert "example.org" not in text and "greylisted" in text
    with SmtpServer(port, Recorder()) as server:  # greylisting over: the deferred one goes out
        send(journal, port)
    assert server.recipients() == ADDRESSES[2:]


def test_a_retry_interrupted_again_leaves_the_run_open(journal):
    port = free_port()
    with SmtpServer(port, Recorder(drop_at=0)):
        with pytest.raises(SendInterrupted):
            send(journal, port)
    with SmtpServer(port, Recorder()):
        send(journal, port)
    with SmtpServer(port, Recorder(accept=0)), pytest.raises(SendInterrupted):
        send(journal, port, retry_uncertain=True)  # 421: deferred, nothing delivered
    assert not journal.state().complete
    with SmtpServer(port, Recorder()) as server:
        send(journal, port)  # no --retry-uncertain needed: it is deferred now, not uncertain
    assert server.recipients() == ADDRESSES[:1]


def damage_cases(path):
    """Ways a journal gets damaged: each must stop the send before the first message."""
    lines = path.read_bytes().split(b"\n")
    sent = next(i for i, line in enumerate(lines) if b'"event":"sent"' in line)
    flipped = bytearray(lines[sent])
    at = flipped.index(b'"recipient":"') + len(b'"recipient":"') + 5
    flipped[at] ^= 0x01  # one bit of the address hash
    forged = json.loads(lines[sent])
    forged["event"] = "delivered"
    return {
        "bit flip": (sent + 1, b"\n".join([*lines[:sent], bytes(flipped), *lines[sent + 1:]])),
        "truncated": (len(lines) - 1, b"\n".join(lines[:-1])[:-7]),
        "bad checksum": (sent + 1, b"\n".join(
            [*lines[:sent], lines[sent].replace(b'"sum":"', b'"sum":"0'), *lines[sent + 1:]])),
        "no checksum": (sent + 1, b"\n".join(
            [*lines[:sent], json.dumps({"event": "sent", "run": 1}).encode(), *lines[sent + 1:]])),
        "garbage": (sent + 1, b"\n".join([*lines[:sent], b"\x00\xff{", *lines[sent + 1:]])),
    }


@pytest.mark.parametrize("case", ["bit flip", "truncated", "bad checksum", "no checksum", "garbage"])
def test_a_damaged_journal_stops_everything_before_the_first_message(journal, case):
    port = free_port()
    with SmtpServer(port, Recorder(accept=3)), pytest.raises(SendInterrupted):
        send(journal, port)
    line, damaged = damage_cases(journal.path)[case]
    journal.path.write_bytes(damaged)
    with SmtpServer(port, Recorder()) as server:
        with pytest.raises(JournalDamaged) as refused:
            send(journal, port)
        assert server.messages == []
    message = str(refused.value)
    assert message.startswith(f"{journal.path}:{line}: journal d'envoi endommagé")
    assert "\n" not in message and "supprimez cette ligne" in message


def test_an_unknown_state_with_a_valid_checksum_is_damage(journal):
    journal.append(event="start", run=1, total=6)
    journal.append(event="delivered", run=1, recipient=recipient_key(CAMPAIGN, ADDRESSES[0]))
    with pytest.raises(JournalDamaged, match=r"journal\.jsonl:2: .*état « delivered » inconnu"):
        journal.state()


def test_connection_dropped_after_data_is_uncertain_and_never_resent(journal):
    port = free_port()
    with SmtpServer(port, Recorder(drop_at=2)) as first:
        with pytest.raises(SendInterrupted, match="1 adresse\\(s\\) incertaine"):
            send(journal, port, timeout=5)
    assert first.recipients() == ADDRESSES[:3]  # the third was read whole, then the line dropped
    assert journal.state().states[recipient_key(CAMPAIGN, ADDRESSES[2])] == "uncertain"
    with SmtpServer(port, Recorder()) as second:
        report = send(journal, port)
    assert second.recipients() == ADDRESSES[3:]
    assert report.uncertain == (ADDRESSES[2],)
    with SmtpServer(port, Recorder()) as third:
        with pytest.raises(AlreadySent, match="1 adresse\\(s\\) incertaine.*--retry-uncertain"):
            send(journal, port)
        retried = send(journal, port, retry_uncertain=True)
    assert third.recipients() == [ADDRESSES[2]]
    assert retried.uncertain == () and retried.sent == 1
    assert journal.state().complete


def test_no_reply_after_the_final_dot_is_uncertain(journal):
    port = free_port()
    with SmtpServer(port, Recorder(hang_at=0)) as server:
        with pytest.raises(SendInterrupted, match="incertaine"):
            send(journal, port, timeout=1)
    assert server.recipients() == ADDRESSES[:1]
    assert journal.state().uncertain == {recipient_key(CAMPAIGN, ADDRESSES[0])}


def test_a_pending_address_with_nothing_after_it_counts_as_uncertain(journal):
    """The process was killed between "pending" and the server's answer."""
    journal.append(event="start", run=1, total=6)
    journal.append(event="pending", run=1, recipient=recipient_key(CAMPAIGN, ADDRESSES[0]))
    port = free_port()
    with SmtpServer(port, Recorder()) as server:
        report = send(journal, port)
    assert server.recipients() == ADDRESSES[1:]
    assert report.uncertain == (ADDRESSES[0],)


def test_the_state_comes_from_run_numbers(journal):
    key = recipient_key(CAMPAIGN, ADDRESSES[0])
    records = [{"event": "start", "run": 1, "total": 1}, {"event": "sent", "run": 1, "recipient": key},
               {"event": "complete", "run": 1, "sent": 1}, {"event": "pending", "run": 2, "recipient": key}]
    state = journal_state(records)
    assert (state.run, state.complete, state.uncertain) == (2, False, {key})


def test_rate_limit_waits_between_messages(journal):
    waits, now = [], [0.0]
    port = free_port()
    with SmtpServer(port, Recorder()):
        transport = SmtpTransport(SmtpSettings("127.0.0.1", port, "none", "", ""))
        with transport:
            send_list(CAMPAIGN, ADDRESSES[:3], build, transport, journal, rate_per_minute=30,
                      sleep=waits.append, clock=lambda: now[0])
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


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_recipients_as_a_french_spreadsheet_saves_them(tmp_path, encoding):
    """Semicolons, an encoding other than UTF-8, a cell over two lines, addresses typed wrong."""
    path = tmp_path / "excel.csv"
    path.write_bytes(('email;nom\r\nlea@example.org;Léa\r\n"marc@example.org";"Marc\r\nHélène"\r\n'
                      "<henri@example.org>;Henri\r\n@x.be;X\r\na@x..be;Y\r\nzoe@example.org;Zoé\r\n").encode(encoding))
    addresses, problems = read_recipients(path)
    assert addresses == ["lea@example.org", "marc@example.org", "zoe@example.org"]
    assert problems == [f"excel.csv:{line}: adresse illisible ; ligne ignorée" for line in (5, 6, 7)]
