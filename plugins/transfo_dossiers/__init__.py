"""Dossiers: multi-part thematic series, their landing pages, feeds and checks.

Other plugins use `transfo_dossiers.api` (an article's dossier and its place in it).
"""


def register() -> None:
    """Connect the dossiers' handlers. The plugin module is imported here, not above, so that
    importing `transfo_dossiers.api` (the images do) never imports the images back."""
    from .plugin import register as connect

    connect()


__all__ = ["register"]
