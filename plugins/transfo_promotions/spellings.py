"""What a reader could read in a file, normalised, and the numbers written in it.

The leak check compares the promotion records with the text of every built
file. Markup can split a text (`Bru<em>xelles</em>`), invisible characters
can sit inside a number (`57\u200b000`), and a number has many spellings
(`57 000`, `57.000`, `57k`, `57,0 k`; `58,4 €`, `€58.40`). So the text is
first brought to one form (`normalise`), then its numbers are read as values
(`numbers`), and texts are compared without spaces, punctuation or accents
(`compact`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Unicode's default-ignorable code points (DerivedCoreProperties.txt): drawn as nothing,
# so they can sit inside a word or a number unseen. Soft hyphen, zero-width space, (non-)joiners,
# direction marks, word joiner, invisible operators, variation selectors, byte order mark, tags.
# Apart, the few beyond the 16-bit range: a class of 16-bit characters is a table lookup.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]+")
_IGNORABLE_ASTRAL = re.compile("[\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]+")
# What NFKC would change in most French pages, changed first by plain replacements.
_FREQUENT_COMPATIBLES = (("\u00a0", " "), ("\u202f", " "), ("\u2009", " "), ("\u2026", "..."))
_JSON_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")

# Markup. Elements that do not break a line join their text to the next (`57<em>000</em>` reads
# 57000); every other tag is a space. Comments and CDATA sections keep their text: it is in the
# file anyone can read. A `<` not followed by a name is text (`3 < 5`).
# (a, abbr, b, bdi, bdo, cite, code, data, del, dfn, em, font, i, ins, kbd, mark, q, s, samp,
# small, span, strong, sub, sup, time, tt, u, var, wbr; as a tree of first letters: faster.)
_INLINE = ("a(?:bbr)?|b(?:d[io])?|c(?:ite|ode)|d(?:ata|el|fn)|em|font|i(?:ns)?|kbd|mark|q|"
           "s(?:amp|mall|pan|trong|u[bp])?|t(?:ime|t)|u|var|wbr")
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})(?![\w-])[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<(?=[a-zA-Z/!?])[^>]*>")
_COMMENT_MARKS = re.compile(r"<!--|-->|<!\[CDATA\[|\]\]>")
# Attribute values hold text (alt, title, content, aria-label, data-*) and addresses (href,
# src...). Read from each `=` (a literal the engine finds fast), whatever the attribute, but
# sizes and drawing coordinates, numbers that are no one's figures (an enclosure's length).
# (Grouped by length: a look-behind has one width.)
_SKIPPED = (r"\s[xydr]", r"\s(?:[cdr][xy]|[xy][12])", r"\ssize", r"\swidth",
            r"\s(?:length|height|points|offset)", r"\sviewbox", r"\s(?:transform|integrity)")
_VALUE = r"""\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
_ATTRIBUTE_VALUE = re.compile("=" + "".join(f"(?<!{name}=)" for name in _SKIPPED) + _VALUE, re.IGNORECASE)
_URL_ATTRIBUTES = ("href", "src", "srcset", "action", "poster", "cite", "content", "data", "ping")
_URL_VALUE = re.compile("=(?:" + "|".join(rf"(?<={name}=)" for name in _URL_ATTRIBUTES) + ")" + _VALUE,
                        re.IGNORECASE)
_PERCENT_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# A file's extension ending an address, with the `.<hash>.<width>` the image derivatives add
# before it (couverture-57000.7fb3f54766.400.jpg): taken away, the name's last number is read.
_FILE_ENDING = re.compile(r"(?:\.[0-9a-f]{10}(?:\.\d+)?)?\.[A-Za-z][A-Za-z0-9]{0,4}(?=[\s\"'?#,]|$)", re.M)


def normalise(text: str) -> str:
    """One form for every way of writing the same (readable) text: Unicode
    compatibility forms folded (NFKC: no-break and narrow spaces, full-width digits),
    invisible characters removed, any run of spaces one plain space, typographic
    apostrophes straight, case folded."""
    for variant, plain in _FREQUENT_COMPATIBLES:  # then most texts need no NFKC change: fast
        text = text.replace(variant, plain)
    if not unicodedata.is_normalized("NFKC", text):  # a quick check: ten times faster than normalising
        text = unicodedata.normalize("NFKC", text)
    text = _IGNORABLE.sub("", text)
    if len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text):  # beyond 16 bits
        text = _IGNORABLE_ASTRAL.sub("", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return squeeze_spaces(text).casefold()


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


def compact(normalised: str) -> str:
    """Letters and digits only, accents dropped: a text as it reads whatever the spacing,
    punctuation, markup or slug it went through (`25-45 ans, Liège` -> `2545ansliege`)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKD", normalised))


def unescape_json(text: str) -> str:
    """`\\u00e9` escapes of JSON and JavaScript strings as the characters they stand for."""
    if "\\u" not in text:
        return text

    def character(match: re.Match) -> str:
        if match.group(3):
            return chr(int(match.group(3), 16))
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    return _JSON_ESCAPE.sub(character, text)


def percent_decoded(text: str) -> str:
    """`%35%37` as `57`: addresses percent-encoded (UTF-8), decoded wherever they are."""
    if "%" not in text:
        return text
    return _PERCENT_ESCAPES.sub(
        lambda escapes: bytes.fromhex(escapes.group(0).replace("%", "")).decode("utf-8", "replace"), text)


def _attribute_text(markup: str) -> str:
    """The values of the attributes (entities left as they are), and once more the addresses
    among them, decoded, with `+`, `-` and `_` read as spaces (a query string, a slug) and
    their files' extensions taken away (`bilan-57000.pdf`)."""
    values = "\n".join(map("".join, _ATTRIBUTE_VALUE.findall(markup)))
    addresses = "\n".join(map("".join, _URL_VALUE.findall(markup)))
    if addresses:
        addresses = _FILE_ENDING.sub(" ", percent_decoded(html.unescape(addresses).replace("+", " ")))
        values += "\n" + addresses.replace("-", " ").replace("_", " ")
    return values


def _strip_tags(markup: str) -> str:
    if "<!--" in markup or "<![" in markup:
        markup = _COMMENT_MARKS.sub(" ", markup)
    return _TAG.sub(" ", _INLINE_TAG.sub("", markup))


def readable_text(content: str, markup: bool) -> str:
    """What a reader, or a crawler, can read in a file, entities decoded, not yet normalised.

    For markup (HTML, XML, SVG, JSON that may carry HTML): the text without its
    tags, then the attributes' values; markup escaped inside it (a feed's
    contents) is read the same way once unescaped; addresses are also read
    percent-decoded. Everywhere: JSON `\\u` escapes decoded."""
    content = unescape_json(content)
    if not markup:
        return html.unescape(content)
    attributes = []
    for _round in range(2):
        attributes.append(_attribute_text(content))
        content = html.unescape(_strip_tags(content))
        if "<" not in content:
            break
    return "\n".join([content, html.unescape("\n".join(attributes))])


# --- numbers ---------------------------------------------------------------------------------

# A number as French, Belgian and English texts write it, in normalised text: digits grouped by
# threes with one separator (space, dot, comma, apostrophe), a decimal part, a scale (57k,
# 57 mille), a currency after it or as the decimal mark (58€40). It must not touch a letter or
# be part of a longer number, of a name or an address (x57000, 1.57 000, photo.8.400.jpg,
# 127.0.0.1). The pattern starts with a digit, so the engine only tries it there, and fails at
# once inside a run of digits. Plain whole numbers of fewer than five digits (years,
# "3 projets") are not read at all: no figure is recognised in them, and they are most of a
# page's numbers.
_SCALES = {"k": 1000, "mille": 1000, "thousand": 1000, "million": 10**6, "millions": 10**6,
           "mio": 10**6}
_NUMBER = re.compile(r"""
    (?P<int>\d(?<!\w\d)(?<!\w\.\d)(?<!\d[,']\d)(?:\d{0,2}+(?P<sep>[ .,'])\d{3}(?!\d)(?:(?P=sep)\d{3}(?!\d))*|\d*+))
    (?:(?P<dec>[.,]|€(?=\d\d(?!\d)))(?P<frac>\d++))?
    (?P<long>(?<=\d{5}))?
    (?!\d|[.,']\d|\.[^\W\d_])
    (?:\x20?(?P<scale>k|mille|thousand|millions?|mio)(?![^\W\d_]))?
    (?P<currency>\x20?(?:€|eur(?:os?)?)(?![^\W\d_]))?
    (?(sep)|(?(dec)|(?(scale)|(?(long)|(?!)))))
    (?![^\W\d_])
""", re.VERBOSE)
_CURRENCY_BEFORE = re.compile(r"(?:€|(?:^|\W)eur) ?$")  # on the few characters before a number


@dataclass(frozen=True)
class Reading:
    """One way to read a written number: `57.000` is 57000 (grouped) or 57 (three decimals)."""

    value: Decimal
    grouped: bool  # thousands separated
    decimals: int  # digits written after the decimal mark (0: none)


@dataclass(frozen=True)
class WrittenNumber:
    text: str  # as written, in normalised text, scale and currency included
    readings: tuple[Reading, ...]
    separator: str  # the thousands separator, "" when there is none
    scaled: bool  # 57k, 57 mille
    currency: bool  # € or EUR just before or after


def numbers(normalised: str) -> Iterator[WrittenNumber]:
    """The numbers of a normalised text that could spell a figure, each with its readings."""
    for match in _NUMBER.finditer(normalised):
        whole, separator, mark, fraction = match.group("int", "sep", "dec", "frac")
        if whole[0] == "0" and len(whole) > 1 and whole[1].isdigit():
            continue  # 057 000, a telephone number

        separator = separator or ""
        if mark and mark == separator:
            continue  # 1.234.5: no reading
        digits = whole.replace(separator, "") if separator else whole
        candidates = [_reading(digits, fraction or "", bool(separator))]
        if separator in (".", ",") and not mark and whole.count(separator) == 1:
            before, after = whole.split(separator)
            candidates.append(_reading(before, after, False))  # 57.000: also a decimal mark
        readings = [r for r in candidates if r is not None]
        scale = match.group("scale")
        if scale:
            readings = [Reading(r.value * _SCALES[scale], r.grouped, r.decimals) for r in readings]
        currency = bool(match.group("currency")) or mark == "€" or bool(
            _CURRENCY_BEFORE.search(normalised[max(0, match.start() - 6):match.start()]))
        yield WrittenNumber(match.group(0).strip(), tuple(readings),
                            separator, bool(scale), currency)


def _reading(whole: str, fraction: str, grouped: bool) -> Reading | None:
    try:
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation:
        return None
    return Reading(value, grouped, len(fraction))
