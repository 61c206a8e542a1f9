"""Content validation: every file's metadata checked against a schema before a build.

Other plugins extend it through its public modules: `schema` (kinds, documents),
`fields`, `problems`, `signals` (content_kinds, cross_checks, output_paths), `status`,
`core_schema` (shared rules), `vocabulary`, `frontmatter`, `body_html`, `comments`,
`check.display_path`, `check.check_paths` and `settings`.
"""

from .plugin import register

__all__ = ["register"]
