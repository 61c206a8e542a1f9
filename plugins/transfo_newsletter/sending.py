"""Sending: a proof to a few addresses, or a list with a rate limit and a journal.

Each address gets the edition at most once. The journal (JSON lines beside the
frozen edition, each with its checksum: transfo_common.ledger) follows every
address through its states:

- "pending", written before the SMTP transaction starts;
- "sent" once the server answered 250 to the message;
- "rejected" when the server refused the address or the message for good (5xx);
- "deferred" when a temporary failure happened before the message went out:
  it is sent again when the command is run again;
- "uncertain" when the whole message went out but its acknowledgement never
  came (connection dropped or timeout after the final dot). The server may
  have delivered it: it is never sent again without --retry-uncertain. A
  "pending" address with nothing after it (the process was killed) counts as
  uncertain too.

A send that stops halfway is resumed by running the same command again. A
damaged journal stops everything before the first message. An edition whose
edition.json records `sent_at` is never sent again without --force, even if
its journal was deleted. The journal stores a hash of each address, never the
address itself.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from transfo_common.ledger import DamagedLog, append_record, read_log

from .message import is_address
from .settings import SmtpSettings


class SendError(Exception):
    """A send that cannot start or go on; the message says what to do."""

    exitcode = 4


class AlreadySent(SendError):
    pass


class SendInterrupted(SendError):
    pass


class JournalDamaged(SendError):
    pass


class Refused(SendError):
    """The server refused this address or this message for good (5xx)."""

    def __init__(self, code: int, reply: str):
        super().__init__(f"le serveur SMTP a refusé le message ({code} {reply})")
        self.code = code


class Deferred(SendError):
    """A failure before the message went out: nothing was delivered, it can be sent again."""


class Unacknowledged(SendError):
    """The message went out whole but the server never confirmed it: it may have been delivered."""


def recipient_key(campaign: str, address: str) -> str:
    return hashlib.sha256(f"{campaign}:{address.strip().lower()}".encode()).hexdigest()


def list_text(data: bytes) -> str:
    """A subscriber list's text, however a spreadsheet saved it: UTF-8 (with or without its BOM),
    UTF-16 (its BOM says so), else Windows-1252 (Excel's « CSV » on a French Windows). Only the
    addresses are read, and they are ASCII in all three."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_recipients(path: Path) -> tuple[list[str], list[str]]:
    """(addresses, problems) from a CSV: an `email` column, or the first column. Cells are
    separated by commas, or by semicolons or tabs when the first line has more of them (Excel's
    « CSV » in French); a problem names the line of the file where its row starts."""
    addresses, problems, seen = [], [], set()
    text = list_text(Path(path).read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines, end = [], [], 0
    for row in reader:
        rows.append(row)
        lines.append(end + 1)
        end = reader.line_num
    if not rows:
        return [], []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((i for i, name in enumerate(header) if name in ("email", "e-mail", "adresse")),
                  None)
    start = 1 if column is not None or not is_address(rows[0][0] if rows[0] else "") else 0
    column = column or 0
    for row, number in zip(rows[start:], lines[start:], strict=True):
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


ADDRESS_STATES = ("pending", "sent", "rejected", "deferred", "uncertain")
RUN_EVENTS = ("start", "interrupted", "complete")
_FIELDS = {"start": ("total",), "interrupted": ("error",), "complete": ("sent",),
           "pending": ("recipient",), "sent": ("recipient",), "rejected": ("recipient", "code"),
           "deferred": ("recipient", "error"), "uncertain": ("recipient", "error")}
_KEY = re.compile(r"[0-9a-f]{64}")
FIX = ("aucun message n'est parti. Restaurez le journal (sauvegarde, git) ou supprimez cette "
       "ligne, puis relancez : au pire, l'adresse qu'elle concernait sera comptée comme "
       "incertaine et ne recevra rien sans --retry-uncertain")


def _record_problem(record: dict) -> str | None:
    """Why a well-formed line still cannot be a journal record (None when it can)."""
    event = record.get("event")
    if event not in _FIELDS:
        return f"état « {event} » inconnu ; attendu : {', '.join((*RUN_EVENTS, *ADDRESS_STATES))}"
    run = record.get("run")
    if not isinstance(run, int) or isinstance(run, bool) or run < 1:
        return f"numéro d'envoi « {run} » illisible"
    missing = [name for name in _FIELDS[event] if name not in record]
    if missing:
        return f"champ(s) {', '.join(missing)} absent(s)"
    if "recipient" in record and not _KEY.fullmatch(str(record["recipient"])):
        return "empreinte d'adresse illisible"
    return None


class Journal:
    """The send journal: checksummed JSON lines, appended and fsync'ed one by one."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def damaged(self, line: int, reason: str) -> JournalDamaged:
        return JournalDamaged(f"{self.path}:{line}: journal d'envoi endommagé : {reason} ; {FIX}")

    def records(self) -> list[dict]:
        """Every record; JournalDamaged at the first line that cannot be trusted."""
        try:
            records = read_log(self.path)
        except DamagedLog as error:
            raise self.damaged(error.line, error.reason) from None
        for number, record in enumerate(records, start=1):
            problem = _record_problem(record)
            if problem:
                raise self.damaged(number, problem)
        return records

    def state(self) -> JournalState:
        return journal_state(self.records())

    def append(self, **record: object) -> None:
        record.setdefault("at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
        append_record(self.path, record)


@dataclass(frozen=True)
class JournalState:
    run: int  # the last run (1 when the journal is empty)
    started: bool  # the journal holds a record of that run
    complete: bool  # that run went through the whole list
    states: dict = field(default_factory=dict)  # recipient key -> its last state in that run
    last_sent: int = 0
    last_at: str = ""

    def keys(self, *states: str) -> frozenset:
        return frozenset(key for key, state in self.states.items() if state in states)

    @property
    def uncertain(self) -> frozenset:
        """Addresses whose message may have been delivered: never sent blindly again."""
        return self.keys("uncertain", "pending")


def journal_state(records: Iterable[dict]) -> JournalState:
    """The state of the last run: a record's run number, not its order, says which run it is."""
    records = list(records)
    run = max((record["run"] for record in records), default=0)
    states, complete, last_at = {}, False, ""
    for record in records:
        if record["run"] != run:
            continue
        if record["event"] in ADDRESS_STATES:
            states[record["recipient"]] = record["event"]
        # complete only if nothing happened since (a --retry-uncertain may reopen a run)
        complete = record["event"] == "complete"
        if complete:
            last_at = record.get("at", "")
    sent = sum(state == "sent" for state in states.values())
    return JournalState(run=max(run, 1), started=run > 0, complete=complete, states=states,
                        last_sent=sent, last_at=last_at)


@dataclass(frozen=True)
class SendPlan:
    run: int
    new_run: bool
    skip: frozenset  # recipient keys not to send to in this invocation


def plan_send(state: JournalState, journal: Path, *, force: bool = False,
              retry_uncertain: bool = False, sent_at: str = "",
              edition_file: Path | None = None) -> SendPlan:
    """Which run to carry on and whom to skip; AlreadySent when sending would repeat an edition."""
    if force:
        return SendPlan(run=state.run + 1 if state.started else 1, new_run=True, skip=frozenset())
    if not state.started and sent_at:
        raise AlreadySent(
            f"{edition_file}: l'édition a déjà été envoyée (sent_at {sent_at}) et son journal "
            f"{journal.name} est absent ou vide ; relancez avec --force pour l'envoyer une "
            "nouvelle fois à toute la liste")
    if state.complete and not (retry_uncertain and state.uncertain):
        hint = (f" ; {len(state.uncertain)} adresse(s) incertaine(s) : --retry-uncertain les "
                "réessaie" if state.uncertain else "")
        raise AlreadySent(
            f"{journal}: l'édition a déjà été envoyée ({state.last_sent} adresse(s), "
            f"{state.last_at}){hint} ; relancez avec --force pour l'envoyer une nouvelle fois")
    done = state.keys("sent", "rejected")
    skip = done if retry_uncertain else done | state.uncertain
    return SendPlan(run=state.run, new_run=not state.started, skip=skip)


def _dot_stuffed(message: EmailMessage) -> bytes:
    """The message as DATA carries it: CRLF lines, leading dots doubled, the final dot."""
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _reply_error(code: int, reply: bytes) -> SendError:
    text = reply.decode("utf-8", "replace")
    return Refused(code, text) if 500 <= code < 600 else Deferred(
        f"le serveur SMTP a répondu {code} {text}")


class SmtpTransport:
    """One SMTP connection, opened on first use; host and secrets from the environment.

    `deliver` runs MAIL, RCPT and DATA itself rather than smtplib's
    send_message, so that it knows whether a failure came before the message
    went out (Deferred: safe to send again) or after its final dot, while
    waiting for the server's answer (Unacknowledged: maybe delivered).
    """

    def __init__(self, smtp: SmtpSettings):
        self.smtp = smtp
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.smtp
        conn: smtplib.SMTP
        if s.tls == "ssl":
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.tls == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if s.user:
            conn.login(s.user, s.password)
        return conn

    def deliver(self, message: EmailMessage) -> None:
        """Send one message to its one `To` address; raise Refused, Deferred or Unacknowledged."""
        sender, recipient = parseaddr(message["From"])[1], parseaddr(message["To"])[1]
        if not (sender + recipient).isascii():
            raise Refused(553, "adresse non ASCII")
        awaiting_reply = False
        try:
            if self.connection is None:
                self.connection = self._connect()
            conn = self.connection
            conn.ehlo_or_helo_if_needed()
            code, reply = conn.mail(sender)
            if code != 250:  # the sender refused: no address can be served, stop
                conn.rset()
                raise Deferred(f"expéditeur {sender} refusé : {code} {reply.decode('utf-8', 'replace')}")
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                conn.rset()
                raise _reply_error(code, reply)
            code, reply = conn.docmd("DATA")
            if code != 354:
                conn.rset()
                raise _reply_error(code, reply)
            conn.send(_dot_stuffed(message))
            awaiting_reply = True
            code, reply = conn.getreply()
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            if awaiting_reply:
                raise Unacknowledged(f"message parti, aucune réponse du serveur ({error})") from None
            raise Deferred(f"{type(error).__name__}: {error}") from None
        if code != 250:
            raise _reply_error(code, reply)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class SendReport:
    run: int
    total: int
    sent: int  # in this invocation
    skipped: int  # already served, or uncertain and not retried
    rejected: int
    uncertain: tuple[str, ...] = ()  # addresses whose delivery is unknown, in list order


def send_list(campaign: str, recipients: list[str], build: Callable[[str, int], EmailMessage],
              transport: SmtpTransport, journal: Journal, *, rate_per_minute: int, force: bool = False,
              retry_uncertain: bool = False, sent_at: str = "", edition_file: Path | None = None,
              sleep: Callable[[float], None] = time.sleep,
              clock: Callable[[], float] = time.monotonic) -> SendReport:
    """Send to every address the journal does not show as served, at most `rate_per_minute`."""
    state = journal.state()
    plan = plan_send(state, journal.path, force=force, retry_uncertain=retry_uncertain,
                     sent_at=sent_at, edition_file=edition_file)
    keys = {address: recipient_key(campaign, address) for address in recipients}
    if plan.new_run:
        journal.append(event="start", run=plan.run, total=len(recipients))
    states = {} if plan.new_run else dict(state.states)
    interval = 60.0 / rate_per_minute
    sent = rejected = skipped = 0
    last = None
    for address in recipients:
        key = keys[address]
        if key in plan.skip:
            skipped += 1
            continue
        if last is not None:
            wait = interval - (clock() - last)
            if wait > 0:
                sleep(wait)
        last = clock()
        message = build(address, plan.run)
        journal.append(event="pending", run=plan.run, recipient=key)
        try:
            transport.deliver(message)
        except Refused as error:
            journal.append(event="rejected", run=plan.run, recipient=key, code=error.code)
            states[key] = "rejected"
            rejected += 1
            continue
        except (Deferred, Unacknowledged) as error:
            event = "uncertain" if isinstance(error, Unacknowledged) else "deferred"
            reason = _without_address(error, address)
            journal.append(event=event, run=plan.run, recipient=key, error=reason)
            states[key] = event
            raise _interrupted(journal, plan.run, campaign, states, len(recipients), error, reason) from error
        journal.append(event="sent", run=plan.run, recipient=key, message_id=message["Message-ID"])
        states[key] = "sent"
        sent += 1
    served = sum(state == "sent" for state in states.values())
    journal.append(event="complete", run=plan.run, sent=served)
    uncertain = {key for key, state in states.items() if state in ("uncertain", "pending")}
    return SendReport(run=plan.run, total=len(recipients), sent=sent, skipped=skipped,
                      rejected=rejected,
                      uncertain=tuple(a for a in recipients if keys[a] in uncertain))


def _without_address(error: Exception, address: str) -> str:
    """The error for the journal: servers often quote the address, which must not be kept."""
    text = re.sub(re.escape(address), "<adresse>", str(error), flags=re.IGNORECASE)
    return f"{type(error).__name__}: {text}"


def _interrupted(journal: Journal, run: int, campaign: str, states: dict[str, str], total: int,
                 error: SendError, reason: str) -> SendInterrupted:
    journal.append(event="interrupted", run=run, error=reason)
    served = sum(state in ("sent", "rejected") for state in states.values())
    uncertain = sum(state in ("uncertain", "pending") for state in states.values())
    doubt = (f" ; {uncertain} adresse(s) incertaine(s), listée(s) à la fin de l'envoi, ne "
             "seront pas réessayée(s) sans --retry-uncertain" if uncertain else "")
    return SendInterrupted(
        f"envoi de {campaign} interrompu : {error} ; {served} adresse(s) sur {total} "
        f"servies{doubt}. Relancez la même commande pour reprendre : aucune adresse ne recevra "
        "la lettre deux fois.")


def send_proof(messages: Iterable[EmailMessage], transport: SmtpTransport) -> int:
    count = 0
    for message in messages:
        transport.deliver(message)
        count += 1
    return count
