"""Edition -> HTML email (Jinja2, then MJML, then inlined CSS) and plain text.

mjml-python has no templating and applies no `inline="inline"` styles:
Jinja2 composes the final MJML from per-block partials, mjml-python renders
it, css-inline copies the stylesheet into `style` attributes (for clients
that drop `<style>`) while keeping the `<style>` tags for media queries.
UI strings are `_("English msgid")` in the templates, translated with the
theme's gettext catalogue (`transfo_i18n.translations.load_translations`).
"""

from __future__ import annotations

import gettext
import html
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import css_inline
import jinja2
from mjml import mjml2html
from transfo_i18n.typography import french_spacing

from .links import EMAIL_WIDTH, EmailImages, absolute_url, tracked
from .model import Edition

BLOCK_TEMPLATES = {  # edition block -> partial under templates/blocks/
    "edito": "edito", "lead": "lead", "articles": "articles", "portraits": "articles",
    "dossiers": "dossier", "agenda": "agenda", "jobs": "jobs",
}
THUMBNAIL_WIDTH = 400  # px of the image file beside a list item (shown about 180 px wide)


@dataclass(frozen=True)
class Wordmark:
    """The header's wordmark: the theme's reverse PNG (3× its shown size)."""

    path: str = "static/brand/wordmark-reverse.png"
    width: int = 172
    height: int = 44


WORDMARK = Wordmark()
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_DATA_URI = re.compile(r"""data:[a-z]+/[a-z0-9.+-]+;base64""", re.IGNORECASE)


class RenderError(Exception):
    """The email cannot be produced as it should (MJML error, budget exceeded...)."""

    exitcode = 3


@dataclass(frozen=True)
class EmailContext:
    """What the templates need besides the edition: addresses and names."""

    public_url: str
    site_name: str
    web_version_path: str  # newsletter/2019-11/
    archive_path: str  # newsletter/
    unsubscribe_url: str = ""
    unsubscribe_mailto: str = ""
    images: EmailImages | None = None
    theme_files: tuple[tuple[str, Path], ...] = ()  # (URL, file) of the theme's images it shows


@dataclass(frozen=True)
class BudgetReport:
    html_bytes: int
    max_bytes: int
    target_bytes: int
    images: tuple[tuple[str, int | None], ...] = ()  # (url, bytes or None when not found)
    links: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def image_bytes(self) -> int:
        return sum(size or 0 for _url, size in self.images)

    def lines(self) -> list[str]:
        lines = [f"HTML : {self.html_bytes / 1024:.1f} Ko (limite {self.max_bytes // 1024} Ko, "
                 f"objectif {self.target_bytes // 1024} Ko)",
                 f"Images : {len(self.images)}, {self.image_bytes / 1024:.1f} Ko au total",
                 f"Liens suivis : {self.links}"]
        lines += [f"  {url} : {'introuvable' if size is None else f'{size / 1024:.1f} Ko'}"
                  for url, size in self.images]
        return lines + [f"Attention : {w}" for w in self.warnings]


@dataclass(frozen=True)
class RenderedEdition:
    html: str
    text: str
    report: BudgetReport


def environment(templates: Path, translations: gettext.NullTranslations) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("mjml.j2", "html"),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Added by the jinja2.ext.i18n extension at run time; Environment's types do not declare it.
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["wrap"] = wrap
    env.filters["text_paragraphs"] = text_paragraphs
    env.filters["typo"] = french_spacing
    return env


TEXT_WIDTH = 78  # columns of the plain-text part (RFC 5322's recommended line length)
_URL = re.compile(r"^(https?://|mailto:|www\.)\S+$")
_ASCII_SPACE = re.compile(r"[ \t\r\n]+")  # not the no-break spaces of French typography
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """Paragraphs wrapped for the plain-text part; a URL is never broken and stands on a
    line of its own, however long."""
    paragraphs = [p for p in re.split(r"\n\s*\n", str(text or "").strip()) if p.strip()]
    return "\n\n".join(_wrap_paragraph(p, width, indent) for p in paragraphs)


def _wrap_paragraph(paragraph: str, width: int, indent: str) -> str:
    lines: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if words:
            lines.append(textwrap.fill(" ".join(words), width=width, initial_indent=indent,
                                       subsequent_indent=indent, break_long_words=False,
                                       break_on_hyphens=False))
            words.clear()

    for word in _ASCII_SPACE.split(paragraph.strip()):
        if _URL.match(word):
            flush()
            lines.append(indent + word)
        else:
            words.append(word)
    flush()
    return "\n".join(lines)


def text_paragraphs(markup: str) -> str:
    """HTML (the edito) as plain paragraphs separated by blank lines, for `wrap`."""
    text = html.unescape(_TAGS.sub("", _BLOCK_END.sub("\n\n", str(markup or ""))))
    return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def _template_globals(edition: Edition, ctx: EmailContext) -> dict:
    images = ctx.images or EmailImages(ctx.public_url, Path("."))
    return {
        "edition": edition,
        "site_name": ctx.site_name,
        "block_template": lambda key: f"blocks/{BLOCK_TEMPLATES[key]}.mjml.j2",
        "track": lambda path, block: tracked(ctx.public_url, path, edition.campaign, block),
        "image_url": images.url,
        "THUMBNAIL_WIDTH": THUMBNAIL_WIDTH,
        "WORDMARK": WORDMARK,
        "web_version_url": tracked(ctx.public_url, ctx.web_version_path, edition.campaign,
                                   "voir-en-ligne"),
        "web_version_plain": absolute_url(ctx.public_url, ctx.web_version_path),
        "archive_url": tracked(ctx.public_url, ctx.archive_path, edition.campaign, "archives"),
        "home_url": tracked(ctx.public_url, "", edition.campaign, "header"),
        # The provider's page, untouched: tags could break a signed address.
        "unsubscribe_url": ctx.unsubscribe_url,
        "unsubscribe_mailto": ctx.unsubscribe_mailto,
        "plain_url": lambda path: absolute_url(ctx.public_url, path),
    }


def compose_mjml(edition: Edition, ctx: EmailContext, templates: Path,
                 translations: gettext.NullTranslations) -> str:
    env = environment(templates, translations)
    return env.get_template("edition.mjml.j2").render(**_template_globals(edition, ctx))


def mjml_to_html(source: str) -> str:
    try:
        return mjml2html(source, fonts={}, disable_comments=True)
    except ValueError as error:
        raise RenderError(f"MJML : {error}") from None


def inline_css(html: str) -> str:
    inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)
    return inliner.inline(html)


def image_files(edition: Edition, ctx: EmailContext) -> dict[str, Path | None]:
    """URL -> local file of every image the edition shows, to weigh them."""
    files: dict[str, Path | None] = dict(ctx.theme_files)
    if ctx.images is not None:
        files.update({ctx.images.url(item.image, width): ctx.images.file(item.image, width)
                      for _block, item in edition.items() if item.image
                      for width in (EMAIL_WIDTH * 2, THUMBNAIL_WIDTH)})
    return files


def check_budget(html: str, ctx: EmailContext, max_bytes: int, target_bytes: int,
                 files: dict[str, Path | None] | None = None) -> BudgetReport:
    """Enforce the email's budgets; RenderError names every breach."""
    size = len(html.encode("utf-8"))
    errors = []
    if size >= max_bytes:
        errors.append(f"HTML de {size / 1024:.1f} Ko ; attendu : moins de {max_bytes // 1024} Ko "
                      "(Gmail coupe les messages plus lourds) : retirez des éléments de l'édition")
    if _DATA_URI.search(html):
        errors.append("image intégrée en base64 ; attendu : des images liées par adresse absolue")
    hrefs = _HREF.findall(html)
    relative = [h for h in hrefs if not h.startswith(("http://", "https://", "mailto:"))]
    if relative:
        errors.append(f"lien relatif {relative[0]!r} ; attendu : des adresses absolues")
    untagged = [h for h in hrefs if h.startswith("http") and "utm_campaign=" not in h
                and not (ctx.unsubscribe_url and h == ctx.unsubscribe_url)]
    if untagged:
        errors.append(f"lien sans balises UTM {untagged[0]!r}")
    if errors:
        raise RenderError("\n".join(errors))
    images = []
    for src in dict.fromkeys(_SRC.findall(html)):
        if not src.startswith(("http://", "https://")):
            raise RenderError(f"image à l'adresse relative {src!r} ; attendu : une adresse absolue")
        local = (files or {}).get(src)
        images.append((src, local.stat().st_size if local and local.is_file() else None))
    warnings = []
    if size >= target_bytes:
        warnings.append(f"HTML de {size / 1024:.1f} Ko, au-delà de l'objectif de "
                        f"{target_bytes // 1024} Ko")
    return BudgetReport(html_bytes=size, max_bytes=max_bytes, target_bytes=target_bytes,
                        images=tuple(images), links=len(hrefs), warnings=tuple(warnings))


def render_text(edition: Edition, ctx: EmailContext, templates: Path,
                translations: gettext.NullTranslations) -> str:
    env = environment(templates, translations)
    text = env.get_template("edition.txt.j2").render(**_template_globals(edition, ctx))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_edition(edition: Edition, ctx: EmailContext, templates: Path,
                   translations: gettext.NullTranslations,
                   max_bytes: int = 102 * 1024, target_bytes: int = 60 * 1024) -> RenderedEdition:
    html = inline_css(mjml_to_html(compose_mjml(edition, ctx, templates, translations)))
    report = check_budget(html, ctx, max_bytes, target_bytes, image_files(edition, ctx))
    return RenderedEdition(html=html, text=render_text(edition, ctx, templates, translations),
                           report=report)
