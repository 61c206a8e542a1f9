import os
import signal
import subprocess
import sys
import time

from transfo_bench.runner import ResidentProcess, _tree, tree_rss_kb

# A process whose child is started by a second thread, as Pagefind is by a build's background thread.
CHILD_FROM_THREAD = """
import subprocess, sys, threading, time
threading.Thread(target=subprocess.run, args=([sys.executable, "-c", "import time; time.sleep(30)"],),
                 daemon=True).start()
time.sleep(30)
"""


def test_the_tree_holds_processes_started_by_any_thread():
    parent = subprocess.Popen([sys.executable, "-c", CHILD_FROM_THREAD])
    try:
        deadline = time.monotonic() + 10
        while len(_tree(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = _tree(parent.pid)
        assert len(pids) == 2 and pids[0] == parent.pid
        alone = tree_rss_kb(pids[1])
        assert alone > 0 and tree_rss_kb(parent.pid) > alone
    finally:
        for pid in reversed(_tree(parent.pid)):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        parent.wait()


# A resident process that answers once, then logs more than a pipe holds while it finishes.
LOGS_AS_IT_ENDS = """
import sys
print("answer: {}", flush=True)
for _line in sys.stdin:
    pass
sys.stdout.write("Writing a page\\n" * 20000)
"""


def test_a_resident_process_that_logs_as_it_ends_is_not_left_stuck_on_a_full_pipe(tmp_path):
    """A preview whose last request left a build behind logs that build after its last answer: with
    nobody reading, the pipe filled, the process never ended and the test waited 120 s for it."""
    with ResidentProcess([sys.executable, "-c", LOGS_AS_IT_ENDS], tmp_path, tmp_path / "log", "answer: ") as process:
        assert process.first == {}
    assert process.process.returncode == 0
    assert (tmp_path / "log").read_text(encoding="utf-8").count("Writing a page\n") == 20000
