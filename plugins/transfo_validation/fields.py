"""Field types of the content schema.

Each field turns the raw text an editor typed into a value, or raises
`FieldError` saying what was found and what is expected, in French, because
editors read these messages.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from transfo_common.markup import shown

from transfo_validation import patterns_data

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")  # a day and a time, as editors type them
DAY_FORMATS = ("%Y-%m-%d",)  # what parse_when reads as a whole day
# Dates outside these years are typing mistakes (0019 for 2019), and years near 1 or 9999
# overflow the feeds, calendars and date formatting that compute around them.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Sums beyond this are typing mistakes (a salary or a price of a million euros or more).
MAX_AMOUNT = Decimal(1_000_000)
_AMOUNT = re.compile(r"^(?P<units>[0-9]+)(?:[.,](?P<cents>[0-9]{1,2}))?$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{3})+$")  # 2.600: 2600 or 2,6? ambiguous
_INTEGER = re.compile(r"^-?[0-9]+$")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TRUE = {"oui", "true", "yes", "1", "vrai"}
_FALSE = {"non", "false", "no", "0", "faux"}


class FieldError(ValueError):
    """A raw value that does not fit its field; the message names what is expected."""


def closest(value: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate nearest to `value`, for "did you mean" hints."""
    lowered = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    suggestion = closest(value, candidates)
    return f" (vouliez-vous dire « {suggestion} » ?)" if suggestion else ""


@dataclass(frozen=True)
class Field:
    """A metadata field; subclasses implement `convert`."""

    required: bool = False
    help: str = ""

    blank_means_absent = True  # an optional field left empty (as in the scaffolds) is absent

    @property
    def expected(self) -> str:
        """What the field takes, in French: ends every message about its value."""
        return "un texte"

    def parse(self, raw: str, context: "ParseContext") -> Any:
        value = raw.strip()
        if not value:
            absent = "" if self.required else ", ou pas de ligne pour ce champ"
            raise FieldError(f"valeur vide ; attendu : {self.expected}{absent}")
        control = control_character(value)
        if control:
            # Invisible, and refused by XML (feeds, sitemap): the build would stop on it.
            raise FieldError(f"« {shown(value)} » contient un caractère de contrôle ({control}) ; "
                             f"attendu : {self.expected}")
        return self.convert(value, context)

    def convert(self, value: str, context: "ParseContext") -> Any:
        return value

    # What an editing interface (the CMS of transfo_admin) needs to know besides `expected`.
    @property
    def options(self) -> tuple[str, ...]:
        """The values an editor picks from, as typed in files; empty for free input."""
        return ()

    @property
    def value_pattern(self) -> str:
        """A regular expression for the stripped value `convert` takes (see `pattern`): by default
        any text without a control character, which `parse` refuses in every field."""
        return f"{text_char()}*"

    @property
    def pattern(self) -> str:
        """What the CMS (transfo_admin) checks a typed value against before saving: `value_pattern`
        between the spaces the CMS and `parse` strip. Written for the browser (see `char_in`);
        Python's `re` reads it too, but sees characters beyond U+FFFF only where a pattern takes
        them all (a text, a list)."""
        return typed(self.value_pattern)


# Patterns for the CMS. Decap tests a value with `RegExp(pattern).test(value)`, without flags: its
# classes see UTF-16 code units (an emoji is two), and its `.`, `\s`, `\w`, `\d` and case folding are
# not Python's. Patterns therefore spell out their characters, computed from the predicates the
# checks use: a class of the characters below U+10000, and pairs of surrogates for the others.
_ASTRAL, _LAST = 0x10000, 0x10FFFF
Runs = tuple[tuple[int, int], ...]  # sorted (first, last) code points


def _runs(runs: Iterable[tuple[int, int]]) -> Runs:
    """Runs sorted, those that touch merged."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(runs):
        if merged and merged[-1][1] >= first - 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return tuple(merged)


def _members(predicate: Callable[[str], bool]) -> Runs:
    """The characters that satisfy `predicate`, one of SCANNED_PREDICATES, as patterns_scan found
    them once and wrote them into patterns_data: scanning Unicode takes half a second, which every
    build would pay (the admin writes its config on every build)."""
    try:
        return _parsed_runs(patterns_data.MEMBERS[predicate.__name__])
    except KeyError:
        raise LookupError(f"{predicate.__name__} is not in SCANNED_PREDICATES (transfo_validation.fields): "
                          f"add it, then run {patterns_data.REGENERATE}") from None


@cache
def _parsed_runs(text: str) -> Runs:
    """Runs written `first-last` or `point` in hexadecimal, separated by spaces (patterns_data)."""
    bounds = (run.partition("-") for run in text.split())
    return tuple((int(first, 16), int(last or first, 16)) for first, _, last in bounds)


def _unit(point: int) -> str:
    """`point` in a class: as itself for ASCII letters and digits, else escaped as both engines
    read it (`\\x1C` is four characters of config.yml where `\\u001C` is six)."""
    if chr(point).isascii() and chr(point).isalnum():
        return chr(point)
    return f"\\x{point:02X}" if point < 0x100 else f"\\u{point:04X}"


def _class(runs: Iterable[tuple[int, int]]) -> str:
    return "[" + "".join(_unit(a) if a == b else f"{_unit(a)}-{_unit(b)}" for a, b in runs) + "]"


def _pairs(first: int, last: int) -> list[tuple[int, int, int]]:
    """Code points first..last beyond U+FFFF as (high surrogate, first low, last low)."""
    pairs = []
    for high in range(0xD800 + ((first - _ASTRAL) >> 10), 0xD800 + ((last - _ASTRAL) >> 10) + 1):
        base = _ASTRAL + ((high - 0xD800) << 10)
        pairs.append((high, 0xDC00 + max(first - base, 0), 0xDC00 + min(last - base, 0x3FF)))
    return pairs


def _astral(runs: Runs) -> list[str]:
    """Alternatives for the members of `runs` beyond U+FFFF: surrogate pairs for JavaScript, and
    `[^\\x00-\\uFFFF]` for Python when every such character is a member."""
    if any(a <= _ASTRAL and b == 0x10FFFF for a, b in runs):
        return [r"[\uD800-\uDBFF][\uDC00-\uDFFF]", r"[^\x00-\uFFFF]"]
    pairs = [pair for a, b in runs if b >= _ASTRAL for pair in _pairs(max(a, _ASTRAL), b)]
    whole = _runs((high, high) for high, low, last in pairs if (low, last) == (0xDC00, 0xDFFF))
    by_high: dict[int, list[tuple[int, int]]] = {}
    for high, low, last in pairs:
        if (low, last) != (0xDC00, 0xDFFF):
            by_high.setdefault(high, []).append((low, last))
    return ([_class(whole) + r"[\uDC00-\uDFFF]"] if whole else []) + [
        _unit(high) + _class(lows) for high, lows in by_high.items()]


# JavaScript's \s (ECMAScript's WhiteSpace and LineTerminator: Unicode's Zs, fixed since 6.3, and
# tabs, line breaks and U+FEFF).
_JS_SPACES = "\t\n\v\f\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(map(chr, range(0x2000, 0x200B)))


def _points(chars: Iterable[str]) -> Runs:
    return _runs((ord(char), ord(char)) for char in chars)


def _holds(runs: Runs, char: str) -> bool:
    """Whether `char` is in `runs`, by bisection: classes have hundreds of runs."""
    at = bisect.bisect_right(runs, (ord(char), _LAST)) - 1
    return at >= 0 and runs[at][1] >= ord(char)


def _bmp_class(runs: Runs) -> str:
    """One character of `runs` (below U+10000), shorter when it holds many spaces: `\\s` for those
    both Python's `\\s` (str.isspace) and JavaScript's take, the others listed, and a lookahead
    refusing those of either `\\s` that `runs` lacks; the same set in both engines. The spaces
    around every value of config.yml then take ~25 characters instead of ~80."""
    python, javascript = set(spaces()), set(_JS_SPACES)
    if sum(_holds(runs, char) for char in python & javascript) < len(python & javascript) // 2:
        return _class(runs)  # too few spaces for `\\s` to shorten it: the common case, made quick
    listed = _without(runs, "".join(python & javascript))
    refused = _points(char for char in python | javascript if not _holds(runs, char))
    shorter = "[\\s" + _class(listed)[1:]
    if refused:
        shorter = f"(?:(?!{_class(refused)}){shorter})"
    return min(_class(runs), shorter, key=len)


def _one_of(runs: Runs) -> str:
    """A pattern matching one character of `runs`."""
    bmp = tuple((a, min(b, _ASTRAL - 1)) for a, b in runs if a < _ASTRAL)
    alternatives = _astral(runs) + ([_bmp_class(bmp)] if bmp else [])
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


def _without(runs: Runs, chars: str) -> Runs:
    cut = sorted({ord(char) for char in chars})
    kept = []
    for first, last in runs:
        for point in (point for point in cut if first <= point <= last):
            if first < point:
                kept.append((first, point - 1))
            first = point + 1
        if first <= last:
            kept.append((first, last))
    return tuple(kept)


@cache
def char_in(predicate: Callable[[str], bool], without: str = "") -> str:
    """A pattern matching one character for which `predicate` (one of SCANNED_PREDICATES, giving a
    bool) is true, but those of `without`."""
    return _one_of(_without(_members(predicate), without))


@cache
def spaces() -> str:
    """Every character of Python's `\\s` (str.isspace)."""
    return "".join(chr(point) for first, last in _members(str.isspace) for point in range(first, last + 1))


def _not_control(char: str) -> bool:
    return control_character(char) is None


def _edge_space(char: str) -> bool:
    """What the CMS's format trims (JavaScript's trim, U+FEFF too) or `parse` strips."""
    return char.isspace() or char == "\ufeff"


def _decimal(char: str) -> bool:
    return unicodedata.decimal(char, -1) >= 0


def _other_decimal(char: str) -> bool:
    return _decimal(char) and not char.isascii()


def text_char() -> str:
    """One character of a text: `parse` refuses control characters."""
    return char_in(_not_control)


def space() -> str:
    """One space as Python's `\\s`, `str.strip` and `strptime` see it."""
    return char_in(str.isspace)


def edge_space() -> str:
    return char_in(_edge_space)


def digit(low: int = 0, high: int = 9) -> str:
    """One ASCII digit valued low..high (for other scripts, see `other_digits`)."""
    return f"[{low}-{high}]" if low != high else str(low)


def other_digits(marks: str) -> str:
    """A looser alternative for values that hold a decimal digit of another script (Arabic ٣,
    fullwidth ３), which Python's `\\d`, int() and float() read as ASCII ones: such digits, spaces
    and `marks` in any order. Their classes at every place of a pattern would make it long."""
    return (rf"(?=[\s\S]*{char_in(_other_decimal)})"
            f"(?:{char_in(_decimal)}|{space()}|[{re.escape(marks)}])+")


def _case_candidates() -> str:
    """The characters that a case-blind match may take for an ASCII letter (`re.IGNORECASE` or
    `str.lower()`), as patterns_scan found them."""
    return patterns_data.CASE_CANDIDATES


def ignoring_case(char: str, letter: str) -> bool:
    """`re.IGNORECASE`'s view (the `EUR` of Amount, the `T` of strptime)."""
    return bool(re.fullmatch(letter, char, re.IGNORECASE))


def lowered(char: str, letter: str) -> bool:
    """`str.lower()`'s view (the free words of Price, oui and non)."""
    return char.lower() == letter.lower()


@cache
def spelled(word: str, same: Callable[[str, str], bool] = lowered) -> str:
    """`word` with each letter any character that `same(char, letter)` takes for it."""
    return "".join(_one_of(_runs((ord(char), ord(char)) for char in _case_candidates() if same(char, letter)))
                   if letter.isascii() and letter.isalpha() else re.escape(letter) for letter in word)


def numeral(low: int, high: int, width: int, digit: Callable[[int, int], str] = digit) -> str:
    """Numerals of exactly `width` digits valued low..high; `digit(a, b)` writes one digit valued a..b."""
    if width == 0:
        return ""
    unit = 10 ** (width - 1)
    (first, rest), (last, end) = divmod(low, unit), divmod(high, unit)
    if first == last:
        return digit(first, first) + numeral(rest, end, width - 1, digit)
    full = "".join(digit(0, 9) for _ in range(width - 1))
    parts = []
    if rest:
        parts.append(digit(first, first) + numeral(rest, unit - 1, width - 1, digit))
        first += 1
    tail = end != unit - 1
    if first <= last - tail:
        parts.append(digit(first, last - tail) + full)
    if tail:
        parts.append(digit(last, last) + numeral(0, end, width - 1, digit))
    return "(?:" + "|".join(parts) + ")"


def at_most(limit: int, digit: Callable[[int, int], str] = digit) -> str:
    """Numerals valued 0..limit, leading zeros allowed."""
    widths = [numeral(10 ** (width - 1), min(limit, 10**width - 1), width, digit)
              for width in range(1, len(str(limit)) + 1) if 10 ** (width - 1) <= limit]
    zero = digit(0, 0)
    return f"(?:(?:{zero})*(?:{'|'.join(widths)})|(?:{zero})+)" if widths else f"(?:{zero})+"


@cache
def typed(value_pattern: str) -> str:
    """`value_pattern` as typed in the CMS, for the value without the spaces around it (its format
    trims them, `parse` strips them; the lookarounds take them all). Spaces alone are no value: the
    format writes no line (a required field refuses them in transfo-cms.js)."""
    edge = edge_space()
    return f"^{edge}*(?:(?!{edge})(?:{value_pattern})(?<!{edge}){edge}*)?$"


# strptime's expressions for the directives of the formats (Python 3.11 `_strptime`), its years
# limited to FIRST_YEAR..LAST_YEAR as `parse_when` limits them. Looser than the check, which also
# refuses days that do not exist (2019-02-30), and reads digits of other scripts exactly.
def _directives() -> dict[str, str]:
    d = digit()
    return {"%Y": numeral(FIRST_YEAR, LAST_YEAR, 4), "%m": "1[0-2]|0[1-9]|[1-9]",
            "%d": f"3[01]|[12]{d}|0[1-9]|[1-9]| [1-9]", "%H": f"2[0-3]|[0-1]{d}|{d}",
            "%M": f"[0-5]{d}|{d}", "%S": f"[0-5]{d}|{d}"}  # seconds 60 and 61: datetime() refuses them


@cache
def when_pattern(formats: tuple[str, ...]) -> str:
    """What strptime reads with one of `formats`: a space of a format is one or more spaces, a
    letter matches in any case (its `re.IGNORECASE`)."""
    directives = _directives()

    def part(token: str) -> str:
        if token in directives:
            return f"(?:{directives[token]})"
        return f"{space()}+" if token == " " else spelled(token, ignoring_case)

    shapes = ("".join(part(token) for token in re.findall("%.|.", fmt)) for fmt in formats)
    return "|".join([*shapes, other_digits(" -:Tt")])


@dataclass(frozen=True)
class ParseContext:
    """What a field may need besides its raw text: where the content lives."""

    content_root: Path
    source_path: Path
    # Every other file a check looked at (existing or not): the result depends on them.
    files: set[str] = field(default_factory=set, compare=False)

    def depends_on(self, path: Path) -> Path:
        """Record that the result depends on the file at `path`; returns `path`.

        A check that looks at any file besides its own must say so here, or a
        cached result would not follow a change of that file.
        """
        self.files.add(os.path.abspath(path))
        return path


# The longest title of any kind: search results and share previews cut longer ones.
TITLE_LENGTH = 160


@dataclass(frozen=True)
class Text(Field):
    max_length: int = 0

    @property
    def expected(self) -> str:
        return f"un texte d'au plus {self.max_length} caractères" if self.max_length else "un texte"

    @property
    def value_pattern(self) -> str:
        # Characters as len() counts them: an emoji is one, where JavaScript's "." counts two.
        return f"{text_char()}{{0,{self.max_length}}}" if self.max_length else super().value_pattern

    def convert(self, value: str, context: ParseContext) -> str:
        if self.max_length and len(value) > self.max_length:
            raise FieldError(
                f"{len(value)} caractères ; attendu : au plus {self.max_length} caractères"
            )
        return value


@dataclass(frozen=True)
class Choice(Field):
    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        return "une valeur parmi " + ", ".join(self.choices)

    @property
    def options(self) -> tuple[str, ...]:
        return self.choices

    @property
    def value_pattern(self) -> str:
        return "|".join(re.escape(choice) for choice in self.choices)

    def convert(self, value: str, context: ParseContext) -> str:
        if value in self.choices:
            return value
        exact_case = {c.lower(): c for c in self.choices}.get(value.lower())
        hint = f" (vouliez-vous dire « {exact_case} » ?)" if exact_case else did_you_mean(
            value, self.choices
        )
        raise FieldError(f"« {value} » inconnu ; attendu : {self.expected}{hint}")


def parse_when(value: str, expected: str, time_formats: Iterable[str] = TIME_FORMATS,
               day: bool = True) -> date | datetime:
    """`value` as a naive datetime (one of `time_formats`) or, when `day`, a date;
    its year within FIRST_YEAR..LAST_YEAR. `expected` ends the message of a refusal."""
    parsed: date | datetime | None = None
    for fmt in time_formats:
        try:
            parsed = datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    if parsed is None and day:
        try:
            parsed = datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            pass
    if parsed is None:
        raise FieldError(f"« {value} » n'est pas une date valable ; attendu : {expected}")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise FieldError(f"« {value} » : année {parsed.year} hors limites ; "
                         f"attendu : une année de {FIRST_YEAR} à {LAST_YEAR}")
    return parsed


@dataclass(frozen=True)
class DateTime(Field):
    expected = "une date AAAA-MM-JJ ou AAAA-MM-JJ HH:MM (ex. 2019-11-14 09:30)"
    blank_means_absent = False  # Pelican reads Date and Modified itself, and fails on an empty one

    @property
    def value_pattern(self) -> str:
        return when_pattern(_DATETIME_FORMATS)

    def convert(self, value: str, context: ParseContext) -> datetime:
        when = parse_when(value, self.expected, _DATETIME_FORMATS, day=False)
        assert isinstance(when, datetime), "day=False: parse_when gives a datetime, midnight for a bare day"
        return when


@dataclass(frozen=True)
class Day(Field):
    expected = "une date AAAA-MM-JJ (ex. 2019-11-14)"

    @property
    def value_pattern(self) -> str:
        return when_pattern(DAY_FORMATS)

    def convert(self, value: str, context: ParseContext) -> date:
        return parse_when(value, self.expected, time_formats=())


@dataclass(frozen=True)
class Boolean(Field):
    expected = "oui ou non"
    options = ("oui", "non")

    @property
    def value_pattern(self) -> str:
        return "|".join(spelled(word) for word in sorted(_TRUE | _FALSE))

    def convert(self, value: str, context: ParseContext) -> bool:
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise FieldError(f"« {value} » ; attendu : {self.expected}")


@dataclass(frozen=True)
class TextList(Field):
    """Comma-separated values (semicolons when values contain commas), as Pelican splits them."""

    expected = "une liste séparée par des virgules"

    @property
    def value_pattern(self) -> str:
        """Items separated by commas, or by semicolons when the value holds one; none of them
        empty or only spaces."""
        def items(separator: str, excluded: str) -> str:
            char, word = char_in(_not_control, excluded), char_in(_not_control, excluded + spaces())
            item = f"{char_in(_list_space)}*{word}{char}*"
            return f"{item}(?:{separator}{item})" + ("*" if separator == "," else "+")
        return f"{items(',', ',;')}|{items(';', ';')}"

    def convert(self, value: str, context: ParseContext) -> list[str]:
        separator = ";" if ";" in value else ","
        items = [item.strip() for item in value.split(separator)]
        if any(not item for item in items):
            raise FieldError(f"« {value} » contient un élément vide ; attendu : {self.expected}")
        return items


# Unicode's control characters (category Cc, fixed by its stability policy: C0, DEL and C1)
# but tabs and line breaks; a pattern finds them at C speed in a 10,000-word body.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """`U+0007` for the first control character of `text` (tabs and line breaks aside), or None."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _list_space(char: str) -> bool:
    return char.isspace() and _not_control(char)


_WORD = re.compile(r"\w")


def _email_char(char: str) -> bool:
    return bool(_WORD.match(char)) or char in ".+-@"


def _address_char(char: str) -> bool:
    return address_flaw(char) is None


def _folds_to_delimiter(char: str) -> bool:
    """A character that NFKC makes into "/", "?", "#", "@" or ":": urlsplit refuses it in the
    network location (＠, ：, ℀)."""
    return not char.isascii() and bool(set(unicodedata.normalize("NFKC", char)) & set("/?#@:"))


def address_flaw(value: str) -> str | None:
    """What makes `value` unfit for an address an editor typed (quotes, spaces...), or None."""
    for char in value:
        if char in "\"'<>\\`":
            return f"contient le caractère {char}"
        if char.isspace():
            return "contient une espace"
        if unicodedata.category(char) in ("Cc", "Cf"):
            return f"contient un caractère invisible (U+{ord(char):04X})"
    return None


@dataclass(frozen=True)
class Url(Field):
    """An absolute http(s) address: it goes into href="" and feeds as typed."""

    @property
    def expected(self) -> str:
        return "une adresse web complète commençant par https:// ou http://"

    @property
    def value_pattern(self) -> str:
        # As urlparse (Python 3.11) reads it: the scheme in any case, "//", then up to the first "/",
        # "?" or "#" the user's part (up to its last "@") and the host: a name and a port of at most
        # 65535, or an address in brackets (the name is inside them), checked by the shape of an IPv6
        # address only: looser than the check, which refuses one that cannot be ([:::1]), and brackets
        # in the user's part.
        # Lookaheads check the characters, each long class once: every one is allowed by address_flaw,
        # none of the network location folds to a delimiter.
        chars = f"(?={char_in(_address_char)}*{edge_space()}*$)"
        netloc = f"(?![^/?#]*{char_in(_folds_to_delimiter)})"
        host, port = r"[^/?#@:\[\]]", f"(?::{at_most(65535)}?)?"
        bracketed = rf"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%{host}+)?|v[0-9A-Fa-f]+\.{host}+"
        named = rf"{host}+{port}|[^/?#@\[]*\[(?:{bracketed})\][^/?#@:]*{port}"
        return rf"{chars}[hH][tT][tT][pP][sS]?://{netloc}(?:[^/?#]*@)?(?:{named})(?:[/?#][\s\S]*)?"

    def convert(self, value: str, context: ParseContext) -> str:
        flaw = address_flaw(value)
        try:
            parsed = urlparse(value)
            parsed.port  # noqa: B018 (raises ValueError on a port that is not a number)
        except ValueError:
            flaw = flaw or "a un numéro de port illisible"
        else:
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                flaw = flaw or "n'est pas une adresse web complète"
        if flaw:
            raise FieldError(f"« {shown(value)} » {flaw} ; attendu : {self.expected}")
        return value


@dataclass(frozen=True)
class Email(Field):
    """An address for mailto: links, so nothing that could leave the attribute or the header."""

    expected = "une adresse e-mail (ex. prenom.nom@exemple.be)"

    @property
    def value_pattern(self) -> str:
        # _EMAIL, its \w being letters and digits of every script: a lookahead takes every character
        # from that long class (written once), then the address has _EMAIL's shape, its top-level
        # domain of \w but digits (of any script) and "_" ([^\W\d_]), a surrogate pair being one.
        letter = rf"(?:(?!{char_in(_decimal)})(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^@.+_\-\uD800-\uDFFF]))"
        return (f"(?={char_in(_email_char)}+{edge_space()}*$)"
                rf"[^@]+@[^@.+]+(?:\.[^@.+]+)*\.{letter}{{2,}}")

    def convert(self, value: str, context: ParseContext) -> str:
        flaw = address_flaw(value)
        if flaw or not _EMAIL.match(value):
            raise FieldError(f"« {shown(value)} »{' ' + flaw if flaw else ''} ; attendu : {self.expected}")
        return value


@dataclass(frozen=True)
class Slug(Field):
    expected = "des minuscules sans accents, chiffres et tirets (ex. jours-fous-2019)"
    value_pattern = _SLUG.pattern[1:-1]  # the check's own expression, without its anchors

    def convert(self, value: str, context: ParseContext) -> str:
        if not _SLUG.match(value):
            raise FieldError(f"« {value} » ; attendu : {self.expected}")
        return value


@dataclass(frozen=True)
class Integer(Field):
    minimum: int | None = None
    maximum: int | None = None

    @property
    def expected(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"un nombre entier de {self.minimum} à {self.maximum}"
        if self.minimum is not None:
            return f"un nombre entier supérieur ou égal à {self.minimum}"
        return "un nombre entier"

    # Twelve characters at most, as convert takes; its bounds are the number widget's min and max.
    value_pattern = "-?[0-9]{1,11}|[0-9]{12}"

    def convert(self, value: str, context: ParseContext) -> int:
        if not _INTEGER.match(value) or len(value) > 12:
            raise FieldError(f"« {value} » ; attendu : {self.expected}")
        number = int(value)
        too_small = self.minimum is not None and number < self.minimum
        too_large = self.maximum is not None and number > self.maximum
        if too_small or too_large:
            raise FieldError(f"« {value} » ; attendu : {self.expected}")
        return number


@dataclass(frozen=True)
class Amount(Field):
    """A sum in euros from 0 to `maximum`, in digits, with at most two decimals after a
    comma (or a point); spaces between thousands and a euro sign are allowed. NaN,
    Infinity, exponents and `2.600` (2600 in Belgium, 2.6 elsewhere) are refused."""

    expected = "un montant en euros (ex. 1500 ou 12,50)"
    maximum: Decimal = MAX_AMOUNT

    @property
    def value_pattern(self) -> str:
        # Spaces, € and EUR (in any case) anywhere, as convert removes them; then units and at most two
        # decimals, up to `maximum` (any decimals after a maximum that is not whole: looser).
        noise = f"(?:{space()}|€|{spelled('EUR', ignoring_case)})*"

        def figure(low: int, high: int) -> str:
            return digit(low, high) + noise

        whole = int(self.maximum)
        cents = f"[.,]{noise}{figure(0, 9)}(?:{figure(0, 9)})?"
        top_cents = f"[.,]{noise}{figure(0, 0)}(?:{figure(0, 0)})?" if whole == self.maximum else cents
        below = f"{at_most(whole - 1, figure)}(?:{cents})?|" if whole else ""
        top = f"(?:{figure(0, 0)})*{numeral(whole, whole, len(str(whole)), figure)}(?:{top_cents})?"
        return f"{noise}(?:{below}{top})"

    def convert(self, value: str, context: ParseContext) -> Decimal:
        cleaned = re.sub(r"[\s\u00a0\u202f]|€|EUR", "", value, flags=re.IGNORECASE)
        if cleaned.startswith("-"):
            raise FieldError(f"« {value} » est négatif ; attendu : {self.expected}")
        if _THOUSANDS.match(cleaned):
            raise FieldError(f"« {value} » est ambigu (séparateur de milliers ?) ; attendu : "
                             f"{self.expected}, sans point ni virgule entre les milliers")
        match = _AMOUNT.match(cleaned)
        if not match:
            raise FieldError(f"« {value} » n'est pas un montant ; attendu : {self.expected}")
        amount = Decimal(match["units"] + (f".{match['cents']}" if match["cents"] else ""))
        if amount > self.maximum:
            limit = f"{self.maximum:,}".replace(",", " ")
            raise FieldError(f"« {value} » dépasse {limit} € ; attendu : {self.expected}, au plus {limit} €")
        return amount


@dataclass(frozen=True)
class ImagePath(Field):
    """A path below the content folder (e.g. `images/x.jpg`) that must exist."""

    expected = "le chemin d'une image dans content/ (ex. images/jours-fous.jpg)"
    extensions: tuple[str, ...] = field(default=(".jpg", ".jpeg", ".png", ".webp"))

    @property
    def value_pattern(self) -> str:
        # The extension as Path.suffix reads it: after a name (".jpg" alone has none), a final "/" or
        # "/." dropped. Looser than the check, which also wants the file: the image widget picks one.
        extensions = "|".join(spelled(extension) for extension in self.extensions)
        return rf"{text_char()}*{char_in(_not_control, '/')}(?:{extensions})(?:/\.?)*"

    def convert(self, value: str, context: ParseContext) -> str:
        relative = value.lstrip("/")
        for prefix in ("{static}/", "{filename}/"):
            relative = relative.removeprefix(prefix)
        if Path(relative).suffix.lower() not in self.extensions:
            raise FieldError(
                f"« {value} » n'est pas une image ({', '.join(self.extensions)}) ; "
                f"attendu : {self.expected}"
            )
        if not context.depends_on(context.content_root / relative).is_file():
            raise FieldError(f"« {value} » introuvable ; attendu : {self.expected}")
        return relative


# The predicates whose members patterns use (see `_members`): patterns_scan scans Unicode for each.
SCANNED_PREDICATES: tuple[Callable[[str], bool], ...] = (
    _not_control, str.isspace, _edge_space, _decimal, _other_decimal, _list_space, _email_char,
    _address_char, _folds_to_delimiter)
