"""Medians and ratios of the runs of each scenario."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from .runner import Measure


@dataclass
class Scenario:
    key: str
    label: str
    measures: list[Measure] = field(default_factory=list)
    touched: list[int] = field(default_factory=list)  # files written per run
    touched_sample: list[str] = field(default_factory=list)
    total_files: int = 0
    details: list[dict[str, float]] = field(default_factory=list)  # what each run reported of itself

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(m, attribute) for m in self.measures)

    def spread(self, attribute: str) -> tuple[float, float]:
        values = [getattr(m, attribute) for m in self.measures]
        return min(values), max(values)


def ratio(value: float, reference: float) -> float:
    return value / reference if reference else float("nan")


def median_details(runs: list[dict[str, float]]) -> dict[str, float]:
    """Per key, the median over the runs that reported it; keys in their first-seen order."""
    keys = list(dict.fromkeys(key for run in runs for key in run))
    return {key: statistics.median(run[key] for run in runs if key in run) for key in keys}
