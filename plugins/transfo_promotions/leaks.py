"""Prove that nothing internal reaches the built site.

Every file of a built tree is read as a reader could read it (`spellings`:
text without markup, attribute values, decoded addresses), brought to one form (NFKC, invisible characters
removed, spaces folded, case folded), and searched in one pass for:
- the promotion figures, by value: each number of the text is read in every
  way it could be meant (`57.000` is 57000 or 57), scale and currency
  included (`57k`, `58,4 €`), and compared with the records' figures;
- the audience texts, the data file's header and the report's marker,
  compared letters and digits only (markup, punctuation, accents and slugs
  cannot split them);
and every file must be of a web type, as its content confirms (`filetypes`).
The search index is not read (its format is Pagefind's own): the search
plugin vouches that it was made from the pages now in the tree, so that
searching the pages searches all the index can tell (`SearchIndex`).

What is left out, because ordinary articles and pages are made of it: counts
under 1000; four-digit counts written without separator or scale (years);
counts written as money ("57 000 euros" is a sum, not a reach);
amounts without their cents or a decimal ("100 €", "100 euros"), and amounts
without a currency unless written with two decimals that are not zero
("87,40"); audience texts of fewer than 20 letters and digits; in scripts and
style sheets, numbers written as code writes them (57000, 58.4). See
docs/promotions.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat as stat_module
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

from transfo_common import files, tree
from transfo_common.forking import in_processes
from transfo_validation.problems import ContentError, Problem

from . import filetypes, spellings
from .records import COLUMNS, Promotion, display_path
from .spellings import WrittenNumber, compact, normalise, readable_text

# A marker every internal report carries, so a report copied into the site is found.
REPORT_MARKER = "transfo-rapport-interne-promotions"
_MIN_COUNT = 1000
_MIN_TEXT = 20  # letters and digits: a shorter audience ("Bruxelles") is ordinary text
_RATE_PLACES = Decimal("0.0001")
_FORGET_AFTER_S = 7 * 24 * 3600
FILES_PER_PROCESS = 500  # files to read that are worth one more process
PIECE_CHARACTERS = 1 << 18  # a text without markup is read in pieces of about this length (`pieces`)
_SOURCES = [Path(__file__), Path(filetypes.__file__), Path(spellings.__file__)]


@dataclass(frozen=True)
class Needle:
    text: str  # what is searched: a text's compact form, or "<figure>:<value>"
    shown: str  # as derived from the record, for messages
    what: str  # in French: what it is and which record it comes from
    figure: str = ""  # "count", "amount" or "rate" for a number, searched by value
    value: Decimal | None = None


@dataclass(frozen=True, order=True)
class Leak:
    path: str  # relative to the output folder
    text: str  # as found (normalised)
    what: str

    def problem(self, shown_output: str) -> Problem:
        return Problem(f"{shown_output}/{self.path}", "fuite",
                       f"{self.what} « {self.text} » trouvé dans le site construit ; "
                       "attendu : aucune donnée interne des promotions dans le site public")


@dataclass(frozen=True, order=True)
class ForbiddenFile:
    """A file the public site may not hold, whatever it contains."""

    path: str
    field: str  # "type de fichier" or "contenu"
    message: str

    def problem(self, shown_output: str) -> Problem:
        return Problem(f"{shown_output}/{self.path}", self.field, self.message)


@dataclass(frozen=True)
class SearchIndex:
    """The tree's search bundle (`folder`, relative) and its check: `problems()` says, in French,
    why the bundle may hold a text the tree's pages do not; [] when it was made from them
    (`transfo_search.indexing.index_problems`)."""

    folder: str
    problems: Callable[[], list[str]]


class PromotionLeakError(ContentError):
    """Internal promotion data, or a file of no web type, was found in the built site:
    do not publish it."""

    exitcode = 3

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        files = len({p.path for p in self.problems})
        self.summary = (f"{len(self.problems)} fuite(s) de données internes ou fichier(s) interdit(s) "
                        f"dans {files} fichier(s) du site construit ; ce site ne doit pas être publié.")
        self.args = ("\n".join([*map(str, self.problems), self.summary]),)

    def __str__(self) -> str:
        return self.args[0]


def needles(records: Iterable[Promotion], source: str) -> list[Needle]:
    """Every text and figure that would reveal a record, with what it reveals."""
    found: dict[str, Needle] = {}

    def add_text(text: str, what: str) -> None:
        key = compact(normalise(text))
        if len(key) >= _MIN_TEXT and key not in found:
            found[key] = Needle(key, text, what)

    def add_figure(figure: str, value: Decimal, shown: str, what: str) -> None:
        key = f"{figure}:{value.normalize()}"
        if value > 0 and key not in found:
            found[key] = Needle(key, shown, what, figure, value)

    add_text(",".join(COLUMNS[:6]), f"l'en-tête du fichier interne {source}")
    add_text(REPORT_MARKER, "le marqueur du rapport interne des promotions")
    for record in records:
        where = f"de la promotion {source}:{record.line}"
        if record.audience:
            add_text(record.audience, f"audience {where}")
        for label, amount in (("budget", record.budget), ("montant dépensé", record.spent)):
            add_figure("amount", amount, f"{amount:.2f}", f"{label} {where}")
        for label, count in (("couverture", record.reach), ("impressions", record.impressions),
                             ("clics", record.clicks), ("lectures", record.reads)):
            if count >= _MIN_COUNT:
                add_figure("count", Decimal(count), str(count), f"{label} {where}")
        if record.reads:
            cost = (record.spent / record.reads).quantize(_RATE_PLACES)
            add_figure("rate", cost, f"{cost}", f"coût par lecture {where}")
    return list(found.values())


class _Scanner:
    """A file's normalised text read once for its numbers, compared by value with the figures,
    and its compact form searched for the texts whose probe words it holds."""

    def __init__(self, items: list[Needle], piece_size: int = PIECE_CHARACTERS):
        self.piece_size = piece_size
        self.texts = [n for n in items if not n.figure]
        # Words each text cannot be found without (ASCII runs, so in slugs too): most pages lack
        # one, and are not made compact at all.
        self.probes = [set(re.findall(r"[a-z]{4,}", normalise(n.shown))) for n in self.texts]
        self.figures = {figure: {n.value: n for n in items if n.figure == figure}
                        for figure in ("count", "amount", "rate")}

    def hits(self, content: str, kind: filetypes.Kind = filetypes.KINDS["html"]) -> list[tuple[Needle, str]]:
        """(needle, text found) for each needle present in `content`, a file of `kind`.

        A text without markup is read in pieces (`pieces`), normalised one at a time and read
        again only for a text whose every probe word it holds: the normal forms of a 5 MB script
        held whole took 150 MB."""
        def normalised() -> Iterable[str]:
            if kind.markup:
                return [normalise(readable_text(content, True))]
            return (normalise(readable_text(piece, False)) for piece in pieces(content, self.piece_size))

        found: dict[str, tuple[Needle, str]] = {}
        probes = {probe for needed in self.probes for probe in needed}
        present: set[str] = set()
        texts = normalised()
        for text in texts:
            present.update(probe for probe in probes - present if probe in text)
            for number in spellings.numbers(text):
                for needle in self._revealed(number, kind.code):
                    found.setdefault(needle.text, (needle, number.text))
        for needle, needed in zip(self.texts, self.probes, strict=True):
            if present.issuperset(needed) and _spans(needle.text, texts if kind.markup else normalised()):
                found[needle.text] = (needle, needle.shown)
        return sorted(found.values(), key=lambda hit: hit[0].text)

    def _revealed(self, number: WrittenNumber, code: bool) -> list[Needle]:
        """The figures this written number gives away (the rules: the module's docstring)."""
        if code and not (number.separator in (" ", "'") or number.scaled or number.currency):
            return []
        counts, amounts, rates = self.figures["count"], self.figures["amount"], self.figures["rate"]
        revealed = []
        for reading in number.readings:
            count = counts.get(reading.value)
            if count is not None and not number.currency and (reading.decimals == 0 or number.scaled):
                revealed.append(count)
            amount = amounts.get(reading.value)
            if amount is not None and amount.value is not None and not number.scaled and (
                    reading.decimals >= 1 if number.currency
                    else reading.decimals == 2 and amount.value % 1 != 0):
                revealed.append(amount)
            if reading.decimals >= 4 and rates:
                try:
                    rate = rates.get(reading.value.quantize(_RATE_PLACES))
                except InvalidOperation:
                    rate = None
                if rate is not None:
                    revealed.append(rate)
        return revealed


def pieces(text: str, size: int) -> Iterator[str]:
    """`text` cut just after a semicolon every `size` characters or so, where reading it in
    pieces reads it as whole: no number, entity, `\\u` escape, word or run of spaces holds a
    semicolon; no look-around of the number pattern gives another answer at the start of a
    string than after a semicolon (none accepts one); and Unicode normalisation composes
    nothing with a semicolon, so it changes each side as it changes them together. The
    texts searched for are matched across the cuts (`_spans`)."""
    start = 0
    while len(text) - start > size:
        cut = text.find(";", start + size) + 1
        if cut == 0:
            break
        yield text[start:cut]
        start = cut
    yield text[start:]


def _spans(wanted: str, texts: Iterable[str]) -> bool:
    """Whether `wanted` (a compact form) is in the compact form of the joined normalised
    `texts`, looked for piece by piece, each with the end of the one before."""
    carried = ""
    for text in texts:
        letters = carried + compact(text)
        if wanted in letters:
            return True
        carried = letters[-(len(wanted) - 1):] if len(wanted) > 1 else ""
    return False


def scan_text(text: str, items: list[Needle], kind: str = "html",
              piece_size: int = PIECE_CHARACTERS) -> list[tuple[str, str]]:
    """(text found, what it reveals) for each needle present in `text`, read as a file of `kind`
    (without markup, in pieces of about `piece_size` characters)."""
    scanner = _Scanner(items, piece_size)
    return [(found, needle.what) for needle, found in scanner.hits(text, filetypes.KINDS[kind])]


def fingerprint(items: list[Needle], data_file_name: str = "",
                types: dict[str, str] | None = None) -> str:
    """Everything a clean verdict depends on besides the file: the texts and figures searched
    for, the data file's name, the allowed file types, the scanning code itself and the
    Python that runs it (its entity, Unicode and case-folding tables)."""
    digest = hashlib.sha256(b"".join(source.read_bytes() for source in _SOURCES))
    digest.update(sys.version.encode())
    searched = sorted([n.text, n.figure] for n in items)
    allowed = sorted((types or filetypes.DEFAULT_OUTPUT_TYPES).items())
    digest.update(json.dumps([data_file_name, searched, allowed], ensure_ascii=False).encode())
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
_written: dict[str, tuple[list[int], str, dict[str, list]]] = {}


def _read_memory(memory: Path | None, print_: str) -> dict[str, list]:
    if memory is None:
        return {}
    try:
        remembered = _written.get(str(memory))
        if remembered is not None:
            identity, fingerprint_, clean = remembered
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
    files.write_atomically(memory, json.dumps({"fingerprint": print_, "output": str(output), "clean": clean},
                                              separators=(",", ":")).encode())
    _written[str(memory)] = (_identity(os.stat(memory)), print_, clean)
    _remember_digests(_digests_file(memory, print_), [entry[5] for entry in clean.values() if entry[5]])
    # One memory per output folder, one list of clean contents per fingerprint: forget those
    # not used for a week (test and release folders are built once).
    for other in memory.parent.glob("leaks-clean-*.json"):
        try:
            if other != memory and other.stat().st_mtime < time.time() - _FORGET_AFTER_S:
                other.unlink()
        except FileNotFoundError:
            pass


# --- Contents found clean, whatever the folder ------------------------------------------------

def _digests_file(memory: Path, print_: str) -> Path:
    """The contents found clean under fingerprint `print_`, in any output folder: a new folder
    (a test's, the newsletter's scratch build, a release) holds mostly files another one held,
    such as the 5 MB editor script, and their verdict is the same."""
    return Path(memory).parent / f"leaks-clean-digests-{print_[:24]}.json"


def _read_digests(path: Path) -> dict[str, int]:
    """{digest: the day (since 1970) a build last found it}."""
    try:
        digests = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(digests, dict):
        return {}
    return {digest: day for digest, day in digests.items() if isinstance(day, int)}


def _remember_digests(path: Path, found: list[str]) -> None:
    """Add the contents `found` clean today to those of `path`, and forget those no build found
    for a week. Read again just before: builds into other folders may have added theirs (one
    that writes between the two loses its additions, which costs a search, never a verdict)."""
    today = int(time.time() // 86400)
    known = _read_digests(path)
    kept = {digest: day for digest, day in known.items() if day > today - _FORGET_AFTER_S // 86400}
    kept.update(dict.fromkeys(found, today))
    if kept != known:
        files.write_atomically(path, json.dumps(kept, separators=(",", ":")).encode())


def _read(path: str, kind: filetypes.Kind) -> bytes:
    """What the check needs of a file: all of a text, the head of another."""
    with open(path, "rb") as handle:
        return handle.read() if kind.text else handle.read(filetypes.HEAD_BYTES)


def _allowed_kinds(types: dict[str, str] | None) -> dict[str, filetypes.Kind]:
    return {extension: filetypes.KINDS[kind]
            for extension, kind in (types or filetypes.DEFAULT_OUTPUT_TYPES).items()}


def scan_tree(output: Path, items: list[Needle], data_file_name: str = "",
              memory: Path | None = None, settle: Callable[[], None] | None = None,
              types: dict[str, str] | None = None, index: SearchIndex | None = None) -> list[Leak | ForbiddenFile]:
    """Every leak in a built tree: needles in any text file, the data file itself, files
    outside the allowed `types` ({extension: kind of filetypes.KINDS}, default
    filetypes.DEFAULT_OUTPUT_TYPES) or whose content is not of their type, and a search
    index its `index` check does not vouch for (files of Pagefind's format outside
    `index.folder` included: without `index`, any of them).

    With `memory` (a file in the cache), each file found clean is remembered
    with its identity (size, modification and change times in ns, inode,
    device) and the hash of the bytes that were searched, under the fingerprint
    of what was searched for (`fingerprint`: other secrets or types, everything
    is searched again). The next scan skips a file whose identity is unchanged;
    a file whose identity changed but whose bytes hash the same (its change
    time moves when another name is linked to it, as the search index does) is
    read and hashed, not searched; so is a file of any folder whose bytes were
    found clean under the same fingerprint by a build of the last week (a new
    output folder holds mostly what another held: its vendored scripts, its
    unchanged pages). Any other file is searched. A file with a leak, a
    forbidden file and the data file are never remembered.

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
    print_ = fingerprint(items, data_file_name, types) if memory is not None else ""
    scanner = _Scanner(items)
    kinds = _allowed_kinds(types)
    folder = index.folder if index is not None else None
    known = _read_memory(memory, print_)
    contents = _read_digests(_digests_file(memory, print_)) if memory is not None else set()
    found, clean = _scan_pass(output, scanner, kinds, known, contents, data_file_name, folder)
    if settle is not None:
        settle()
        found, clean = _scan_pass(output, scanner, kinds, clean, contents, data_file_name, folder)
    if index is not None:
        found.extend(ForbiddenFile(index.folder, "index de recherche", message) for message in index.problems())
    if memory is not None:
        _write_memory(memory, print_, output, clean)
    return sorted(found, key=lambda leak: leak.path.split("/"))  # in the tree's order (rglob's)


def _scan_pass(output: Path, scanner: _Scanner, kinds: dict[str, filetypes.Kind], known: dict[str, list],
               contents: Collection[str], data_file_name: str,
               index_folder: str | None) -> tuple[list[Leak | ForbiddenFile], dict[str, list]]:
    """One look at every file of the tree (`scan_tree`): its problems, and the files found clean
    (`known`: by path; `contents`: the digests of contents found clean in any folder).

    The files to read are read and searched on every core when there are many (`_check_files`)."""
    started = time.time_ns()
    problems: list[Leak | ForbiddenFile] = []
    clean: dict[str, list | None] = {}  # in the tree's order; None: to be read
    to_read: list[_ToRead] = []
    for relative, stat in tree.files(output).items():
        if bool(data_file_name) and relative.rpartition("/")[2] == data_file_name:
            problems.append(Leak(relative, data_file_name, "le fichier interne des promotions"))
            continue
        entry = known.get(relative)
        if entry is not None and entry[:5] == _identity(stat):
            clean[relative] = entry
            continue
        # A build never writes a link; one put in by hand may lead anywhere (/etc/passwd), and a
        # web server follows it. One lstat, for the files not known clean (~25 ms at 2,000 articles).
        if os.path.islink(os.path.join(output, relative)):
            problems.append(ForbiddenFile(relative, "type de fichier", f"lien symbolique vers « "
                                          f"{os.readlink(os.path.join(output, relative))} » ; attendu : un "
                                          "fichier du site (une construction n'écrit jamais de lien)"))
            continue
        if not stat_module.S_ISREG(stat.st_mode):
            continue  # a socket, a pipe: nothing to read
        kind = kinds.get(filetypes.extension(relative))
        if kind is None or "/." in f"/{relative}":
            problems.append(_forbidden_type(relative, kinds))
            continue
        if kind.index:  # not read: the index is vouched for whole (`SearchIndex`)
            if index_folder is None or not relative.startswith(index_folder + "/"):
                problems.append(ForbiddenFile(relative, "index de recherche", "fichier au format de Pagefind hors "
                                              "de l'index que la construction a écrit ; attendu : l'index de "
                                              "transfo_search seul (TRANSFO_SEARCH_BUNDLE)"))
            continue
        clean[relative] = None
        to_read.append(_ToRead(relative, stat, kind, entry[5] if entry else None))
    # The largest texts first, dealt in turn to each process: shares of about the same work.
    to_read.sort(key=lambda item: (item.kind.text, item.stat.st_size), reverse=True)
    workers = min(os.cpu_count() or 1, 1 + len(to_read) // FILES_PER_PROCESS)
    check = partial(_check_files, output, scanner, contents, started)
    for share in in_processes(to_read, workers, check, quiet=True):
        for relative, found, entry in share:
            problems.extend(found)
            clean[relative] = entry
    return problems, {relative: entry for relative, entry in clean.items() if entry is not None}


@dataclass(frozen=True)
class _ToRead:
    relative: str
    stat: os.stat_result
    kind: filetypes.Kind
    known_digest: str | None  # the digest this folder's memory has for it


def _check_files(output: Path, scanner: _Scanner, contents: Collection[str], started: int,
                 share: list[_ToRead]) -> list[tuple[str, list[Leak | ForbiddenFile], list | None]]:
    """(path, problems, entry for the memory when clean) for each file of `share` still there:
    its content must be of its type, and a text is searched unless its digest was found clean.
    Logs nothing: it may run in a process forked beside other threads (`in_processes`)."""
    checked: list[tuple[str, list[Leak | ForbiddenFile], list | None]] = []
    for item in share:
        relative, stat, kind = item.relative, item.stat, item.kind
        try:
            data = _read(os.path.join(output, relative), kind)
        except FileNotFoundError:
            continue  # removed since the tree was listed
        wrong = filetypes.content_problem(kind, data)
        if wrong is not None:
            checked.append((relative, [ForbiddenFile(relative, "contenu", f"{wrong} sous l'extension « ."
                                                     f"{filetypes.extension(relative)} » ; attendu : {kind.label}")],
                            None))
            continue
        digest, found = "", []
        if kind.text:  # images, fonts, the index's other files are not searched
            digest = _digest(data)
            if digest not in contents and digest != item.known_digest:
                found = _search(scanner, relative, kind, data)
        identity = _identity(stat) if files.settled(stat, started) else [stat.st_size, -1, -1, -1, -1]
        checked.append((relative, list(found), None if found else identity + [digest]))
    return checked


def _search(scanner: _Scanner, relative: str, kind: filetypes.Kind, data: bytes) -> list[Leak]:
    """The leaks of one text file."""
    hits = scanner.hits(data.decode("utf-8", errors="replace"), kind)
    return [Leak(relative, text, needle.what) for needle, text in hits]


def _forbidden_type(relative: str, kinds: dict[str, filetypes.Kind]) -> ForbiddenFile:
    allowed = ", ".join(sorted(kinds))
    name = relative.rpartition("/")[2]
    if "/." in f"/{relative}":
        found = "fichier ou dossier caché (nom commençant par un point)"
    else:
        suffix = filetypes.extension(name)
        found = f"« .{suffix} » n'est pas un type de fichier web" if suffix else "fichier sans extension"
    return ForbiddenFile(relative, "type de fichier",
                         f"{found} ; attendu : un des types publiables ({allowed} ; réglage "
                         "TRANSFO_OUTPUT_TYPES), jamais une copie de données internes")


def check_tree(output: Path, records: Iterable[Promotion], source: str, data_file_name: str = "",
               memory: Path | None = None, settle: Callable[[], None] | None = None,
               types: dict[str, str] | None = None, index: SearchIndex | None = None) -> None:
    """Raise PromotionLeakError naming every leak and forbidden file, one line each
    (`memory`, `settle`, `types`, `index`: see scan_tree)."""
    found = scan_tree(output, needles(records, source), data_file_name, memory, settle, types, index)
    if found:
        shown = display_path(Path(output))
        raise PromotionLeakError([problem.problem(shown) for problem in found])
