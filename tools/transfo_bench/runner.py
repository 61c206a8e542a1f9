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
    """Processes started by any thread of `pid` (Pagefind runs from a build's background thread)."""
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


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


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(_children(current))
    return found


def tree_rss_kb(pid: int, attempts: int = 10) -> int:
    """Memory of `pid` and all its descendants, now (0 when the tree kept changing).

    Read as one tree: a fork between reading the parent and reading its new
    child counts the pages they share one and a half times (the parent read
    before sharing them, the child after), which gave peaks up to 30 % too
    high. A reading during which the tree changed is taken again.
    """
    for _ in range(attempts):
        pids = _tree(pid)
        total = sum(_rss_kb(each) for each in pids)
        if _tree(pid) == pids:
            return total
    return 0


def measure(command: list[str], cwd: Path, log: Path, env: dict | None = None) -> Measure:
    """Run `command`; its output goes to `log` (appended)."""
    with open(log, "ab") as out:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        with _PeakSampler(process.pid) as sampler:
            _pid, status, usage = os.wait4(process.pid, 0)
            wall = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    maxrss_mb = usage.ru_maxrss / 1024
    # A process too short for any sample still had its maxrss.
    return Measure(wall=wall, cpu=usage.ru_utime + usage.ru_stime, maxrss_mb=maxrss_mb,
                   tree_rss_mb=sampler.peak_kb / 1024 if sampler.peak_kb else maxrss_mb,
                   returncode=process.returncode)


def _cpu_seconds(pid: int) -> float:
    """User and system time of `pid` and of the children it waited for, so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


SAMPLER_SHARE = 0.05  # at most this share of one core goes to sampling memory
SAMPLER_PAUSE = 0.02  # seconds between samples, at least


def pause_after(sample_seconds: float) -> float:
    """How long to wait after a sample that took `sample_seconds`, so that sampling
    takes at most SAMPLER_SHARE of a core, and never less than SAMPLER_PAUSE."""
    return max(SAMPLER_PAUSE, sample_seconds / SAMPLER_SHARE)


class _PeakSampler:
    """The largest PSS sum of a process tree while the `with` block runs.

    Reading a process's PSS walks its page tables (~6 ms for 400 MB): every
    20 ms, that took a third of a core from the build being timed on a
    2-core machine, and more from a large build than from vanilla Pelican.
    The pause after each sample grows with what the sample cost, so that
    sampling takes at most SAMPLER_SHARE of a core.
    """

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def __enter__(self) -> _PeakSampler:
        def sample() -> None:
            pause = SAMPLER_PAUSE
            while not self._done.wait(pause):
                started = time.perf_counter()
                self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
                pause = pause_after(time.perf_counter() - started)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))


class ResidentProcess:
    """A process that builds once at start and again at each request (`transfo_bench.preview`).

    Each request is measured like `measure`: wall time from the request to the
    answer, CPU time of the process and of the children it waited for, peak
    memory of its tree. Lines that are not answers (Pelican's log) go to `log`.
    """

    def __init__(self, command: list[str], cwd: Path, log: Path, answer_prefix: str, env: dict | None = None):
        self._log, self._prefix = open(log, "a", encoding="utf-8"), answer_prefix
        self.process = subprocess.Popen(command, cwd=cwd, env=env, text=True, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._log)
        if self.process.stdin is None or self.process.stdout is None:
            raise RuntimeError("the resident process has no pipes")
        self._requests, self._answers = self.process.stdin, self.process.stdout
        self.first = self._answer()

    def _answer(self) -> dict:
        import json

        for line in self._answers:
            if line.startswith(self._prefix):
                return json.loads(line.removeprefix(self._prefix))
            self._log.write(line)
        raise RuntimeError(f"the resident process ended (exit {self.process.wait()}); see {self._log.name}")

    def request(self, line: str = "build") -> tuple[Measure, dict]:
        cpu = _cpu_seconds(self.process.pid)
        with _PeakSampler(self.process.pid) as sampler:
            start = time.monotonic()
            self._requests.write(line + "\n")
            self._requests.flush()
            answer = self._answer()
            wall = time.monotonic() - start
        peak_mb = sampler.peak_kb / 1024
        return Measure(wall=wall, cpu=_cpu_seconds(self.process.pid) - cpu, maxrss_mb=peak_mb,
                       tree_rss_mb=peak_mb, returncode=int(answer.get("mode") == "error")), answer

    def __enter__(self) -> ResidentProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close its input and wait for it to end, its output going on to the log meanwhile: what
        it logs while it finishes (a build behind a page) would fill the pipe and stop it."""
        self._requests.close()
        drain = threading.Thread(target=self._log.writelines, args=(self._answers,), daemon=True)
        drain.start()
        self.process.wait(timeout=120)
        drain.join(timeout=10)
        self._log.close()


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
