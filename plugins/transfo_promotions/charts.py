"""Static SVG charts of the report, drawn by pygal.

pygal writes SVG natively, with real text (searchable, readable by screen
readers) and no dependency beyond the standard library. Its tooltips need a
script loaded from a CDN: the report turns them off and strips the inline
configuration script, so the charts are plain static SVG.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Protocol

import pygal
from pygal.style import Style

from . import formatting
from .figures import BoostFigures, MonthFigures

# pygal appends to sys.meta_path a legacy finder (for pygal.maps plugins, unused
# here) that has no find_spec(); importers that call find_spec on every
# meta-path entry, such as pytest's, then fail. Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

SVG_NS = "{http://www.w3.org/2000/svg}"


class XmlNode(Protocol):
    """What `strip_scripts` needs of pygal's tree: lxml's or ElementTree's, whichever it uses."""

    @property
    def tag(self) -> object: ...
    def iter(self) -> Iterator[XmlNode]: ...
    def __iter__(self) -> Iterator[XmlNode]: ...
    def remove(self, child: XmlNode, /) -> None: ...


STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#0b6e4f", "#c05621", "#2c5282"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=18,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=11,
    tooltip_font_size=12,
)


def strip_scripts(root: XmlNode) -> XmlNode:
    """pygal always adds an inline script for its tooltips; a static chart needs none."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag in ("script", SVG_NS + "script"):
                parent.remove(child)
    return root


def _render(chart: pygal.Graph, name: str) -> str:
    chart.uuid = name  # stable ids: the same data gives the same file
    chart.xml_filters = [strip_scripts]
    return chart.render(is_unicode=True)


def _config(**options: object) -> dict[str, object]:
    defaults = dict(js=[], style=STYLE, disable_xml_declaration=True, print_values=False,
                    show_legend=True, legend_at_bottom=True, truncate_label=-1,
                    explicit_size=True)
    return {**defaults, **options}


def spend_per_month(months: list[MonthFigures], locale: str) -> str:
    chart = pygal.Bar(**_config(
        title="Dépenses par mois et budget mensuel", width=800, height=420,
        x_label_rotation=0 if len(months) <= 8 else 30,
        value_formatter=lambda v: formatting.money(v, locale),
    ))
    chart.x_labels = [formatting.month(m.month, locale) for m in months]
    chart.add("Dépensé", [float(m.spent) for m in months])
    chart.add("Budget mensuel", [float(m.budget) for m in months])
    return _render(chart, "depenses-par-mois")


def cost_per_read(boosts: list[BoostFigures], titles: dict[str, str], locale: str) -> str:
    """One bar per boost, cheapest read at the top."""
    height = 140 + 40 * max(len(boosts), 1)
    chart = pygal.HorizontalBar(**_config(
        title="Coût par lecture, par promotion", width=960, height=height, show_legend=False,
        print_values=True, print_values_position="top",
        value_formatter=lambda v: formatting.money(v, locale),  # the axis
        formatter=lambda v: formatting.money_fine(v, locale),  # the value of each bar
    ))
    labels = []
    for boost in reversed(boosts):  # pygal draws the first label at the bottom
        record = boost.record
        title = titles.get(record.slug, record.slug)
        short = title if len(title) <= 40 else title[:39].rstrip() + "…"
        labels.append(f"{short} ({record.platform}, {formatting.month(record.start.isoformat(), locale)})")
    chart.x_labels = labels
    chart.add("Coût par lecture", [float(b.figures.cost_per_read or 0) for b in reversed(boosts)])
    return _render(chart, "cout-par-lecture")
