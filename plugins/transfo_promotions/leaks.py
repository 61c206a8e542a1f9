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

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from transfo_validation.problems import ContentError, Problem

from .records import COLUMNS, display_path

# A marker every internal report carries, so a report copied into the site is found.
REPORT_MARKER = "transfo-rapport-interne-promotions"
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_MIN_COUNT = 1000
_SNIFF = 8192


@dataclass(frozen=True)
class Needle:
    text: str  # normalised: plain spaces, case folded, as searched
    shown: str  # as derived from the record, for messages
    what: str
    figure: bool = False  # a number: searched in the text only, not in the markup  # in French: what it is and which record it comes from


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


def normalise(text: str) -> str:
    """Entities decoded, any run of spaces (no-break, narrow...) one plain space,
    typographic apostrophes straight, case folded."""
    text = html.unescape(text).replace("\u2019", "'").replace("\u02bc", "'")
    return _SPACES.sub(" ", text).casefold()


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


def scan_tree(output: Path, items: list[Needle], data_file_name: str = "") -> list[Leak]:
    """Every leak in a built tree: needles in any text file, or the data file itself."""
    output = Path(output)
    scanner = _Scanner(items)
    leaks: list[Leak] = []
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(output).as_posix()
        if data_file_name and path.name == data_file_name:
            leaks.append(Leak(relative, path.name, "le fichier interne des promotions"))
        data = path.read_bytes()
        if b"\0" in data[:_SNIFF]:
            continue  # an image or another binary file
        for needle in scanner.hits(data.decode("utf-8", errors="replace")):
            leaks.append(Leak(relative, needle.shown, needle.what))
    return leaks


def check_tree(output: Path, records, source: str, data_file_name: str = "") -> None:
    """Raise PromotionLeakError naming every leak, one line each."""
    leaks = scan_tree(output, needles(records, source), data_file_name)
    if leaks:
        shown = display_path(Path(output))
        raise PromotionLeakError([leak.problem(shown) for leak in leaks])
