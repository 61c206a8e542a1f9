"""One build in this process, as `invoke build` does it; run as a module by the benchmark.

    python -m transfo_bench.build transfo --content C --output O --cache K [--now D] [--set K=JSON]
    python -m transfo_bench.build vanilla --content C --output O

`transfo` reads the real pelicanconf.py (all its plugins) with the content,
output and cache folders overridden; `vanilla` is Pelican 4.12 as installed:
its default settings and theme, no plugins, the same content.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SETTINGS_FILE = ROOT / "pelicanconf.py"


def transfo_overrides(content: Path, output: Path, cache: Path, now: str | None,
                      extra: dict | None = None) -> dict:
    override = {"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache)}
    if now:
        override["TRANSFO_NOW"] = now
    override.update(extra or {})
    return override


def transfo_settings(content: Path, output: Path, cache: Path, now: str | None,
                     extra: dict | None = None, launch: dict | None = None) -> dict:
    from pelican.settings import read_settings

    override = transfo_overrides(content, output, cache, now, extra)
    return read_settings(str(SETTINGS_FILE), override={**override, **(launch or {})})


def vanilla_settings(content: Path, output: Path, cache: Path) -> dict:
    """Pelican's defaults; only the folders, time zone and language are set."""
    from pelican.settings import read_settings

    return read_settings(None, override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache),
        "ARTICLE_PATHS": ["articles"], "PAGE_PATHS": ["pages"], "STATIC_PATHS": ["images"],
        "TIMEZONE": "Europe/Brussels", "DEFAULT_LANG": "fr", "SITENAME": "Transfo",
        "PLUGINS": [], "PLUGIN_PATHS": [],
    })


def overrides(pairs: list[str]) -> dict:
    """`KEY=JSON` pairs as settings (a value that is not JSON is taken as text)."""
    result = {}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        try:
            result[key] = json.loads(raw)
        except ValueError:
            result[key] = raw
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transfo_bench.build")
    parser.add_argument("flavour", choices=("transfo", "vanilla"))
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--now")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                        help="override a setting, e.g. TRANSFO_PERF_PARALLEL_READ=false")
    parser.add_argument("--verbose", action="store_true", help="log Pelican's progress (INFO)")
    args = parser.parse_args(argv)
    if args.flavour == "transfo":  # as `invoke build` does: ask transfo_perf.quick before importing Pelican
        from transfo_perf import quick

        folders = (args.content.resolve(), args.output.resolve(), args.cache.resolve())
        extra = overrides(args.set)
        launch = quick.launch_setting(SETTINGS_FILE, transfo_overrides(*folders, args.now, extra),
                                      folders[2] / "transfo_perf")
        if quick.nothing_changed(launch):
            if args.verbose:
                print(quick.UP_TO_DATE)
            return 0
    from pelican import Pelican
    from pelican.log import init as init_logging

    init_logging(level=logging.INFO if args.verbose else logging.WARNING)
    if args.flavour == "transfo":
        settings = transfo_settings(*folders, args.now, extra, launch)
    else:
        settings = vanilla_settings(args.content.resolve(), args.output.resolve(), args.cache.resolve())
    Pelican(settings).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
