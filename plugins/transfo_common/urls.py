"""Absolute URLs: canonical links, feeds, sitemap and share cards need them."""

from __future__ import annotations


class PublicUrlError(ValueError):
    """PUBLIC_URL is missing or not absolute."""


def public_url(settings: dict) -> str:
    """The site's absolute base URL, without a trailing slash."""
    url = (settings.get("PUBLIC_URL") or settings.get("SITEURL") or "").rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise PublicUrlError(f"PUBLIC_URL: expected the absolute address of the site, got {url!r}")
    return url


def absolute(settings: dict, path: str) -> str:
    """`2019/11/x/` -> `https://site/2019/11/x/`; absolute input is returned as is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{public_url(settings)}/{path.lstrip('/')}"
