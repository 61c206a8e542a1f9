"""What the gate learnt about a page's bytes, kept by their SHA-256 (content-addressed).

A page with the same bytes always has the same facts (links, ids, scripts...)
and the same HTML validation findings, wherever and whenever it is built: a
later publish reads them here instead of parsing or validating again. axe-core's
verdict also depends on the stylesheets and scripts the page loads, and on the
axe-core and Chromium that judged: it is kept under a key made of all of them
(`gate.axe_key`). The
folder lives in the project's cache (`cache/transfo_quality/`), never in an
output or a release. An unreadable entry is simply computed again.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from transfo_common.files import write_atomically

from .pages import PageFacts

VERSION = 1  # bump when PageFacts or the stored findings change shape


class Verdicts:
    def __init__(self, folder: Path):
        self.folder = Path(folder) / f"pages-v{VERSION}"

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.json"

    def _read(self, digest: str) -> dict:
        try:
            data = json.loads(self._path(digest).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _update(self, digest: str, **fields: object) -> None:
        path = self._path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps({**self._read(digest), **fields}, sort_keys=True).encode())

    def facts(self, digest: str) -> PageFacts | None:
        stored = self._read(digest).get("facts")
        if not isinstance(stored, dict):
            return None
        try:
            return PageFacts(**{**stored, "ids": set(stored["ids"])})
        except (TypeError, KeyError):
            return None

    def keep_facts(self, digest: str, facts: PageFacts) -> None:
        self._update(digest, facts={**asdict(facts), "ids": sorted(facts.ids)})

    def html_findings(self, digest: str) -> list[tuple[str, str]] | None:
        stored = self._read(digest).get("vnu")
        return [tuple(item) for item in stored] if isinstance(stored, list) else None

    def keep_html_findings(self, digest: str, findings: list[tuple[str, str]]) -> None:
        self._update(digest, vnu=[list(item) for item in findings])

    def axe_findings(self, key: str) -> list[str] | None:
        """axe-core's lines for a page as `key` (gate.axe_key) names it, or None if never judged."""
        stored = self._read(key).get("axe")
        return [str(line) for line in stored] if isinstance(stored, list) else None

    def keep_axe_findings(self, key: str, lines: list[str]) -> None:
        self._update(key, axe=lines)
