"""Sending: a proof to a few addresses, or a list with a rate limit and a journal.

The journal (JSON lines beside the frozen edition) records each delivery as
soon as the SMTP server accepted it. A send that stops halfway (server gone,
network down, Ctrl-C) is resumed by running the same command again: addresses
already in the journal are skipped, so each address gets the edition once.
The journal stores a hash of each address, never the address itself.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

from .message import is_address
from .settings import SmtpSettings


class SendError(Exception):
    """A send that cannot start or go on; the message says what to do."""

    exitcode = 4


class AlreadySent(SendError):
    pass


class SendInterrupted(SendError):
    pass


def recipient_key(campaign: str, address: str) -> str:
    return hashlib.sha256(f"{campaign}:{address.strip().lower()}".encode()).hexdigest()


def read_recipients(path: Path) -> tuple[list[str], list[str]]:
    """(addresses, problems) from a CSV: an `email` column, or the first column."""
    addresses, problems, seen = [], [], set()
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return [], []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((i for i, name in enumerate(header) if name in ("email", "e-mail", "adresse")),
                  None)
    start = 1 if column is not None or not is_address(rows[0][0] if rows[0] else "") else 0
    column = column or 0
    for number, row in enumerate(rows[start:], start=start + 1):
        cell = row[column].strip() if len(row) > column else ""
        if not cell:
            continue
        if not is_address(cell):
            problems.append(f"{path.name}:{number}: adresse illisible ; ligne ignorée")
            continue
        if cell.lower() in seen:
            continue
        seen.add(cell.lower())
        addresses.append(cell)
    return addresses, problems


class Journal:
    """Append-only JSON lines, flushed to disk line by line."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def records(self) -> list[dict]:
        if not self.path.is_file():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a crash: that delivery was not confirmed
        return records

    def append(self, **record) -> None:
        record.setdefault("at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


@dataclass(frozen=True)
class JournalState:
    run: int  # the run to carry on (or to start)
    done: frozenset  # recipient keys already handled in that run
    complete: bool  # the last run finished
    started: bool  # the run has a start record
    last_sent: int = 0
    last_at: str = ""


def journal_state(records: Iterable[dict]) -> JournalState:
    run, done, complete, started, last_at = 0, set(), False, False, ""
    sent_in_run = 0
    for record in records:
        event = record.get("event")
        if event == "start":
            run, done, complete, started, sent_in_run = record["run"], set(), False, True, 0
        elif record.get("run") != run:
            continue
        elif event in ("sent", "rejected"):
            done.add(record["recipient"])
            sent_in_run += event == "sent"
        elif event == "complete":
            complete, last_at = True, record.get("at", "")
    return JournalState(run=max(run, 1), done=frozenset(done), complete=complete,
                        started=started, last_sent=sent_in_run, last_at=last_at)


class SmtpTransport:
    """One SMTP connection, opened on first use; host and secrets from the environment."""

    def __init__(self, smtp: SmtpSettings, timeout: float = 30):
        self.smtp, self.timeout, self.connection = smtp, timeout, None

    def _connect(self):
        s = self.smtp
        if s.tls == "ssl":
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            if s.tls == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if s.user:
            conn.login(s.user, s.password)
        return conn

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(message)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass(frozen=True)
class SendReport:
    run: int
    total: int
    sent: int  # in this invocation
    skipped: int  # already in the journal
    rejected: int


def send_list(campaign: str, recipients: list[str], build: Callable[[str, int], EmailMessage],
              transport, journal: Journal, *, rate_per_minute: int, force: bool = False,
              sleep: Callable[[float], None] = time.sleep,
              clock: Callable[[], float] = time.monotonic) -> SendReport:
    """Send to every address not yet in the journal's current run, at most `rate_per_minute`."""
    state = journal_state(journal.records())
    if state.complete and not force:
        raise AlreadySent(
            f"l'édition {campaign} a déjà été envoyée ({state.last_sent} adresse(s), {state.last_at}) ; "
            "relancez avec --force pour l'envoyer une nouvelle fois")
    run = state.run + 1 if state.complete else state.run
    done = frozenset() if state.complete else state.done
    keys = {address: recipient_key(campaign, address) for address in recipients}
    if not state.started or state.complete:
        journal.append(event="start", run=run, total=len(recipients))
    interval = 60.0 / rate_per_minute
    sent = rejected = skipped = 0
    last = None
    for address in recipients:
        key = keys[address]
        if key in done:
            skipped += 1
            continue
        if last is not None:
            wait = interval - (clock() - last)
            if wait > 0:
                sleep(wait)
        last = clock()
        message = build(address, run)
        try:
            transport.send(message)
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0] if error.recipients else 550
            if 400 <= code < 500:
                raise _interrupted(journal, run, campaign, sent, skipped, len(recipients), error)
            journal.append(event="rejected", run=run, recipient=key, code=code)
            rejected += 1
            continue
        except (smtplib.SMTPException, OSError) as error:
            transport.close()
            raise _interrupted(journal, run, campaign, sent, skipped, len(recipients), error)
        journal.append(event="sent", run=run, recipient=key, message_id=message["Message-ID"])
        sent += 1
    journal.append(event="complete", run=run, sent=state.last_sent * (not state.complete) + sent)
    return SendReport(run=run, total=len(recipients), sent=sent, skipped=skipped, rejected=rejected)


def _interrupted(journal, run, campaign, sent, skipped, total, error) -> SendInterrupted:
    journal.append(event="interrupted", run=run, error=f"{type(error).__name__}: {error}")
    return SendInterrupted(
        f"envoi de {campaign} interrompu : {error} ; {skipped + sent} adresse(s) sur {total} "
        "servies. Relancez la même commande pour reprendre : aucune adresse ne recevra "
        "la lettre deux fois.")


def send_proof(messages: Iterable[EmailMessage], transport) -> int:
    count = 0
    for message in messages:
        transport.send(message)
        count += 1
    return count
