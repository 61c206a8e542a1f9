"""What other plugins and tools may use of the search.

- `index_and_report(output, search, into, files)`: write the Pagefind index of a built site's pages
  into another folder (`invoke publish` does so beside its quality gate, with the digests of the
  build folder it has already made), through the store.
- `read_settings(settings)`: the TRANSFO_SEARCH_* values (`SearchSettings`: bundle folder, whether
  the site has a search, whether the build writes the index itself).
- `index_problems(output, bundle, store, into)`: why an index may hold text the site's pages do
  not (the leak check's guarantee).
"""

from __future__ import annotations

from .indexing import IndexingError, index_problems
from .plugin import index_and_report
from .settings import SearchSettings, read_settings

__all__ = ["IndexingError", "SearchSettings", "index_and_report", "index_problems", "read_settings"]
