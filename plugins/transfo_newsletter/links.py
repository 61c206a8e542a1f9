"""Absolute, tracked links and the addresses of email images."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

EMAIL_WIDTH = 600  # px: the email's column; images are served at 2x for sharp screens


def absolute_url(public_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{public_url.rstrip('/')}/{path.lstrip('/')}"


def tracked(public_url: str, path: str, campaign: str, block: str) -> str:
    """Absolute URL with UTM tags naming the newsletter, the edition and the block."""
    url = absolute_url(public_url, path)
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.startswith("utm_")]
    query += [("utm_source", "newsletter"), ("utm_medium", "email"),
              ("utm_campaign", campaign), ("utm_content", block)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


# (image path below content/, wanted width) -> (site path, local file or None), or
# None when there is no derivative: see `derivative_resolver` in commands.py.
Resolver = Callable[[str, int], "tuple[str, Path | None] | None"]


@dataclass(frozen=True)
class EmailImages:
    """Where an email image lives, as URL and as file.

    The single place that maps a content image to its email version: the
    JPEG derivative at least `width` px wide when the image plugin provides
    one (`derivative`), else the original file.
    """

    public_url: str
    content_root: Path
    derivative: Resolver | None = None

    def resolve(self, image: str, width: int = EMAIL_WIDTH * 2) -> tuple[str, Path | None]:
        if self.derivative is not None:
            found = self.derivative(image, width)
            if found:
                return found
        path = image.lstrip("/")
        original = self.content_root / path
        return path, original if original.is_file() else None

    def url(self, image: str, width: int = EMAIL_WIDTH * 2) -> str:
        return absolute_url(self.public_url, self.resolve(image, width)[0])

    def file(self, image: str, width: int = EMAIL_WIDTH * 2) -> Path | None:
        return self.resolve(image, width)[1]
