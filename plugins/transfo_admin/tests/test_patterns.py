"""Each field's CMS pattern against `invoke check`, both ways, on clumsy and hostile values.

The browser's verdict is Decap's (validatePattern of its EditorControl: an empty value passes,
any other must pass `RegExp(pattern).test(value)`, without flags), computed by Node, whose V8 is
Chromium's. The check's verdict is the field's, on the value as the CMS's format writes it
(static/pelican-format.js) and frontmatter.py reads it back. Values are typed ones, clumsy and
hostile ones (quotes, emoji, « R&D », spaces, commas for points, long ones), and values made of
fragments at random (seeded), many of them near the limits of what the check accepts.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from transfo_agenda.schema import MAX_PRICE, EventTime, Price, TimeZoneName, zone_names
from transfo_images.fields import FocusPoint
from transfo_offers.schema import Deadline
from transfo_validation import frontmatter
from transfo_validation.fields import (
    Amount,
    Boolean,
    Choice,
    DateTime,
    Day,
    Email,
    Field,
    FieldError,
    ImagePath,
    Integer,
    ParseContext,
    Slug,
    Text,
    TextList,
    Url,
)

ROOT = Path(__file__).resolve().parents[3]
FORMAT = ROOT / "plugins" / "transfo_admin" / "static" / "pelican-format.js"
KEY = "champ"

# Reads {"patterns": [...], "cases": [[pattern index, value]...]} on stdin; answers, for each case,
# whether Decap lets the value be saved, and the text the format writes for it.
RUNNER = """
const {pelicanFormat} = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const format = pelicanFormat({lists: []});
const patterns = input.patterns.map(p => RegExp(p));
const out = input.cases.map(([index, value]) => [
  value === '' || patterns[index].test(value),
  format.toFile({[input.key]: value, body: ''}, []),
]);
process.stdout.write(JSON.stringify(out));
"""

# What any field meets: typed by editors in a hurry, pasted from a word processor, or worse.
COMMON = [
    "", " ", "  \t ", "a", "centre", "« R&D »", "L'été", "l’été", 'dit "non"', "<b>gras</b>", "a\\b", "`code`",
    "😀", "👩‍👩‍👧", "\U0001F1E7\U0001F1EA", "1.500 €", "1 500,50 €", "prix libre", "Bruxelles", "gratuit",
    "a\u2028b", "\ufeffa", "a\ufeff", "\u00a0a\u00a0", "\u202fa", "a\x01b", "\x1ca", "a\x85", "\x7f", "a\u200bb",
    "é" * 3, "Ｒ＆Ｄ", "١٢٣", "x" * 500, "😀" * 200, "a, b", "a; b", "-", "0", "100", "http://", "@",
]


def fragments(rng: random.Random, parts: list[str], count: int, longest: int = 7) -> list[str]:
    """`count` values made of up to `longest` fragments drawn from `parts`."""
    return ["".join(rng.choice(parts) for _ in range(rng.randint(1, longest))) for _ in range(count)]


def near(valid: list[str], rng: random.Random, count: int) -> list[str]:
    """`count` values one edit away from a valid one: a character dropped, doubled or swapped."""
    odd = [" ", "'", "é", "😀", ",", ".", "-", "\u00a0", "0", "9", "%", "/", ":", "@", "T", "\u0663"]
    made = []
    for _ in range(count):
        value = rng.choice(valid)
        at = rng.randint(0, len(value))
        edit = rng.choice(("drop", "double", "insert"))
        if edit == "drop" and value:
            at = min(at, len(value) - 1)
            made.append(value[:at] + value[at + 1:])
        elif edit == "double" and value:
            at = min(at, len(value) - 1)
            made.append(value[:at + 1] + value[at:])
        else:
            made.append(value[:at] + rng.choice(odd) + value[at:])
    return made


def lengths(limit: int) -> list[str]:
    """Values around `limit` characters, with emoji (one character for the check, two for
    JavaScript) and accents (composed or not)."""
    values = []
    for size in (limit - 1, limit, limit + 1):
        values += ["a" * size, "😀" + "a" * (size - 1), "é" * size, "e\u0301" * (size // 2),
                   " " + "b" * size + " ", "👍🏽" * (size // 2)]
    return values


def other_digit(value: str) -> bool:
    return any(unicodedata.decimal(char, -1) >= 0 and not char.isascii() for char in value)


def text_samples(rng: random.Random, limit: int) -> list[str]:
    parts = ["a", "é", "😀", " ", "\t", "'", '"', "« R&D »", "\u2028", "\ufeff", "\x01", "\x85", "\u200b", ",", "."]
    return lengths(limit) + fragments(rng, parts, 300, longest=limit // 2 + 3)


def list_samples(rng: random.Random) -> list[str]:
    parts = [",", ";", " ", "a", "Dupont, Jean", "b", "\t", "\u00a0", "« R&D »", "😀", "\x01", ",,", "; ;", "\ufeff"]
    return fragments(rng, parts, 400)


def url_samples(rng: random.Random) -> list[str]:
    valid = ["https://fr.wikipedia.org/wiki/Économie_sociale", "http://exemple.be:8080/a?b=c#d",
             "https://user:pw@exemple.be/", "HTTPS://EXEMPLE.BE", "https://[::1]:80/", "https://exemple.be:"]
    parts = ["http", "https", "HTTPS", "hTtp", "ftp", ":", "//", "/", "www.exemple.be", "exemple.be",
             "fr.wikipedia.org/wiki/L'été", ":8080", ":65535", ":65536", ":099999", ":", "@", "user:pw@", "[::1]",
             "[", "]", "[v1.x]", "[1.2.3.4]", "?q=1", "#x", " ", "'", '"', "<", ">", "\\", "`", "é", "😀",
             "\u200b", "\uff0f", "\uff1a", "\u2100", "%20", "\u00a0", "\ufeff", "\x01", "?", "\u0663"]
    built = ["https://" + "".join(rng.choice(parts[5:]) for _ in range(rng.randint(1, 5))) for _ in range(300)]
    clumsy = ["https://fr.wikipedia.org/wiki/L'Isle-Adam", "https://exemple.be/a b", "https://exemple.be/\"x\"",
              "https://exemple.be/<script>", "https://exemple.be/a\\b", "https://exemple.be/`", "https:exemple.be",
              "https:///x", "mailto:a@b.be", "https://:80", "https://exemple.be:8o", "www.exemple.be"]
    return valid + clumsy + built + fragments(rng, parts, 300) + near(valid, rng, 300)


def email_samples(rng: random.Random) -> list[str]:
    valid = ["prenom.nom@exemple.be", "josé@exemple.be", "a+b@x-y.com", "a_b@sous.domaine.org", "a@b.co"]
    parts = ["jean", "jean.dupont", "+", "-", "_", "@", "exemple", ".", "be", "b", "com", "josé", "é", "😀", "1",
             "'", '"', " ", "<", ">", "\ufeff", "ü", "ß", "..", "\u0661", "𝐀", "a", "xn--", "ǅ", "²", "½"]
    clumsy = ["jean@exemple", "jean@exemple.b", "jean@exemple.b2", "jean.@exemple.be", "@exemple.be",
              "jean@@exemple.be", "o'brien@exemple.be", "jean dupont@exemple.be", "jean@exemple.be.",
              "jean@exemple._e", "a@b.𝐀𝐁", "a@b.𝐀", "a@b.𝟎𝟏", "a@b.é٣", "a@b.ǅ²", "𝐀@𝐀.be"]
    return valid + clumsy + fragments(rng, parts, 400) + near(valid, rng, 300)


def slug_samples(rng: random.Random) -> list[str]:
    parts = ["jours", "fous", "-", "2019", "é", "A", "_", " ", "--", "a", "😀"]
    return fragments(rng, parts, 300)


def integer_samples(rng: random.Random) -> list[str]:
    parts = ["-", "1", "0", "12", "123456", "+", " ", "1.5", "٣", "９", "e"]
    return ["123456789012", "-12345678901", "-123456789012", "1234567890123"] + fragments(rng, parts, 300)


def when_samples(rng: random.Random) -> list[str]:
    valid = ["2019-11-14", "2019-11-14 09:30", "2019-11-14T09:30", "2019-1-5", "2019-11-14 9:3", "2019-11- 5",
             "2019-11-14t09:30", "2019-11-14   09:30", "2019-11-14 09:30:15", "1900-01-01", "2100-12-31 23:59"]
    parts = ["2019", "-", "11", "14", "1", "5", "02", "30", "31", "00", "13", " ", "T", "t", "09", ":", "30",
             "9", "3", "24", "60", "1899", "2101", "2100", "1900", "\u00a0", "\u2003", "/", "٢٠١٩", "１"]
    return valid + ["14/11/2019", "demain", "2019-11-14 24:00", "2019-02-30", "2019-11-14 09:60",
                    "2019-11-14 09:30:60", "0019-11-14", "2019-11-14 09h30"] + fragments(rng, parts, 300) + near(
        valid, rng, 300)


def image_samples(rng: random.Random) -> list[str]:
    parts = ["images/", "x", ".jpg", ".JPG", ".jpeg", ".png", ".webp", ".gif", "/", ".", "{static}/", "a b", "é",
             "😀", "'", "\x01", "repair-cafe", "/.", ".Jpg"]
    return [".jpg", "images/.jpg", "x.jpg/", "x.jpg/.", "x.jpg/..", "..jpg"] + fragments(rng, parts, 300)


def boolean_samples(rng: random.Random) -> list[str]:
    words = ["oui", "non", "Oui", "OUI", "vrai", "faux", "true", "False", "1", "0", "yes", "no", "peut-être",
             "\u0130", "\u0131", "ouı", "n", "o"]
    return fragments(rng, words, 100, longest=2)


def amount_samples(rng: random.Random) -> list[str]:
    valid = ["1500", "12,50", "12.5", "1 500 €", "1\u202f500,00 EUR", "0", "1000000", "999999,99", "10000", "€ 25"]
    parts = ["1", "0", "5", "00", "1500", "12", ",", ".", "50", "600", "€", "EUR", "eur", "Eur", " ", "\u00a0",
             "\u202f", "-", "+", "1e3", "NaN", "Infinity", "gratuit", "Gratuit", "libre", "prix", "free", "1000000",
             "999999", "10000", "9999", "0,0", "\u0663", "１", "e", "u", "r", "\u0130", "$"]
    clumsy = ["1.500 €", "2.600", "1,500", "1000000,01", "1000000,00", "10000,01", "01000000", "-5", "1 500.5 €",
              "12,505", "€", "EUR", "0,5 EUR", "prix libre", "sur demande", "GRATUIT", "libre", "free"]
    return valid + clumsy + fragments(rng, parts, 400, longest=6) + near(valid, rng, 300)


def focus_samples(rng: random.Random) -> list[str]:
    valid = ["30% 40%", "0% 100%", "50 %, 50 %", "33,3% 66,6%", "100.0%;0%", "099.5% 1%", "30%40%", "5% 5%"]
    parts = ["30", "40", "0", "100", "100.0", "99,5", "101", "%", " ", ",", ";", "  ", "-5", "1000", ".", "5",
             "00000000000000", "7", "8", "\u0663\u0660", "１", "\u00a0", "\t", "x", "centre"]
    clumsy = ["centre", "30 40", "30%", "30% 40", "100.00000000000000001% 0%", "100.000000000000007% 0%",
              "100.000000000000008% 0%", "100.1% 0%", "100.% 0%", "-0% 0%", "30% ; 40%", "30%, ,40%"]
    return valid + clumsy + fragments(rng, parts, 400, longest=8) + near(valid, rng, 300)


def zone_samples(rng: random.Random) -> list[str]:
    folders, zones = zone_names()
    picked = rng.sample(zones, 150)
    return picked + [zone.lower() for zone in picked[:50]] + [zone.upper() for zone in picked[:20]] + [
        f"{folder}{zone}" for folder in folders for zone in picked[:20]] + [
        "Europe/Brussels", "Bruxelles", "Europe/Bruxelles", "UTC", "utc", "Etc/GMT+1", "Europe/", "../etc/passwd",
        "/etc/localtime", "posix/Europe/Brussels", "right/UTC", "posixrules", "localtime", "Factory",
        "Europe//Brussels", "Europe/./Brussels", "zone.tab", "EST5EDT", "GMT0", "America/Buenos_Aires",
        "Europe/Kyiv", "Europe/Kiev", "Europe /Brussels", "Europe/Brussels😀"]


def explained_zone(value: str, check: str) -> bool:
    """Zones: a folder of the system's files may lack a few names that the pattern gives it."""
    return value.strip().startswith(zone_names()[0])


def explained_focus(value: str, check: str) -> bool:
    """Focus: digits of other scripts; a hair above 100 that float() does not round off."""
    return other_digit(value) or bool(re.search(r"100[.,]0{14}7", value))


def explained_when(value: str, check: str) -> bool:
    """Dates: the pattern does not know month lengths, nor read digits of other scripts exactly."""
    return other_digit(value) or "n'est pas une date valable" in check and bool(re.search(r"-(29|30|31)\b", value))


FIELDS: list[tuple[str, Field, Callable[[random.Random], list[str]], Callable[[str, str], bool] | None]] = [
    ("Text 160", Text(max_length=160), lambda rng: text_samples(rng, 160), None),
    ("Text 12", Text(max_length=12), lambda rng: text_samples(rng, 12), None),
    ("Text", Text(), lambda rng: text_samples(rng, 20), None),
    ("TextList", TextList(), list_samples, None),
    ("Url", Url(), url_samples, lambda value, check: "[" in value or "]" in value),
    ("Email", Email(), email_samples, None),
    ("Slug", Slug(), slug_samples, None),
    ("Integer", Integer(), integer_samples, None),
    ("DateTime", DateTime(), when_samples, explained_when),
    ("Day", Day(), when_samples, explained_when),
    ("Amount", Amount(), amount_samples, None),
    ("Price", Price(maximum=MAX_PRICE), amount_samples, None),
    ("FocusPoint", FocusPoint(), focus_samples, explained_focus),
    ("TimeZoneName", TimeZoneName(), zone_samples, explained_zone),
    ("EventTime", EventTime(), when_samples, explained_when),
    ("Deadline", Deadline(), when_samples, explained_when),
    ("ImagePath", ImagePath(), image_samples, lambda value, check: "introuvable" in check),
    ("Boolean", Boolean(), boolean_samples, None),
    ("Choice", Choice(choices=("Emploi", "Appel à projets", "C++")), lambda rng: fragments(
        rng, ["Emploi", "emploi", "Appel à projets", "C++", "C", "+", " "], 50, longest=2), None),
]


def check_verdict(spec: Field, text: str, context: ParseContext) -> tuple[bool, str]:
    """Whether `invoke check` accepts the field as written in `text`, and its message."""
    raw = frontmatter.parse(text).fields.get(KEY)
    if raw is None or (not raw.strip() and spec.blank_means_absent):
        return not spec.required, "absent"
    try:
        spec.parse(raw, context)
    except FieldError as error:
        return False, str(error)
    except OSError as error:  # TimeZoneName opens a folder (Europe) or too long a name: the check stops
        return False, f"{type(error).__name__}: {error}"
    return True, ""


def make_images(values: list[str], root: Path) -> None:
    """The files the image values name, so that only their names are compared."""
    for value in values:
        path = root / value.strip().lstrip("/").removeprefix("{static}/")
        if path.resolve().is_relative_to(root.resolve()) and path.resolve() != root.resolve():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            except (OSError, ValueError):  # a folder of that name, a NUL
                pass


def compare(name: str, spec: Field, values: list[str], tmp_path: Path) -> list[tuple[str, bool, bool, str]]:
    """(value, browser, check, message) of every value on which Decap and the check differ."""
    values = list(dict.fromkeys(values))
    if isinstance(spec, ImagePath):
        make_images(values, tmp_path)
    result = subprocess.run(["node", "-e", RUNNER, str(FORMAT)], input=json.dumps(
        {"key": KEY, "patterns": [spec.pattern], "cases": [[0, value] for value in values]}),
        capture_output=True, text=True, check=True, timeout=120)
    context = ParseContext(tmp_path, tmp_path / "x.md")
    differences = []
    for value, (browser, text) in zip(values, json.loads(result.stdout), strict=True):
        check, message = check_verdict(spec, text, context)
        if browser != check:
            differences.append((value, browser, check, message))
    return differences


@pytest.mark.parametrize(("name", "spec", "samples", "explained"), FIELDS, ids=[f[0] for f in FIELDS])
def test_the_cms_pattern_gives_the_checks_verdict(name, spec, samples, explained, tmp_path):
    """Never stricter than the check; looser only where its comment says the pattern cannot tell."""
    values = COMMON + samples(random.Random(name))
    differences = compare(name, spec, values, tmp_path)
    stricter = [d for d in differences if d[2]]
    assert stricter == [], f"{name}: the CMS refuses what the check accepts"
    unexplained = [d for d in differences if not (explained and explained(d[0], d[3]))]
    assert unexplained == [], f"{name}: the CMS accepts what the check refuses"
    assert len(set(values)) > 60
