"""Build tests of the validation cache: problems are reported the same, warm or cold."""

from __future__ import annotations

import os
import pickle

import pytest
from transfo_validation.settings import read_settings

from tests.support import ROOT, build, copy_content


@pytest.mark.slow
def test_a_replaced_image_fails_the_warm_build_as_the_cold_one(tmp_path):
    content = copy_content(tmp_path / "content")
    cache_file = read_settings({"PATH": str(content), "CACHE_PATH": str(ROOT / "cache")}).cache_file
    assert build(tmp_path / "out", content=content).returncode == 0
    setup, entries = pickle.loads(cache_file.read_bytes())
    assert len(entries) == 6  # every clean file stored: 5 articles, 1 page

    image = content / "images" / "alpha.jpg"
    stat = image.stat()
    image.write_bytes(b"x" * stat.st_size)  # same size and modification time
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    warm = build(tmp_path / "out", content=content, check=False)
    assert pickle.loads(cache_file.read_bytes())[0] == setup  # the others came from the cache
    cache_file.unlink()
    cold = build(tmp_path / "out", content=content, check=False)

    for result in (warm, cold):
        assert result.returncode == 2 and "Traceback" not in result.stderr
    assert warm.stderr == cold.stderr
    lines = [line for line in warm.stderr.splitlines() if "alpha.jpg" in line and ".md" in line]
    assert len(lines) == 1 and "cooperative-alpha.md" in lines[0]
    assert "Image: « images/alpha.jpg »" in lines[0]
    assert "images/alpha.jpg: fichier: type refusé" in warm.stderr  # and the file itself
    assert "rien n'a été construit" in warm.stderr
