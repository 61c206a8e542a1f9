"""Pure feed building: plain entries in, feedgen documents out.

Other plugins (dossiers, offers) build their feeds with the same functions,
from their own entries.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator

ATOM_LINK_ATTRIBUTES = ("rel", "type", "length")


class XmlElement(Protocol):
    """What the extension needs of feedgen's entry element (lxml, which ships no types)."""

    def findall(self, path: str) -> list[XmlElement]: ...
    def set(self, key: str, value: str) -> None: ...


class _AtomLinkAttributes(BaseEntryExtension):
    """Restore rel/type/length on Atom entry links.

    feedgen 1.0.0 writes entry links with their href only, so an enclosure
    looks like the entry's own link to feed readers. Filled from `fe.link()`.
    """

    def __init__(self) -> None:
        self.links: list[dict] = []

    def extend_atom(self, entry: XmlElement) -> XmlElement:
        for element, data in zip(entry.findall("link"), self.links, strict=False):
            for name in ATOM_LINK_ATTRIBUTES:
                if data.get(name):
                    element.set(name, data[name])
        return entry


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute; also the entry's id
    title: str
    summary_html: str
    published: datetime
    updated: datetime
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    enclosure: Enclosure | None = None


@dataclass(frozen=True)
class FeedMeta:
    title: str
    subtitle: str
    site_url: str  # the page the feed mirrors
    atom_url: str
    rss_url: str
    language: str
    entries: tuple[FeedEntry, ...] = field(default=())
    # The feed's date when it has no entry (the build date): feedgen would
    # otherwise stamp the wall clock and two builds of one site would differ.
    updated: datetime | None = None


def enclosure_for(url: str, size: int) -> Enclosure:
    mime_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
    return Enclosure(url=url, length=size, mime_type=mime_type)


def build_feed(meta: FeedMeta, self_url: str) -> FeedGenerator:
    """A feedgen document holding `meta.entries`, newest first, served at `self_url`."""
    fg = FeedGenerator()
    fg.id(meta.site_url)
    fg.title(meta.title)
    fg.subtitle(meta.subtitle)
    fg.language(meta.language)
    fg.link(href=meta.site_url, rel="alternate")
    fg.link(href=self_url, rel="self")
    entries = sorted(meta.entries, key=lambda e: e.published, reverse=True)
    if entries:
        fg.updated(max(e.updated for e in entries))
    elif meta.updated:
        fg.updated(meta.updated)
    # RSS has no author element without an e-mail address: names go in Dublin Core's creator, as
    # feed readers expect (Atom keeps its own <author>).
    fg.load_extension("dc", atom=False, rss=True)
    # feedgen prepends each new entry; add oldest first so the document reads newest first.
    for entry in reversed(entries):
        fe = fg.add_entry()
        fe.id(entry.url)
        fe.guid(entry.url, permalink=True)
        fe.title(entry.title)
        fe.link(href=entry.url, rel="alternate")
        fe.summary(entry.summary_html, type="html")
        fe.published(entry.published)
        fe.updated(entry.updated)
        for name in entry.authors:
            fe.author(name=name)
        if entry.authors:
            fe.dc.dc_creator(list(entry.authors))
        for term in entry.categories:
            fe.category(term=term, label=term)
        if entry.enclosure:
            fe.enclosure(entry.enclosure.url, str(entry.enclosure.length), entry.enclosure.mime_type)
        fe.register_extension("transfo_links", _AtomLinkAttributes, atom=True, rss=False)
        fe.transfo_links.links = fe.link()
    return fg


def render_atom(meta: FeedMeta) -> bytes:
    return build_feed(meta, meta.atom_url).atom_str(pretty=True)


def render_rss(meta: FeedMeta) -> bytes:
    return build_feed(meta, meta.rss_url).rss_str(pretty=True)
