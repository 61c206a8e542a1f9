"""Pelican's public contract, as a third-party plugin relies on it, holds in a Transfo build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.support import FIXTURE_CONTENT, ROOT, copy_content, python

PROBE = ROOT / "tests" / "fixtures" / "probe"


def build_with_probe(content: Path, output: Path, cache: Path, log: Path) -> None:
    """`invoke build`'s settings and plugins, plus the probe plugin connected after them."""
    from pelicanconf import PLUGINS

    env = {"PYTHONPATH": str(PROBE), "PATH": "/usr/bin:/bin",
           "WRITTEN_PROBE_LOG": str(log)}
    result = python("-m", "transfo_bench.build", "transfo", "--content", str(content),
                    "--output", str(output), "--cache", str(cache), "--now", "2019-11-30",
                    "--set", f"PLUGINS={json.dumps([*PLUGINS, 'written_probe'])}", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_content_written_finds_every_file_with_its_final_bytes(tmp_path):
    content = copy_content(tmp_path / "content", FIXTURE_CONTENT)
    output, cache, log = tmp_path / "output", tmp_path / "cache", tmp_path / "seen.json"
    for edit in (False, True):  # a build from nothing, then one that renders only what an edit changed
        if edit:
            article = next((content / "articles").glob("*.md"))
            article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
        build_with_probe(content, output, cache, log)
        seen = json.loads(log.read_text(encoding="utf-8"))
        pages = {path for path, _digest in seen}
        assert str(output / "index.html") in pages
        assert len(pages) == len(seen), "a page announced twice"
        for path, digest in seen:
            assert digest is not None, f"{path} did not exist when content_written was sent"
            assert digest == hashlib.sha256(Path(path).read_bytes()).hexdigest(), \
                f"{path} changed after content_written was sent"
        written = {str(page) for page in output.rglob("*.html") if "pagefind" not in page.parts}
        assert written <= pages, sorted(written - pages)[:5]  # every page went through the writer
