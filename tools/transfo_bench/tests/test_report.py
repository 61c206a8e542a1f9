import sys
import time
from pathlib import Path

import pytest
from transfo_bench import runner
from transfo_bench.bench import BenchResult
from transfo_bench.corpus import Corpus
from transfo_bench.report import as_dict, markdown
from transfo_bench.runner import Measure, measure, snapshot, touched
from transfo_bench.stats import Scenario


def _scenario(key, walls, rss=100.0, written=None):
    scenario = Scenario(key, key.capitalize())
    scenario.measures = [Measure(w, w * 0.9, rss, rss, 0) for w in walls]
    if written is not None:
        scenario.touched, scenario.total_files = [written] * len(walls), 1000
    return scenario


def _result():
    result = BenchResult(100, 3, Corpus(Path("/x"), [Path("/x/a.md")] * 100, [], {}), "abc", ["transfo_perf"])
    for scenario in (_scenario("vanilla", [10.0, 9.0, 11.0]), _scenario("full", [5.0, 6.0, 7.0], 150.0),
                     _scenario("noop", [0.4, 0.5, 0.6], written=0),
                     _scenario("edit", [2.0, 1.0, 3.0], written=12)):
        result.scenarios[scenario.key] = scenario
    return result


def test_medians_ratios_and_targets():
    data = as_dict(_result())
    rows = {row["key"]: row for row in data["scenarios"]}
    assert rows["vanilla"]["wall"] == 10.0 and rows["vanilla"]["wall_ratio"] == 1.0
    assert rows["full"]["wall_ratio"] == 0.6 and rows["full"]["target_met"] is True
    assert rows["noop"]["wall_ratio"] == 0.05 and rows["noop"]["files_written"] == 0
    assert rows["edit"]["wall_ratio"] == 0.2 and rows["edit"]["target_met"] is False
    assert rows["full"]["rss_ratio"] == 1.5 and data["memory_target_met"] is True


def test_markdown_table_has_one_row_per_scenario():
    text = markdown(as_dict(_result()))
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + 4
    assert "| Full | 6.00 | 0.60 |" in text and "12 / 1000" in text


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
