"""The benchmark: one synthetic corpus, vanilla Pelican and Transfo timed in one run.

Scenarios, each run `runs` times in fresh processes:
- vanilla: Pelican 4.12, default theme and settings, no plugins, empty output;
- full-cold: Transfo from nothing: output and every cache empty, the image
  cache too (every derivative and share card encoded); its difference with
  `full` is the image step's cost, reported on its own line;
- full: Transfo with every plugin of pelicanconf.py, empty output, content
  caches deleted (image derivatives kept: "images cached");
- full-warm: empty output, caches kept;
- noop: nothing changed since the previous build;
- edit: one article's body edited;
- image: one image added to content/images;
- preview: one article's body edited under a resident preview process (what
  `invoke livereload` does between two edits: transfo_perf.resident), timed
  from the request to the answer;
- preview-header: one article's summary (a header field) edited under the same
  process: its page shows first, the rest of the site is built behind (the
  report gives that time apart);
- preview-title: one article's title edited under the same process (no Slug:
  its address moves): its page shows first at its new address;
- preview-new: one article added under the same process (a copy of that
  article, under another title): its page shows first;
- preview-delete: that added article deleted under the same process: its page
  leaves first;
- preview-template: the offers' template edited under the same process (which
  reads a copy of the theme): only the pages rendered with it are rendered
  again;
- preview-style: the theme's stylesheet edited under the same process: copied
  into the output, no page rendered. One edit
  first, not timed, as the builds
  have their preparation build: right after the full build, its pages were
  written too recently to be trusted by their times (`transfo_common.files.memo_by_stat`,
  the leak check's memory), so the first refresh reads them again (~0.1 s at
  2,000 articles); the report gives that first refresh apart;
- publish-*: `invoke publish` as a command (`transfo_bench.publish`), from
  nothing, then after one article edited, one image added to an article, one
  event added, one template changed, and the daily rebuild (same content,
  `--now` one day later: an offer closes and an event passes). Each is
  compared with the same run's vanilla build.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import publish
from .build import ROOT, transfo_settings
from .build import overrides as build_overrides
from .corpus import Corpus, CorpusSpec, generate, make_jpeg
from .preview import RESULT
from .runner import Measure, ResidentProcess, measure, snapshot, touched
from .stats import Scenario

# A scenario's command: one command line for every run, or a function of the run's number
# returning a command line (run in a new process) or what it measured itself.
Command = list[str] | Callable[[int], list[str] | Measure]


class ScenarioRunner(Protocol):
    """`run` of run_benchmark, which the publish scenarios use too."""

    def __call__(self, key: str, label: str, command: Command,
                 prepare: Callable[[int], object] = ..., files_of: Path | None = ...,
                 cwd: Path = ..., times: int = ...,
                 details: Callable[[int], dict[str, float]] | None = ...) -> Scenario: ...

DEFAULT_NOW = "2019-11-30"
PREVIEW_TEMPLATE = Path("templates") / "offer.html"  # in the preview's copy of the theme
PREVIEW_STYLESHEET = Path("static") / "css" / "site.css"
KEPT_CACHES = ("images",)  # cache folders a "from scratch" build keeps


@dataclass
class BenchResult:
    n: int
    runs: int
    corpus: Corpus
    digest: str
    plugins: list[str]
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    cpus: int = field(default_factory=lambda: os.cpu_count() or 1)
    overrides: list[str] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # 1-minute load average before and after
    preview_modes: list[str] = field(default_factory=list)  # how the resident process built each edit
    preview_watched: list[bool] = field(default_factory=list)  # whether it listed the output from inotify
    preview_first: float | None = None  # wall time of the untimed first edit, right after the full build
    preview_settled: list[float] = field(default_factory=list)  # after each edit shows: index and leak check
    # scenario -> after each edit of a header field shows: the full build of the rest, and the
    # pages it rendered (those that read the edit)
    preview_rest_built: dict[str, list[float]] = field(default_factory=dict)
    preview_rest_rendered: dict[str, list[int]] = field(default_factory=dict)
    preview_pages: int = 0  # pages of the site, as the resident process counted them last
    publish_report: bool = False  # whether `invoke publish` wrote its own breakdown (--report)


def _clear(folder: Path, keep: tuple[str, ...] = ()) -> None:
    if not folder.exists():
        return
    for child in folder.iterdir():
        if child.name in keep:
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def edit_header(path: Path, run: int) -> None:
    """Change one article's summary, a header field shown on its page (its address stays)."""
    text = path.read_text(encoding="utf-8")
    summary = f"Summary: Résumé revu par la rédaction ({run + 1})."
    edited, found = re.subn(r"^Summary: .*$", summary, text, count=1, flags=re.M)
    path.write_text(edited if found else text.replace("\n", f"\n{summary}\n", 1), encoding="utf-8")


def edit_title(path: Path, run: int) -> None:
    """Change one article's title; without a Slug its address, made from the title, moves."""
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^Title: (.*?)(?: \(version \d+\))?$", text, flags=re.M)
    assert title and not re.search(r"^Slug:", text, flags=re.M), path
    path.write_text(text.replace(title[0], f"Title: {title[1]} (version {run + 1})", 1), encoding="utf-8")


def add_article(path: Path, run: int) -> None:
    """A new article beside `path`: its copy under another title (so another address)."""
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^Title: (.*)$", text, flags=re.M)
    assert title, path
    added = path.with_name(f"ajout-apercu-{run + 1}.md")
    added.write_text(text.replace(title[0], f"Title: Nouvel article {run + 1} : {title[1]}", 1), encoding="utf-8")


def remove_added(path: Path, run: int) -> None:
    """Delete the article `add_article` added beside `path` at that run."""
    path.with_name(f"ajout-apercu-{run + 1}.md").unlink()


def edit_article(path: Path, run: int) -> None:
    """Change one article's body, as an editor fixing a sentence would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nMise à jour {run + 1} : une précision de la rédaction.\n",
                    encoding="utf-8")


PUBLISH_SCENARIOS = ("full", "edit", "image", "event", "template", "daily")


def publish_choice(text: str) -> tuple[str, ...]:
    """`--publish`'s value: "all", "none" or names of PUBLISH_SCENARIOS, comma-separated."""
    if text in ("all", "none"):
        return PUBLISH_SCENARIOS if text == "all" else ()
    chosen = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in chosen if name not in PUBLISH_SCENARIOS]
    if unknown or not chosen:
        raise ValueError(f"scénario(s) inconnu(s) : {', '.join(unknown) or text!r} ; "
                         f"attendu : all, none ou parmi {', '.join(PUBLISH_SCENARIOS)}")
    return chosen


def run_benchmark(n: int = 2000, runs: int = 3, workdir: Path | None = None, seed: int = 2019,
                  now: str = DEFAULT_NOW, progress: Callable[[str], object] = print,
                  spec: CorpusSpec | None = None,
                  overrides: tuple[str, ...] = (), publish_scenarios: tuple[str, ...] = PUBLISH_SCENARIOS,
                  publish_runs: int = 1, lighthouse: bool = True,
                  measured: Callable[[BenchResult], object] = lambda result: None) -> BenchResult:
    """Generate the corpus, time every scenario; `overrides` are KEY=JSON settings for Transfo builds.

    `publish_scenarios` (names of PUBLISH_SCENARIOS) run `publish_runs` times
    each; `lighthouse=False` passes `--no-lighthouse` to publish. `measured(result)`
    is called after each scenario, so that a run cut short keeps what it measured.
    """
    workdir = Path(workdir or Path("/tmp") / f"transfo-bench-{n}").resolve()
    content, out, cache = workdir / "content", workdir / "output", workdir / "cache"
    vanilla_out, vanilla_cache, log = workdir / "vanilla-output", workdir / "vanilla-cache", workdir / "build.log"
    content.mkdir(parents=True, exist_ok=True)
    if log.exists():
        log.unlink()
    settings = transfo_settings(content, out, cache, now, build_overrides(list(overrides)))
    from pelican import Pelican

    Pelican(settings)  # loads the plugins, whose content kinds the corpus follows
    spec = spec or CorpusSpec(n=n, seed=seed)
    progress(f"Corpus : {n} articles dans {content}…")
    corpus = generate(spec, content, settings)
    if "daily" in publish_scenarios:
        publish.daily_fixtures(corpus.extra.get("offer", []), corpus.extra.get("event", []), now, publish_runs)
    result = BenchResult(n, runs, corpus, corpus.digest(), list(settings.get("PLUGINS") or []),
                         overrides=list(overrides))
    python = sys.executable
    vanilla = [python, "-m", "transfo_bench.build", "vanilla", "--content", str(content),
               "--output", str(vanilla_out), "--cache", str(vanilla_cache)]
    transfo = [python, "-m", "transfo_bench.build", "transfo", "--content", str(content),
               "--output", str(out), "--cache", str(cache), "--now", now]
    for item in overrides:
        transfo += ["--set", item]

    def run(key: str, label: str, command: Command, prepare: Callable[[int], object] = lambda run: None,
            files_of: Path | None = None, cwd: Path = ROOT, times: int = runs,
            details: Callable[[int], dict[str, float]] | None = None) -> Scenario:
        """`command`: a command line run in a new process each time, or a function of the run's
        number returning a command line or a Measure; `details(number)` reads what the run
        reported of itself."""
        scenario = result.scenarios.setdefault(key, Scenario(key, label))
        for number in range(times):
            prepare(number)
            before = snapshot(files_of) if files_of else {}
            made = command if isinstance(command, list) else command(number)
            m = made if isinstance(made, Measure) else measure(made, cwd, log)
            if m.returncode:
                raise RuntimeError(f"{label}: the build failed (exit {m.returncode}); see {log}")
            scenario.measures.append(m)
            if details:
                scenario.details.append(details(number))
            if files_of:
                after = snapshot(files_of)
                changed = touched(before, after)
                scenario.touched.append(len(changed))
                scenario.touched_sample = changed[:12]
                scenario.total_files = len(after)
            progress(f"  {label} #{number + 1} : {m.wall:.2f} s")
        measured(result)
        return scenario

    def clear_vanilla(_run: int) -> None:
        _clear(vanilla_out)
        _clear(vanilla_cache)

    def clear_transfo(_run: int, keep: tuple[str, ...] = KEPT_CACHES) -> None:
        _clear(out)
        _clear(cache, keep)

    result.load.append(os.getloadavg()[0])
    run("vanilla", "Pelican 4.12 seul", vanilla, clear_vanilla)
    run("full-cold", "Transfo, depuis zéro, cache des images vide", transfo,
        lambda number: clear_transfo(number, keep=()))
    run("full", "Transfo, depuis zéro (images en cache)", transfo, clear_transfo)
    run("full-warm", "Transfo, sortie vide, caches chauds", transfo, lambda _: _clear(out))
    run("noop", "Transfo, rien de changé", transfo, files_of=out)
    edited = corpus.articles[len(corpus.articles) // 2]
    run("edit", "Transfo, un article modifié", transfo,
        lambda number: edit_article(edited, number), files_of=out)
    rng = random.Random(seed + 99)
    run("image", "Transfo, une image ajoutée", transfo,
        lambda number: make_jpeg(content / "images" / f"ajout-{number + 1}.jpg", rng, spec.image_size),
        files_of=out)
    # The preview reads a copy of the theme, whose template it edits (never the project's).
    theme = workdir / "preview-theme"
    shutil.rmtree(theme, ignore_errors=True)
    shutil.copytree(ROOT / "theme", theme)
    preview = [python, "-m", "transfo_bench.preview", *transfo[transfo.index("--content"):], "--set", f"THEME={theme}"]
    with ResidentProcess(preview, ROOT, log, RESULT) as resident:
        def request(counted: bool = True, behind: str | None = None) -> Measure:
            """One edit's refresh, measured until it shows; then what finishes behind it (the search
            index and leak check, or for `behind`, a scenario showing a page first, the full build)."""
            measured, answer = resident.request()
            settled, finished = resident.request("settle")  # not counted: the edit shows before
            if finished.get("error"):
                raise RuntimeError(f"preview: {finished['error']}; see {log}")
            result.preview_pages = answer.get("pages", 0)
            if counted:
                modes.append(answer.get("mode", "?"))
                result.preview_watched.append(bool(answer.get("watched")))
                if behind is None:
                    result.preview_settled.append(settled.wall)
                else:
                    result.preview_rest_built.setdefault(behind, []).append(settled.wall)
                    result.preview_rest_rendered.setdefault(behind, []).append(finished.get("rest_rendered") or 0)
            return measured

        modes: list[str] = []
        edit_article(edited, 2 * runs)
        result.preview_first = request(counted=False).wall
        run("preview", "Transfo, un article modifié, aperçu résident", lambda _number: request(),
            lambda number: edit_article(edited, runs + number), files_of=out)
        run("preview-header", "Transfo, un résumé d'article modifié, aperçu résident",
            lambda _number: request(behind="preview-header"),
            lambda number: edit_header(edited, number), files_of=out)
        run("preview-title", "Transfo, un titre d'article modifié (nouvelle adresse), aperçu résident",
            lambda _number: request(behind="preview-title"),
            lambda number: edit_title(edited, number), files_of=out)
        run("preview-new", "Transfo, un article ajouté, aperçu résident",
            lambda _number: request(behind="preview-new"),
            lambda number: add_article(edited, number), files_of=out)
        run("preview-delete", "Transfo, un article supprimé, aperçu résident",
            lambda _number: request(behind="preview-delete"),
            lambda number: remove_added(edited, number), files_of=out)
        offer_template = theme / PREVIEW_TEMPLATE
        original = offer_template.read_text(encoding="utf-8")
        run("preview-template", "Transfo, le gabarit des offres modifié, aperçu résident",
            lambda _number: request(),
            lambda number: offer_template.write_text(publish.mark_template(original, number), encoding="utf-8"),
            files_of=out)
        stylesheet = theme / PREVIEW_STYLESHEET
        styles = stylesheet.read_text(encoding="utf-8")
        run("preview-style", "Transfo, la feuille de style modifiée, aperçu résident", lambda _number: request(),
            lambda number: stylesheet.write_text(f"{styles}\n/* banc {number} */\n", encoding="utf-8"),
            files_of=out)
        result.preview_modes = modes
    if publish_scenarios:
        _publish_scenarios(run, result, workdir, corpus, now, set(publish_scenarios), publish_runs, lighthouse,
                           rng, spec)
    result.load.append(os.getloadavg()[0])
    return result


def _publish_scenarios(run: ScenarioRunner, result: BenchResult, workdir: Path, corpus: Corpus, now: str,
                       wanted: set[str], times: int, lighthouse: bool, rng: random.Random, spec: CorpusSpec) -> None:
    """The publish scenarios, in the order an editor's day would meet them."""
    site = publish.make_site(ROOT, workdir / "site")
    root, content = workdir / "public", corpus.root
    reports = workdir / "publish-reports"
    result.publish_report = "report" in publish.publish_options(site)
    _clear(reports)
    reports.mkdir(exist_ok=True)

    def command(key: str, day: Callable[[int], str] = lambda number: now) -> Callable[[int], list[str]]:
        def made(number: int) -> list[str]:
            report = reports / f"{key}-{number + 1}.json" if result.publish_report else None
            line = publish.publish_command(site, root, content, day(number), report)
            return line + ([] if lighthouse else ["--no-lighthouse"])
        return made

    def details(key: str) -> Callable[[int], dict[str, float]]:
        return lambda number: publish.read_breakdown(reports / f"{key}-{number + 1}.json")

    def scenario(key: str, label: str, prepare: Callable[[int], object] = lambda number: None,
                 day: Callable[[int], str] = lambda number: now) -> None:
        if key in wanted:
            run(f"publish-{key}", label, command(key, day), prepare, cwd=site, times=times, details=details(key))

    def clear_publish(_run: int) -> None:
        _clear(root)
        _clear(site / "cache")

    scenario("full", "Publication depuis zéro", clear_publish)
    if "full" not in wanted:  # the other scenarios start from a live release, as in production
        _clear(root)
        if measure(command("setup")(0), site, workdir / "build.log").returncode:
            raise RuntimeError(f"the first publish failed; see {workdir / 'build.log'}")
    edited = corpus.articles[len(corpus.articles) // 3]
    if "edit" in wanted:  # two releases more, so that it finds a spare release, as in production
        for number in range(2):
            edit_article(edited, 50 + number)
            if measure(command("spare")(number), site, workdir / "build.log").returncode:
                raise RuntimeError(f"a publish before the edit failed; see {workdir / 'build.log'}")
    scenario("edit", "Publication, un article modifié", lambda number: edit_article(edited, 100 + number))
    illustrated = next(path for path in corpus.articles if publish.field(path.read_text(encoding="utf-8"), "Image")
                       is None)

    def add_image(number: int) -> None:
        image = content / "images" / "publication" / f"photo-{number + 1}.jpg"
        make_jpeg(image, rng, spec.image_size)
        illustrated.write_text(publish.with_lead_image(illustrated.read_text(encoding="utf-8"),
                                                      image.relative_to(content).as_posix()), encoding="utf-8")

    scenario("image", "Publication, une image ajoutée à un article", add_image)
    events = corpus.extra.get("event", [])

    def add_event(number: int) -> None:
        path = content / events[0].relative_to(content).parts[0] / "banc" / f"evenement-ajoute-{number + 1}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(publish.new_event(events[0].read_text(encoding="utf-8"), now, number), encoding="utf-8")

    if events:
        scenario("event", "Publication, un événement ajouté", add_event)
    template = site / publish.EDITED_TEMPLATE
    original = template.read_text(encoding="utf-8")
    scenario("template", "Publication, un gabarit modifié (article.html)",
             lambda number: template.write_text(publish.mark_template(original, number), encoding="utf-8"))
    scenario("daily", "Publication quotidienne (lendemain : une offre close, un événement passé)",
             day=lambda number: f"{publish.fixture_day(now, number):%Y-%m-%d}")
