"""What finishes behind a resident refresh (search index, leak check) once its pages are written."""

import threading
from contextlib import ExitStack

import pytest
from transfo_common.locking import OutputBusy, output_lock
from transfo_perf.resident import _behind


def held_lock(output):
    held = ExitStack()
    held.enter_context(output_lock(output))
    return held


def test_the_output_stays_held_until_what_finishes_behind_is_done(tmp_path):
    release = threading.Event()
    finishing = _behind(lambda: release.wait(5), held_lock(tmp_path / "output"), failed=pytest.fail)
    with pytest.raises(OutputBusy), output_lock(tmp_path / "output"):
        pass  # another build is refused while the index is made
    release.set()
    assert finishing.result(timeout=5) is None
    with output_lock(tmp_path / "output"):
        pass  # let go once done


def test_a_failure_behind_is_handed_over_and_lets_go_of_the_output(tmp_path):
    failures = []

    def leak_found():
        raise RuntimeError("output/index.html : chiffre interne")

    finishing = _behind(leak_found, held_lock(tmp_path / "output"), failed=failures.append)
    assert str(finishing.exception(timeout=5)) == "output/index.html : chiffre interne"
    assert [str(error) for error in failures] == ["output/index.html : chiffre interne"]
    with output_lock(tmp_path / "output"):
        pass
