"""Promotion records: one paid boost of one article, kept in an internal CSV file.

The file lives under the content folder but outside every folder Pelican
reads or copies (ARTICLE_PATHS, PAGE_PATHS, STATIC_PATHS), so the build never
publishes it; `leaks.py` proves it after each build.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from transfo_validation.fields import did_you_mean
from transfo_validation.problems import Problem

from .articles import did_you_mean_slug
from .parsing import EMPTY, parse_amount, parse_count, parse_day

PLATFORMS = ("facebook", "instagram", "linkedin")

# Column names of the data file, as editors see them in a spreadsheet.
COLUMNS = (
    "slug", "plateforme", "debut", "fin", "budget_eur", "depense_eur", "audience",
    "couverture", "impressions", "clics", "lectures", "cle_import",
)
REQUIRED = COLUMNS[:6]
COUNTS = {"couverture": "reach", "impressions": "impressions", "clics": "clicks",
          "lectures": "reads"}


@dataclass(frozen=True)
class Promotion:
    """One boost of one article on one platform, and what it brought."""

    slug: str
    platform: str
    start: date  # a day: boosts are budgeted per calendar day, Brussels time
    end: date
    budget: Decimal  # EUR
    spent: Decimal  # EUR
    audience: str = ""
    reach: int = 0
    impressions: int = 0
    clicks: int = 0  # link clicks
    reads: int = 0  # landing-page views
    import_key: str = ""  # set by `invoke promotions-import`; empty for records typed by hand
    line: int = 0  # line in the data file, for messages

    @property
    def identity(self) -> tuple:
        """What makes two records the same boost, whoever typed them."""
        return (self.slug, self.platform, self.start, self.end, self.spent)


def display_path(path: Path) -> str:
    """The path as an editor finds it: relative to where the command runs."""
    relative = os.path.relpath(path)
    return Path(path).as_posix() if relative.startswith("..") else Path(relative).as_posix()


def parse_rows(text: str, shown: str) -> tuple[list[Promotion], list[Problem]]:
    """Records of a data file's text, and every problem of every row at once. Cells are separated
    by commas, or by semicolons when the header has more of them (a spreadsheet's French « CSV »)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [name.strip() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [Problem(shown, "en-tête", f"colonne(s) absente(s) : {', '.join(missing)} ; "
                            f"attendu : {','.join(COLUMNS)}", 1)]
    problems = [Problem(shown, name, f"colonne inconnue{did_you_mean(name, COLUMNS)} ; "
                        f"colonnes admises : {', '.join(COLUMNS)}", 1)
                for name in header if name not in COLUMNS]
    records = []
    for row in reader:
        line = reader.line_num
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue  # blank line
        if row.get(None):
            problems.append(Problem(shown, "ligne", f"{len(row[None])} valeur(s) de trop ; attendu : "
                                    f"{len(header)} colonnes (une audience avec des virgules "
                                    "s'écrit entre guillemets)", line))
            continue
        record, found = parse_row(values, shown, line)
        problems.extend(found)
        if record is not None:
            records.append(record)
    keys: dict[str, int] = {}
    boosts: dict[tuple, Promotion] = {}
    for record in records:
        if record.import_key and record.import_key in keys:
            problems.append(Problem(shown, "cle_import", f"même clé que la ligne {keys[record.import_key]} ; "
                                    "attendu : chaque promotion une seule fois", record.line))
        keys.setdefault(record.import_key, record.line)
        same = boosts.setdefault(record.identity, record)
        # A row copied twice would count its spend and its reach twice; two ad sets an import
        # told apart (different keys) may share article, dates and spend.
        if same is not record and not (same.import_key and record.import_key):
            problems.append(Problem(shown, "ligne", f"même promotion que la ligne {same.line} (article, "
                                    "plateforme, dates et dépense) ; attendu : chaque promotion une seule fois",
                                    record.line))
    return records, problems


def parse_row(values: dict[str, str], shown: str, line: int) -> tuple[Promotion | None, list[Problem]]:
    """One row: a Promotion, or None and the problems that prevent it."""
    problems: list[Problem] = []
    parsed: dict = {}

    def fail(column: str, message: str) -> None:
        problems.append(Problem(shown, column, message, line))

    for column in REQUIRED:
        if not values.get(column):
            fail(column, "valeur vide ; attendu : une valeur")
    platform = values.get("plateforme", "").lower()
    if platform and platform not in PLATFORMS:
        fail("plateforme", f"« {values['plateforme']} » inconnue"
             f"{did_you_mean(platform, PLATFORMS)} ; attendu : {', '.join(PLATFORMS)}")
    for column, name in (("debut", "start"), ("fin", "end")):
        if values.get(column):
            try:
                parsed[name] = parse_day(values[column])
            except ValueError as error:
                fail(column, str(error))
    for column, name in (("budget_eur", "budget"), ("depense_eur", "spent")):
        if values.get(column):
            try:
                parsed[name] = parse_amount(values[column])
            except ValueError as error:
                fail(column, str(error))
                continue
            if parsed[name] < 0:
                fail(column, f"« {values[column]} » est négatif ; attendu : un montant positif ou nul")
    for column, name in COUNTS.items():
        raw = values.get(column, "")
        if raw in EMPTY:
            parsed[name] = 0
            continue
        try:
            parsed[name] = parse_count(raw)
        except ValueError as error:
            fail(column, str(error))
            continue
        if parsed[name] < 0:
            fail(column, f"« {raw} » est négatif ; attendu : un nombre positif ou nul")
    if "start" in parsed and "end" in parsed and parsed["end"] < parsed["start"]:
        fail("fin", f"fin le {parsed['end']:%Y-%m-%d}, avant le début le {parsed['start']:%Y-%m-%d} ; "
             "attendu : une fin égale ou postérieure au début")
    spent, budget = parsed.get("spent"), parsed.get("budget")
    if spent is not None and budget is not None and spent > budget >= 0:
        fail("depense_eur", f"dépense de {values['depense_eur']} EUR supérieure au budget de "
             f"{values['budget_eur']} EUR ; attendu : une dépense au plus égale au budget")
    if problems:
        return None, problems
    return Promotion(
        slug=values["slug"], platform=platform, audience=values.get("audience", ""),
        import_key=values.get("cle_import", ""), line=line, **parsed,
    ), []


def unknown_slugs(records: Iterable[Promotion], known_slugs: Iterable[str], shown: str) -> list[Problem]:
    """A record must name an article of the site (by slug); suggest the closest one."""
    known = set(known_slugs)
    return [
        Problem(shown, "slug", f"article inconnu « {record.slug} »"
                f"{did_you_mean_slug(record.slug, known)} ; "
                "attendu : le slug d'un article de content/articles", record.line)
        for record in records if record.slug not in known
    ]


def read_records(path: Path, known_slugs: Iterable[str] | None = None) -> tuple[list[Promotion], list[Problem]]:
    """The records of the data file and all its problems; no file, no records.

    With `known_slugs`, records naming no known article are problems too.
    """
    path = Path(path)
    if not path.is_file():
        return [], []
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [], [Problem(shown, "fichier", "encodage illisible ; attendu : UTF-8")]
    records, problems = parse_rows(text, shown)
    if known_slugs is not None:
        problems += unknown_slugs(records, known_slugs, shown)
    return records, problems


def format_amount(amount: Decimal) -> str:
    """Amounts as stored in the data file: a dot, two decimals (`87.40`)."""
    return f"{amount:.2f}"


def to_row(record: Promotion) -> dict[str, str]:
    return {
        "slug": record.slug, "plateforme": record.platform,
        "debut": record.start.isoformat(), "fin": record.end.isoformat(),
        "budget_eur": format_amount(record.budget), "depense_eur": format_amount(record.spent),
        "audience": record.audience, "couverture": str(record.reach),
        "impressions": str(record.impressions), "clics": str(record.clicks),
        "lectures": str(record.reads), "cle_import": record.import_key,
    }


def render_records(records: Iterable[Promotion]) -> str:
    """The data file's text for `records`, sorted by start date then slug."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in sorted(records, key=lambda r: (r.start, r.slug, r.platform, r.end)):
        writer.writerow(to_row(record))
    return out.getvalue()

