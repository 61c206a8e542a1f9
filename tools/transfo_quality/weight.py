"""Page weight: what a reader downloads for one page, per template."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from .pages import PageFacts, SiteBases, resolve_file, site_path


@dataclass(frozen=True)
class Weight:
    page: str
    text_bytes: int  # HTML + CSS + JS, gzip-compressed as served
    image_bytes: int
    scripts: int

    def line(self, family: str) -> str:
        return (f"{family:<48} {self.page:<60} HTML+CSS+JS {self.text_bytes / 1024:7.1f} Kio (gzip)"
                f"  images {self.image_bytes / 1024:7.1f} Kio  scripts {self.scripts}")


def _compressed_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def page_weight(site: Path, page: str, facts: PageFacts, bases: SiteBases) -> Weight:
    text = _compressed_size(site / page)
    for url in dict.fromkeys([*facts.stylesheets, *facts.scripts]):
        path = site_path(url, bases, page)
        target = resolve_file(site, path) if path is not None else None
        if target is not None:
            text += _compressed_size(target)
    images = 0
    for url in dict.fromkeys(facts.images):
        path = site_path(url, bases, page)
        target = resolve_file(site, path) if path is not None else None
        if target is not None:
            images += target.stat().st_size
    return Weight(page, text, images, len(facts.scripts) + facts.inline_scripts)
