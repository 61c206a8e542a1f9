"""Tasks for editors and developers: `invoke --list` shows them all.

Pelican's usual names (clean, build, rebuild, regenerate, serve, livereload,
preview, publish) plus `check` (validate content without building) and
`new` (scaffold a content file).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

CONFIG = {
    "settings_base": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "deploy_path": ROOT / "output",
    "host": "127.0.0.1",
    "port": 8000,
    "scaffolds": ROOT / "docs" / "modeles",
}


def _settings(config: Path, output: Path | None = None, now: str | None = None,
              content: Path | None = None) -> dict:
    from pelican.settings import read_settings

    override = {}
    if content is not None:
        override["PATH"] = str(Path(content).resolve())
    if output is not None:
        override["OUTPUT_PATH"] = str(output)
    if now:
        override["TRANSFO_NOW"] = now
    return read_settings(str(config), override=override)


def run_pelican(config: Path, output: Path | None = None, now: str | None = None,
                fatal: str = "", verbose: bool = False, content: Path | None = None) -> None:
    """One build; content mistakes end it with their lines and no traceback."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from transfo_validation.problems import ContentError

    init_logging(level=logging.INFO if verbose else logging.WARNING, fatal=fatal)
    settings = _settings(config, output, now, content)
    try:
        Pelican(settings).run()
    except ContentError as error:
        print(error, file=sys.stderr)
        raise Exit(code=error.exitcode) from None
    except RuntimeError as error:  # --fatal turns a logged warning into RuntimeError
        if not fatal:
            raise
        print(f"Construction arrêtée (avertissement traité comme erreur) : {error}", file=sys.stderr)
        raise Exit(code=1) from None


@task
def clean(c):
    """Remove the generated site."""
    if CONFIG["deploy_path"].exists():
        shutil.rmtree(CONFIG["deploy_path"])


@task(help={"now": "build date YYYY-MM-DD (default: the configuration's)",
            "output": "output folder (default: output/)",
            "content": "content folder (default: content/)",
            "verbose": "print Pelican's progress"})
def build(c, now=None, output=None, content=None, verbose=False):
    """Build the site with the development settings."""
    run_pelican(CONFIG["settings_base"], Path(output) if output else None, now,
                verbose=verbose, content=Path(content) if content else None)


@task
def rebuild(c, now=None):
    """`clean` then `build`."""
    clean(c)
    build(c, now=now)


@task
def regenerate(c, now=None):
    """Rebuild whenever content, theme or settings change."""
    from pelican.utils import wait_for_changes

    settings = _settings(CONFIG["settings_base"], now=now)
    while True:
        try:
            run_pelican(CONFIG["settings_base"], now=now)
        except Exit:
            pass  # the problems are printed; wait for the editor's fix
        print("En attente de modifications (Ctrl-C pour arrêter)…")
        wait_for_changes(str(CONFIG["settings_base"]), settings)


@task
def serve(c, port=None):
    """Serve output/ on http://127.0.0.1:8000/."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    port = int(port or CONFIG["port"])
    server = RootedHTTPServer(str(CONFIG["deploy_path"]), (CONFIG["host"], port),
                              ComplexHTTPRequestHandler)
    print(f"Site servi sur http://{CONFIG['host']}:{port}/ (Ctrl-C pour arrêter)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def livereload(c, now=None):
    """Build, serve, and reload the browser when a source file changes."""
    from livereload import Server

    def rebuild_quietly():
        try:
            run_pelican(CONFIG["settings_base"], now=now)
        except Exit:
            pass

    rebuild_quietly()
    server = Server()
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / pattern), rebuild_quietly)
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=str(CONFIG["deploy_path"]))


@task(help={"output": "output folder (default: output/)", "now": "build date YYYY-MM-DD"})
def preview(c, output=None, now=None):
    """Build with the production settings (absolute URLs, real date) into output/."""
    run_pelican(CONFIG["settings_publish"], Path(output) if output else None, now, fatal="warnings")


@task
def publish(c, target=None):
    """Production build into a fresh folder, then swap it in atomically.

    The live folder is replaced only when the build succeeded with no
    warning, so a content mistake never reaches readers.
    """
    live = Path(target) if target else CONFIG["deploy_path"]
    staging = live.with_name(live.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    run_pelican(CONFIG["settings_publish"], output=staging, fatal="warnings")
    previous = live.with_name(live.name + ".previous")
    if previous.exists():
        shutil.rmtree(previous)
    if live.exists():
        os.replace(live, previous)
    os.replace(staging, live)
    print(f"Publié dans {live} (version précédente : {previous})")


@task(help={"now": "build date YYYY-MM-DD", "content": "content folder (default: content/)"})
def check(c, now=None, content=None):
    """Validate all content without building: every problem, one line each."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from transfo_validation.check import check_site

    init_logging(level=logging.WARNING)
    pelican = Pelican(_settings(CONFIG["settings_base"], now=now,
                                content=Path(content) if content else None))
    documents, problems = check_site(pelican.settings)
    checked = sum(len(docs) for docs in documents.values()) + len({p.path for p in problems})
    for problem in sorted(problems, key=lambda p: p.sort_key()):
        print(problem)
    if problems:
        print(f"{len(problems)} problème(s) dans {len({p.path for p in problems})} fichier(s) "
              f"sur {checked} vérifié(s).", file=sys.stderr)
        raise Exit(code=2)
    print(f"{checked} fichier(s) vérifié(s) : aucun problème.")


@task(help={"kind": "article, portrait or dossier-partie",
            "title": "the title, in quotes", "rubric": "the rubric (articles only)",
            "content": "content folder (default: content/)"})
def new(c, title, kind="article", rubric="Actualités", content=None):
    """Create a draft from a model, dated today, its file named from the title."""
    from pelican.utils import slugify

    model = CONFIG["scaffolds"] / f"{kind}.md"
    if not model.is_file():
        choices = ", ".join(sorted(p.stem for p in CONFIG["scaffolds"].glob("*.md")))
        raise Exit(f"Type inconnu « {kind} » ; attendu : {choices}", code=2)
    settings = _settings(CONFIG["settings_base"], content=Path(content) if content else None)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    today = dt.date.today()
    target = Path(settings["PATH"]) / "articles" / str(today.year) / f"{slug}.md"
    if target.exists():
        raise Exit(f"{target} existe déjà ; choisissez un autre titre.", code=2)
    text = model.read_text(encoding="utf-8").format(
        title=title, date=today.isoformat(), rubric=rubric, slug=slug
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    print(f"Créé : {shown} (brouillon : passez Status à published pour publier)")


@task
def i18n(c):
    """Collect the theme's UI strings and add the new ones to every catalogue."""
    pot = ROOT / "theme" / "translations" / "messages.pot"
    c.run(f"pybabel extract -F {ROOT / 'babel.cfg'} -o {pot} --no-location --omit-header {ROOT}")
    c.run(f"pybabel update -i {pot} -d {ROOT / 'theme' / 'translations'} --no-location "
          "--ignore-obsolete --no-fuzzy-matching")
    pot.unlink()
    print("Traduisez les nouvelles entrées (msgstr vides) dans theme/translations/*/LC_MESSAGES/messages.po")
