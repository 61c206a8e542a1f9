"""The output folder holds what the last build wrote, and nothing an earlier build wrote since dropped.

Development builds and the preview keep their output folder between builds
(`DELETE_OUTPUT_DIRECTORY = False`), so that unchanged pages are not written
again. Without this plugin, the page of an article deleted, made a draft or
moved to a new address stayed there: reachable at its old address, and read
into the search index.
"""

from .plugin import register

__all__ = ["register"]
