"""`invoke bench` smoke run: a tiny corpus, one run per scenario, the report's shape (no timing checks)."""

import json

import pytest

from tests.support import invoke

pytestmark = pytest.mark.slow

SCENARIOS = ["vanilla", "full", "full-warm", "noop", "edit", "image", "preview"]


def test_bench_prints_and_saves_medians_and_ratios(tmp_path):
    figures = tmp_path / "bench.json"
    # JPEG only and no images benchmark: the shape is checked, not the image encoders.
    result = invoke("bench", "-n", "20", "--runs", "1", "--workdir", str(tmp_path / "work"),
                    "--json", str(figures), "--setting", 'TRANSFO_IMAGES_FORMATS=["jpeg"]', "--no-images")
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["n"] == 20 and data["runs"] == 1 and data["corpus"]["articles"] == 20
    assert [row["key"] for row in data["scenarios"]] == SCENARIOS
    for row in data["scenarios"]:
        assert row["runs"] == 1 and row["wall"] > 0 and row["cpu"] > 0 and row["rss_mb"] > 0
        assert row["wall_ratio"] > 0 and row["rss_ratio"] > 0
    rows = {row["key"]: row for row in data["scenarios"]}
    assert rows["vanilla"]["wall_ratio"] == 1.0
    assert {rows[k]["target"] for k in ("full", "noop", "edit", "preview")} == {0.6, 0.05, 0.1}
    assert rows["noop"]["files_written"] == 0
    assert 0 < rows["edit"]["files_written"] < rows["edit"]["files_total"]
    assert 0 < rows["preview"]["files_written"] < rows["preview"]["files_total"]
    assert data["preview_modes"] == ["bodies"]  # the resident process produced only what the edit reached
    assert data["preview_watched"] == [True]  # and listed the output from inotify's events
    assert data["preview_first"] > 0  # the untimed first edit after the full build
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(SCENARIOS)  # header, then one row each
    assert "× Pelican" in table[0]
