"""Work that runs beside the build's last steps, and is waited for before the build ends.

Once the pages are written, two steps read the whole output: Pagefind
indexes it, in processes of its own, and the leak check searches every file
in this one. One after the other, they left a core idle for seconds. The
search index therefore starts here, in a thread that mostly waits for
Pagefind, and the steps that need the finished output (the leak check, the
build's record) call `wait` first. `wait` raises the error of work that
failed, so the build still fails on it.

Also here: a thread of its own at a lower priority (`in_thread`), a process
stopped gently (`stop_process`), and files deleted by a process that nothing
waits for (`delete_detached`: the releases a publish prunes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

Result = TypeVar("Result")

_pending: list[Future[object]] = []
_lock = threading.Lock()


def in_thread(work: Callable[[], Result], name: str, nice: int = 0) -> Future[Result]:
    """Run `work()` in a thread of its own; its result, or its error, comes in the future.

    `nice`: how much lower the thread's CPU priority is, and that of the processes it starts
    (Linux keeps a priority per thread; the caller's own is unchanged)."""
    future: Future[Result] = Future()

    def run() -> None:
        try:
            if nice:
                os.nice(nice)
            future.set_result(work())
        except BaseException as error:
            future.set_exception(error)

    threading.Thread(target=run, name=f"transfo-{name}").start()
    return future


def delete_detached(paths: list[Path]) -> subprocess.Popen[bytes]:
    """Delete `paths` (folders included) in a process of its own, at the lowest priority (the disk's
    too, where its scheduler has one), which outlives this one: for what nothing may wait for, nor
    use again (renamed out of the way first)."""
    idle_io = ["ionice", "-c", "3"] if shutil.which("ionice") else []
    return subprocess.Popen([*idle_io, "nice", "-n", "19", "rm", "-rf", "--", *map(str, paths)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def start(work: Callable[[], object], name: str) -> None:
    """Run `work()` in a thread of its own; the next `wait` waits for it."""
    future = in_thread(work, name)
    with _lock:
        _pending.append(future)


def wait() -> None:
    """Return once all started work is done; then raise the first error among it, if any."""
    errors = []
    while True:
        with _lock:
            if not _pending:
                break
            future = _pending.pop(0)
        error = future.exception()
        if error is not None:
            errors.append(error)
    if errors:
        raise errors[0]


def stop_process(process: subprocess.Popen[bytes], grace_s: float = 10) -> None:
    """End a process started beside the caller: asked to stop, killed if it has not after `grace_s`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
