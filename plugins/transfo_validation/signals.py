"""Signals through which plugins extend the content schema.

- `content_kinds(settings)`: each receiver returns an iterable of
  `ContentKind` and/or `KindExtension` for this site's settings.
- `cross_checks(documents, settings)`: each receiver returns an iterable of
  `Problem` found across files (duplicate slugs, dossier numbering...);
  `documents` maps kind names to their valid `Document`s.
- `output_paths(settings)`: each receiver returns the paths its plugin writes
  besides content pages, relative to the output folder ("agenda/",
  "pagefind/"...): a page whose address starts with one of their first
  folders would overwrite or hide them (core_schema.reserved_addresses).
"""

from blinker import signal

content_kinds = signal("transfo_content_kinds")
cross_checks = signal("transfo_content_cross_checks")
output_paths = signal("transfo_output_paths")
