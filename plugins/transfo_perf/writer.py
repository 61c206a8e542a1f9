"""A Pelican writer that leaves a file alone when its new bytes equal the old ones.

Everything else is Pelican's `Writer`: rendering, pagination, the refusal of
double writes, the `content_written` signal (the sitemap listens to it).
Only the final write is skipped, so unchanged pages keep their mtime and
rsync, browsers and caches see only real changes.
"""

from __future__ import annotations

import io
import os
from typing import IO

from transfo_common.files import write_atomically
from transfo_common.pelican_compat import OpeningWriter


class _CompareOnClose(io.StringIO):
    """A text buffer that, on close, writes its bytes to `path` unless they are already there."""

    def __init__(self, path: str, encoding: str) -> None:
        super().__init__()
        self._path, self._encoding = path, encoding

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self._encoding)
            write_if_different(self._path, data)
        super().close()


def write_if_different(path: str, data: bytes) -> bool:
    """Write `data` to `path` unless it holds exactly these bytes; True when written."""
    if path == os.devnull:
        return False
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as existing:
                if existing.read() == data:
                    return False
    except OSError:
        pass
    write_atomically(path, data)
    return True


class ChangedOnlyWriter(OpeningWriter):
    def open_output(self, filename: str, target: str, encoding: str) -> IO[str]:
        """A buffer instead of an open file."""
        return _CompareOnClose(target, encoding)
