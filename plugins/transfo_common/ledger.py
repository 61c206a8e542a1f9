"""Append-only logs of JSON lines that notice damage: every line carries its own checksum.

For records whose loss or alteration would do harm (who already received a
newsletter, which release went live and which was withdrawn). A line is
written whole by one `write` on a file opened in append mode, then fsync'ed:
a crash can at worst leave the last line cut short.

Reading is strict. A line that does not parse, has no checksum, or whose
checksum does not match its fields raises `DamagedLog` naming the file and the
line, including a cut last line: the caller decides nothing from a damaged log.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

CHECKSUM = "sum"


class DamagedLog(Exception):
    """A line of a log cannot be trusted; `reason` says why, in French."""

    def __init__(self, path: Path, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = Path(path), line, reason


def checksum(fields: dict) -> str:
    """SHA-256 of the canonical JSON of `fields` (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _parse(raw: bytes) -> dict:
    """The fields of one line; ValueError (French) when it cannot be trusted."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("ligne illisible (JSON abîmé)") from None
    if not isinstance(record, dict):
        raise ValueError("ligne illisible (un objet JSON est attendu)")
    stored = record.pop(CHECKSUM, None)
    if not isinstance(stored, str):
        raise ValueError("ligne sans somme de contrôle")
    if stored != checksum(record):
        raise ValueError("somme de contrôle fausse (ligne modifiée ou abîmée)")
    return record


def read_log(path: Path) -> list[dict]:
    """Every record of the log, oldest first ([] when there is no log yet)."""
    path = Path(path)
    if not path.is_file():
        return []
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines[-1]:
        raise DamagedLog(path, len(lines),
                         "dernière ligne coupée, sans doute par un arrêt brutal pendant l'écriture")
    records = []
    for number, raw in enumerate(lines[:-1], start=1):
        try:
            records.append(_parse(raw))
        except ValueError as error:
            raise DamagedLog(path, number, str(error)) from None
    return records


def append_record(path: Path, fields: dict) -> None:
    """Add one line and wait until it is on disk."""
    path = Path(path)
    line = json.dumps({**fields, CHECKSUM: checksum(fields)}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8") + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(descriptor, line)
        if written != len(line):
            raise OSError(f"{path}: écriture incomplète ({written} octets sur {len(line)})")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:  # the new name itself must survive a crash
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
