"""Reading a built site: its HTML pages, their links, their template family."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

HTML_SUFFIX = ".html"
# Attributes that load or link to another resource of the site.
LINK_ATTRIBUTES = {
    ("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"), ("form", "action"),
}
SRCSET_TAGS = {"img", "source"}


@dataclass
class PageFacts:
    """What the checks need from one page, gathered in one parse."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    json_ld: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # src of external scripts
    inline_scripts: int = 0
    style_elements: int = 0  # <style> elements (the CSP forbids them)
    style_attributes: int = 0  # style="" attributes (the CSP forbids them too)
    stylesheets: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # <img src>: what a browser downloads at least
    body_class: str = ""
    main_class: str = ""
    noindex: bool = False
    lang: str = ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_json_ld = False
        self._json_chunks: list[str] = []
        self._in_main = False
        self._main_child_seen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        facts = self.facts
        if "id" in attributes and attributes["id"]:
            facts.ids.add(attributes["id"])
        if tag == "style":
            facts.style_elements += 1
        if "style" in attributes:
            facts.style_attributes += 1
        for name, value in attrs:
            if (tag, name) in LINK_ATTRIBUTES and value:
                facts.links.append(value)
        if tag in SRCSET_TAGS and (srcset := attributes.get("srcset")):
            for candidate in srcset.split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    facts.links.append(url)  # checked, but not weighed: a browser takes one candidate
        if tag == "img" and (image := attributes.get("src")):
            facts.images.append(image)
        if tag == "html":
            facts.lang = attributes.get("lang") or ""
        elif tag == "body":
            facts.body_class = " ".join(sorted((attributes.get("class") or "").split()))
        elif tag == "main":
            self._in_main = True
        elif self._in_main and not self._main_child_seen:
            self._main_child_seen = True
            facts.main_class = f"{tag}.{'.'.join(sorted((attributes.get('class') or '').split()))}"
        if tag == "meta" and (attributes.get("name") or "").lower() == "robots":
            facts.noindex = "noindex" in (attributes.get("content") or "").lower()
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower().split():
            facts.stylesheets.append(attributes.get("href") or "")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            if kind == "application/ld+json":
                self._in_json_ld = True
                self._json_chunks = []
            elif script := attributes.get("src"):
                facts.scripts.append(script)
            else:
                facts.inline_scripts += 1

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self._json_chunks.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_json_ld:
            self.facts.json_ld.append("".join(self._json_chunks))
            self._in_json_ld = False


def page_facts(html: str) -> PageFacts:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.facts


# Folders of tools, not of the magazine: the search index, the editors' CMS (transfo_admin).
TOOL_FOLDERS = ("pagefind", "admin")


def html_pages(site: Path, tools: tuple[str, ...] = TOOL_FOLDERS) -> list[Path]:
    """The magazine's pages: every HTML file outside the tools' folders."""
    return sorted(p for p in Path(site).rglob(f"*{HTML_SUFFIX}") if p.is_file()
                  and not set(tools) & set(p.relative_to(site).parts[:1]))


def tool_pages(site: Path, tools: tuple[str, ...] = TOOL_FOLDERS) -> list[Path]:
    """The HTML files of the tools' folders: valid HTML, but not pages to weigh or browse."""
    return sorted(p for folder in tools for p in (Path(site) / folder).rglob(f"*{HTML_SUFFIX}") if p.is_file())


def url_shape(page: str) -> str:
    """`rubrique/actualites/page/2/index.html` -> `rubrique/*/`: the page's kind of address.

    The first folder names the section (`rubrique`, `agenda`, `emploi`...);
    numbers become N, other names *; pagination folds into its first page.
    """
    parts = page.split("/")[:-1]
    if len(parts) >= 2 and parts[-2] == "page" and parts[-1].isdigit():
        parts = parts[:-2]
    shape = [part if index == 0 and not part.isdigit() else ("N" if part.isdigit() else "*")
             for index, part in enumerate(parts)]
    return "/".join(shape) + "/" if shape else page


def template_signature(facts: PageFacts, page: str = "") -> str:
    """A page's family: its body class, the first element of <main>, its kind of address.

    Templates set `body_class` and open <main> with their own element, and each
    section has its own address scheme, so together they tell the templates
    apart without a list of them: a new page type is picked up by the gate the
    day it is built.
    """
    return f"{facts.body_class or '-'} | {facts.main_class or '-'} | {url_shape(page)}"


# (absolute bases, root paths) of the site, as site_bases gives them.
SiteBases = tuple[tuple[str, ...], tuple[str, ...]]
# Links whose target does not depend on the page they are on: absolute, or from the site's root.
SAME_FROM_EVERY_PAGE = ("http:", "https:", "//", "/")


def site_bases(*base_urls: str | None) -> SiteBases:
    """(absolute bases, root paths) of the site from SITEURL/PUBLIC_URL values.

    `https://host/transfo` gives `https://host/transfo` and `/transfo`; an
    empty SITEURL (development) gives the root path ``""``.
    """
    absolute, roots = [], []
    for url in base_urls:
        url = (url or "").rstrip("/")
        parts = urlsplit(url)
        if parts.netloc:
            absolute.append(url)
            roots.append(parts.path.rstrip("/"))
        else:
            roots.append(url)
    return tuple(dict.fromkeys(absolute)), tuple(dict.fromkeys(roots))


def site_path(url: str, bases: SiteBases, page_path: str) -> str | None:
    """The site-relative path a link points to, or None when it leaves the site.

    `bases` comes from `site_bases`; `page_path` is the linking page's own
    path (`2019/11/x/index.html`), for relative links and `#anchors`.
    """
    absolute_bases, roots = bases
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, data:...
    if parts.netloc:
        full = f"{parts.scheme}://{parts.netloc}{parts.path}"
        for base in absolute_bases:
            if full == base or full.startswith(base + "/"):
                return full[len(base):].lstrip("/") or ""
        return None
    if not parts.path:
        return page_path
    if parts.path.startswith("/"):
        for root in sorted(roots, key=len, reverse=True):
            if root == "" or parts.path == root or parts.path.startswith(root + "/"):
                return parts.path[len(root):].lstrip("/")
        return None
    folder = page_path.rsplit("/", 1)[0] if "/" in page_path else ""
    resolved: list[str] = []
    for segment in f"{folder}/{parts.path}".split("/"):
        if segment == "..":
            if resolved:
                resolved.pop()
        elif segment not in ("", "."):
            resolved.append(segment)
    return "/".join(resolved) + ("/" if parts.path.endswith("/") and resolved else "")


def resolve_file(site: Path, path: str) -> Path | None:
    """The file a server answers with for `path` (`x/` -> `x/index.html`), or None."""
    from urllib.parse import unquote

    path = unquote(path)
    candidates = [path + "index.html"] if path.endswith("/") or path == "" else [path, path + "/index.html"]
    for candidate in candidates:
        target = Path(site) / candidate
        if target.is_file():
            return target
    return None
