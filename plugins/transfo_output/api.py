"""What other tools may use of the output listing.

- `has_list(settings, output)`: whether the last full build into `output` left the list of the
  files it wrote, so that the next build there removes what it no longer writes (`invoke publish`
  keeps its build folder only then: `transfo_quality.buildfolder`).
"""

from __future__ import annotations

from pathlib import Path

from . import sweep
from .plugin import cache_folder


def has_list(settings: dict, output: Path) -> bool:
    return sweep.load(sweep.record_path(cache_folder(settings), Path(output))) is not None
