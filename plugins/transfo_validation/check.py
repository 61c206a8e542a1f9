"""Validate a whole content tree: every file of every kind, then cross-file checks."""

from __future__ import annotations

import codecs
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from . import cache, frontmatter, tree
from .body_html import BODY_FIELD, raw_html_rule
from .fields import ParseContext
from .problems import Problem
from .schema import MARKDOWN_SUFFIX, ContentKind, Document, KindExtension, kind_files, merge, validate
from .settings import ValidationSettings, read_settings
from .signals import content_kinds, cross_checks
from .tree import DEFAULT_IGNORES

# The extensions Pelican's Markdown reader reads; any spelling but ".md" is refused with a line.
MARKDOWN_SPELLINGS = {".md", ".markdown", ".mkd", ".mdown"}

logger = logging.getLogger(__name__)


def collect_declarations(settings: dict) -> list[ContentKind | KindExtension]:
    """The kinds and extensions the installed plugins declare, as they declare them."""
    declarations: list[ContentKind | KindExtension] = []
    for _receiver, result in content_kinds.send(settings):
        declarations.extend(result or ())
    return declarations


def collect_kinds(settings: dict) -> dict[str, ContentKind]:
    """Every content kind of this site, as declared by the installed plugins.

    Every kind has a body, so every kind gets the raw HTML policy (body_html.py).
    """
    cfg = read_settings(settings)
    body_rule = raw_html_rule(cfg.embed_hosts, cfg.formatted_fields)
    return {name: replace(kind, rules=(*kind.rules, body_rule))
            for name, kind in merge(collect_declarations(settings)).items()}


def display_path(path: Path) -> str:
    """The path as an editor finds it: relative to where the command runs."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def code_folders(settings: dict) -> list[Path]:
    """Where the code of the checks lives: the plugin folders and each declaring package."""
    folders = [Path(folder) for folder in settings.get("PLUGIN_PATHS", ())]
    for receiver in content_kinds.receivers_for(settings):
        top = sys.modules.get((getattr(receiver, "__module__", None) or "").split(".")[0])
        folders += [Path(folder) for folder in getattr(top, "__path__", ())]  # packages only
    return folders


def read_text(data: bytes) -> str:
    """The text as `Path.read_text(encoding="utf-8")` gives it (universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 file (Windows' "Unicode"): its byte-order mark, or a zero byte beside each ASCII one."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    start = data[:200]
    return len(start) >= 4 and start.count(0) * 3 >= len(start) and 0 in (start[0], start[1])


def decode(data: bytes, shown: str) -> str | Problem:
    """The file's text (BOM and Windows line ends are fine), or the line saying why it cannot be read."""
    if _looks_utf16(data):
        return Problem(shown, "fichier", "encodage UTF-16 ; attendu : un fichier enregistré en "
                       "UTF-8 (dans l'éditeur : Enregistrer sous… > Encodage : UTF-8)")
    try:
        return read_text(data)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Problem(shown, "fichier", f"octet 0x{data[error.start]:02X} illisible en UTF-8 ; "
                       "attendu : un fichier enregistré en UTF-8 (pas en Latin-1 ni Windows-1252)", line)


def tree_problems(kinds: dict[str, ContentKind], cfg: ValidationSettings) -> list[Problem]:
    """The entries of the content folder that cannot be read (links that loop or are broken,
    folders reached twice, pipes: tree.walk), and the files no one would read: a text that is not a
    `.md` file in a kind's folders, or a Markdown file outside them (the rule of
    docs/guide-redaction.md)."""
    listing = tree.walk(cfg.content_root, cfg.ignore_files)
    problems = [Problem(display_path(path), "fichier", why) for path, why in listing.unreadable]
    static = tuple(folder.strip("/") + "/" for folder in cfg.static_paths)
    folders = sorted({f"content/{folder}/" for kind in kinds.values() for folder in kind.folders})
    for path in listing.files:
        relative = path.relative_to(cfg.content_root).as_posix()
        if relative.startswith(static):
            continue
        inside = kind_of(relative, kinds, cfg.content_root) is not None
        if inside and path.suffix != MARKDOWN_SUFFIX:
            problems.append(Problem(display_path(path), "fichier", _stranger(path)))
        elif not inside and path.suffix.lower() in MARKDOWN_SPELLINGS:
            problems.append(Problem(display_path(path), "fichier", "texte rangé hors des dossiers de textes, "
                                    f"ni lu ni publié ; attendu : un fichier dans {', '.join(folders)}"))
    return problems


def _stranger(path: Path) -> str:
    suffix = path.suffix or "(aucune)"
    if path.suffix.lower() in MARKDOWN_SPELLINGS:
        return (f"extension « {suffix} » non lue ; attendu : un fichier .md "
                f"(renommez-le « {path.stem}{MARKDOWN_SUFFIX} »)")
    return (f"fichier « {suffix} » dans un dossier de textes, ni lu ni publié ; attendu : un texte "
            "Markdown en .md (les images vont dans content/images/)")


def check_site(settings: dict) -> tuple[dict[str, list[Document]], list[Problem]]:
    """All problems of the content tree, and the valid documents by kind."""
    cfg = read_settings(settings)
    kinds = collect_kinds(settings)
    setup = None
    if cfg.cache_file:
        try:
            setup = cache.setup_key(settings, kinds, code_folders(settings))
        except cache.Unstable as error:
            logger.info("transfo_validation: no cache for this build (%s)", error)
    documents, problems = check_files(kinds, cfg.content_root, cfg.cache_file, setup, cfg.ignore_files)
    for _receiver, result in cross_checks.send(documents, settings=settings):
        problems.extend(result or ())
    # A file another check already refused as a whole (a link, by transfo_images) gets no second line.
    refused = {problem.path for problem in problems if problem.field == "fichier"}
    problems += [problem for problem in tree_problems(kinds, cfg) if problem.path not in refused]
    return documents, problems


def check_files(kinds: dict[str, ContentKind], content_root: Path, cache_file: Path | None = None,
                setup: str | None = None, ignores: tuple[str, ...] = DEFAULT_IGNORES,
                ) -> tuple[dict[str, list[Document]], list[Problem]]:
    """Every file of every kind: its problems, and its document when its header is valid (its
    body may still have problems: the checks across files see it all the same).

    With a cache file and a setup key (cache.py), a clean file whose bytes and
    dependencies are unchanged since the last check with that setup is not
    checked again: its values come from the cache.
    """
    cached_in = (cache_file, setup) if cache_file is not None and setup is not None else None
    stored = cache.load(*cached_in) if cached_in else {}
    kept: dict[str, cache.Entry] = {}
    documents: dict[str, list[Document]] = {}
    problems: list[Problem] = []
    for kind in kinds.values():
        valid = documents.setdefault(kind.name, [])
        for path in kind_files(kind, content_root, ignores):
            doc, found, stored_as = _check_file(kind, path, content_root, stored)
            problems.extend(found)
            if doc is not None:
                valid.append(doc)
            if stored_as is not None:
                kept[stored_as[0]] = stored_as[1]
    if cached_in and kept != stored:
        cache.save(*cached_in, kept)
    elif cached_in:
        cache.touch(cached_in[0])
    return documents, problems


def check_paths(settings: dict, paths: Iterable[str]) -> list[Problem]:
    """The problems of these content files alone, header and body, as the whole check finds them
    (files outside every kind are left out). A resident preview checks an edited text with it
    before it shows the text without a full build: checks across files need no body."""
    cfg = read_settings(settings)
    kinds = collect_kinds(settings)
    problems: list[Problem] = []
    for source in paths:
        kind = kind_of(os.path.realpath(source), kinds, cfg.content_root)  # the root is resolved there
        if kind is not None:
            problems += _check_file(kind, Path(source), cfg.content_root, {})[1]
    return problems


def _check_file(kind: ContentKind, path: Path, content_root: Path, stored: dict[str, cache.Entry],
                ) -> tuple[Document | None, list[Problem], tuple[str, cache.Entry] | None]:
    """One file: its document when its header is valid (its body may still have problems: the
    checks across files see it all the same, so that one run says everything), its problems,
    and (key, entry) to store when it has none. An entry of `stored` still fresh is reused."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:  # gone or changed since the walk
        return None, [Problem(shown, "fichier", f"illisible ({error.strerror}) ; attendu : un fichier lisible")], None
    text = decode(data, shown)
    if isinstance(text, Problem):
        return None, [text], None
    key = cache.file_key(kind.name, shown, path, data)
    entry = stored.get(key)
    if entry is not None and entry.fresh():
        return Document(shown, kind, frontmatter.parse(text), dict(entry.values)), [], (key, entry)
    context = ParseContext(content_root=content_root, source_path=path)
    doc, found = validate(text, shown, kind, context)
    header_valid = all(problem.field == BODY_FIELD for problem in found)
    return (doc if header_valid else None, found,
            None if found else (key, cache.Entry.of(doc.values, context.files)))  # problems: never stored


def kind_of(source_path: str, kinds: dict[str, ContentKind], content_root: Path,
            resolved: bool = False) -> ContentKind | None:
    """The kind whose folders hold `source_path` (absolute or relative to the root).

    `resolved`: `content_root` is already resolved (saves a resolve per call).
    """
    path = Path(source_path)
    if path.is_absolute():
        try:
            path = path.relative_to(content_root if resolved else content_root.resolve())
        except ValueError:
            return None
    relative = path.as_posix()
    for kind in kinds.values():
        for folder in kind.folders:
            prefix = folder.rstrip("/") + "/" if folder else ""
            excluded = any(relative.startswith(ex.rstrip("/") + "/") for ex in kind.excludes)
            if relative.startswith(prefix) and not excluded:
                return kind
    return None
