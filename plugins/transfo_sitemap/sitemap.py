"""Pure sitemap logic: from written pages to the sitemap and robots documents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True, order=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None


def page_url(public_url: str, output_file: str) -> str:
    """`2019/11/x/index.html` -> `https://site/2019/11/x/` (the URL readers share)."""
    path = output_file.replace("\\", "/")
    if path == "index.html":
        path = ""
    elif path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return f"{public_url.rstrip('/')}/{path}"


def is_indexable(output_file: str, localcontext: dict) -> bool:
    """HTML pages not marked noindex (the 404 page, closed offers...) are indexable."""
    if not output_file.endswith(".html"):
        return False
    if localcontext.get("noindex"):
        return False
    content = localcontext.get("article") or localcontext.get("page")
    return not getattr(content, "noindex", False)


def last_modified(localcontext: dict) -> datetime | None:
    content = localcontext.get("article") or localcontext.get("page")
    if content is None:
        return None
    return getattr(content, "modified", None) or getattr(content, "date", None)


def render_sitemap(entries: Iterable[SitemapEntry]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NAMESPACE}">']
    by_location = {entry.loc: entry for entry in entries}
    for entry in (by_location[loc] for loc in sorted(by_location)):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(entry.loc)}</loc>")
        if entry.lastmod:
            lines.append(f"    <lastmod>{entry.lastmod.isoformat(timespec='seconds')}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(public_url: str, disallow: Iterable[str] = ()) -> bytes:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), "Allow: /", "",
             f"Sitemap: {public_url.rstrip('/')}/sitemap.xml", ""]
    return "\n".join(lines).encode("utf-8")
