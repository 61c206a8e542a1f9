"""Tasks for editors and developers: `invoke --list` shows them all.

Pelican's usual names (clean, build, rebuild, regenerate, serve, livereload,
preview, publish) plus `check` (validate content without building) and
`new` (scaffold a content file).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from invoke import Context, Exit, task

if TYPE_CHECKING:  # the tasks import what they run when they run (invoke --list stays fast)
    from transfo_bench.bench import BenchResult
    from transfo_promotions.articles import ArticleRef
    from transfo_promotions.records import Promotion
    from transfo_promotions.settings import PromotionSettings
    from transfo_quality.gate import Changes, Report
    from transfo_quality.release import Layout
    from transfo_quality.staging import Manifest
    from transfo_quality.verdicts import Verdicts
    from transfo_quality.vnu_service import HtmlChecker

ROOT = Path(__file__).resolve().parent


class Config(TypedDict):
    """The tasks' paths and preview address (Pelican's quickstart shape), typed per key."""

    settings_base: Path
    settings_publish: Path
    deploy_path: Path
    publish_root: Path
    host: str
    port: int
    scaffolds: Path
    nginx_conf: Path


CONFIG: Config = {
    "settings_base": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "deploy_path": ROOT / "output",
    "publish_root": ROOT / "public",  # releases/ and the `current` link (invoke publish)
    "host": "127.0.0.1",
    "port": 8000,
    "scaffolds": ROOT / "docs" / "modeles",
    "nginx_conf": ROOT / "docs" / "nginx.conf",  # its security headers are also `serve`'s
}


# Typographic quotes, copied from a document into a terminal, hold no words together there: the
# shell cuts `invoke new “Une coopérative”` into two arguments, and invoke answers in English
# (« No idea what 'coopérative”' is! »). Opening quote -> its closing one.
TYPOGRAPHIC_QUOTES = {"“": "”", "«": "»", "‘": "’", "„": "“"}


def cut_by_typographic_quotes(arguments: list[str]) -> list[str] | None:
    """The arguments a shell cut apart that typographic quotes were meant to hold together (from
    the one that opens to the one that closes), or None. One argument quoted whole, straight
    quotes around it (`"« Vivre ensemble »"`), is not cut."""
    for start, word in enumerate(arguments):
        closing = TYPOGRAPHIC_QUOTES.get(word[:1])
        if closing is None or (len(word) > 1 and word.endswith(closing)):
            continue
        for end in range(start + 1, len(arguments)):
            if arguments[end].endswith(closing):
                return arguments[start:end + 1]
    return None


if (_cut := cut_by_typographic_quotes(sys.argv[1:])) is not None:
    print(f"Guillemets typographiques : « {' '.join(_cut)} » est arrivé en {len(_cut)} morceaux, car le "
          "terminal ne les lit pas comme des guillemets ; attendu : des guillemets droits autour du texte, "
          f"par exemple \"{' '.join(_cut)[1:-1].strip()}\"", file=sys.stderr)
    sys.exit(2)


def _overrides(output: Path | None = None, now: str | None = None, content: Path | None = None) -> dict:
    """Settings given on the command line; every task's `--now` is checked here (one French line)."""
    from transfo_publication.settings import NowError, now_option

    override = {}
    if content is not None:
        if not Path(content).is_dir():  # Pelican would say it in English, with a traceback
            raise Exit(f"--content : dossier {content} introuvable ; attendu : le dossier des textes "
                       "(content/ par défaut)", code=2)
        override["PATH"] = str(Path(content).resolve())
    if output is not None:
        override["OUTPUT_PATH"] = str(output)
    if now:
        try:
            override["TRANSFO_NOW"] = now_option(now)
        except NowError as error:
            raise Exit(f"--now : {error}", code=2) from None
    return override


def _settings(config: Path, output: Path | None = None, now: str | None = None,
              content: Path | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(config), override=_overrides(output, now, content))


class BuildDateReport(logging.Handler):
    """Prints, after every build, the build date and the files it held back (transfo_publication).

    A build with nothing to do (transfo_perf) says nothing: the last report, kept
    in memory or in `saved`, still holds, and is printed again.
    """

    LOGGER = "transfo_publication.build_date"  # transfo_publication.logic.REPORT_LOGGER

    def __init__(self, saved: Path | None = None, command: str = "invoke build"):
        super().__init__(logging.INFO)
        self.saved = saved
        self.command = command  # what the editor runs: the --now that shows what waits is given with it
        self.fresh: list[str] = []
        self.last = saved.read_text(encoding="utf-8").splitlines() if saved and saved.is_file() else []
        logger = logging.getLogger(self.LOGGER)
        logger.setLevel(logging.INFO)
        logger.handlers = [self]
        logger.propagate = False

    def emit(self, record: logging.LogRecord) -> None:
        from transfo_publication.logic import SHOWN_BY, show_line

        day = getattr(record, SHOWN_BY, None)
        self.fresh.append(show_line(self.command, day) if day else record.getMessage())

    def show(self) -> None:
        if self.fresh:
            self.last, self.fresh = self.fresh, []
            if self.saved:
                self.saved.parent.mkdir(parents=True, exist_ok=True)
                self.saved.write_text("\n".join(self.last) + "\n", encoding="utf-8")
        if self.last:
            print("\n".join(self.last))


def run_pelican(config: Path, output: Path | None = None, now: str | None = None,
                fatal: str = "", verbose: bool = False, content: Path | None = None,
                settings: dict | None = None, command: str = "invoke build") -> None:
    """One build; content mistakes end it with their lines and no traceback.

    When nothing changed since the last build, it ends before Pelican is even imported (transfo_perf.quick).
    Builds into one output folder take turns (a lock beside it); a write that fails (a full disk) is one
    line, and the temporary files a killed build left there are removed first.
    """
    from transfo_common.files import remove_leftovers
    from transfo_common.locking import OutputBusy, output_lock
    from transfo_common.output import write_failure
    from transfo_search.api import IndexingError

    overrides = {**_overrides(output, now, content), **(settings or {})}
    target = Path(output) if output else CONFIG["deploy_path"]
    try:
        with output_lock(target):
            _run_pelican(config, overrides, fatal, verbose, lambda: remove_leftovers(target), command)
    except OutputBusy as error:
        print(error, file=sys.stderr)
        raise Exit(code=error.exitcode) from None
    except OSError as error:
        print(write_failure(error, target), file=sys.stderr)
        raise Exit(code=1) from None
    except IndexingError as error:  # Pagefind could not write its index (a full disk...)
        print(f"{target}: {str(error).strip().splitlines()[0]} ; rien n'a été publié.", file=sys.stderr)
        raise Exit(code=1) from None


def _run_pelican(config: Path, overrides: dict, fatal: str, verbose: bool,
                 before_build: Callable[[], object], command: str = "invoke build") -> None:
    """The build itself; `before_build` runs unless nothing changed (a leftover file in the output
    is a change: the no-op path never sees one)."""
    from transfo_perf import quick

    folder = ROOT / "cache" / "transfo_perf"
    launch = quick.launch_setting(config, overrides, folder)
    saved = folder / f"build-date-{launch[quick.LAUNCH_SETTING]['key'][:24]}.txt" if launch else None
    report = BuildDateReport(saved, command)
    if quick.nothing_changed(launch):
        if verbose:
            print(quick.UP_TO_DATE)
        report.show()
        return
    before_build()
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings
    from transfo_common.output import TemplateFailure, copy_failures, template_failures_said
    from transfo_search.api import IndexingError
    from transfo_validation.problems import ContentError

    init_logging(level=logging.INFO if verbose else logging.WARNING, fatal=fatal)
    settings = read_settings(str(config), override={**overrides, **launch})
    from transfo_admin.plugin import AdminMissing
    from transfo_config.plugin import ConfigError

    try:
        with copy_failures() as failed_copies, template_failures_said():
            try:
                Pelican(settings).run()
            except Exception:
                if failed_copies:  # the first failed write is the cause of what followed
                    raise failed_copies[0] from None
                raise
        if failed_copies:
            raise failed_copies[0]
        report.show()
    except (ConfigError, ContentError, AdminMissing, TemplateFailure) as error:
        print(error, file=sys.stderr)
        raise Exit(code=error.exitcode) from None
    except IndexingError:  # a RuntimeError too, reported by run_pelican
        raise
    except RuntimeError as error:  # --fatal turns a logged warning into RuntimeError
        if not fatal:
            raise
        print(f"Construction arrêtée (avertissement traité comme erreur) : {error}", file=sys.stderr)
        raise Exit(code=1) from None


NOW_HELP = "build date: YYYY-MM-DD, YYYY-MM-DDTHH:MM or aujourd'hui/today"


@task(help={"output": "output folder (default: output/); only a folder a build of this project wrote"})
def clean(c: Context, output: str | None = None) -> None:
    """Remove the generated site (not while a build writes it)."""
    from transfo_common.locking import OutputBusy, output_lock
    from transfo_output import api as output_api

    target = Path(output).resolve() if output else CONFIG["deploy_path"]
    try:
        with output_lock(target):
            if not target.exists():
                return
            # A mistyped --output (the home folder, content/) must never be emptied.
            if output and not output_api.has_list(_settings(CONFIG["settings_base"], target), target):
                raise Exit(f"--output {output} : aucune construction de ce projet n'y a écrit, rien n'est "
                           "effacé ; attendu : un dossier de « invoke build --output »", code=2)
            shutil.rmtree(target)
    except OutputBusy as error:
        raise Exit(str(error), code=error.exitcode) from None


@task(help={"now": NOW_HELP + " (default: the configuration's)",
            "output": "output folder (default: output/)",
            "content": "content folder (default: content/)",
            "verbose": "print Pelican's progress"})
def build(c: Context, now: str | None = None, output: str | None = None, content: str | None = None,
          verbose: bool = False) -> None:
    """Build the site with the development settings."""
    run_pelican(CONFIG["settings_base"], Path(output) if output else None, now,
                verbose=verbose, content=Path(content) if content else None)


@task
def rebuild(c: Context, now: str | None = None) -> None:
    """`clean` then `build`; a --now that is no date is refused before output/ is removed."""
    _overrides(now=now)
    clean(c)
    build(c, now=now)


def _resident_site(now: str | None, command: str, reload_url: str | None = None) -> Callable[[], None]:
    """The site kept in memory between builds (transfo_perf.resident): after an edit of an article's
    text, only what shows that text is produced again; after an edit of its fields, its page first
    (at its new address when it moved, the old one sending the browser there), the rest behind, and
    then a GET of `reload_url` (livereload's /forcereload) shows the rest in the browser. `build()`
    prints content mistakes and goes on; its build-date report names `command`, the editor's."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from transfo_common.locking import OutputBusy, output_lock
    from transfo_common.output import TemplateFailure, write_failure
    from transfo_config.plugin import ConfigError
    from transfo_perf.resident import EVERY_BUILD_WARNS, ResidentSite
    from transfo_validation.problems import ContentError

    init_logging(level=logging.WARNING, logs_dedup_min_level=EVERY_BUILD_WARNS)
    report = BuildDateReport(command=command)

    def settled(seconds: float, rendered: int) -> None:
        print(f"Reste du site reconstruit ({rendered} page(s) rendue(s), {seconds:.2f} s après la modification)",
              flush=True)
        if reload_url:
            try:
                urllib.request.urlopen(reload_url, timeout=5).close()
            except OSError:
                pass  # the server is stopping: no browser to reload

    site = ResidentSite(CONFIG["settings_base"], _overrides(now=now), ROOT / "cache" / "transfo_perf",
                        lambda settings: Pelican(settings).run(), hold=lambda: output_lock(CONFIG["deploy_path"]),
                        on_settled=settled, on_failed=lambda message: print(message, file=sys.stderr, flush=True))

    def build() -> None:
        try:
            outcome = site.build()
        except (ConfigError, ContentError, OutputBusy, TemplateFailure) as error:
            print(error, file=sys.stderr)
            return
        except OSError as error:
            print(write_failure(error, CONFIG["deploy_path"]), file=sys.stderr)
            return
        if outcome.mode == "page":
            print(f"Page affichée en {outcome.seconds:.2f} s ; le reste du site se reconstruit derrière "
                  f"({outcome.reason})", flush=True)
        elif outcome.mode != "unchanged":
            print(f"Site construit en {outcome.seconds:.2f} s"
                  + f" ({outcome.rendered} page(s) rendue(s))"
                  + (f" : {outcome.reason}" if outcome.mode == "full" and outcome.reason else ""))
            report.show()

    return build


@task
def regenerate(c: Context, now: str | None = None) -> None:
    """Rebuild whenever content, theme or settings change."""
    from pelican.utils import wait_for_changes

    settings = _settings(CONFIG["settings_base"], now=now)
    build = _resident_site(now, "invoke regenerate")
    while True:
        build()
        print("En attente de modifications (Ctrl-C pour arrêter)…")
        wait_for_changes(str(CONFIG["settings_base"]), settings)


def _port(port: str | int | None, option: str = "--port") -> int:
    """`--port` (or `option`), or the configured one; a port that is no number is one line."""
    try:
        number = int(port or CONFIG["port"])
    except ValueError:
        number = 0
    if not 0 < number < 65536:
        raise Exit(f"{option} : « {port} » ; attendu : un numéro de port (ex. 8001)", code=2)
    return number


def _free_port(host: str) -> int:
    """A port of `host` nothing listens on, chosen by the system."""
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _wait_listening(host: str, number: int, process: subprocess.Popen, timeout_s: float = 120) -> None:
    """Return once `process` listens on host:number; Exit if it stops first or never does."""
    import socket

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Exit(f"decap-server s'est arrêté au démarrage (code {process.returncode}) ; "
                       "attendu : « npm ci --omit=dev » puis « invoke cms » de nouveau", code=1)
        try:
            socket.create_connection((host, number), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise Exit(f"decap-server n'écoute toujours pas sur le port {number} après {timeout_s:.0f} s", code=1)


def _port_taken(host: str, number: int) -> str | None:
    """Why nothing new can listen on host:number (the system's words), or None when it is free."""
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Node and Python's servers bind
        try:
            sock.bind((host, number))
        except OSError as error:
            return error.strerror or str(error)
    return None


def _decap_env(environ: dict[str, str], repo_root: Path, host: str, port: int) -> dict[str, str]:
    """decap-server's environment. It also reads a .env of the repository, for what is still unset;
    GIT_REPO_DIRECTORY (where it saves) and ORIGIN (the sites its CORS lets in) are therefore always
    set here: another Decap project's, left in the editor's shell, saved elsewhere or let any site
    in. ORIGIN "" keeps its default, pages of 127.0.0.1 and localhost only."""
    return {**environ, "GIT_REPO_DIRECTORY": str(repo_root), "ORIGIN": "", "PORT": str(port),
            "BIND_HOST": host, "MODE": "fs", "LOG_LEVEL": "warn"}


@task(help={"port": "port (default 8000)", "site": "folder to serve (default: output/)"})
def serve(c: Context, port: str | None = None, site: str | None = None) -> None:
    """Serve output/ on http://127.0.0.1:8000/ with the security headers of docs/nginx.conf.

    The preview sends production's Content-Security-Policy, so an embed or a
    script that production would block is blocked here too.
    """
    from transfo_quality.headers import preview_headers
    from transfo_quality.preview import preview_server

    number = _port(port)
    folder = Path(site) if site else CONFIG["deploy_path"]
    if not folder.is_dir():
        raise Exit(f"{folder} introuvable ; attendu : un site construit (invoke build)", code=2)
    try:
        server = preview_server(folder, CONFIG["host"], number,
                                preview_headers(CONFIG["nginx_conf"].read_text(encoding="utf-8")))
    except OSError as error:  # the port taken by another server
        raise Exit(f"--port {number} : {error.strerror} ; attendu : un port libre (--port 8001)", code=2) from None
    print(f"Site servi sur http://{CONFIG['host']}:{number}/ (Ctrl-C pour arrêter)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def livereload(c: Context, now: str | None = None, port: str | int | None = None) -> None:
    """Build, serve, and reload the browser when a source file changes."""
    _live_preview(now, port, "invoke livereload")


def _live_preview(now: str | None, port: str | int | None, command: str) -> None:
    """`livereload`, for the editor's `command` (`invoke cms` runs it too): its report names it."""
    from livereload import Server

    host, number = CONFIG["host"], _port(port)
    build = _resident_site(now, command, reload_url=f"http://{host}:{number}/forcereload")
    build()
    server = Server()
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / pattern), build)
    server.serve(host=host, port=number, root=str(CONFIG["deploy_path"]))


@task(help={"port": "port of decap-server (default: TRANSFO_ADMIN_LOCAL_PORT, 8081)",
            "site_port": "port of the live preview (default: 8000)",
            "now": "build date YYYY-MM-DD (default: the configuration's)"})
def cms(c: Context, port: str | None = None, site_port: str | int | None = None, now: str | None = None) -> None:
    """Edit in the browser: decap-server (saves into content/) and the live preview, together.

    Ctrl-C stops both. docs/cms.md explains the editor's side.
    """
    import os

    from transfo_admin.guard import Guard, locked_command, new_token
    from transfo_admin.settings import read_settings as admin_settings
    from transfo_common import background

    if port:  # read by pelicanconf.py: config.yml points there
        os.environ["TRANSFO_CMS_PORT"] = str(_port(port))
    cfg = admin_settings(_settings(CONFIG["settings_base"], now=now))
    server = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
    if not server.is_file() or cfg.local_port is None:
        raise Exit("decap-server absent : lancez « npm ci --omit=dev » (ou « make site ») "
                   "à la racine du dépôt, puis relancez « invoke cms ».", code=2)
    host, site_port = CONFIG["host"], _port(site_port, "--site-port")
    # A decap-server left running (another `invoke cms`, maybe of another copy of the project)
    # would answer the editor's saves: the new one would stop at once, and the files go there.
    for option, number in (("--port", cfg.local_port), ("--site-port", site_port)):
        if taken := _port_taken(host, number):
            raise Exit(f"{option} {number} : port déjà pris ({taken} ; un autre « invoke cms » tourne-t-il encore ?) ; "
                       f"attendu : un port libre ({option} {number + 1})", code=2)
    # decap-server on a free port of its own, behind the guard on the port config.yml names; it
    # answers only requests carrying this run's secret, which the guard adds (transfo_admin.guard).
    backend, token = _free_port(host), new_token()
    command, secret = locked_command(server, token)
    decap = subprocess.Popen(command, cwd=cfg.repo_root,
                             env={**_decap_env(dict(os.environ), cfg.repo_root, host, backend), **secret})
    try:
        _wait_listening(host, backend, decap)
    except Exit:
        background.stop_process(decap)
        raise
    guard = Guard(cfg.local_port, backend, site_port, token)
    print(f"Rédaction : http://{host}:{site_port}/{cfg.url}  (enregistre dans {cfg.repo_root}, "
          f"serveur decap-server sur le port {cfg.local_port})")
    print(f"Site : http://{host}:{site_port}/  (Ctrl-C arrête les deux)", flush=True)
    try:
        _live_preview(now, site_port, "invoke cms")
    finally:
        guard.close()
        background.stop_process(decap)


@task(help={"output": "output folder (default: output/)", "now": NOW_HELP})
def preview(c: Context, output: str | None = None, now: str | None = None) -> None:
    """Build with the production settings (absolute URLs, real date) into output/."""
    run_pelican(CONFIG["settings_publish"], Path(output) if output else None, now, fatal="warnings",
                command="invoke preview")


def _quality_gate(site: Path, settings: dict, axe: bool = True, changes: Changes | None = None,
                  verdicts: Verdicts | None = None, checker: HtmlChecker | None = None) -> tuple[Report, list[str]]:
    """Run the quality gate on a built site; returns (report, problems): the caller prints the
    report (`report.summary()`), so that a publish cancelled meanwhile prints none.

    `changes` (transfo_quality.gate.Changes) limits it to what a publish changed; `checker`, a vnu
    service started ahead (transfo_quality.checks.start_html_checker), validates a few pages.
    """
    from transfo_admin.settings import read_settings as admin_settings
    from transfo_common.markup import embed_hosts
    from transfo_quality.gate import run_gate

    public = settings.get("PUBLIC_URL") or settings.get("SITEURL")
    report = run_gate(site, (settings.get("SITEURL", ""), public), axe_base=public if axe else None,
                      embed_hosts=embed_hosts(settings), tools=("pagefind", admin_settings(settings).folder),
                      changes=changes, verdicts=verdicts, checker=checker)
    return report, list(report.problems)


def _lighthouse_gate(site: Path, settings: dict, families: dict) -> list[str]:
    """Lighthouse on the home, an article and the agenda of a built site, served as it is.

    A site with absolute https links (publishconf.py) is served on 127.0.0.1 and
    Chromium resolves its host there; a development build is served at a local address.
    """
    from contextlib import ExitStack

    from transfo_quality import lighthouse as lh

    site_url = (settings.get("SITEURL") or "").rstrip("/")
    with ExitStack() as stack:
        if site_url.startswith("https://"):
            port = stack.enter_context(lh.serve_release(site, site_url))
            base, flags = site_url, lh.host_flags(site_url, port)
        else:
            base, flags = stack.enter_context(lh.serve_folder(site)), []
        try:
            urls = {page: f"{base}/{lh.page_path(page)}" for page in lh.lighthouse_pages(site, families)}
            by_url = lh.pages_scores(list(urls.values()), flags)
            scores = {page: by_url[url] for page, url in urls.items()}
        except lh.LighthouseError as error:
            print(error)
            return [str(error)]
    print(lh.format_scores(scores))
    return lh.score_problems(scores)


LIGHTHOUSE_EVERY = dt.timedelta(days=7)
# How much the gate's priority is lowered while Pagefind indexes beside it: at 2,000 articles, an
# edit published in 12.65 s (median of four) at the same priority, 11.89 s with this.
GATE_NICE = 10


def _lighthouse_due(layout: Layout, previous_manifest: Manifest | None, theme: str,
                    forced: bool | None) -> str | None:
    """Why Lighthouse runs on this publish (None: it does not)."""
    from transfo_quality import release

    if forced is not None:
        return "demandé (--lighthouse)" if forced else None
    if previous_manifest is None or previous_manifest.theme != theme:
        return "gabarits, styles ou scripts changés"
    last = release.last_note(layout, "lighthouse")
    if last is None or dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(last) > LIGHTHOUSE_EVERY:
        return "dernier passage il y a plus de 7 jours"
    return None


@task(help={"root": "publish root holding releases/ and the current link (default: public/)",
            "now": NOW_HELP + " (default: the clock, back to the last moment the content's dates changed)",
            "content": "content folder (default: content/)",
            "keep": "releases kept for rollback (default: 5)",
            "lighthouse": "run Lighthouse whatever changed",
            "no_lighthouse": "skip Lighthouse whatever changed (default: only when the theme changed, or weekly)",
            "report": "write the steps' times and counts as JSON to this file (outside the release)"})
def publish(c: Context, root: str | None = None, now: str | None = None, content: str | None = None, keep: str = "5",
            lighthouse: bool = False, no_lighthouse: bool = False, report: str | None = None) -> None:
    """Production build, a release assembled from it and the previous one, quality gate, atomic switch.

    The site is built with publishconf.py (warnings are fatal) into <root>/build/,
    kept between publishes. The release <root>/releases/.staging-<stamp>/ takes
    unchanged files (with their .gz/.br) from the previous release and the others
    from the build, compressed. The search index is written while that release is
    checked, then leak-checked and added to it. Only what changed is checked; Lighthouse runs when
    the theme changed or weekly. Then <root>/current is swapped to it. Any failure
    leaves the live site byte-for-byte as it was; `invoke rollback` goes back one release.
    """
    from transfo_common.locking import OutputBusy, output_lock
    from transfo_common.output import write_failure
    from transfo_quality import release

    layout = release.Layout(Path(root).resolve() if root else CONFIG["publish_root"])
    try:  # a str for invoke, which would raise its own ValueError on `--keep abc`
        kept = int(keep)
    except ValueError:
        kept = 0
    if kept < 1:
        raise Exit(f"--keep : « {keep} » ; attendu : un nombre de versions à garder, 1 au moins (ex. 5)",
                   code=2)
    if layout.root.exists() and not layout.root.is_dir():
        raise Exit(f"--root : {layout.root} est un fichier ; attendu : le dossier des publications", code=2)
    if report and not Path(report).resolve().parent.is_dir():  # known before minutes of building
        raise Exit(f"--report : dossier {Path(report).parent} introuvable ; attendu : un dossier existant", code=2)
    if report and layout.releases.resolve() in Path(report).resolve().parents:  # current/ leads there too
        raise Exit(f"--report : {report} est dans une version publiée ; attendu : un fichier hors de "
                   f"{layout.releases} (il serait servi en ligne)", code=2)
    try:  # one publish at a time into a root: they share its build folder
        with output_lock(layout.root):
            _publish(layout, now, content, kept, True if lighthouse else False if no_lighthouse else None,
                     report)
    except OutputBusy as error:
        print(error, file=sys.stderr)
        raise Exit(code=error.exitcode) from None
    except OSError as error:  # a root that cannot be written (read-only, full): the live site is untouched
        raise Exit(write_failure(error, layout.root), code=1) from None


def _publish(layout: Layout, now: str | None, content: str | None, keep: int, lighthouse: bool | None,
             report: str | None) -> None:
    """`invoke publish` itself, holding the root (see `publish`)."""
    import json as jsonlib
    from zoneinfo import ZoneInfo

    from transfo_common import background
    from transfo_common.config import TIMEZONE
    from transfo_common.output import write_failure
    from transfo_output import api as output_api
    from transfo_quality import buildfolder, checks, release, schedule, searchindex, staging
    from transfo_quality.gate import Changes
    from transfo_quality.verdicts import Verdicts
    from transfo_search.api import IndexingError
    from transfo_validation.problems import ContentError

    started = time.monotonic()
    steps: dict[str, float | None] = {}
    figures: dict = {"ok": False, "steps": steps}

    def step(name: str, since: float) -> float:
        steps[name] = round(time.monotonic() - since, 3)
        return time.monotonic()

    try:  # refuses a live folder we cannot swap, or a damaged history, before building
        previous = release.current_release(layout)
        release.read_history(layout)
    except release.ReleaseError as error:
        raise Exit(str(error), code=1) from None
    if previous is None and layout.current.is_symlink():
        print(f"Attention : {layout.current} mène à une version absente ({layout.current.readlink()}) : "
              "le site en ligne ne répond plus ; cette publication repart de rien et le rétablit.",
              file=sys.stderr)
    config = CONFIG["settings_publish"]
    content_path = Path(content).resolve() if content else None
    base_settings = _settings(config, None, now, content_path)
    tz = ZoneInfo(TIMEZONE.value(base_settings))
    if now:
        now = _overrides(now=now)["TRANSFO_NOW"]
    else:  # pinned, so that a publish whose date changed nothing reuses the last build
        now = schedule.now_text(schedule.effective_now(Path(base_settings["PATH"]), tz, dt.datetime.now(tz)), tz)
    print(f"Date de construction retenue : {now}")
    figures["now"] = now
    build = layout.root / "build"
    state = layout.root / buildfolder.STATE
    key = buildfolder.code_key([config, CONFIG["settings_base"], *map(Path, base_settings["PLUGIN_PATHS"])])
    figures["build_folder_kept"] = buildfolder.prepare(build, state, key, output_api.has_list(base_settings, build))
    name = release.release_name()
    previous_manifest = staging.read_manifest(layout.root, previous.name if previous else None)
    staged: Path | None = None
    prefill: staging.Prefill | None = None
    checker: HtmlChecker | None = None

    def discard() -> None:
        if prefill is not None:
            prefill.cancel()
        if staged is not None:
            release.discard(staged)

    try:
        staged = release.new_staging(layout, name)
        spare = release.take_spare(layout, staged)
        prefill = staging.prefill(previous, previous_manifest, staged,  # while the site builds
                                  None if spare is None else staging.read_manifest(layout.root, spare)
                                  or staging.Manifest({}))
        checker = checks.html_checker_for_publish(previous, previous_manifest.files if previous_manifest else ())
        clock = time.monotonic()
        # The kept folder (see buildfolder), and no search index: it is written beside the gate.
        run_pelican(config, output=build, now=now, fatal="warnings", content=content_path,
                    settings={"DELETE_OUTPUT_DIRECTORY": False, "TRANSFO_SEARCH_IN_BUILD": False},
                    command="invoke publish")
        buildfolder.remember(state, key)
        clock = step("build", clock)
        settings = _settings(config, build, now, content_path)
        digests = staging.folder_digests(build, layout.root / "build-digests.json")
        theme = staging.theme_fingerprint(Path(settings["THEME"]))
        why = _lighthouse_due(layout, previous_manifest, theme, lighthouse)
        if why is None and staging.same_site(digests, previous_manifest, theme, searchindex.covers(settings),
                                             build, previous):
            if spare is not None and prefill is not None and previous_manifest is not None:
                # Set aside again for the next publish: it holds the live release's files by now.
                held = prefill.wait()
                staging.write_manifest(layout.root, name, previous_manifest.holding(held, time.time_ns()))
                release.set_aside(layout, staged, name)
                staged = prefill = None
            discard()
            figures.update(ok=True, published=False, files=len(digests), changed=0)
            print(f"Rien à publier : les fichiers construits sont ceux de la version en ligne "
                  f"({previous.name if previous else '?'}), qui reste en place.")
            return
        index = searchindex.start(build, layout.root, settings, digests, layout.root / "search-digests.json")
        prefilled = prefill.wait() if prefill is not None else frozenset[str]()
        figures["recycled"] = prefill.recycled if prefill is not None else 0
        assembly = staging.assemble(build, digests, staged, previous, previous_manifest,
                                    index.outside if index else staging.everything, prefilled)
        clock = step("staging", clock)
        # From nothing every file is a change: all is checked, with the verdicts kept per page hash.
        changes = Changes(digests, frozenset(assembly.changed), frozenset(assembly.removed))
        # Pagefind, beside it, takes longer: the gate (vnu's Java, Chromium) yields it the CPU.
        gate, problems = background.in_thread(
            lambda: _quality_gate(staged, settings, changes=changes,
                                  verdicts=Verdicts(ROOT / "cache" / "transfo_quality"), checker=checker),
            "gate", nice=GATE_NICE if index is not None else 0).result()
        print(gate.summary())
        figures["gate"] = gate.as_json()
        clock = step("gate", clock)
        if index is not None:
            try:
                index_digests, steps["pagefind"] = index.finish()
            except (ContentError, IndexingError) as error:
                raise Exit(str(error), code=1) from None
            assembly = assembly.plus(staging.assemble(index.folder, index_digests, staged, previous,
                                                      previous_manifest, index.covers, prefilled))
            digests = {**digests, **index_digests}
            clock = step("search_index", clock)  # what the gate left to wait for (checked meanwhile), then placed
        steps["compression"] = assembly.compression_seconds
        figures.update(files=len(digests), changed=len(assembly.changed), reused=assembly.reused,
                       removed=len(assembly.removed), compressed=assembly.compressed)
        figures["lighthouse"] = why
        notes = {}
        if why:
            print(f"Lighthouse : {why}.")
            found = _lighthouse_gate(staged, settings, gate.families)
            problems += found
            if not found:
                notes["lighthouse"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        step("lighthouse", clock)
        if problems:
            raise Exit(f"Contrôle qualité échoué : {len(problems)} problème(s).", code=1)
        # Every file of the release is written: one changed later shows it by its change time.
        staging.write_manifest(layout.root, name, staging.Manifest(digests, theme, now, sealed=time.time_ns(),
                                                                   copies=assembly.copies))
    except BaseException as error:
        discard()
        if isinstance(error, OSError):  # a full disk while the release is assembled: one line
            print(write_failure(error, layout.root), file=sys.stderr)
        print("Publication annulée : le site en ligne n'a pas changé.", file=sys.stderr)
        if isinstance(error, OSError):
            raise Exit(code=1) from None
        raise
    finally:
        if checker is not None:
            checker.close()
        steps["total"] = round(time.monotonic() - started, 3)
        if report:
            Path(report).write_text(jsonlib.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    live = release.promote(layout, staged, name, **notes)
    removed = release.prune(layout, keep)
    staging.prune_manifests(layout.root, {path.name for path in release.list_releases(layout)}
                            | release.spare_names(layout))
    figures.update(ok=True, published=True)
    if report:
        Path(report).write_text(jsonlib.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Publié : {layout.current} -> {live.relative_to(layout.root)} ({assembly.reused} fichier(s) repris "
          f"de la version précédente, {len(assembly.changed)} nouveau(x) ou modifié(s), "
          f"{len(assembly.removed)} retiré(s) ; {assembly.compressed} copies compressées ; "
          f"{len(removed)} ancienne(s) version(s) supprimée(s))")


@task(help={"root": "publish root (default: public/)"})
def rollback(c: Context, root: str | None = None) -> None:
    """Put back the release that was live before (instant: one symlink swap).

    The release rolled back from is withdrawn: no later rollback reinstates it.
    """
    from transfo_common.locking import OutputBusy, output_lock
    from transfo_common.output import write_failure
    from transfo_quality import release

    layout = release.Layout(Path(root).resolve() if root else CONFIG["publish_root"])
    try:  # not while a publish runs: it would put its own release live a moment later
        with output_lock(layout.root):
            before, after = release.rollback(layout)
    except OutputBusy as error:
        print(error, file=sys.stderr)
        raise Exit(code=error.exitcode) from None
    except OSError as error:
        raise Exit(write_failure(error, layout.root), code=1) from None
    except release.ReleaseError as error:
        raise Exit(str(error), code=1) from None
    print(f"Retour à la version {after.name} ; la version {before.name} est retirée "
          "(aucun rollback n'y reviendra).")


@task(help={"dest": "rsync destination, e.g. transfo@web.example.org:/srv/transfo/site/",
            "root": "publish root (default: public/)",
            "dry_run": "show what would be sent, change nothing"})
def deploy(c: Context, dest: str, root: str | None = None, dry_run: bool = False) -> None:
    """Send the live release to a web server with rsync over SSH (see docs/publication.md)."""
    from transfo_quality import release

    layout = release.Layout(Path(root).resolve() if root else CONFIG["publish_root"])
    live = release.current_release(layout)
    if live is None:
        raise Exit("Rien à envoyer : lancez d'abord `invoke publish`.", code=1)
    # --delay-updates puts every new file in place at the end of the transfer and
    # --delete-delay removes old ones only then: readers never see half a site.
    command = ["rsync", "--archive", "--compress", "--checksum", "--delete-delay", "--delay-updates",
               "--human-readable", "--itemize-changes", *(["--dry-run"] if dry_run else []),
               f"{live}/", dest]
    print(" ".join(command))
    result = subprocess.run(command)
    if result.returncode:
        raise Exit(f"rsync a échoué (code {result.returncode}).", code=result.returncode)


@task(help={"site": "built site to check (default: output/)",
            "settings": "settings the site was built with (default: pelicanconf.py)",
            "content": "content folder it was built from (default: content/)",
            "now": "build date it was built with",
            "axe": "run axe-core in Chromium on one page per template",
            "lighthouse": "also run Lighthouse on the site, served as it is (needs `npm ci`)"})
def quality(c: Context, site: str | None = None, settings: str | None = None, content: str | None = None,
            now: str | None = None, axe: bool = True, lighthouse: bool = False) -> None:
    """The quality gate on an already built site: links, HTML, feeds, JSON-LD, a11y, weight; and,
    as a build does, nothing internal in it and no file of a type the site does not write."""
    from transfo_promotions.api import check_folder
    from transfo_promotions.leaks import PromotionLeakError

    config = Path(settings) if settings else CONFIG["settings_base"]
    folder = Path(site) if site else CONFIG["deploy_path"]
    content_path = Path(content) if content else None
    resolved = _settings(config, folder, now, content_path)
    report, problems = _quality_gate(folder, resolved, axe=axe)
    # As a build does (a folder filled or copied by hand may hold what no build lets through): no
    # internal figure, no file of a type the site does not write, a search index made from these pages.
    try:
        check_folder(resolved, folder, folder)
    except PromotionLeakError as error:
        report.problems += [str(problem) for problem in error.problems]
        problems += [str(problem) for problem in error.problems]
    print(report.summary())
    if lighthouse:
        problems += _lighthouse_gate(folder, resolved, report.families)
    if problems:
        raise Exit(f"Contrôle qualité échoué : {len(problems)} problème(s).", code=1)


@task(help={"now": NOW_HELP, "content": "content folder (default: content/)"})
def check(c: Context, now: str | None = None, content: str | None = None) -> None:
    """Validate all content without building: every problem, one line each."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from transfo_i18n.settings import read_settings as read_i18n_settings
    from transfo_publication.logic import build_date_report, held_back_documents
    from transfo_publication.settings import read_settings as read_publication_settings
    from transfo_validation.check import check_site

    init_logging(level=logging.WARNING)
    pelican = Pelican(_settings(CONFIG["settings_base"], now=now,
                                content=Path(content) if content else None))
    documents, problems = check_site(pelican.settings)
    # A valid document may still have problems (its slug taken by another): each file counts once.
    checked = len({doc.path for docs in documents.values() for doc in docs} | {p.path for p in problems})
    cfg, i18n = read_publication_settings(pelican.settings), read_i18n_settings(pelican.settings)
    print("\n".join(build_date_report(cfg.now, cfg.now_pinned,
                                      held_back_documents(documents, cfg.now, i18n.timezone),
                                      i18n.timezone, command="invoke check", locale=i18n.locale)),
          file=sys.stderr)  # beside the summary: stdout holds the problems, one per line
    for problem in sorted(problems, key=lambda p: p.sort_key()):
        print(problem)
    if problems:
        print(f"{len(problems)} problème(s) dans {len({p.path for p in problems})} fichier(s) "
              f"sur {checked} vérifié(s).", file=sys.stderr)
        raise Exit(code=2)
    print(f"{checked} fichier(s) vérifié(s) : aucun problème.")


def _scaffold_folders(settings: dict, month: str) -> dict:
    """Where `invoke new` puts each kind's file, from the settings: {kind: (folder, by year)}."""
    from transfo_agenda.settings import read_settings as agenda_settings
    from transfo_dossiers.settings import read_settings as dossier_settings
    from transfo_newsletter.settings import read_settings as newsletter_settings
    from transfo_offers.settings import read_settings as offer_settings

    content = Path(settings["PATH"])
    articles = content / settings["ARTICLE_PATHS"][0]
    offers = content / offer_settings(settings).path
    return {
        "article": (articles, True), "portrait": (articles, True),
        "dossier": (content / dossier_settings(settings).path, False), "dossier-partie": (articles, True),
        "evenement": (content / agenda_settings(settings).paths[0], False),
        "offre": (offers, False), "appel": (offers, False),
        "page": (content / settings["PAGE_PATHS"][0], False),
        "lettre": (newsletter_settings(settings).path, False),
    }


@task(help={"kind": "article, portrait, dossier, dossier-partie, evenement, offre, appel, page "
                    "or lettre (newsletter edition)",
            "title": "the title, in quotes (for a newsletter edition: its subject)",
            "rubric": "the rubric (articles only)",
            "month": "newsletter edition YYYY-MM (default: the month just ended)",
            "content": "content folder (default: content/)"})
def new(c: Context, title: str, kind: str = "article", rubric: str = "Actualités", month: str | None = None,
        content: str | None = None) -> None:
    """Create a draft from a model of docs/modeles/, dated today, its file named from the title."""
    from pelican.utils import slugify
    from transfo_newsletter.editor import SUBJECT_LENGTH
    from transfo_newsletter.model import Month
    from transfo_validation.fields import TITLE_LENGTH, FieldError, ParseContext, Slug, control_character

    longest = SUBJECT_LENGTH if kind == "lettre" else TITLE_LENGTH
    if len(title) > longest:  # also what keeps the file's name, made from it, a possible name
        raise Exit(f"Titre de {len(title)} caractères ; attendu : au plus {longest}", code=2)
    if "\n" in title or "\r" in title or control_character(title):  # it goes into a header line
        raise Exit("Titre sur plusieurs lignes ou avec un caractère invisible ; attendu : une ligne de texte",
                   code=2)
    settings = _settings(CONFIG["settings_base"], content=Path(content) if content else None)
    today = dt.date.today()
    try:
        edition = Month.parse(month) if month else Month.before(today)
    except ValueError as error:
        raise Exit(f"--month : {error}", code=2) from None
    folders = _scaffold_folders(settings, str(edition))
    if kind not in folders:
        raise Exit(f"Type inconnu « {kind} » ; attendu : {', '.join(folders)}", code=2)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    folder, by_year = folders[kind]
    name = str(edition) if kind == "lettre" else slug
    target = (folder / str(today.year) if by_year else folder) / f"{name}.md"
    try:  # the file name and the address follow the Slug rules
        Slug().parse(slug, ParseContext(content_root=Path(settings["PATH"]), source_path=target))
    except FieldError:
        raise Exit(f"Titre « {title} » : adresse « {slug} » impossible ; attendu : un titre qui "
                   "commence par une lettre ou un chiffre (ex. « Une coopérative à Liège »)", code=2) from None
    if target.exists():  # an edition's file is named by its month, not by its title
        again = "modifiez-le, ou choisissez un autre mois (--month AAAA-MM)" if kind == "lettre" else \
            "choisissez un autre titre"
        raise Exit(f"{target} existe déjà ; {again}.", code=2)
    model = CONFIG["scaffolds"] / f"{kind}.md"
    text = model.read_text(encoding="utf-8").format(
        title=title, date=today.isoformat(), rubric=rubric, slug=slug, month=edition)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    if kind == "lettre":
        print(f"Créé : {shown} (lettre de {edition} : suivez les consignes du fichier, puis "
              f"invoke newsletter --month {edition})")
    else:
        print(f"Créé : {shown} (brouillon : suivez les consignes du fichier, puis passez "
              "Status à publié pour le publier)")


@task
def i18n(c: Context) -> None:
    """Collect the theme's UI strings and add the new ones to every catalogue."""
    pot = ROOT / "theme" / "translations" / "messages.pot"
    c.run(f"pybabel extract -F {ROOT / 'babel.cfg'} -o {pot} --no-location --omit-header {ROOT}")
    c.run(f"pybabel update -i {pot} -d {ROOT / 'theme' / 'translations'} --no-location "
          "--ignore-obsolete --no-fuzzy-matching")
    pot.unlink()
    print("Traduisez les nouvelles entrées (msgstr vides) dans theme/translations/*/LC_MESSAGES/messages.po")


@task(help={"n": "number of synthetic articles (default 2000; 500 for a quick look)",
            "runs": "runs per build scenario; the table shows medians (default 3)",
            "workdir": "where the corpus and outputs go (default /tmp/transfo-bench-<n>)",
            "json": "also write the figures to this JSON file (updated after each scenario)",
            "setting": "KEY=JSON setting for the Transfo builds (repeatable), "
                       "e.g. TRANSFO_PERF_PARALLEL_READ=false",
            "images": "then run the image-step benchmark on 200 photos (default: yes)",
            "image_share": "share of articles with a lead image (default 0.3; e.g. 0.03 at "
                           "N=20000 keeps the first encoding of the corpus's images short)",
            "publish": "publish scenarios, comma-separated: full,edit,image,event,template,daily "
                       "(default: all; 'none' for builds only)",
            "publish_runs": "runs per publish scenario (default 1: one publish takes minutes)",
            "lighthouse": "publish with Lighthouse, as in production (default; --no-lighthouse skips it)",
            "scale_from": "JSON of an earlier `invoke bench --json` at a smaller N: report how times grew"},
      iterable=["setting"])
def bench(c: Context, n: int = 2000, runs: int = 3, workdir: str | None = None, json: str | None = None,
          setting: list[str] | None = None, images: bool = True, image_share: float = 0.3,
          publish: str = "all", publish_runs: int = 1, lighthouse: bool = True, scale_from: str | None = None) -> None:
    """Time vanilla Pelican, the Transfo build and `invoke publish` on one synthetic corpus;
    print medians, ratios and targets."""
    import json as json_module

    from transfo_bench.bench import publish_choice, run_benchmark
    from transfo_bench.corpus import CorpusSpec
    from transfo_bench.report import as_dict, markdown

    try:
        chosen = publish_choice(publish)
    except ValueError as error:
        raise Exit(f"--publish : {error}", code=2) from None
    earlier = json_module.loads(Path(scale_from).read_text(encoding="utf-8")) if scale_from else None

    def save(result: BenchResult) -> None:  # after each scenario: a run cut short keeps its figures
        if json:
            Path(json).write_text(json_module.dumps(as_dict(result, earlier), indent=2, ensure_ascii=False),
                                  encoding="utf-8")

    result = run_benchmark(n=int(n), runs=int(runs), workdir=Path(workdir) if workdir else None,
                           overrides=tuple(setting or ()), spec=CorpusSpec(n=int(n), image_share=float(image_share)),
                           publish_scenarios=chosen, publish_runs=int(publish_runs), lighthouse=lighthouse,
                           measured=save)
    save(result)
    print()
    print(markdown(as_dict(result, earlier)))
    if images:
        from transfo_images.bench import bench_images as run_image_bench
        from transfo_images.bench import report as image_report

        print(image_report(run_image_bench(200)))


# --- newsletter (issue 7) -------------------------------------------------

def _newsletter_settings(publish: bool, now: str | None = None, content: str | None = None,
                         editions: str | None = None) -> dict:
    settings = _settings(CONFIG["settings_publish" if publish else "settings_base"], now=now,
                         content=Path(content) if content else None)
    if editions:
        settings["TRANSFO_NEWSLETTER_PATH"] = str(Path(editions).resolve())
    return settings


def _newsletter_failure(error: Exception) -> Exit:
    print(error, file=sys.stderr)
    return Exit(code=getattr(error, "exitcode", 1))


@task(help={"month": "edition YYYY-MM (default: the month just ended at the build date)",
            "now": NOW_HELP + " (default: the configuration's)",
            "content": "content folder (default: content/)",
            "editions": "folder of editor files and sent editions (default: newsletter/)",
            "output": "where to write (default: build/newsletter/<month>/)",
            "publish": "use publishconf.py (production links) instead of pelicanconf.py"})
def newsletter(c: Context, month: str | None = None, now: str | None = None, content: str | None = None,
               editions: str | None = None, output: str | None = None, publish: bool = False) -> None:
    """Assemble a monthly newsletter: HTML email, plain text and .eml, budgets checked."""
    from pelican.log import init as init_logging
    from transfo_newsletter import commands
    from transfo_newsletter.model import Month
    from transfo_newsletter.settings import read_settings as newsletter_settings

    init_logging(level=logging.WARNING)
    settings = _newsletter_settings(publish, now, content, editions)
    try:
        edition_month = Month.parse(month) if month else commands.default_month(settings)
    except ValueError as error:
        raise Exit(f"--month : {error}", code=2) from None
    try:
        outcome = commands.prepare(settings, edition_month)
    except Exception as error:
        if not hasattr(error, "exitcode"):
            raise
        raise _newsletter_failure(error) from None
    cfg = newsletter_settings(settings)
    folder = Path(output) if output else ROOT / "build" / "newsletter" / str(edition_month)
    written = commands.write_outputs(outcome, cfg, folder)
    state = "déjà envoyée : copie figée" if outcome.frozen else "assemblée depuis le site"
    print(f"Lettre {edition_month} ({state}) : « {outcome.edition.subject} »")
    if outcome.edition.empty:  # shown for a look; newsletter-send --list refuses it
        print(f"Attention : {commands.empty_edition(outcome.edition)}", file=sys.stderr)
    print("\n".join(outcome.report.lines()))
    for path in written:
        print(f"  {path}")
    print(f"Version web : {cfg.public_url}/{cfg.edition_path(str(edition_month))}")


@task(help={"month": "edition YYYY-MM (default: the month just ended)",
            "to": "proof: address(es), comma-separated",
            "list": "list send: CSV of addresses kept OUTSIDE the repository",
            "force": "send again an edition already sent to the list",
            "retry_uncertain": "send again to the addresses whose delivery is uncertain",
            "now": NOW_HELP, "content": "content folder (default: content/)",
            "editions": "folder of editor files and sent editions (default: newsletter/)",
            "dev": "use pelicanconf.py (local links) instead of publishconf.py"})
def newsletter_send(c: Context, month: str | None = None, to: str | None = None, list: str | None = None,
                    force: bool = False, retry_uncertain: bool = False, now: str | None = None,
                    content: str | None = None, editions: str | None = None, dev: bool = False) -> None:
    """Send an edition: a proof (--to) or to the list (--list), through SMTP.

    SMTP comes from the environment: TRANSFO_NEWSLETTER_SMTP_HOST, _PORT,
    _TLS (none, starttls, ssl), _USER, _PASSWORD, _TIMEOUT. A list send is
    journalled beside the frozen edition: run it again after an interruption
    to resume. Each address gets the edition at most once: one whose message
    left without an acknowledgement is "uncertain", listed at the end, and
    sent again only with --retry-uncertain.
    """
    from zoneinfo import ZoneInfo

    from pelican.log import init as init_logging
    from transfo_common.config import TIMEZONE
    from transfo_newsletter import commands
    from transfo_newsletter.model import Month

    if bool(to) == bool(list):
        raise Exit("Indiquez soit --to adresse (épreuve), soit --list fichier.csv (envoi).", code=2)
    init_logging(level=logging.WARNING)
    settings = _newsletter_settings(not dev, now, content, editions)
    sent_at = dt.datetime.now(ZoneInfo(TIMEZONE.value(settings)))
    try:
        edition_month = Month.parse(month) if month else commands.default_month(settings)
    except ValueError as error:
        raise Exit(f"--month : {error}", code=2) from None
    try:
        if to:
            addresses = [a.strip() for a in to.split(",") if a.strip()]
            outcome, count = commands.proof(settings, edition_month, addresses, sent_at)
            print(f"Épreuve de {edition_month} envoyée à {count} adresse(s) : "
                  f"« {outcome.edition.subject} »")
            return
        assert list is not None  # exactly one of --to and --list, checked above
        outcome, report, problems = commands.send_to_list(
            settings, edition_month, Path(list), sent_at, repository=ROOT, force=force,
            retry_uncertain=retry_uncertain)
    except Exception as error:
        if not hasattr(error, "exitcode"):
            raise
        raise _newsletter_failure(error) from None
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"Lettre {edition_month} : {report.sent} envoi(s), {report.skipped} déjà servie(s), "
          f"{report.rejected} refusée(s), {len(report.uncertain)} incertaine(s) sur "
          f"{report.total} adresse(s). Édition figée.")
    if report.uncertain:
        print("Adresses incertaines (message parti sans accusé de réception du serveur ; "
              "renvoi seulement avec --retry-uncertain) :")
        for address in report.uncertain:
            print(f"  {address}")


# Promotions (paid boosts): internal records, never published. See docs/promotions.md.

def _promotions_context(content: str | None = None,
                        ) -> tuple[dict, PromotionSettings, dict[str, ArticleRef]]:
    """Development settings, the promotions settings and the site's articles by slug."""
    from transfo_promotions.articles import scan_articles
    from transfo_promotions.settings import read_settings as promotion_settings

    settings = _settings(CONFIG["settings_base"], content=Path(content) if content else None)
    return settings, promotion_settings(settings), scan_articles(settings)


def _promotion_records(cfg: PromotionSettings, articles: dict[str, ArticleRef]) -> list[Promotion]:
    """The data file's records; Exit(2) with one line per problem when it has any."""
    from transfo_promotions.records import read_records
    from transfo_validation.problems import Problem

    records, problems = read_records(cfg.data_file, articles)
    for problem in sorted(problems, key=Problem.sort_key):
        print(problem, file=sys.stderr)
    if problems:
        raise Exit(f"{len(problems)} problème(s) dans {cfg.data_file.name} : corrigez-les d'abord.",
                   code=2)
    return records


@task(name="promotions-import",
      help={"export": "the CSV exported from Meta Ads Manager (English or French)",
            "content": "content folder (default: content/)",
            "dry-run": "show what would change without writing the data file"})
def promotions_import(c: Context, export: str, content: str | None = None, dry_run: bool = False) -> None:
    """Add the boosts of an Ads Manager export to the promotions data file."""
    from transfo_common.files import write_if_changed
    from transfo_promotions.adsimport import import_export
    from transfo_promotions.records import display_path, render_records
    from transfo_validation.problems import Problem

    _, cfg, articles = _promotions_context(content)
    existing = _promotion_records(cfg, articles)
    source = Path(export)
    if not source.is_file():
        raise Exit(f"{export} introuvable ; attendu : le fichier CSV exporté d'Ads Manager.", code=2)
    result = import_export(source.read_bytes(), display_path(source), articles, existing)
    for problem in sorted(result.problems, key=Problem.sort_key):
        print(problem, file=sys.stderr)
    for problem in sorted(result.unmatched, key=Problem.sort_key):
        print(problem, file=sys.stderr)
    for record in result.added:
        note = " (budget absent de l'export : budget = dépense, à corriger au besoin)" \
            if record.budget == record.spent else ""
        print(f"ajoutée : {record.slug} ({record.platform}, {record.start} → {record.end}){note}")
    for record in result.updated:
        print(f"mise à jour : {record.slug} ({record.platform}, {record.start} → {record.end})")
    print(f"{len(result.added)} ajoutée(s), {len(result.updated)} mise(s) à jour, "
          f"{len(result.duplicates)} déjà présente(s), {len(result.unmatched)} ligne(s) sans article, "
          f"{len(result.problems)} ligne(s) en erreur.")
    if (result.added or result.updated) and not dry_run:
        write_if_changed(cfg.data_file, render_records(result.records).encode("utf-8"))
        print(f"Enregistré dans {display_path(cfg.data_file)}")
    if result.problems:  # the good rows are kept; a script sees that some were not
        raise Exit(f"{len(result.problems)} ligne(s) en erreur, non importée(s) : corrigez l'export, puis "
                   "relancez (les lignes déjà importées ne le seront pas deux fois)", code=2)


@task(name="promotions-link",
      help={"slug": "the article's slug (its address without the date)",
            "platform": "utm_source: facebook (default), instagram or linkedin"})
def promotions_link(c: Context, slug: str, platform: str = "facebook") -> None:
    """Print the address to put in an ad for an article, with its UTM parameters.

    The address is the public one (publishconf.py's PUBLIC_URL): readers who
    click the ad reach the live site, never the development server.
    """
    from transfo_common.urls import absolute
    from transfo_promotions.articles import did_you_mean_slug, scan_articles
    from transfo_promotions.links import promotion_link
    from transfo_promotions.records import PLATFORMS

    if platform not in PLATFORMS:
        raise Exit(f"Plateforme « {platform} » inconnue ; attendu : {', '.join(PLATFORMS)}", code=2)
    settings = _settings(CONFIG["settings_publish"])
    articles = scan_articles(settings)
    article = articles.get(slug)
    if article is None:
        raise Exit(f"Article inconnu « {slug} »{did_you_mean_slug(slug, articles)} ; attendu : "
                   "le slug d'un article de content/articles", code=2)
    if article.url is None:
        raise Exit(f"« {slug} » est un brouillon : il n'a pas encore d'adresse publique.", code=2)
    print(promotion_link(absolute(settings, article.url), slug, source=platform))


@task(name="promotions-report",
      help={"output": "folder of the report (default: reports/promotions/)",
            "content": "content folder (default: content/)"})
def promotions_report(c: Context, output: str | None = None, content: str | None = None) -> None:
    """Write the internal report (HTML, CSV, SVG charts) outside the published site."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from transfo_common.config import TIMEZONE
    from transfo_common.files import write_if_changed
    from transfo_common.urls import public_url
    from transfo_promotions.records import display_path
    from transfo_promotions.report import ReportInput, build_report, refused_folder
    from transfo_quality.release import publish_root_above

    settings, cfg, articles = _promotions_context(content)
    target = Path(output) if output else ROOT / "reports" / "promotions"
    # A publish root may be anywhere (invoke publish --root /srv/transfo): the one above the target.
    other_root = publish_root_above(target)
    refused = refused_folder(target, {
        "le site construit (OUTPUT_PATH de pelicanconf.py)": settings["OUTPUT_PATH"],
        "le site construit (OUTPUT_PATH de publishconf.py)": _settings(CONFIG["settings_publish"])["OUTPUT_PATH"],
        "le dossier des publications (invoke publish)": CONFIG["publish_root"],
        **({"un dossier de publications (invoke publish --root)": other_root} if other_root else {}),
        "le contenu du site (PATH)": settings["PATH"],
    })
    if refused:
        raise Exit(refused, code=2)
    records = _promotion_records(cfg, articles)
    files = build_report(ReportInput(
        records=records, articles=articles, monthly_budget=cfg.monthly_budget, locale=cfg.locale,
        public_url=public_url(_settings(CONFIG["settings_publish"])),
        data_file=display_path(cfg.data_file),
        generated=datetime.now(ZoneInfo(TIMEZONE.value(settings))),
    ))
    for name, data in files.items():
        write_if_changed(target / name, data)
    print(f"Rapport écrit : {display_path(target / 'index.html')} ({len(records)} promotion(s))")


@task(name="bench-images",
      help={"count": "number of generated photos (default 200)",
            "workers": "encoding processes (default: every core)"})
def bench_images(c: Context, count: int = 200, workers: str | None = None) -> None:
    """Benchmark the image step: N generated photos, first build then second build."""
    from transfo_images.bench import bench_images as run
    from transfo_images.bench import report

    print(report(run(int(count), workers=int(workers) if workers else None)))


@task(name="settings-doc")
def settings_doc(c: Context) -> None:
    """Write docs/reglages.md, the reference of every TRANSFO_* setting, from the schema."""
    from transfo_config.schema import reference

    target = ROOT / "docs" / "reglages.md"
    target.write_text(reference(), encoding="utf-8")
    print(f"Écrit : {target.relative_to(ROOT)}")
