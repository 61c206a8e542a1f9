"""The internal report: HTML with inline SVG charts, CSV tables, SVG files.

`build_report` is pure: records and articles in, {file name: bytes} out.
The task writes the files outside output/, so the report is never published.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import charts, formatting
from .articles import ArticleRef
from .figures import (
    ArticleFigures,
    BoostFigures,
    Figures,
    MonthFigures,
    best_and_worst,
    figures_of,
    per_article,
    per_boost,
    per_month,
    ranked_by_cost_per_read,
)
from .leaks import REPORT_MARKER
from .records import Promotion

TEMPLATES = Path(__file__).parent / "templates"
CSV_DELIMITER = ";"  # what spreadsheets expect in a French-speaking locale


@dataclass(frozen=True)
class ReportInput:
    records: list[Promotion]
    articles: dict[str, ArticleRef]
    monthly_budget: Decimal
    locale: str
    public_url: str  # to link article titles to the public site
    data_file: str  # as shown to editors
    generated: datetime


_NUMBER = re.compile(r"-?\d+(?:,\d+)?")


def refused_folder(target: Path, places: dict[str, Path]) -> str | None:
    """Why the report may not be written into `target`, in one French line, or None.

    `places`: {what it is, in French: folder} that the report must stay out of (the build's
    output, the publish root, the content). Symbolic links are resolved on both sides, so a
    link that leads into one of them is refused too."""
    resolved = Path(target).resolve()
    for label, place in places.items():
        place = Path(place).resolve()
        if resolved == place or place in resolved.parents:
            return (f"{target}: dossier du rapport dans {label} ({place}) ; attendu : un dossier hors "
                    "du site et du contenu, par défaut reports/promotions/")
    return None


def _decimal(value: Decimal | int | None, places: int = 2) -> str:
    """Numbers in CSV cells: decimal comma, no thousands separator (`0,0286`)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    quantum = Decimal(1).scaleb(-places)
    return str(value.quantize(quantum, ROUND_HALF_UP)).replace(".", ",")


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula (`=HYPERLINK(...)` typed as
    an audience) gets a leading apostrophe; numbers, negative ones too, are left as they are."""
    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not _NUMBER.fullmatch(cell)):
        return "'" + cell
    return cell


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[inert(cell) for cell in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _figure_cells(f: Figures) -> list[str]:
    return [_decimal(f.spent), str(f.reach), str(f.impressions), str(f.clicks), str(f.reads),
            _decimal(f.cost_per_read, 4), _decimal(f.reach_per_euro, 1),
            _decimal(None if f.click_through_rate is None else f.click_through_rate * 100, 2),
            _decimal(f.frequency, 2)]


FIGURE_COLUMNS = ["depense_eur", "couverture", "impressions", "clics", "lectures",
                  "cout_par_lecture_eur", "couverture_par_euro", "taux_de_clic_pct", "frequence"]


def boosts_csv(boosts: list[BoostFigures], articles: Mapping[str, ArticleRef]) -> bytes:
    header = ["slug", "titre", "plateforme", "debut", "fin", "budget_eur", *FIGURE_COLUMNS,
              "audience"]
    rows = []
    for b in boosts:
        r = b.record
        title = articles[r.slug].title if r.slug in articles else ""
        rows.append([r.slug, title, r.platform, r.start.isoformat(), r.end.isoformat(),
                     _decimal(r.budget), *_figure_cells(b.figures), r.audience])
    return _csv(header, rows)


def articles_csv(rows_in: list[ArticleFigures], articles: Mapping[str, ArticleRef]) -> bytes:
    header = ["slug", "titre", "promotions", *FIGURE_COLUMNS]
    rows = [[a.slug, articles[a.slug].title if a.slug in articles else "", str(a.boosts),
             *_figure_cells(a.figures)] for a in rows_in]
    return _csv(header, rows)


def months_csv(months: list[MonthFigures]) -> bytes:
    rows = [[m.month, _decimal(m.spent), _decimal(m.budget), _decimal(m.remaining),
             "oui" if m.over_budget else "non"] for m in months]
    return _csv(["mois", "depense_eur", "budget_eur", "reste_eur", "depassement"], rows)


def _environment(locale: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(
        money=lambda v: formatting.money(v, locale),
        money_fine=lambda v: formatting.money_fine(v, locale),
        number=lambda v, digits=0: formatting.number(v, locale, digits),
        percent=lambda v: formatting.percent(v, locale),
        day=lambda v: formatting.day(v, locale),
        month=lambda v: formatting.month(v, locale),
    )
    return env


def build_report(data: ReportInput) -> dict[str, bytes]:
    """Every file of the report, by name."""
    boosts = per_boost(data.records)
    ranked = ranked_by_cost_per_read(data.records)
    by_article = per_article(data.records)
    months = per_month(data.records, data.monthly_budget)
    best, worst = best_and_worst(data.records)
    titles = {slug: ref.title for slug, ref in data.articles.items()}
    svg = {
        "depenses-par-mois.svg": charts.spend_per_month(months, data.locale),
        "cout-par-lecture.svg": charts.cost_per_read(ranked, titles, data.locale),
    }
    links = {slug: f"{data.public_url}/{ref.url}" for slug, ref in data.articles.items() if ref.url}
    html = _environment(data.locale).get_template("report.html").render(
        marker=REPORT_MARKER,
        data=data,
        total=figures_of(data.records),
        boosts=boosts,
        ranked=ranked,
        by_article=by_article,
        months=months,
        best=best,
        worst=worst,
        titles=titles,
        links=links,
        spend_chart=Markup(svg["depenses-par-mois.svg"]),
        cost_chart=Markup(svg["cout-par-lecture.svg"]),
        generated=formatting.day(data.generated, data.locale),
    )
    return {
        "index.html": html.encode("utf-8"),
        "rapport-promotions.csv": boosts_csv(boosts, data.articles),
        "rapport-par-article.csv": articles_csv(by_article, data.articles),
        "rapport-par-mois.csv": months_csv(months),
        **{name: text.encode("utf-8") for name, text in svg.items()},
    }
