import sys
import time
from pathlib import Path

import pytest
from transfo_bench import runner
from transfo_bench.bench import BenchResult
from transfo_bench.corpus import Corpus
from transfo_bench.report import as_dict, markdown
from transfo_bench.runner import Measure, measure, snapshot, touched
from transfo_bench.stats import Scenario, median_details


def _scenario(key, walls, rss=100.0, written=None, details=None):
    scenario = Scenario(key, key.capitalize())
    scenario.measures = [Measure(w, w * 0.9, rss, rss, 0) for w in walls]
    if written is not None:
        scenario.touched, scenario.total_files = [written] * len(walls), 1000
    scenario.details = details or []
    return scenario


def _result(*extra):
    result = BenchResult(100, 3, Corpus(Path("/x"), [Path("/x/a.md")] * 100, [], {}), "abc", ["transfo_perf"])
    for scenario in (_scenario("vanilla", [10.0, 9.0, 11.0]), _scenario("full-cold", [25.0, 21.0, 22.0], 280.0),
                     _scenario("full", [15.0, 16.0, 17.0], 150.0),
                     _scenario("noop", [0.4, 0.5, 0.6], written=0),
                     _scenario("edit", [2.0, 1.0, 3.0], written=12), *extra):
        result.scenarios[scenario.key] = scenario
    return result


def test_medians_ratios_and_targets():
    data = as_dict(_result())
    rows = {row["key"]: row for row in data["scenarios"]}
    assert rows["vanilla"]["wall"] == 10.0 and rows["vanilla"]["wall_ratio"] == 1.0
    assert rows["full"]["wall_ratio"] == 1.6 and rows["full"]["target"] == 1.5
    assert rows["full"]["target_unit"] == "×" and rows["full"]["target_met"] is False
    assert rows["noop"]["wall_ratio"] == 0.05 and rows["noop"]["target_met"] is True
    assert rows["noop"]["files_written"] == 0
    assert rows["edit"]["wall_ratio"] == 0.2 and rows["edit"]["target"] is None
    assert rows["edit"]["target_met"] is None
    assert rows["full"]["rss_ratio"] == 1.5


def test_memory_target_is_on_builds_and_leaves_publish_and_vanilla_out():
    heavy_publish = _scenario("publish-full", [50.0], rss=900.0)
    data = as_dict(_result(heavy_publish))
    assert data["memory_ratio"] == 2.8 and data["memory_target"] == 3.0  # full-cold's 280 MB
    assert data["memory_target_met"] is True
    assert {row["key"]: row for row in data["scenarios"]}["publish-full"]["rss_ratio"] == 9.0


def test_seconds_targets_hold_on_the_median_time_not_the_ratio():
    data = as_dict(_result(_scenario("publish-full", [70.0, 55.0, 58.0]),
                           _scenario("publish-edit", [9.0, 12.0, 11.0])))
    rows = {row["key"]: row for row in data["scenarios"]}
    assert rows["publish-full"]["wall"] == 58.0 and rows["publish-full"]["wall_ratio"] == 5.8
    assert rows["publish-full"]["target_unit"] == "s" and rows["publish-full"]["target_met"] is True
    assert rows["publish-edit"]["wall"] == 11.0 and rows["publish-edit"]["target_met"] is False


def test_image_cost_is_the_cold_build_minus_the_warm_one():
    cost = as_dict(_result())["image_cost"]
    assert cost["seconds"] == 6.0 and cost["ratio"] == 0.6
    assert cost["cpu"] == pytest.approx(5.4)
    result = _result()
    del result.scenarios["full-cold"]
    assert as_dict(result)["image_cost"] is None


def test_median_details_per_key_over_the_runs_that_gave_it():
    assert median_details([]) == {}
    runs = [{"build": 3.0, "gate": 10.0}, {"build": 1.0}, {"build": 2.0, "gate": 20.0, "compress": 1.0}]
    assert median_details(runs) == {"build": 2.0, "gate": 15.0, "compress": 1.0}
    assert list(median_details(runs)) == ["build", "gate", "compress"]


def test_scale_compares_with_an_earlier_run_against_a_linear_limit():
    earlier = as_dict(_result())
    later = _result()
    later.n = 1000
    for scenario in later.scenarios.values():
        scenario.measures = [Measure(m.wall * 12, m.cpu, m.maxrss_mb, m.tree_rss_mb, 0) for m in scenario.measures]
    later.scenarios["full"].measures = [Measure(160.0, 1.0, 1.0, 1.0, 0)]
    scaled = as_dict(later, earlier)["scale"]
    assert scaled["factor"] == 10 and scaled["limit"] == pytest.approx(11.0)
    assert scaled["scenarios"]["full"]["growth"] == 10.0 and scaled["scenarios"]["full"]["target_met"] is True
    assert scaled["scenarios"]["vanilla"]["growth"] == 12.0 and scaled["scenarios"]["vanilla"]["target_met"] is None
    assert set(scaled["scenarios"]) == {"vanilla", "full"}  # only scenarios both runs have
    later.scenarios["full"].measures = [Measure(180.0, 1.0, 1.0, 1.0, 0)]
    assert as_dict(later, earlier)["scale"]["scenarios"]["full"]["target_met"] is False


def test_markdown_table_has_one_row_per_scenario_with_its_target():
    details = [{"steps.build": 2.0, "steps.gate": 5.5, "changed": 12.0}]
    text = markdown(as_dict(_result(_scenario("publish-edit", [8.0], details=details))))
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + 6
    assert "| Full | 16.00 | 1.60 | ≤ 1.5 × | NON |" in text
    assert "| Noop | 0.50 | 0.05 | ≤ 0.05 × | oui |" in text and "0 / 1000" in text
    assert "| Publish-edit (1 passage(s)) | 8.00 | 0.80 | ≤ 10 s | oui |" in text
    assert ("Publish-edit, détail donné par `invoke publish --report` (médianes) : "
            "steps.build 2, steps.gate 5.5, changed 12.") in text
    assert "Images (dérivés et cartes de partage) depuis un cache vide : 6.00 s (0.60 × Pelican" in text
    assert "au plus 2.80 × Pelican (cible ≤ 3) : oui" in text
    assert "ne donne pas encore le détail" in text  # publish_report is False in this result


def test_markdown_shows_the_scale_lines():
    earlier = as_dict(_result())
    later = _result()
    later.n = 1000
    text = markdown(as_dict(later, earlier))
    assert "Échelle : N = 1000 contre N = 100" in text and "- full : 16.00 s / 16.00 s = 1.00 : oui" in text
    assert "- vanilla : 10.00 s / 10.00 s = 1.00 (référence)" in text


def test_measure_reports_cpu_memory_and_exit_code(tmp_path):
    code = "x = bytearray(60 * 1024 * 1024); sum(range(3_000_000))"
    result = measure([sys.executable, "-c", code], tmp_path, tmp_path / "log")
    assert result.returncode == 0 and result.cpu > 0 and result.maxrss_mb >= 60
    assert result.wall >= result.cpu * 0.5
    assert measure([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, tmp_path / "log").returncode == 3


def test_touched_lists_new_rewritten_and_deleted_files(tmp_path):
    (tmp_path / "a").write_text("1")
    (tmp_path / "b").write_text("1")
    before = snapshot(tmp_path)
    (tmp_path / "a").write_text("2")
    (tmp_path / "b").unlink()
    (tmp_path / "c").write_text("1")
    import os
    os.utime(tmp_path / "a", ns=(1, 1))
    assert touched(before, snapshot(tmp_path)) == ["a", "b", "c"]


def test_tree_memory_is_read_again_when_a_process_forks_while_it_is_read(monkeypatch):
    """Before the fork the parent holds 900 kB alone; after it, parent and child share them
    (450 kB each). Reading the parent before and the child after would give 1350 kB."""
    forked = []
    monkeypatch.setattr(runner, "_children", lambda pid: [2] if pid == 1 and forked else [])

    def pss(pid):
        if pid == 1 and not forked:
            forked.append(True)  # the parent forks right after this reading
            return 900
        return 450

    monkeypatch.setattr(runner, "_rss_kb", pss)
    assert runner.tree_rss_kb(1) == 900
    assert forked


def test_tree_memory_gives_up_when_the_tree_never_holds_still(monkeypatch):
    counter = iter(range(1000))
    monkeypatch.setattr(runner, "_children", lambda pid: [100 + next(counter)] if pid == 1 else [])
    monkeypatch.setattr(runner, "_rss_kb", lambda pid: 10)
    assert runner.tree_rss_kb(1) == 0  # a sample left out rather than a wrong one


def test_a_costly_sample_spaces_out_the_next_ones():
    # a 10 ms reading (a large build's page tables) waits 0.2 s: 5 % of a core
    assert runner.pause_after(0.010) == pytest.approx(0.010 / runner.SAMPLER_SHARE)
    assert runner.pause_after(0.010) >= 0.010 * 19
    # a cheap reading never samples more often than every SAMPLER_PAUSE
    assert runner.pause_after(0.0001) == runner.SAMPLER_PAUSE


def test_the_memory_sampler_keeps_the_largest_reading_and_samples_at_exit(monkeypatch):
    readings = iter([500, 1500, 700] + [600] * 1000)
    monkeypatch.setattr(runner, "tree_rss_kb", lambda pid: next(readings))
    monkeypatch.setattr(runner, "SAMPLER_PAUSE", 0.001)
    with runner._PeakSampler(1) as sampler:
        deadline = time.monotonic() + 5
        while sampler.peak_kb < 1500 and time.monotonic() < deadline:
            time.sleep(0.005)
    assert sampler.peak_kb == 1500  # the peak, not the last reading


def test_a_saved_run_renders_as_the_same_table(tmp_path, capsys):
    import json

    from transfo_bench import report

    data = as_dict(_result())
    saved = tmp_path / "figures.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert report.main([str(saved)]) == 0
    assert capsys.readouterr().out == markdown(data) + "\n"
