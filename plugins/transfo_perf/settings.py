"""The perf plugin's settings, read and validated in one place.

Every speed-up can be switched off on its own; all keep the output
byte-identical to a plain build (tests/test_perf_identical.py checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from transfo_common.config import BOOLEAN, COUNT, PATH, Setting, checked_values, defaults, optional

SETTINGS = (
    Setting("TRANSFO_PERF_WRITE_CHANGED_ONLY", True, BOOLEAN,
            "N’écrire une page que si ses octets ont changé : les fichiers inchangés gardent leur date."),
    Setting("TRANSFO_PERF_PARALLEL_READ", True, BOOLEAN,
            "Lire tous les fichiers Markdown d’avance, dans plusieurs processus."),
    Setting("TRANSFO_PERF_WORKERS", 0, COUNT, "Nombre de processus (0 : un par processeur)."),
    Setting("TRANSFO_PERF_PARSE_CACHE", True, BOOLEAN,
            "Garder sur disque le Markdown converti, selon les octets du fichier et la configuration Markdown."),
    Setting("TRANSFO_PERF_TEMPLATE_CACHE", True, BOOLEAN, "Garder sur disque les gabarits compilés."),
    Setting("TRANSFO_PERF_SKIP_UNCHANGED", True, BOOLEAN,
            "Ne rien reconstruire quand aucune entrée ni aucun fichier produit n’a changé depuis la "
            "dernière construction (seulement avec TRANSFO_NOW fixé)."),
    Setting("TRANSFO_PERF_PARALLEL_RENDER", True, BOOLEAN,
            "Produire les pages dans TRANSFO_PERF_WORKERS processus."),
    Setting("TRANSFO_PERF_RENDER_AFFECTED_ONLY", True, BOOLEAN,
            "Ne reproduire que les pages qui montrent un article modifié, quand rien d’autre n’a changé "
            "(seulement avec TRANSFO_NOW fixé)."),
    Setting("TRANSFO_PERF_CACHE_PATH", None, optional(PATH, "<CACHE_PATH>/transfo_perf"),
            "Dossier du cache de transfo_perf."),
)
DEFAULTS = defaults(SETTINGS)


class PerfSettingsError(ValueError):
    """A perf setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class PerfSettings:
    write_changed_only: bool
    parallel_read: bool
    workers: int
    parse_cache: bool
    template_cache: bool
    skip_unchanged: bool
    parallel_render: bool
    render_affected_only: bool
    cache_path: Path


def read_settings(settings: dict) -> PerfSettings:
    merged = checked_values(settings, SETTINGS, PerfSettingsError)
    cache = merged["TRANSFO_PERF_CACHE_PATH"] or os.path.join(settings.get("CACHE_PATH", "cache"),
                                                              "transfo_perf")
    return PerfSettings(
        write_changed_only=merged["TRANSFO_PERF_WRITE_CHANGED_ONLY"],
        parallel_read=merged["TRANSFO_PERF_PARALLEL_READ"],
        workers=merged["TRANSFO_PERF_WORKERS"] or (os.cpu_count() or 1),
        parse_cache=merged["TRANSFO_PERF_PARSE_CACHE"],
        template_cache=merged["TRANSFO_PERF_TEMPLATE_CACHE"],
        skip_unchanged=merged["TRANSFO_PERF_SKIP_UNCHANGED"],
        parallel_render=merged["TRANSFO_PERF_PARALLEL_RENDER"],
        render_affected_only=merged["TRANSFO_PERF_RENDER_AFFECTED_ONLY"],
        cache_path=Path(cache),
    )
