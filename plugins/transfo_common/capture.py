"""Sets that collect what is noted while blocks of code run (a page being rendered)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class Captures:
    """Every block open (`collecting`) gets what is noted (`add`) while it runs, nested ones too."""

    def __init__(self) -> None:
        self._open: list[set[str]] = []

    def __bool__(self) -> bool:
        return bool(self._open)

    def add(self, item: str) -> None:
        for collected in self._open:
            collected.add(item)

    @contextmanager
    def collecting(self) -> Iterator[set[str]]:
        collected: set[str] = set()
        self._open.append(collected)
        try:
            yield collected
        finally:
            self._open.pop()
