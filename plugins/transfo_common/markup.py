"""Raw HTML that editors may paste into a body, and what they may not (docs/integrations.md).

Editors are trusted: raw HTML passes through Markdown as they typed it, so
that the embeds they paste (a video, a podcast, a map) work in production.
What could run code or load a frame the CSP blocks is refused instead:
event-handler attributes, `javascript:`/`vbscript:`/`data:` addresses,
`<script>`, frames and objects from hosts outside TRANSFO_EMBED_HOSTS, a frame's
document written in its `srcdoc`, and `<img>` without `alt`; so is what would take
the reader's page elsewhere (`<meta http-equiv>`, `<base>`). `invoke check` runs `unsafe_markup` on the raw HTML of
the Markdown sources and the quality gate on the built pages: one function.

Python's HTMLParser does not read everything as a browser does. Where a browser ends a comment,
a raw-text element (`<noscript>`, `<xmp>`, `<textarea>`, an `<iframe>`'s content…) or a foreign
one (`<svg>`, `<math>`) sooner than this parser, a tag this check reads as text runs in the
page (`<noscript><p title="</noscript><img src=x onerror=…>">`). Those constructs are refused
themselves: comments a browser closes early, `<![…]>` sections, anything inside an `<iframe>`,
and in pasted HTML the elements of `PASTED_ELEMENTS_REFUSED`, with style sheets (`<style>`,
`<link>`), which can hide or restyle the page. tests/hostile checks each against Chromium.
"""

from __future__ import annotations

import html as html_entities
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .config import Check, Setting, checked_values

# The frame hosts of the CSP `frame-src` in docs/nginx.conf (a test keeps both equal).
DEFAULT_EMBED_HOSTS = (
    "www.youtube-nocookie.com",  # YouTube, privacy-enhanced mode
    "player.vimeo.com",
    "w.soundcloud.com",
    "open.spotify.com",
    "player.ausha.co",  # French-speaking podcast host
    "www.openstreetmap.org",
    "umap.openstreetmap.fr",
)
EMBED_HOSTS = Setting(
    "TRANSFO_EMBED_HOSTS", DEFAULT_EMBED_HOSTS,
    Check(lambda hosts: isinstance(hosts, (list, tuple))
          and all(isinstance(h, str) and re.fullmatch(r"[a-z0-9.-]+", h) for h in hosts),
          "une liste de noms d’hôtes, comme (\"player.vimeo.com\",)"),
    "Hôtes dont un article peut intégrer un cadre (vidéo, son, carte) ; la CSP frame-src de "
    "docs/nginx.conf liste les mêmes (docs/integrations.md).")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "background"}
FRAME_SOURCES = {"iframe": "src", "embed": "src", "object": "data"}
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
# A tag as a browser's HTML tokenizer starts one: `<` then a letter, `/` and a letter, `!` or `?`.
# Anything else is text (`les <30 ans et les >50 ans`, `3 < 5`).
_HTML_TAG = re.compile(r"<(?:[A-Za-z]|/[A-Za-z]|[!?])[^>]*>")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")  # browsers drop these inside "java\tscript:"
# Comment text a browser ends at once (`<!-->`, `<!--->`) or at `--!>`, where this parser goes on.
_EARLY_COMMENT_END = re.compile(r"^-?>|--!>")
_READ_AS_TEXT = "son contenu est lu autrement par le navigateur, du code pourrait s'y cacher"
# Elements no article needs whose content a browser parses unlike HTMLParser, and style sheets.
# The theme writes some (<title>, <link>, <svg> icons): built pages are checked without them.
PASTED_ELEMENTS_REFUSED = {
    **dict.fromkeys(("noscript", "xmp", "noembed", "noframes", "plaintext", "textarea", "title", "template"),
                    f"aucun dans le texte ({_READ_AS_TEXT})"),
    **dict.fromkeys(("svg", "math"), f"une image PNG ou JPEG dans content/images/ ({_READ_AS_TEXT})"),
    **dict.fromkeys(("style", "link"), "aucun (la mise en forme des pages vient du thème)"),
}


class EmbedHostsError(ValueError):
    """TRANSFO_EMBED_HOSTS has the wrong shape."""


def embed_hosts(settings: dict) -> tuple[str, ...]:
    """The hosts whose frames editors may embed: TRANSFO_EMBED_HOSTS, or the default list."""
    return tuple(checked_values(settings, (EMBED_HOSTS,), EmbedHostsError)[EMBED_HOSTS.name])


def text_of(markup: str, separator: str = " ") -> str:
    """The text a reader sees in an HTML snippet (a summary) or a plain title: tags replaced by
    `separator`, entities decoded; for <title>, share previews and cards, JSON-LD, e-mails."""
    return html_entities.unescape(_HTML_TAG.sub(separator, markup))


def shown(value: str, limit: int = 60) -> str:
    """`value` fit for one line of a report: control characters spelt out, long values cut."""
    text = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
                   for c in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unsafe_url(value: str) -> bool:
    """True for addresses that run code or carry a document: javascript:, vbscript:, data:."""
    return _IGNORED_IN_SCHEME.sub("", value).lower().startswith(_UNSAFE_SCHEMES)


def frame_host(url: str) -> str | None:
    """The host of an https:// frame address, None for any other address."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return parts.hostname if parts.scheme == "https" else None


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, in the HTML given
    message: str  # what was found and what is expected, in French


class _Scanner(HTMLParser):
    def __init__(self, hosts: tuple[str, ...], own_script: Callable[[dict], bool], refused: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.hosts = hosts
        self.own_script = own_script
        self.refused = refused
        self.in_frame = False  # inside <iframe>…</iframe>, which a browser reads as text
        self.findings: list[Finding] = []

    def _found(self, message: str) -> None:
        self.findings.append(Finding(self.getpos()[0], message))

    def _inside_frame(self) -> None:
        if self.in_frame:
            self._found(f"contenu dans <iframe> ; attendu : <iframe …></iframe> vide ({_READ_AS_TEXT})")
            self.in_frame = False  # one line per frame

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._inside_frame()

    def handle_comment(self, data: str) -> None:
        self._inside_frame()
        if _EARLY_COMMENT_END.search(data):
            self._found("commentaire <!-- … --> que le navigateur ferme plus tôt (« <!--> », « <!---> » ou "
                        "« --!> ») ; attendu : <!-- une note --> simple")

    def unknown_decl(self, data: str) -> None:
        self._found(f"section « <![{shown(data, 20)} » ; attendu : aucune ({_READ_AS_TEXT})")

    def handle_endtag(self, tag: str) -> None:
        if tag == "iframe":
            self.in_frame = False
        else:
            self._inside_frame()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside_frame()
        if tag in self.refused:
            self._found(f"élément <{tag}> ; attendu : {self.refused[tag]}")
        self.in_frame = tag == "iframe"
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self._found(f"attribut « {shown(name)} » sur <{tag}> ; attendu : aucun attribut "
                            "on… (le code JavaScript est interdit dans le texte)")
            elif name in URL_ATTRIBUTES and value and unsafe_url(value):
                self._found(f"adresse « {shown(value)} » dans <{tag} {name}> ; attendu : une adresse "
                            "https://, http://, mailto: ou relative")
            elif name == "srcdoc":
                self._found(f"attribut « srcdoc » sur <{tag}> ; attendu : l'adresse https:// de "
                            "l'intégration dans src, sans document écrit dans la page")
        if tag == "script" and not self.own_script(attributes):
            self._found("élément <script> ; attendu : aucun script dans le texte "
                        "(pour une vidéo, un son ou une carte : l'iframe d'intégration)")
        elif tag in FRAME_SOURCES:
            url = attributes.get(FRAME_SOURCES[tag], "")
            if frame_host(url) not in self.hosts:
                allowed = (f"une intégration en https:// d'un hôte autorisé ({', '.join(self.hosts)})"
                           if self.hosts else "aucun cadre intégré ici")
                self._found(f"<{tag}> de « {shown(url) or 'adresse absente'} » ; attendu : {allowed}")
        elif tag == "base" or (tag == "meta" and "http-equiv" in attributes):
            what = "<base>" if tag == "base" else f"<meta http-equiv=\"{shown(attributes['http-equiv'])}\">"
            self._found(f"élément {what} ; attendu : aucun (il enverrait le lecteur ou ses liens "
                        "ailleurs que sur la page)")
        elif tag == "img" and "alt" not in attributes:
            self._found(f"<img src=\"{shown(attributes.get('src', ''))}\"> sans texte alternatif ; "
                        "attendu : alt=\"description de l'image\" (alt=\"\" si elle est décorative)")


def unsafe_markup(html: str, hosts: Iterable[str] = DEFAULT_EMBED_HOSTS,
                  own_script: Callable[[dict], bool] | None = None) -> list[Finding]:
    """What in `html` could run code or be blocked by the CSP, with its line.

    `own_script(attributes)`, for a built page, tells scripts the theme writes from
    pasted ones, and leaves it the elements of PASTED_ELEMENTS_REFUSED; in a content
    file (no `own_script`), every script is pasted.
    """
    pasted = own_script is None
    scanner = _Scanner(tuple(hosts), own_script or (lambda attributes: False),
                       PASTED_ELEMENTS_REFUSED if pasted else {})
    try:
        scanner.feed(html)
        scanner.close()
    except AssertionError:  # Python's parser gives up on a `<![` it cannot name (`<![)`): refused too
        scanner.findings.append(Finding(scanner.getpos()[0], "section « <![ » illisible ; attendu : aucune "
                                        f"({_READ_AS_TEXT})"))
    return scanner.findings
