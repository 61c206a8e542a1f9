"""A resident preview process, driven line by line (the benchmark's `preview` scenario, the tests).

    python -m transfo_bench.preview --content C --output O --cache K [--now D] [--set K=JSON]

Builds once, then once more for each line `build` read on standard input. After each
build it prints one line, `RESULT` then JSON: {"mode", "seconds", "rendered",
"changed", "reason", "watched"}, or {"mode": "error", "message"} when the build stopped
on a content mistake (Pelican's log shares standard output). The answer comes once
the pages are written; a line `settle` waits for what finishes behind them (search
index, leak check, or the rest of the site after a page shown first:
`ResidentSite.settle`) and answers {"mode": "settled", "error", "said", "rest_built",
"rest_rendered"}: what `on_failed` was told (the lines the editor reads), the seconds
from the edit to the rest of the site built and the pages that build rendered, as told
to `on_settled`, or None when no full build ran behind.
It is what `invoke livereload` does between two edits (transfo_perf.resident),
without the web server.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from .build import SETTINGS_FILE, overrides, transfo_overrides

RESULT = "transfo-preview: "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transfo_bench.preview")
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--now")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON")
    parser.add_argument("--verbose", action="store_true", help="log Pelican's progress (INFO)")
    args = parser.parse_args(argv)
    from pelican import Pelican
    from pelican.log import init as init_logging
    from transfo_common.output import TemplateFailure
    from transfo_perf.resident import EVERY_BUILD_WARNS, ResidentSite
    from transfo_validation.problems import ContentError

    init_logging(level=logging.INFO if args.verbose else logging.WARNING, logs_dedup_min_level=EVERY_BUILD_WARNS)
    folders = (args.content.resolve(), args.output.resolve(), args.cache.resolve())
    rest_built: list[tuple[float, int]] = []
    failed: list[str] = []
    site = ResidentSite(SETTINGS_FILE, transfo_overrides(*folders, args.now, overrides(args.set)),
                        folders[2] / "transfo_perf", lambda settings: Pelican(settings).run(),
                        on_settled=lambda seconds, rendered: rest_built.append((seconds, rendered)),
                        on_failed=failed.append)

    def build() -> dict:
        try:
            return asdict(site.build())
        except (ContentError, TemplateFailure) as error:
            return {"mode": "error", "message": str(error)}

    print(RESULT + json.dumps(build()), flush=True)
    for line in sys.stdin:
        if line.strip() == "settle":
            error = site.settle()
            seconds, rendered = rest_built.pop() if rest_built else (None, None)
            answer = {"mode": "settled", "error": None if error is None else str(error),
                      "said": failed.pop() if failed else None, "rest_built": seconds, "rest_rendered": rendered}
        else:
            answer = build()
        print(RESULT + json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
