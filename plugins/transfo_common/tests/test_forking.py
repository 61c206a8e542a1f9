import pytest
from transfo_common.forking import in_processes
from transfo_validation.problems import ContentError, Problem


def _fail_in_second_share(share):
    if 1 in share:
        raise ContentError([Problem("content/a.md", "Image", "illisible ; attendu : une image JPEG", 3)])
    return sum(share)


def test_an_error_in_a_forked_process_is_raised_here_with_its_problems():
    with pytest.raises(ContentError) as caught:
        in_processes([0, 1, 2, 3], 2, _fail_in_second_share)
    assert "content/a.md:3" in str(caught.value)
    assert len(caught.value.problems) == 1


def test_results_of_every_process_come_back():
    assert sorted(in_processes(list(range(10)), 3, sum)) == sorted([0 + 3 + 6 + 9, 1 + 4 + 7, 2 + 5 + 8])
