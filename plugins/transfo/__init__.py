"""Transfo's entry plugin: registers every plugin of the site, in the order that matters.

`pelicanconf.py` names this plugin alone (`PLUGINS = ["transfo"]`). Pelican calls receivers of
one signal in the order they were connected, so the order below is the order each signal's
handlers run in, and the order of the generators the plugins add (`get_generators`). Each
constraint is said where it applies; plugins without a comment only need to come after
`transfo_validation`, whose signals they answer (any order among them gives the same site).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

PLUGINS: tuple[str, ...] = (
    # initialized: checks every TRANSFO_* setting and resolves the build date before any other
    # plugin's handler reads either.
    "transfo_config",
    "transfo_i18n",
    # article_generator_init: checks every content file before anything is read; the objects of
    # that build are typed with its check (transfo_perf notes them as Pelican read them).
    "transfo_validation",
    # all_generators_finalized: reading times before the newsletter's snapshot reads them.
    "transfo_publication",
    "transfo_feeds",
    "transfo_offers",
    "transfo_related",
    "transfo_dossiers",
    "transfo_portraits",  # its generator trims related reading (transfo_related.api.leave_out)
    # finalized: removes the pages the last build wrote and this one no longer does, before the
    # search index and the leak check read the output.
    "transfo_output",
    # finalized: starts the Pagefind index in the background before the leak check reads it.
    "transfo_search",
    "transfo_agenda",
    # finalized: the leak check and output allow-list run once every file is written.
    "transfo_promotions",
    # readers_init: swaps in the picture Markdown reader before transfo_perf wraps the reader class.
    "transfo_images",
    # initialized: names its editor folder as a setting before transfo_perf fingerprints the
    # folders the settings name.
    "transfo_newsletter",
    "transfo_admin",
    # After every plugin above: it wraps the (swapped) reader, caches templates once their
    # filters and globals are installed (generator_init), fingerprints the settings they set,
    # its render generator draws the pages every generator before it queued, and its finalized
    # handler records the build once the others (search index, leak check) are done.
    "transfo_perf",
    # Last: its generator lists the pages the others wrote (content_written).
    "transfo_sitemap",
)


def plugin_names(settings: dict) -> list[str]:
    """The plugins a build with `settings` registers, in order: PLUGINS with "transfo" expanded."""
    return list(_expanded(settings.get("PLUGINS") or ()))


def _expanded(names: Iterable) -> Iterable[str]:
    for name in names:
        name = getattr(name, "__name__", name)  # Pelican also accepts plugin modules
        if name == __name__:
            yield from PLUGINS
        else:
            yield name


def register() -> None:
    """Register each plugin of PLUGINS, in order."""
    for name in PLUGINS:
        import_module(name).register()
