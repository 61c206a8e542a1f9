"""Content objects a plugin's generator reads, with the address the plugin gives them.

Pelican gives a content object its URL and file from `<CLASS>_URL`/`<CLASS>_SAVE_AS`
settings, or from its `url`/`save_as` metadata, which win. A plugin's own kind
(offers, events, dossiers) has its own URL setting: its generator reads each file
through `read_with_address`, which puts the address in the metadata before Pelican
creates the object (`Readers.read_file`'s context signal, the hook Pelican's own
generators give plugins), so the object has its URL from the start, as Pelican reads it.

A file added since the last build is shown first, in the resident preview, when the
generator that reads it can give its page alone (`NewPage`); a plugin's generator does
so by offering `reads_file(path)` and `page_for_new_file(path)`, both given the path
relative to the generator's folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from blinker import NamedSignal
from pelican.contents import Content
from pelican.generators import Generator


def read_with_address(generator: Generator, path: str, content_class: type[Content],
                      address: Callable[[dict], dict[str, str]]) -> Content:
    """`path` (relative to the generator's folder) read as `content_class`.

    `address(metadata)` returns what to add to the file's metadata before the
    object is created: at least `url` and `save_as`, and `slug` when the plugin
    decides it.
    """
    metadata_read = NamedSignal(f"{content_class.__name__} address")

    def add_address(_generator: Generator, metadata: dict) -> None:
        metadata.update(address(metadata))

    metadata_read.connect(add_address, weak=False)
    return generator.readers.read_file(
        base_path=generator.path, path=path, content_class=content_class, context=generator.context,
        context_signal=metadata_read, context_sender=generator,
    )


def folder_address(url: str, **extra: str) -> dict[str, str]:
    """The metadata of a page published as `url` + index.html (`offres/x/` -> offres/x/index.html)."""
    return {**extra, "url": url, "save_as": url + "index.html"}


@dataclass(frozen=True)
class NewPage:
    """The page of a file added since the last build, as the generator's output phase asks for
    it: `write_file(save_as, get_template(template), context, **own)`. What plugins add to objects
    once every file is read (a dossier's parts, related articles) is not in it yet."""

    source: Content  # the object read from the file
    save_as: str
    template: str
    own: dict[str, object]
