"""Background work: it runs beside the caller, and `wait` hands back its end and its error."""

import os
import subprocess
import sys
import threading

import pytest
from transfo_common import background


def test_work_runs_beside_the_caller_and_wait_waits_for_it():
    release, done = threading.Event(), []

    def work():
        release.wait(5)
        done.append(threading.current_thread().name)

    background.start(work, "test")
    assert done == []  # started, not finished: the caller goes on
    release.set()
    background.wait()
    assert done == ["transfo-test"]


def test_wait_raises_the_error_of_failed_work_once():
    def failing():
        raise RuntimeError("Pagefind a échoué")

    background.start(failing, "test")
    with pytest.raises(RuntimeError, match="Pagefind a échoué"):
        background.wait()
    background.wait()  # handed over: nothing left


def test_every_started_work_is_waited_for():
    done = []
    for number in range(3):
        background.start(lambda number=number: done.append(number), "test")
    background.wait()
    assert sorted(done) == [0, 1, 2]


def test_wait_waits_for_all_work_before_raising():
    release, done = threading.Event(), []

    def failing():
        raise RuntimeError("première")

    def slow():
        release.wait(5)
        done.append("lente")

    background.start(failing, "test")
    background.start(slow, "test")
    threading.Timer(0.05, release.set).start()
    with pytest.raises(RuntimeError, match="première"):
        background.wait()
    assert done == ["lente"]  # nothing left running behind the error


def test_work_in_a_thread_hands_its_result_or_error_to_its_future_alone():
    assert background.in_thread(lambda: 42, "test").result(timeout=5) == 42
    failed = background.in_thread(lambda: 1 / 0, "test")
    assert isinstance(failed.exception(timeout=5), ZeroDivisionError)
    background.wait()  # not among the work `wait` waits for


def test_work_given_a_lower_priority_hands_it_to_the_processes_it_starts_and_not_to_the_caller():
    own = os.getpriority(os.PRIO_PROCESS, 0)
    child = [sys.executable, "-c", "import os; print(os.getpriority(os.PRIO_PROCESS, 0))"]
    lowered = background.in_thread(
        lambda: (os.getpriority(os.PRIO_PROCESS, 0), int(subprocess.check_output(child))), "test", nice=3)
    assert lowered.result(timeout=30) == (min(own + 3, 19),) * 2
    assert os.getpriority(os.PRIO_PROCESS, 0) == own
    assert background.in_thread(lambda: int(subprocess.check_output(child)), "test").result(timeout=30) == own


def test_a_process_stopped_ends_and_one_that_ignores_the_request_is_killed():
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    background.stop_process(polite)
    assert polite.returncode == -15  # ended by the request (SIGTERM)
    deaf = subprocess.Popen([sys.executable, "-c", "import signal, sys, time; "
                             "signal.signal(signal.SIGTERM, signal.SIG_IGN); print('prêt', flush=True); "
                             "time.sleep(60)"], stdout=subprocess.PIPE)
    assert deaf.stdout is not None and deaf.stdout.readline().strip() == "prêt".encode()
    background.stop_process(deaf, grace_s=0.2)
    assert deaf.returncode == -9  # killed
    deaf.stdout.close()
    background.stop_process(deaf)  # already ended: nothing to do
