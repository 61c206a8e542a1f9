"""Run one command in its own process and measure it.

Wall time from a monotonic clock; CPU time and peak resident memory from
`os.wait4`, which reports that child alone (with the processes it waited
for, e.g. its worker pool). `maxrss` is the largest single process of that
tree; `tree_rss` samples /proc every 20 ms and sums the tree's proportional
set sizes (PSS), which is what a machine with parallel workers actually has
to hold.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measure:
    wall: float  # seconds
    cpu: float  # user + system seconds, children included
    maxrss_mb: float  # largest single process
    tree_rss_mb: float  # largest sampled sum of PSS over the process tree
    returncode: int


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _rss_kb(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), else resident size.

    Forked workers share their parent's pages: summing plain RSS would count
    those pages once per process.
    """
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _rss_kb(current)
        pending.extend(_children(current))
    return total


def measure(command: list[str], cwd: Path, log: Path, env: dict | None = None) -> Measure:
    """Run `command`; its output goes to `log` (appended)."""
    peak = [0]
    with open(log, "ab") as out:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        done = threading.Event()

        def sample():
            while not done.wait(0.02):
                peak[0] = max(peak[0], tree_rss_kb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    maxrss_mb = usage.ru_maxrss / 1024
    # A process too short for any sample still had its maxrss.
    return Measure(wall=wall, cpu=usage.ru_utime + usage.ru_stime, maxrss_mb=maxrss_mb,
                   tree_rss_mb=peak[0] / 1024 if peak[0] else maxrss_mb, returncode=process.returncode)


def snapshot(folder: Path) -> dict[str, int]:
    """Every file below `folder` with its modification time (ns)."""
    if not folder.exists():
        return {}
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
            for path in folder.rglob("*") if path.is_file()}


def touched(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """Files written (new or with a new mtime) or deleted between two snapshots."""
    changed = [name for name, mtime in after.items() if before.get(name) != mtime]
    return sorted(changed + [name for name in before if name not in after])
