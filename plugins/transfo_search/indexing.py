"""The Pagefind index of the built site, made by Pagefind's documented command line.

Which pages are results is decided by the templates alone: the page kinds
(article, page, event, offer, dossier, newsletter) put `data-pagefind-body`
on their content unless the page is `noindex` (closed offers); listings,
the home page, the 404 and search pages never do. Pagefind is told to treat
that attribute as each page's root (`root_selector`, a documented option),
so a page without it is not indexed, even on a site where no page has it.

Pagefind cannot update an index: it reads every page and writes the index
whole, by its command line as by its Python API (whose service answers each
request on a 0.1 s poll: 4.2-4.9 s against 3.5-3.6 s for the same index of
the bench's 3,577 pages). So the index is rebuilt whole, once per
build, in the background (`plugin.py`), and skipped when what Pagefind would
read is unchanged: the store (`store.py`) keeps the last bundles under the
hash of their inputs, whatever output folder they were made for. A publish
builds without it (TRANSFO_SEARCH_IN_BUILD) and has it written into a folder
of its own (`into`) while its quality gate runs: seconds off every publish.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from transfo_common import tree

from . import store

BODY_MARK = "data-pagefind-body"
ROOT_SELECTOR = f"[{BODY_MARK}]"
TIMEOUT_S = 1800  # a Pagefind that hangs must not hold the build for ever
SCHEME = 3  # bump when what the input key covers changes
DISTRIBUTIONS = ("pagefind", "pagefind_bin", "pagefind_extended_bin")
# Pagefind's ready-made interfaces: the theme's search.js uses its API only.
UNUSED_UI_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                   "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class IndexingError(RuntimeError):
    """Pagefind failed: the build must not go on without its search."""


def base_url(siteurl: str) -> str:
    """Where result URLs start: SITEURL's path (`/transfo/`), `/` in development.

    The index stores site-relative URLs; the search page hands this to
    Pagefind's `baseUrl` option.
    """
    return urlsplit(siteurl or "").path.rstrip("/") + "/"


def read_by_pagefind(name: str, bundle: str) -> bool:
    """Whether Pagefind reads the site's file `name`: every HTML file outside the bundle."""
    return name.endswith(".html") and not name.startswith(bundle + "/")


def site_pages(output: Path, bundle: str) -> dict[str, str]:
    """{path: sha256} of every HTML file of the site outside the bundle: all that Pagefind reads."""
    names = {name: info for name, info in tree.files(output).items()
             if read_by_pagefind(name, bundle) and stat.S_ISREG(info.st_mode)}
    return store.digests(output, names, "search-pages")


def tool_identity(environ: Mapping[str, str] | None = None) -> list:
    """Pagefind's versions and PAGEFIND_* environment variables: what else its output depends on."""
    versions = []
    for name in DISTRIBUTIONS:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    variables = sorted([key, value] for key, value in (os.environ if environ is None else environ).items()
                       if key.upper().startswith("PAGEFIND"))
    return [versions, variables]


def input_key(pages: dict[str, str], tool: list) -> str:
    """sha256 of what an index depends on: every page Pagefind reads (path and content hash),
    its configuration and the tool itself. Content hashes, not mtimes: the changed-only writer
    keeps the mtime of a page rewritten with the same bytes."""
    payload = json.dumps([SCHEME, ROOT_SELECTOR, tool, sorted(pages.items())], ensure_ascii=True,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def incomplete(bundle: Path) -> str | None:
    """What an index written into `bundle` lacks (in French); None when its loader and its entry
    file, the JSON the loader reads first, are whole."""
    if not (bundle / "pagefind.js").is_file():
        return "pagefind.js manque"
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
    except (OSError, ValueError):
        return "pagefind-entry.json manque ou est tronqué"
    return None if isinstance(entry, dict) else "pagefind-entry.json n'est pas un objet JSON"


def run_pagefind(site: Path, target: Path) -> None:
    """Write Pagefind's index of the HTML pages of `site` into the folder `target`, which it makes.

    `python -m pagefind` is the command its PyPI package documents. It runs in the empty folder
    above `target`: Pagefind reads a configuration file (pagefind.yml…) from its working folder,
    and none may change the index behind the input key (the PAGEFIND_* variables are in it)."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(Path(site).resolve()), "--output-path", str(target),
               "--root-selector", ROOT_SELECTOR, "--quiet"]
    try:
        ran = subprocess.run(command, cwd=target.parent, capture_output=True, text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise IndexingError(f"Pagefind a échoué : {error}"[:2000]) from error
    if ran.returncode != 0:
        said = (ran.stderr.strip() or ran.stdout.strip()).splitlines()[-1:] or [f"code de sortie {ran.returncode}"]
        raise IndexingError(f"Pagefind a échoué : {said[0]}"[:2000])
    missing = incomplete(target)
    if missing is not None:
        raise IndexingError(f"Pagefind n'a pas écrit d'index complet dans {target} : {missing}")
    for name in UNUSED_UI_FILES:
        (target / name).unlink(missing_ok=True)


@dataclass(frozen=True)
class IndexReport:
    pages: int  # HTML pages Pagefind read (those with data-pagefind-body became results)
    ran: bool  # False: an index of exactly these pages was in the store, Pagefind did not run


def build_index(output: Path, bundle: str, store_path: Path, reuse: bool = True,
                into: Path | None = None, files: Mapping[str, str] | None = None) -> IndexReport:
    """Make `into` (default `<output>/<bundle>/`) Pagefind's index of the site's pages.

    Pagefind runs unless the store holds an index of exactly these pages made
    by this Pagefind (`reuse`), whichever output folder it was made for.
    `files`: {path: sha256} of every file of `output`, when the caller has them (a publish hashes
    its build folder anyway); else the pages are read and hashed here.
    """
    output, store_path = Path(output), Path(store_path)
    target = Path(into) if into is not None else output / bundle
    pages = site_pages(output, bundle) if files is None else \
        {name: digest for name, digest in files.items() if read_by_pagefind(name, bundle)}
    key = input_key(pages, tool_identity())
    entry = store_path / key
    record = store.load(entry) if reuse else None
    ran = record is None
    if record is None:
        record = store.make(store_path, key, pages, lambda folder: run_pagefind(output, folder))
    store.used(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    store.publish(entry, target, record["bundle"])
    store.prune(store_path)
    return IndexReport(len(pages), ran)


def index_problems(output: Path, bundle: str, store_path: Path, into: Path | None = None) -> list[str]:
    """Why `into` (default `<output>/<bundle>/`) may hold text the site's pages do not (in French);
    [] when it is an index this plugin made from the pages now in `output`, so that searching those
    pages searches all the index can tell (the promotions leak check relies on it)."""
    files = store.manifest(Path(into) if into is not None else Path(output) / bundle)
    if not files:
        return []
    made_from = next((record.get("pages") for _entry, record in store.records(store_path)
                      if record.get("bundle") == files), None)
    if not isinstance(made_from, dict):
        return ["index qui n'est pas celui que la construction a écrit pour ce site ; attendu : l'index "
                "de Pagefind écrit par transfo_search (construire le site à nouveau)"]
    pages = site_pages(Path(output), bundle)
    changed = sorted(path for path in made_from.keys() | pages.keys() if made_from.get(path) != pages.get(path))
    if not changed:
        return []
    shown = ", ".join(changed[:3]) + (f" et {len(changed) - 3} autre(s)" if len(changed) > 3 else "")
    return [f"index fait d'une autre version des pages ({shown}) : il peut tenir un texte qu'aucune page "
            "ne montre plus ; attendu : l'index des pages de cette construction (construire le site à nouveau)"]
