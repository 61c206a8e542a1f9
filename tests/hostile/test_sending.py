"""Hostile and awkward sends: a deleted or damaged journal, SMTP faults after DATA.

Every case runs `invoke newsletter-send --list` against a real aiosmtpd server
on 127.0.0.1. Each address gets the edition at most once; every refusal is one
French line naming the file, and nothing is sent.
"""

from __future__ import annotations

import json

import pytest
from transfo_common.ledger import append_record
from transfo_newsletter.tests.smtpserver import Recorder, SmtpServer, free_port

from tests.hostile.checks import assert_refused
from tests.support import all_text, build
from tests.test_newsletter import send, site, subscribers  # noqa: F401 (fixtures)


def frozen(site):
    return site / "newsletter" / "envois" / "2019-11"


def complete_send(site, csv, port):
    with SmtpServer(port, Recorder()) as server:
        result = send(site, port, "--list", str(csv))
    assert result.returncode == 0, result.stderr
    return server


def lines(journal):
    return journal.read_bytes().split(b"\n")


@pytest.mark.slow
def test_deleted_journal_after_a_complete_send_refuses_without_force(site, subscribers):
    csv, addresses = subscribers
    port = free_port()
    complete_send(site, csv, port)
    (frozen(site) / "journal.jsonl").unlink()
    with SmtpServer(port, Recorder()) as server:
        again = send(site, port, "--list", str(csv))
        assert server.messages == []
        assert_refused(again, frozen(site) / "edition.json", "déjà été envoyée", "--force")
        forced = send(site, port, "--list", str(csv), "--force")
    assert forced.returncode == 0, forced.stderr
    assert sorted(server.recipients()) == sorted(addresses)


def damaged_journal_refuses(site, csv, port, damage, line_number, *words):
    """Half a send, then `damage` on the journal: the next send sends nothing."""
    with SmtpServer(port, Recorder(accept=3)):
        assert send(site, port, "--list", str(csv)).returncode == 4
    journal = frozen(site) / "journal.jsonl"
    journal.write_bytes(damage(lines(journal)))
    with SmtpServer(port, Recorder()) as server:
        result = send(site, port, "--list", str(csv))
    assert server.messages == []
    line = assert_refused(result, journal, f"journal.jsonl:{line_number}:", "endommagé", *words)
    assert "supprimez cette ligne" in line


def sent_line(rows):
    return next(i for i, row in enumerate(rows) if b'"event":"sent"' in row)


@pytest.mark.slow
def test_bit_flip_in_an_address_hash_is_noticed(site, subscribers):
    def flip(rows):
        index = sent_line(rows)
        row = bytearray(rows[index])
        row[row.index(b'"recipient":"') + 20] ^= 0x02
        rows[index] = bytes(row)
        return b"\n".join(rows)

    damaged_journal_refuses(site, subscribers[0], free_port(), flip, 3, "somme de contrôle fausse")


@pytest.mark.slow
def test_a_truncated_last_line_is_noticed(site, subscribers):
    rows_seen = []

    def cut(rows):
        rows_seen.extend(rows)
        return b"\n".join(rows[:-1])[:-10]

    damaged_journal_refuses(site, subscribers[0], free_port(), cut, 10, "dernière ligne coupée")
    assert len(rows_seen) == 11  # start, 3 x (pending, sent), pending, deferred, interrupted, ""


@pytest.mark.slow
def test_a_forged_checksum_is_noticed(site, subscribers):
    def forge(rows):
        index = sent_line(rows)
        rows[index] = rows[index].replace(b'"sum":"', b'"sum":"f')
        return b"\n".join(rows)

    damaged_journal_refuses(site, subscribers[0], free_port(), forge, 3, "somme de contrôle")


@pytest.mark.slow
def test_an_unknown_status_is_noticed_even_with_a_valid_checksum(site, subscribers):
    csv = subscribers[0]
    port = free_port()
    with SmtpServer(port, Recorder(accept=3)):
        assert send(site, port, "--list", str(csv)).returncode == 4
    journal = frozen(site) / "journal.jsonl"
    rows = lines(journal)
    index = sent_line(rows)
    record = json.loads(rows[index])
    del record["sum"]
    record["event"] = "livré"
    journal.write_bytes(b"\n".join(rows[:index]) + b"\n")
    append_record(journal, record)
    with SmtpServer(port, Recorder()) as server:
        result = send(site, port, "--list", str(csv))
    assert server.messages == []
    assert_refused(result, journal, f"journal.jsonl:{index + 1}:", "état « livré » inconnu")


def test_an_empty_line_in_the_middle_is_noticed(site, subscribers):
    def blank(rows):
        rows.insert(2, b"")
        return b"\n".join(rows)

    damaged_journal_refuses(site, subscribers[0], free_port(), blank, 3, "illisible")


@pytest.mark.slow
def test_dropped_after_data_is_uncertain_listed_and_never_sent_twice(site, subscribers, tmp_path):
    csv, addresses = subscribers
    port = free_port()
    with SmtpServer(port, Recorder(drop_at=1)) as first:
        dropped = send(site, port, "--list", str(csv))
    assert dropped.returncode == 4 and "Traceback" not in dropped.stderr
    assert "1 adresse(s) incertaine(s)" in dropped.stderr
    uncertain = first.recipients()[1]  # the server read it whole, then the line dropped
    with SmtpServer(port, Recorder()) as second:
        resumed = send(site, port, "--list", str(csv))
    assert resumed.returncode == 0, resumed.stderr
    assert "1 incertaine(s)" in resumed.stdout
    assert resumed.stdout.splitlines()[-1].strip() == uncertain  # the final report lists it
    assert uncertain not in second.recipients()
    assert sorted(first.recipients() + second.recipients()) == sorted(addresses)
    # The address is in the report on the terminal, never in the journal nor on the site.
    assert uncertain not in (frozen(site) / "journal.jsonl").read_text()
    build(tmp_path / "out", content=site / "content", now="2019-12-20")
    assert not any(address in all_text(tmp_path / "out") for address in addresses)


@pytest.mark.slow
def test_retry_uncertain_sends_only_the_uncertain_address(site, subscribers):
    csv, addresses = subscribers
    port = free_port()
    with SmtpServer(port, Recorder(drop_at=0)) as first:
        send(site, port, "--list", str(csv))
    uncertain = first.recipients()[0]
    with SmtpServer(port, Recorder()) as server:
        assert send(site, port, "--list", str(csv)).returncode == 0
        again = send(site, port, "--list", str(csv))
        assert_refused(again, "journal.jsonl", "1 adresse(s) incertaine(s)", "--retry-uncertain")
        retried = send(site, port, "--list", str(csv), "--retry-uncertain")
    assert retried.returncode == 0, retried.stderr
    assert server.recipients().count(uncertain) == 1
    assert sorted(server.recipients()) == sorted(addresses)
    assert "0 incertaine(s)" in retried.stdout


@pytest.mark.slow
def test_no_reply_after_the_final_dot_is_uncertain(site, subscribers):
    csv, _ = subscribers
    port = free_port()
    with SmtpServer(port, Recorder(hang_at=2)) as server:
        result = send(site, port, "--list", str(csv), timeout=1)
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert "incertaine" in result.stderr
    key_states = [json.loads(row)["event"] for row in lines(frozen(site) / "journal.jsonl") if row]
    assert key_states.count("uncertain") == 1 and len(server.messages) == 3


@pytest.mark.parametrize("fault", [{"drop_at": 0}, {"accept": 0}])
def test_a_proof_to_a_failing_server_is_one_line(site, fault):
    port = free_port()
    with SmtpServer(port, Recorder(**fault)):
        result = send(site, port, "--to", "relecture@example.org")
    output = result.stdout + result.stderr
    assert result.returncode == 4 and "Traceback" not in output
    assert len(result.stderr.strip().splitlines()) == 1
