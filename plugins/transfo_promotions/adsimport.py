"""Import a Meta Ads Manager CSV export into the promotion records.

Ads Manager names its columns in the language of the account: both the
English and the French names are accepted, and numbers may use a decimal
comma and thousands separators. Each row is tied to an article through the
ad's destination URL (its `utm_campaign`, else its path); rows tied to no
article are reported, never dropped silently. Each imported row carries an
import key (the ad, or a hash of its names and URL, plus the first reported
day), so importing the same export twice adds nothing, and a later export of
a boost still running updates its figures instead of counting it twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from transfo_validation.fields import did_you_mean
from transfo_validation.problems import Problem

from .articles import did_you_mean_slug
from .links import slug_from_url
from .parsing import EMPTY, parse_amount, parse_count, parse_day
from .records import PLATFORMS, Promotion

# Field -> column names, English then French, normalised by `normalise_header`.
ALIASES: dict[str, tuple[str, ...]] = {
    "start": ("reporting starts", "reporting start", "début des rapports"),
    "end": ("reporting ends", "reporting end", "fin des rapports"),
    "day": ("day", "jour"),
    "reach": ("reach", "couverture"),
    "impressions": ("impressions",),
    "clicks": ("link clicks", "clics sur un lien", "clics sur le lien"),
    "reads": ("landing page views", "website landing page views",
              "vues de page de destination", "vues de la page de destination"),
    "spent": ("amount spent (eur)", "amount spent", "montant dépensé (eur)", "montant dépensé"),
    "budget": ("ad set budget", "budget", "campaign budget",
               "budget de l'ensemble de publicités", "budget de la campagne"),
    "budget_type": ("ad set budget type", "budget type",
                    "type de budget de l'ensemble de publicités", "type de budget"),
    "url": ("website url", "link (ad settings)", "destination url", "link", "url",
            "url du site web", "lien (paramètres de la publicité)", "url de destination", "lien"),
    "url_parameters": ("url parameters (ad settings)", "url parameters",
                       "paramètres d'url (paramètres de la publicité)", "paramètres d'url"),
    "utm_campaign": ("utm campaign", "utm_campaign"),
    "campaign": ("campaign name", "nom de la campagne"),
    "ad_set": ("ad set name", "nom de l'ensemble de publicités"),
    "ad": ("ad name", "nom de la publicité"),
    "ad_id": ("ad id", "identifiant de la publicité", "id de la publicité"),
    "platform": ("platform", "plateforme"),
}
REQUIRED = ("spent",)
_CURRENCY = re.compile(r"\(([a-z]{3})\)$")


def normalise_header(name: str) -> str:
    text = unicodedata.normalize("NFC", name.lstrip("\ufeff")).replace("\u2019", "'")
    return " ".join(text.split()).casefold()


def map_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """{field: column as written} and the problems of the header row."""
    lookup = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    mapping: dict[str, str] = {}
    problems: list[str] = []
    for header in headers:
        key = normalise_header(header)
        name = lookup.get(key)
        currency = _CURRENCY.search(key)
        if name is None and currency and currency.group(1) != "eur":
            if key.startswith(("amount spent", "montant dépensé")):
                problems.append(f"colonne « {header} » en {currency.group(1).upper()} ; "
                                "attendu : un export en euros (EUR)")
            continue
        if name and name not in mapping:
            mapping[name] = header
    if "spent" not in mapping:
        problems.append("colonne du montant dépensé absente ; attendu : « Amount spent (EUR) » "
                        "ou « Montant dépensé (EUR) »")
    if "start" not in mapping and "day" not in mapping:
        problems.append("colonne de début absente ; attendu : « Reporting starts » ou "
                        "« Début des rapports »")
    if not {"url", "url_parameters", "utm_campaign"} & mapping.keys():
        problems.append("aucune colonne pour retrouver l'article ; attendu : l'URL de destination "
                        "(« Website URL », « URL du site web ») ou « URL parameters »")
    return mapping, problems


@dataclass
class ImportResult:
    records: list[Promotion]  # the data file's records after the import
    added: list[Promotion] = field(default_factory=list)
    updated: list[Promotion] = field(default_factory=list)
    duplicates: list[Promotion] = field(default_factory=list)
    unmatched: list[Problem] = field(default_factory=list)  # rows tied to no article
    problems: list[Problem] = field(default_factory=list)  # rows or headers that are wrong


def read_export(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line, row) pairs of an export, whatever its delimiter."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")  # Ads Manager's "CSV for Excel" on some systems
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for row in reader:
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return list(reader.fieldnames or ()), rows


def _key(get: Callable[[str], str], start: date) -> str:
    ad_id = get("ad_id")
    if ad_id:
        ident = f"ad:{ad_id}"
    else:
        names = "|".join(get(n) for n in ("campaign", "ad_set", "ad", "url", "url_parameters",
                                           "utm_campaign"))
        ident = "h:" + hashlib.sha1(names.encode("utf-8")).hexdigest()[:12]
    return f"{ident}|{start.isoformat()}"


def _row_to_record(values: dict[str, str], mapping: dict[str, str], known: set[str], shown: str,
                   line: int) -> tuple[Promotion | None, list[Problem], Problem | None]:
    """A Promotion from an export row, or (None, problems, unmatched)."""
    problems: list[Problem] = []

    def get(name: str) -> str:
        return values.get(mapping.get(name, ""), "").strip()

    def fail(name: str, message: str) -> None:
        problems.append(Problem(shown, mapping.get(name, name), message, line))

    url = get("url")
    if get("url_parameters"):
        url = f"{url}{'&' if '?' in url else '?'}{get('url_parameters').lstrip('?')}"
    candidates = [c for c in (get("utm_campaign"), url) if c]
    slug = None
    for candidate in candidates:
        slug = candidate if candidate in known else slug_from_url(candidate, known)
        if slug:
            break
    if slug is None:
        seen = " / ".join(candidates) or "aucune URL ni campagne"
        last = [s for s in re.split(r"[/?&=]", seen) if s]
        hint = did_you_mean_slug(last[-1], known) if last else ""
        name = get("ad") or get("campaign") or "?"
        return None, [], Problem(shown, mapping.get("url", "url"),
                                 f"publicité « {name} » : aucun article ne correspond à « {seen} »"
                                 f"{hint} ; attendu : une URL créée par « invoke promotions-link "
                                 "<slug> » (utm_campaign=<slug>) ; ligne non importée", line)
    days = {}
    for name in ("start", "end", "day"):
        if get(name):
            try:
                days[name] = parse_day(get(name))
            except ValueError as error:
                fail(name, str(error))
    start = days.get("start", days.get("day"))
    end = days.get("end", days.get("day", start))
    numbers = {}
    for name in ("reach", "impressions", "clicks", "reads"):
        raw = get(name)
        try:
            numbers[name] = 0 if raw in EMPTY else parse_count(raw)
        except ValueError as error:
            fail(name, str(error))
            continue
        if numbers[name] < 0:
            fail(name, f"« {raw} » est négatif ; attendu : un nombre positif ou nul")
    amounts = {}
    for name in ("spent", "budget"):
        raw = get(name)
        if raw in EMPTY:
            continue
        try:
            amounts[name] = parse_amount(raw)
        except ValueError as error:
            fail(name, str(error))
            continue
        if amounts[name] < 0:
            fail(name, f"« {raw} » est négatif ; attendu : un montant positif ou nul")
    if "spent" not in amounts and not any(p.field == mapping.get("spent") for p in problems):
        fail("spent", "valeur vide ; attendu : le montant dépensé en euros")
    if start is None and not problems:
        fail("start", "valeur vide ; attendu : le premier jour du rapport")
    if start and end and end < start:
        fail("end", f"fin le {end:%Y-%m-%d}, avant le début le {start:%Y-%m-%d} ; "
             "attendu : une fin égale ou postérieure au début")
    platform = get("platform").lower() or "facebook"
    if platform not in PLATFORMS:
        fail("platform", f"« {get('platform')} » inconnue{did_you_mean(platform, PLATFORMS)} ; "
             f"attendu : {', '.join(PLATFORMS)}")
    if problems or start is None or end is None:  # a missing day was reported above
        return None, problems, None
    spent = amounts["spent"]
    budget = amounts.get("budget")
    if budget is not None and re.search(r"daily|quotid|jour", get("budget_type").casefold()):
        budget *= (end - start).days + 1
    if budget is None:
        budget = spent  # Ads Manager exports often leave it out; editors may correct it
    if spent > budget:
        fail("spent", f"dépense de {get('spent')} EUR supérieure au budget de {budget} EUR ; "
             "attendu : une dépense au plus égale au budget")
        return None, problems, None
    return Promotion(
        slug=slug, platform=platform, start=start, end=end, budget=budget, spent=spent,
        audience=get("ad_set"), import_key=_key(get, start), **numbers,
    ), [], None


def _results(record: Promotion) -> tuple:
    return (record.slug, record.platform, record.start, record.end, record.spent, record.reach,
            record.impressions, record.clicks, record.reads)


def import_export(data: bytes, shown: str, known_slugs: Iterable[str], existing: list[Promotion]) -> ImportResult:
    """Merge an export into `existing` records; nothing is written here."""
    known = set(known_slugs)
    headers, rows = read_export(data)
    mapping, header_problems = map_headers(headers)
    result = ImportResult(records=list(existing))
    if header_problems:
        result.problems = [Problem(shown, "en-tête", message, 1) for message in header_problems]
        return result
    by_key = {r.import_key: i for i, r in enumerate(result.records) if r.import_key}
    identities = {r.identity for r in result.records}
    for line, values in rows:
        record, problems, unmatched = _row_to_record(values, mapping, known, shown, line)
        result.problems.extend(problems)
        if unmatched:
            result.unmatched.append(unmatched)
        if record is None:
            continue
        index = by_key.get(record.import_key)
        if index is not None:
            current = result.records[index]
            if _results(current) == _results(record):
                result.duplicates.append(record)
            else:  # a later export of a boost still running: newer figures; the
                # budget and audience editors may have corrected by hand stay
                record = replace(record, audience=current.audience or record.audience,
                                 budget=max(current.budget, record.budget), line=current.line)
                result.records[index] = record
                result.updated.append(record)
            continue
        if record.identity in identities:
            result.duplicates.append(record)  # typed by hand before being imported
            continue
        by_key[record.import_key] = len(result.records)
        identities.add(record.identity)
        result.records.append(record)
        result.added.append(record)
    return result


