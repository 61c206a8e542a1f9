"""Prove that nothing internal reaches the built site.

From the promotion records, derive every way their figures could be written
(57000, 57 000 with any kind of space, 57.000, 57,000; 100,00 €, 87.40 EUR;
the audience texts...), then search every file of a built tree for them.

Figures are searched in the text of the pages, not in their markup: image
sizes, enclosure lengths and SVG coordinates are numbers too. What is left
out, because it is what ordinary articles and pages are made of: counts
under 1000, four-digit counts written without a separator (years), whole
amounts without their cents ("100 €", "100 euros"), and amounts whose cents
are zero when written without a currency (an event's "price": "120.00").
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import stat as stat_module
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from transfo_common import tree
from transfo_validation.problems import ContentError, Problem

from .records import COLUMNS, display_path

# A marker every internal report carries, so a report copied into the site is found.
REPORT_MARKER = "transfo-rapport-interne-promotions"
_TAG = re.compile(r"<[^>]*>")
_MIN_COUNT = 1000
_SNIFF = 8192
# A file is remembered as clean only when its last change is this much older
# than the start of the scan (see `scan_tree`).
_SETTLED_NS = 1_000_000_000
_FORGET_AFTER_S = 7 * 24 * 3600


@dataclass(frozen=True)
class Needle:
    text: str  # normalised: plain spaces, case folded, as searched
    shown: str  # as derived from the record, for messages
    what: str  # in French: what it is and which record it comes from
    figure: bool = False  # a number: searched in the text only, not in the markup


@dataclass(frozen=True, order=True)
class Leak:
    path: str  # relative to the output folder
    text: str
    what: str

    def problem(self, shown_output: str) -> Problem:
        return Problem(f"{shown_output}/{self.path}", "fuite",
                       f"{self.what} « {self.text} » trouvé dans le site construit ; "
                       "attendu : aucune donnée interne des promotions dans le site public")


class PromotionLeakError(ContentError):
    """Internal promotion data was found in the built site: do not publish it."""

    exitcode = 3

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        files = len({p.path for p in self.problems})
        self.summary = (f"{len(self.problems)} fuite(s) de données internes des promotions dans "
                        f"{files} fichier(s) du site construit ; ce site ne doit pas être publié.")
        self.args = ("\n".join([*map(str, self.problems), self.summary]),)

    def __str__(self) -> str:
        return self.args[0]


def squeeze_spaces(text: str) -> str:
    """Every run of whitespace one plain space: what `re.sub(r"\\s+", " ", text)`
    gives (the same characters: `str.split` and `\\s` both use Unicode's
    whitespace), three times faster on whole pages."""
    squeezed = " ".join(text.split())
    if not squeezed:
        return " " if text else ""
    if text[0].isspace():
        squeezed = " " + squeezed
    if text[-1].isspace():
        squeezed += " "
    return squeezed


def normalise(text: str) -> str:
    """Entities decoded, any run of spaces (no-break, narrow...) one plain space,
    typographic apostrophes straight, case folded."""
    text = html.unescape(text).replace("\u2019", "'").replace("\u02bc", "'")
    return squeeze_spaces(text).casefold()


def text_of(markup: str) -> str:
    """The text of HTML or XML, also of markup escaped inside it (feed contents)."""
    return _TAG.sub(" ", html.unescape(_TAG.sub(" ", markup)))


def count_forms(number: int) -> set[str]:
    """57000, 57 000, 57.000, 57,000, 57'000; four-digit numbers only with a separator."""
    if number < _MIN_COUNT:
        return set()
    grouped = f"{number:,}"
    forms = {grouped.replace(",", sep) for sep in (" ", ".", ",", "'")}
    if number >= 10 * _MIN_COUNT:
        forms.add(str(number))
    return forms


def amount_forms(amount: Decimal) -> set[str]:
    """Amounts with their cents, as Babel, Ads Manager or a spreadsheet write them:
    `100,00 €`, `100.00 EUR`, `€100.00`; without a currency only when the cents
    are not zero (`87,40`)."""
    dot = f"{amount:.2f}"
    whole, cents = dot.split(".")
    grouped = f"{int(whole):,}"
    numbers = {grouped.replace(",", thousands) + decimal + cents
               for thousands, decimal in ((" ", ","), ("", ","), (".", ","), (",", "."), ("", "."))}
    forms = set(numbers) if cents != "00" else set()
    for number in numbers:
        forms |= {f"{number} €", f"{number}€", f"{number} eur", f"€{number}", f"€ {number}",
                  f"eur {number}"}
    return forms


def needles(records, source: str) -> list[Needle]:
    """Every text that would reveal a record, with what it reveals."""
    found: dict[str, Needle] = {}

    def add(text: str, what: str, figure: bool = False):
        key = normalise(text).strip()
        if key and key not in found:
            found[key] = Needle(key, text, what, figure)

    add(",".join(COLUMNS[:6]), f"l'en-tête du fichier interne {source}")
    add(REPORT_MARKER, "le marqueur du rapport interne des promotions")
    for record in records:
        where = f"de la promotion {source}:{record.line}"
        if record.audience:
            add(record.audience, f"audience {where}")
        for label, amount in (("budget", record.budget), ("montant dépensé", record.spent)):
            for form in amount_forms(amount):
                add(form, f"{label} {where}", figure=True)
        for label, count in (("couverture", record.reach), ("impressions", record.impressions),
                             ("clics", record.clicks), ("lectures", record.reads)):
            for form in count_forms(count):
                add(form, f"{label} {where}", figure=True)
        if record.reads:
            cost = record.spent / record.reads
            for form in (f"{cost:.4f}", f"{cost:.4f}".replace(".", ",")):
                add(form, f"coût par lecture {where}", figure=True)
    return list(found.values())


def _pattern(items: list[Needle]) -> re.Pattern | None:
    """One regular expression for many figures. A figure must not be part of a
    longer number (157000 does not reveal 57000); the leading class lets the
    engine skip quickly the positions where no figure can start."""
    if not items:
        return None
    alternatives = sorted((re.escape(n.text) for n in items), key=len, reverse=True)
    starts = "".join(sorted({re.escape(n.text[0]) for n in items}))
    return re.compile(rf"(?=[{starts}])(?<![\w.,])(?:" + "|".join(alternatives)
                      + r")(?![\w]|[.,]\d)")


class _Scanner:
    """Texts in the whole file (markup included), figures in its text only."""

    def __init__(self, items: list[Needle]):
        self.by_text = {n.text: n for n in items}
        self.texts = [n for n in items if not n.figure]
        self.figures = _pattern([n for n in items if n.figure])

    def hits(self, content: str) -> list[Needle]:
        found = set()
        if self.texts:
            normalised = normalise(content)
            found |= {n.text for n in self.texts if n.text in normalised}
        if self.figures:
            found |= {m.group(0) for m in self.figures.finditer(normalise(text_of(content)))}
        return sorted((self.by_text[hit] for hit in found), key=lambda n: n.text)


def scan_text(text: str, items: list[Needle]) -> list[tuple[str, str]]:
    """(text found, what it reveals) for each needle present in `text`."""
    return [(n.shown, n.what) for n in _Scanner(items).hits(text)]


def fingerprint(items: list[Needle], data_file_name: str = "") -> str:
    """Everything a clean verdict depends on besides the file: the texts searched
    for (and how), the data file's name, the scanning code itself and the Python
    that runs it (its entity and case-folding tables)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(sys.version.encode())
    searched = sorted([n.text, n.figure] for n in items)
    digest.update(json.dumps([data_file_name, searched], ensure_ascii=False).encode())
    return digest.hexdigest()


def memory_file(folder: Path, output: Path) -> Path:
    """Where the clean files of one output folder are remembered, inside `folder`."""
    key = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(folder) / f"leaks-clean-{key}.json"


def _identity(stat: os.stat_result) -> list[int]:
    # The change time (ctime) moves at every write, and no program can set it back.
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# The memory this process last wrote, with the file's identity then: a process that stays (previews)
# does not parse its own 15,000 entries again. Another writer gives the file another inode.
_written: dict[str, tuple[list[int], str, dict]] = {}


def _read_memory(memory: Path | None, print_: str) -> dict[str, list]:
    if memory is None:
        return {}
    try:
        identity, fingerprint_, clean = _written.get(str(memory), (None, None, None))
        if identity == _identity(os.stat(memory)) and fingerprint_ == print_:
            return clean
        saved = json.loads(Path(memory).read_text(encoding="utf-8"))
        if saved.get("fingerprint") == print_ and isinstance(saved.get("clean"), dict):
            return {relative: entry for relative, entry in saved["clean"].items()
                    if isinstance(entry, list) and len(entry) == 6}
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def _write_memory(memory: Path, print_: str, output: Path, clean: dict) -> None:
    memory = Path(memory)
    memory.parent.mkdir(parents=True, exist_ok=True)
    temporary = memory.with_name(memory.name + ".tmp")
    temporary.write_text(json.dumps({"fingerprint": print_, "output": str(output), "clean": clean},
                                    separators=(",", ":")), encoding="utf-8")
    temporary.replace(memory)
    _written[str(memory)] = (_identity(os.stat(memory)), print_, clean)
    # One memory per output folder: forget those of folders not built for a week
    # (test and release folders are built once).
    for other in memory.parent.glob("leaks-clean-*.json"):
        try:
            if other != memory and other.stat().st_mtime < time.time() - _FORGET_AFTER_S:
                other.unlink()
        except FileNotFoundError:
            pass


def _read(path: str) -> bytes | None:
    """The file's bytes, or None for an image or another binary file (a NUL
    byte in its first 8 KiB), of which only those bytes are read."""
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF)
        if b"\0" in head:
            return None
        return head + handle.read()


def scan_tree(output: Path, items: list[Needle], data_file_name: str = "",
              memory: Path | None = None, settle: Callable[[], None] | None = None) -> list[Leak]:
    """Every leak in a built tree: needles in any text file, or the data file itself.

    With `memory` (a file in the cache), each file found clean is remembered
    with its identity (size, modification and change times in ns, inode,
    device) and the hash of the bytes that were searched, under the fingerprint
    of what was searched for (`fingerprint`: other secrets, everything is
    searched again). The next scan skips a file whose identity is unchanged; a
    file whose identity changed but whose bytes hash the same (its change time
    moves when another name is linked to it, as the search index does) is read
    and hashed, not searched; any other file is searched. A file with a leak,
    and the data file, are never remembered.

    The identity alone is trusted only for a file whose last change is more
    than a second older than the scan: a file changed since gets another change
    time, even when rewritten in place at the same size within the file
    system's clock tick, and `utime` cannot set the change time back. A file
    changed less than a second before the scan is remembered by its hash only.
    Limit: a clock set back between two builds, or a file system without
    change times at sub-second precision, could let a same-size rewrite that
    also restores the modification time go unnoticed; set
    TRANSFO_PROMOTIONS_LEAK_MEMORY to False (or clear the cache) there.

    `settle`: writers may still be at work in the tree (the search index, see
    `transfo_common.background`). The tree is scanned while they work, then
    `settle()` waits for them, and a second pass, with what the first found
    clean as its memory, searches what they added or changed: the leaks are
    those of the finished tree.
    """
    output = Path(output)
    print_ = fingerprint(items, data_file_name) if memory is not None else ""
    scanner = _Scanner(items)
    leaks, clean = _scan_pass(output, scanner, _read_memory(memory, print_), data_file_name)
    if settle is not None:
        settle()
        leaks, clean = _scan_pass(output, scanner, clean, data_file_name)
    if memory is not None:
        _write_memory(memory, print_, output, clean)
    return sorted(leaks, key=lambda leak: leak.path.split("/"))  # in the tree's order (rglob's)


def _scan_pass(output: Path, scanner: _Scanner, known: dict[str, list],
               data_file_name: str) -> tuple[list[Leak], dict[str, list]]:
    """One look at every file of the tree (`scan_tree`): its leaks, and the files found clean."""
    started = time.time_ns()
    leaks: list[Leak] = []
    clean: dict[str, list] = {}
    for relative, stat in tree.files(output).items():
        is_data_file = bool(data_file_name) and relative.rpartition("/")[2] == data_file_name
        if is_data_file:
            leaks.append(Leak(relative, data_file_name, "le fichier interne des promotions"))
        if not stat_module.S_ISREG(stat.st_mode):
            continue  # a link to a folder, a socket: nothing to read
        identity = _identity(stat)
        entry = None if is_data_file else known.get(relative)
        if entry is not None and entry[:5] == identity:
            clean[relative] = entry
            continue
        try:
            data = _read(os.path.join(output, relative))
        except FileNotFoundError:
            continue  # removed since the tree was listed
        digest, found = "", []
        if data is not None:  # binary files are not searched
            digest = _digest(data)
            if entry is None or not entry[5] or entry[5] != digest:
                found = scanner.hits(data.decode("utf-8", errors="replace"))
        for needle in found:
            leaks.append(Leak(relative, needle.shown, needle.what))
        if not found and not is_data_file:
            settled = max(stat.st_mtime_ns, stat.st_ctime_ns) < started - _SETTLED_NS
            clean[relative] = (identity if settled else [stat.st_size, -1, -1, -1, -1]) + [digest]
    return leaks, clean


def check_tree(output: Path, records, source: str, data_file_name: str = "",
               memory: Path | None = None, settle: Callable[[], None] | None = None) -> None:
    """Raise PromotionLeakError naming every leak, one line each (`memory`, `settle`: see scan_tree)."""
    leaks = scan_tree(output, needles(records, source), data_file_name, memory, settle)
    if leaks:
        shown = display_path(Path(output))
        raise PromotionLeakError([leak.problem(shown) for leak in leaks])
