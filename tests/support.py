"""Helpers for build and browser tests: run the real commands, serve, browse."""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from transfo import PLUGINS as TRANSFO_PLUGINS
from transfo_quality.lighthouse import serve_folder

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
DOSSIERS_CONTENT = ROOT / "tests" / "fixtures" / "dossiers" / "content"  # dossiers, portraits, related
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


def python(*arguments: str, env: Mapping[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python ARGUMENTS` (`-m module ...` or `-c script ...`) run in the project's folder in a new
    process, output captured as text; `env`, its environment (default: this process's).

    The process is forked from one that has already imported Pelican, invoke and the plugins
    (multiprocessing's fork server, one per test process): a build test then spends its time
    building, not importing (0.8 s a run here). Nothing else is shared: the server never runs
    a build, so each run starts from the state of a process that has just imported them."""
    with tempfile.TemporaryDirectory() as folder:
        outputs = Path(folder) / "stdout", Path(folder) / "stderr"
        for output in outputs:
            output.touch()
        environ = dict(os.environ if env is None else env)
        process = _forks().Process(target=_run_python, args=(arguments, environ, outputs))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["python", *arguments], timeout)
        stdout, stderr = (output.read_text(encoding="utf-8") for output in outputs)
    return subprocess.CompletedProcess(["python", *arguments], process.exitcode, stdout, stderr)


TERMINAL_SIZE = ("COLUMNS", "LINES")
PRELOADED = ("invoke.main", "pelican", "pelican.log", "rich.table", "jinja2.ext", "PIL.JpegImagePlugin",
             *TRANSFO_PLUGINS)


@functools.cache
def _forks() -> multiprocessing.context.ForkServerContext:
    """The fork server, started without the terminal's size in its environment: Pelican's log
    console, made as it is imported, would keep that size for good, where a process of its own
    reads the size its caller gives it (COLUMNS, LINES) when it writes. (The size can be in the
    process's environment without being in os.environ: GNU readline puts it there.)"""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOADED))
    for name in TERMINAL_SIZE:
        os.unsetenv(name)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        for name in TERMINAL_SIZE:
            if name in os.environ:
                os.putenv(name, os.environ[name])
    return context


def _run_python(arguments: tuple[str, ...], environ: dict[str, str], outputs: tuple[Path, Path]) -> None:
    """In the forked process: what `python ARGUMENTS` does in ROOT, with the caller's environment."""
    os.chdir(ROOT)
    os.environ.clear()
    os.environ.update(environ)
    for descriptor, output in zip((1, 2), outputs, strict=True):
        opened = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, descriptor)
        os.close(opened)
    option, target, *rest = arguments
    # As the interpreter starts: the current folder first on the path, then PYTHONPATH.
    sys.path[:0] = [str(ROOT) if option == "-m" else "",
                    *filter(None, environ.get("PYTHONPATH", "").split(os.pathsep))]
    if option == "-m":
        sys.argv = [target, *rest]
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    elif option == "-c":
        sys.argv = ["-c", *rest]
        exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
    else:
        raise ValueError(f"python {option}: only -m and -c")


def invoke(*args: str, check: bool = True, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run an invoke task of tasks.py as an editor would, in a new process (`python`)."""
    result = python("-m", "invoke", *args, env=env)
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
    return python("-c", script, str(conf), str(output), str(content or ""), now or "")


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """`folder` made a tmpfs of `size` (`400k`, `26m`) for the block: a disk that fills up on
    demand. Mounting needs root, as on the machines the tests run on."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    assert mounted.returncode == 0, f"a small tmpfs is needed (root): {mounted.stderr}"
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


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
