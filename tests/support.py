"""Helpers for build and browser tests: run the real commands, serve, browse."""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from transfo_quality.lighthouse import serve_folder

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def pelican_effects_undone():
    """Pelican registers each plugin's receivers on process-wide (blinker) signals; a test that
    runs Pelican in its own process takes them off again, so later tests there never run them.
    A run that failed half-way also left its build trace (transfo_perf) wrapping Pelican's
    content methods, which the next build would end: it is ended here."""
    import weakref

    from blinker import default_namespace
    from transfo_perf.affected import BuildReads

    before = {name: set(found.receivers) for name, found in default_namespace.items()}
    try:
        yield
    finally:
        for name, found in list(default_namespace.items()):
            for key, receiver in list(found.receivers.items()):
                if key not in before.get(name, ()):
                    receiver = receiver() if isinstance(receiver, weakref.ref) else receiver
                    if receiver is not None:
                        found.disconnect(receiver)
        BuildReads.stop_running()


def invoke(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run an invoke task of tasks.py as an editor would, in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"invoke {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def build(output: Path, content: Path = FIXTURE_CONTENT, now: str | None = None,
          check: bool = True) -> subprocess.CompletedProcess:
    """`invoke build` of `content` into `output`."""
    args = ["build", "--content", str(content), "--output", str(output)]
    if now:
        args += ["--now", now]
    return invoke(*args, check=check)


def build_with_settings(folder: Path, extra_settings: str, output: Path, content: Path | None = None,
                        now: str | None = None) -> subprocess.CompletedProcess:
    """A build as `invoke build` runs it (`tasks.run_pelican`), with the development settings
    plus the lines `extra_settings`, written to a settings file in `folder`; exit code kept."""
    conf = Path(folder) / "testconf.py"
    conf.write_text("from pelican.settings import get_settings_from_file\n"
                    f"globals().update(get_settings_from_file({str(ROOT / 'pelicanconf.py')!r}))\n"
                    f"{extra_settings}\n", encoding="utf-8")
    script = ("import sys\nfrom pathlib import Path\nfrom invoke import Exit\nimport tasks\n"
              "try:\n    tasks.run_pelican(Path(sys.argv[1]), output=Path(sys.argv[2]),"
              " content=Path(sys.argv[3]) if sys.argv[3] else None, now=sys.argv[4] or None)\n"
              "except Exit as error:\n    sys.exit(error.code)\n")
    return subprocess.run([sys.executable, "-c", script, str(conf), str(output), str(content or ""), now or ""],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def copy_content(destination: Path, source: Path = FIXTURE_CONTENT) -> Path:
    """A writable copy of a content tree, for tests that edit files."""
    shutil.copytree(source, destination)
    return destination


def soup(path: Path):
    """A built page parsed with BeautifulSoup."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def json_ld_blocks(page) -> list:
    """Every JSON-LD block of a parsed page, decoded with json."""
    import json

    return [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def all_text(output: Path) -> str:
    """Every text file of the built site, concatenated: for leak checks."""
    chunks = []
    for path in sorted(output.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".json", ".ics", ".js", ".css"}:
            chunks.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(chunks)


def serve(directory: Path) -> AbstractContextManager[str]:
    """Serve `directory` on 127.0.0.1 on a free port; yield the base URL (the quality gate's server)."""
    return serve_folder(directory)


def open_menu(page) -> None:
    """Open the main menu where it sits behind its button (phones and tablets: a <details>)."""
    button = page.locator(".menu > summary")
    if button.is_visible():
        button.click()


# Run on the search page once it shows its form: searches with the Pagefind module search.js
# opened and returns each result's data.
PAGEFIND_SEARCH = """async word => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(word);
  return Promise.all(search.results.map(r => r.data()));
}"""

# Every page of the index, by address: Pagefind's search for null returns every result.
PAGEFIND_ALL_URLS = """async () => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(null);
  return Promise.all(search.results.map(async r => (await r.data()).url));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page currently loaded, as dicts."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in violations
    )
