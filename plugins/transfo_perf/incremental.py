"""The record of the last build, and the fingerprints it is compared with.

The record (one per output folder) holds a fingerprint of the build's
inputs (settings, content, theme, plugin code, folders named in the
settings, installed libraries, the build date), of the output folder as it
was left and, for `affected`, the site key (the date, the templates, the
theme's static files, the content files pages read themselves and the
content objects aside), the article bodies, the state of each object, the
digests of those content files, and for each page the bodies, objects and
content files it read, its view (with the sources of its templates) and the
files it wrote besides itself.
A build whose inputs and output folder both match has nothing to do. With
the real clock (TRANSFO_NOW unset) there is no record: a scheduled article
may have become due.

A plugin that reads files outside the content, theme and plugin folders
must name their folder in an absolute-path setting, or its edits would go
unseen (transfo_newsletter names its editor files' folder).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from transfo_common.files import (
    digests_fingerprint,
    file_digests,
    note_owner,
    times_fingerprint,
    write_atomically,
)

from .fingerprint import installed_packages, settings_fingerprint

EXCLUDED_PATH_SETTINGS = ("OUTPUT_PATH", "CACHE_PATH", "TRANSFO_PERF_CACHE_PATH")


def template_folders(settings: dict) -> list[Path]:
    """The folders Pelican's Jinja loader reads the theme's templates from (its own templates come
    with its version, among the installed packages)."""
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), os.path.join(settings["THEME"], "templates")]
    return [Path(os.path.expanduser(folder)).resolve() for folder in folders]


def theme_static_paths(settings: dict) -> list[Path]:
    """The theme's static files and folders (THEME_STATIC_PATHS): Pelican copies them into the
    output as they are, and nothing else a build makes reads them (tests/test_build_reads.py)."""
    return [Path(settings["THEME"], entry).resolve() for entry in settings.get("THEME_STATIC_PATHS", ["static"])]


def input_folders(settings: dict) -> list[Path]:
    """Folders and files the build reads: content, theme, plugins, and any path a setting names."""
    paths = [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", [])]
    paths += settings.get("THEME_TEMPLATES_OVERRIDES", [])
    for key, value in settings.items():
        if key in EXCLUDED_PATH_SETTINGS or not isinstance(value, str) or not value.startswith("/"):
            continue
        if Path(value).exists():
            paths.append(value)
    excluded = {Path(settings[k]).resolve() for k in EXCLUDED_PATH_SETTINGS if settings.get(k)}
    unique = []
    for path in sorted({Path(p).resolve() for p in paths}):
        if path not in excluded and not any(path.is_relative_to(e) for e in excluded):
            unique.append(path)
    return unique


@dataclass(frozen=True)
class InputsPlan:
    """What the inputs fingerprint is made of, once the settings are known.

    Kept with the record (see `quick`), it lets a later process fingerprint
    the same inputs without reading the settings through Pelican.
    """
    settings: str  # fingerprint of the resolved settings
    now: str
    folders: tuple[str, ...]
    content: str
    markdown_suffixes: tuple[str, ...]
    templates: tuple[str, ...]  # the template folders (`template_folders`), each in or among `folders`
    statics: tuple[str, ...] = ()  # the theme's static paths (`theme_static_paths`), inside the theme
    noted_suffixes: tuple[str, ...] = ()  # content files pages read through `transfo_common.reads`

    @classmethod
    def of(cls, settings: dict, now_text: str, markdown_suffixes: tuple[str, ...],
           noted_suffixes: tuple[str, ...] = ()) -> "InputsPlan":
        """The date is kept apart from the settings that hold it (`settings_fingerprint`): pages
        see it only through their context (`affected.page_views`)."""
        return cls(settings_fingerprint(settings), now_text, tuple(str(p) for p in input_folders(settings)),
                   str(Path(settings["PATH"]).resolve()), tuple(markdown_suffixes),
                   tuple(str(p) for p in template_folders(settings)),
                   tuple(str(p) for p in theme_static_paths(settings)), tuple(noted_suffixes))

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "InputsPlan":
        return cls(**{**data, "folders": tuple(data["folders"]), "templates": tuple(data["templates"]),
                      "statics": tuple(data["statics"]), "markdown_suffixes": tuple(data["markdown_suffixes"]),
                      "noted_suffixes": tuple(data.get("noted_suffixes", ()))})


class Fingerprints(NamedTuple):
    """A build's inputs in five parts, by how a change to each reaches the output."""
    site: str  # every input but the four below and the date: any page
    markdown: dict[str, str]  # {absolute path: digest}: through content objects (`affected`)
    templates: str  # the template folders: through each page's templates (`affected.page_views`)
    statics: str  # the theme's static files: copied as they are, into no page
    noted: dict[str, str]  # {absolute path: digest} of content files pages read themselves (images)


def _among(digests: dict[str, str], folder: Path, paths: list[Path]) -> dict[str, str]:
    """The digests (named relative to `folder`) of the files that are, or are inside, one of `paths`."""
    inside = [path.relative_to(folder).as_posix() for path in paths if path.is_relative_to(folder)]
    if "." in inside:
        return dict(digests)
    return {name: digest for name, digest in digests.items()
            if any(name == prefix or name.startswith(prefix + "/") for prefix in inside)}


def inputs_fingerprints(plan: InputsPlan) -> Fingerprints:
    """The inputs of `plan`, in the four parts `affected` follows each its own way.

    What a Markdown file Pelican reads holds reaches the pages through its content object, which
    `affected` compares; the others (files a plugin reads itself) go back into the site key there.
    A template reaches only the pages rendered with it or with a template that uses it; a static
    file of the theme only its own copy; a content file of `plan.noted_suffixes` only the pages
    whose rendering noted it, and the bodies that name it (the parse cache keys a body on the bytes
    of the files it names, `reading.references_key`).
    """
    content = Path(plan.content)
    site, templates, statics = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    noted: dict[str, str] = {}
    site.update(plan.settings.encode())
    site.update(installed_packages().encode())
    template_paths, static_paths = [Path(folder) for folder in plan.templates], [Path(p) for p in plan.statics]
    for path in map(Path, plan.folders):
        site.update(str(path).encode() + b"\0")
        if path.is_file():
            site.update(hashlib.sha256(path.read_bytes()).digest())
        elif not path.is_dir():
            site.update(b"absent")
        else:
            excluded = plan.markdown_suffixes if path == content else ()
            digests = file_digests(path, exclude_suffixes=excluded)
            if path == content and plan.noted_suffixes:
                noted = {name: digests.pop(name) for name in list(digests)
                         if name.lower().endswith(plan.noted_suffixes)}
            theirs = _among(digests, path, template_paths)
            copied = {name: digest for name, digest in _among(digests, path, static_paths).items()
                      if name not in theirs}
            site.update(digests_fingerprint({n: d for n, d in digests.items()
                                             if n not in theirs and n not in copied}).encode())
            templates.update(str(path).encode() + b"\0" + digests_fingerprint(theirs).encode())
            statics.update(str(path).encode() + b"\0" + digests_fingerprint(copied).encode())
    markdown = file_digests(content, only_suffixes=plan.markdown_suffixes)
    return Fingerprints(site.hexdigest(), {os.path.join(content, name): digest for name, digest in markdown.items()},
                        templates.hexdigest(), statics.hexdigest(),
                        {os.path.join(content, name): digest for name, digest in noted.items()})


def combined(plan: InputsPlan, site: str, markdown: dict[str, str], templates: str, statics: str,
             noted: dict[str, str]) -> str:
    """Every input of the build: `inputs_fingerprints`' five parts and the date."""
    return hashlib.sha256(f"{site}:{plan.now}:{digests_fingerprint(markdown)}:{templates}:{statics}:"
                          f"{digests_fingerprint(noted)}".encode()).hexdigest()


def code_changed_since(loaded_at: float, folders: list[str]) -> bool:
    """True when a module this process imported from `folders` was modified after `loaded_at`.

    A long-running process (`invoke regenerate`, `livereload`) keeps the plugin
    code it imported; its output must not be recorded as made by newer code.
    """
    roots = tuple({str(Path(folder)) + os.sep for folder in folders}
                  | {str(Path(folder).resolve()) + os.sep for folder in folders})
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None)
        if not source or not source.startswith(roots):
            continue
        try:
            if os.stat(source).st_mtime > loaded_at:
                return True
        except OSError:
            return True
    return False


def outputs_fingerprint(output: Path) -> str:
    """The output folder as left by the last build: names, sizes, mtimes."""
    return times_fingerprint(output)


def record_path(cache_dir: Path, output: Path) -> Path:
    name = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"last-build-{name}.json"


def load(record: Path) -> dict:
    """The last build's record ({} when there is none or it cannot be read)."""
    try:
        stored = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def remember(record: Path, data: dict, output: Path) -> str:
    """Keep `data` with the fingerprint of the output folder as this build leaves it; that fingerprint."""
    record.parent.mkdir(parents=True, exist_ok=True)
    outputs = outputs_fingerprint(output)
    text = json.dumps({**data, "outputs": outputs})
    write_atomically(record, text.encode("utf-8"))
    note_owner(record, output)
    return outputs


def vouch(record: Path, output: Path, written_outside: Collection[str] = ()) -> str:
    """Make the last build's record hold the output folder as it is now; that fingerprint.
    `written_outside`: pages written or removed since, outside a build (a preview's page shown
    first). They leave the record's pages, so the next build renders them whatever it finds
    changed: a file edited, then put back as it was before that build read it, must not leave
    the page written from the edit."""
    kept = load(record)
    kept.pop("outputs", None)
    pages = kept.get("pages")
    if isinstance(pages, dict):
        for name in written_outside:
            pages.pop(name, None)
    return remember(record, kept, output)


def forget(record: Path) -> None:
    record.unlink(missing_ok=True)
