"""The files of /admin/: the page, its configuration, our scripts, Decap's own files."""

from __future__ import annotations

import json
from pathlib import Path

from transfo_common.files import copy_if_changed, write_if_changed

STATIC = Path(__file__).resolve().parent / "static"
OUR_SCRIPTS = ("pelican-format.js", "transfo-cms.js")
SETUP_SCRIPT = "transfo-setup.js"  # generated: formats and rules of this site's schema
DECAP_SCRIPT = "decap-cms.js"
# What admin.html loads, in this order: our setup data, Decap, then our format and rules.
PAGE_SCRIPTS = (SETUP_SCRIPT, DECAP_SCRIPT, *OUR_SCRIPTS)


def is_decap_file(name: str) -> bool:
    """Decap's bundle, its licence notice and what it loads lazily (chunks, .wasm, CSS).

    dist/ also holds a second build (cms.js and its N.cms.js chunks) and source maps: left out.
    """
    return (name in (DECAP_SCRIPT, f"{DECAP_SCRIPT}.LICENSE.txt") or name.endswith(".decap-cms.js")
            or name.endswith((".wasm", ".css")))


def decap_files(dist: Path) -> list[Path]:
    return sorted(path for path in dist.iterdir() if path.is_file() and is_decap_file(path.name))


def setup_script(setup: dict) -> bytes:
    """Data for transfo-cms.js, set before Decap loads (which it then initialises by hand)."""
    data = json.dumps(setup, ensure_ascii=False, indent=1, sort_keys=True)
    return f"window.CMS_MANUAL_INIT = true;\nwindow.TRANSFO_CMS = {data};\n".encode()


def config_yml(config: dict) -> bytes:
    """config.yml as JSON, which is YAML too (Decap reads it with a YAML parser)."""
    return (json.dumps(config, ensure_ascii=False, indent=1) + "\n").encode()


def write_admin(folder: Path, dist: Path, config: dict, setup: dict) -> int:
    """Write the admin's scripts and configuration into `folder` (its page goes through Pelican's
    writer, `plugin.AdminGenerator`); the number of files written or copied."""
    changed = sum(copy_if_changed(path, folder / path.name) for path in decap_files(dist))
    changed += sum(copy_if_changed(STATIC / name, folder / name) for name in OUR_SCRIPTS)
    changed += write_if_changed(folder / "config.yml", config_yml(config))
    changed += write_if_changed(folder / SETUP_SCRIPT, setup_script(setup))
    return changed
