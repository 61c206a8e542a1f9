"""Field types of the content schema.

Each field turns the raw text an editor typed into a value, or raises
`FieldError` saying what was found and what is expected, in French, because
editors read these messages.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from transfo_common.markup import shown

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")  # a day and a time, as editors type them
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
    def pattern(self) -> str:
        """A regular expression, valid in Python and JavaScript, that every accepted value matches; "" for none."""
        return ""


def any_case(suffixes: Iterable[str]) -> str:
    """`(jpg|png)` matching any case, for JavaScript patterns that take no flags."""
    return "(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c)
                                  for c in suffix) for suffix in suffixes) + ")"


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
    def pattern(self) -> str:
        return f"^.{{0,{self.max_length}}}$" if self.max_length else ""

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
    pattern = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$"

    def convert(self, value: str, context: ParseContext) -> datetime:
        when = parse_when(value, self.expected, _DATETIME_FORMATS, day=False)
        assert isinstance(when, datetime), "day=False: parse_when gives a datetime, midnight for a bare day"
        return when


@dataclass(frozen=True)
class Day(Field):
    expected = "une date AAAA-MM-JJ (ex. 2019-11-14)"
    pattern = r"^\d{4}-\d{2}-\d{2}$"

    def convert(self, value: str, context: ParseContext) -> date:
        return parse_when(value, self.expected, time_formats=())


@dataclass(frozen=True)
class Boolean(Field):
    expected = "oui ou non"
    options = ("oui", "non")

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

    pattern = r"^https?://[^\s/]+\S*$"

    @property
    def expected(self) -> str:
        return "une adresse web complète commençant par https:// ou http://"

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
    pattern = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"

    def convert(self, value: str, context: ParseContext) -> str:
        flaw = address_flaw(value)
        if flaw or not _EMAIL.match(value):
            raise FieldError(f"« {shown(value)} »{' ' + flaw if flaw else ''} ; attendu : {self.expected}")
        return value


@dataclass(frozen=True)
class Slug(Field):
    expected = "des minuscules sans accents, chiffres et tirets (ex. jours-fous-2019)"
    pattern = _SLUG.pattern

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

    pattern = r"^-?\d+$"

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
    def pattern(self) -> str:
        return r"\." + any_case(ext.lstrip(".") for ext in self.extensions) + "$"

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
