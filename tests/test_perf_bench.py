"""`invoke bench` smoke run: a tiny corpus, one run per scenario, the report's shape (no timing checks)."""

import json
import re

import pytest
from transfo_validation.frontmatter import parse

from tests.support import invoke

pytestmark = [pytest.mark.slow, pytest.mark.publish]

BUILDS = ["vanilla", "full-cold", "full", "full-warm", "noop", "edit", "image", "preview", "preview-header",
          "preview-title", "preview-new", "preview-delete", "preview-template", "preview-style"]
PUBLISHES = ["publish-full", "publish-daily"]


def test_bench_prints_and_saves_medians_ratios_and_targets(tmp_path):
    figures, work = tmp_path / "bench.json", tmp_path / "work"
    # JPEG only, no images benchmark, two publish scenarios without Lighthouse: the shape is
    # checked, not the image encoders nor Lighthouse.
    result = invoke("bench", "-n", "20", "--runs", "1", "--workdir", str(work),
                    "--json", str(figures), "--setting", 'TRANSFO_IMAGES_FORMATS=["jpeg"]', "--no-images",
                    "--publish", "full,daily", "--no-lighthouse")
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["n"] == 20 and data["runs"] == 1 and data["corpus"]["articles"] == 20
    assert [row["key"] for row in data["scenarios"]] == BUILDS + PUBLISHES
    for row in data["scenarios"]:
        assert row["runs"] == 1 and row["wall"] > 0 and row["rss_mb"] > 0
        assert row["wall_ratio"] > 0 and row["rss_ratio"] > 0
        # CPU time is counted in the kernel's clock ticks (10 ms): a resident refresh of this tiny
        # site (~25 ms) can take less than one; a process started for the scenario never does.
        assert row["cpu"] >= 0 if row["key"].startswith("preview") else row["cpu"] > 0
    rows = {row["key"]: row for row in data["scenarios"]}
    assert rows["vanilla"]["wall_ratio"] == 1.0
    targets = {key: (row["target"], row["target_unit"]) for key, row in rows.items() if row["target"]}
    assert targets == {"full": (1.5, "×"), "noop": (0.05, "×"), "preview": (1.0, "s"), "preview-header": (1.0, "s"),
                       "preview-title": (1.0, "s"), "preview-new": (1.0, "s"), "preview-delete": (1.0, "s"),
                       "publish-full": (60.0, "s")}
    assert all(isinstance(rows[key]["target_met"], bool) for key in targets)
    assert data["image_cost"]["seconds"] == rows["full-cold"]["wall"] - rows["full"]["wall"]
    assert isinstance(data["memory_target_met"], bool) and data["memory_target"] == 3.0
    assert rows["noop"]["files_written"] == 0
    assert 0 < rows["edit"]["files_written"] < rows["edit"]["files_total"]
    assert 0 < rows["preview"]["files_written"] < rows["preview"]["files_total"]
    # The resident process produced only what the body edit reached; after the summary's edit and
    # the title's (a new address) and a new article, the article's page first, the rest behind;
    # after a template edit, the pages rendered with it only; after a stylesheet edit, no page.
    assert data["preview_modes"] == ["bodies", "page", "page", "page", "page", "templates", "statics"]
    assert data["preview_watched"] == [True] * 7  # and listed the output from inotify's events
    assert 0 < rows["preview-template"]["files_written"] < rows["preview-template"]["files_total"]
    # The theme's static files, copied again (Pelican copies them all, with new times), and nothing else.
    assert rows["preview-style"]["files_sample"] and all(
        name.startswith("static/") for name in rows["preview-style"]["files_sample"])
    for scenario in ("preview-header", "preview-title", "preview-new", "preview-delete"):
        assert rows[scenario]["files_written"] > 0 and data["preview_rest_built"][scenario][0] > 0
        # The full build behind the page rendered the pages reading the edit, not the whole site.
        assert 0 < data["preview_rest_rendered"][scenario][0] < data["preview_pages"]
        assert re.search(rf"{scenario} : reste du site reconstruit derrière la page \(médiane, en plus\) : "
                         rf"[\d.]+ s, \d+ page\(s\) rendue\(s\) sur {data['preview_pages']}\.", result.stdout)
    assert data["preview_first"] > 0  # the untimed first edit after the full build
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(BUILDS + PUBLISHES)  # header, then one row each
    assert "× Pelican" in table[0] and "| Cible | Tenue |" in table[0]
    assert re.search(r"\| Publication depuis zéro \| [\d.]+ \| [\d.]+ \| ≤ 60 s \| (oui|NON) \|",
                     result.stdout)
    # The daily rebuild really moved a day: two releases, the newer one built one day later,
    # the offer that closed that day listed in the older one only.
    releases = sorted(path for path in (work / "public" / "releases").iterdir() if not path.name.startswith("."))
    assert len(releases) == 2
    closing = [parse(path.read_text(encoding="utf-8")).fields for path in (work / "content").rglob("*.md")]
    slug = next(fields["slug"] for fields in closing if fields.get("deadline") == "2019-12-01 12:00")
    listing = [(release / "offres" / "index.html").read_text(encoding="utf-8") for release in releases]
    assert f"/{slug}/" in listing[0] and f"/{slug}/" not in listing[1]
