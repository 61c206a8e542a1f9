"""Work split between this process and forked ones (Markdown reading, page rendering, the leak
check's search).

Forked children share the build's memory, read it as it is, and send their
results back through a pipe; this process does one share itself instead of
waiting, so two cores need one child, not two.

A child holds only the thread that forked it. Work that may be forked while
other threads run (the leak check runs beside the search index's thread)
must log nothing and pass `quiet=True`: the child then leaves the process's
streams alone, whose locks another thread may have held at the fork.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
from collections.abc import Callable
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def in_processes(items: list[Item], workers: int, work: Callable[[list[Item]], Result],
                 quiet: bool = False) -> list[Result]:
    """`work` over `items` split in `workers` interleaved shares: one here, the others in forked processes.

    A forked process sends its result (or its exception) back through a pipe;
    the first exception is raised here once every process has finished.
    """
    shares = [items[index::workers] for index in range(workers)]
    if workers == 1:
        return [work(shares[0])]
    frozen_before = gc.get_freeze_count()  # a resident process keeps its site frozen (resident.py)
    gc.freeze()  # objects the children only read stay shared with this process
    children = [_fork(share, work, quiet) for share in shares[1:]]
    if not frozen_before:
        gc.unfreeze()
    results: list[Result] = []
    errors: list[BaseException] = []
    try:
        results.append(work(shares[0]))
    except Exception as error:  # reported once the children are done
        errors.append(error)
    for pid, reader in children:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        try:
            outcome, payload = pickle.loads(data)
        except Exception:
            outcome, payload = "error", RuntimeError(
                f"a rendering process ended without a result (exit status {status})")
        (results if outcome == "ok" else errors).append(payload)
    if errors:
        raise errors[0]
    return results


def _fork(share: list[Item], work: Callable[[list[Item]], Result], quiet: bool) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)
    code = 0
    try:
        payload: tuple[str, object]  # ("ok", the result) or ("error", the exception)
        try:
            payload = ("ok", work(share))
        except BaseException as error:
            payload = ("error", error)
        try:
            data = pickle.dumps(payload)
        except Exception:
            data = pickle.dumps(("error", RuntimeError(f"{type(payload[1]).__name__}: {payload[1]}")))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        if not quiet:  # what the work logged, out before the process ends
            for handler in logging.getLogger().handlers:
                handler.flush()
            sys.stdout.flush()
            sys.stderr.flush()
    except BaseException:
        code = 1
    finally:
        os._exit(code)
