"""Faster builds with the same output: parallel and cached Markdown, changed-only writes, skipped no-op builds."""


def register() -> None:
    """Pelican's entry point; imported late so that `transfo_perf.quick` runs without Pelican."""
    from .plugin import register as connect

    connect()
