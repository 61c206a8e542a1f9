"""The benchmark: one synthetic corpus, vanilla Pelican and Transfo timed in one run.

Scenarios, each run `runs` times in fresh processes:
- vanilla: Pelican 4.12, default theme and settings, no plugins, empty output;
- full: Transfo with every plugin of pelicanconf.py, empty output, content
  caches deleted (image derivatives kept: "images cached");
- full-warm: empty output, caches kept;
- noop: nothing changed since the previous build;
- edit: one article's body edited;
- image: one image added to content/images;
- preview: one article's body edited under a resident preview process (what
  `invoke livereload` does between two edits: transfo_perf.resident), timed
  from the request to the answer. One edit first, not timed, as the builds
  have their preparation build: right after the full build, its pages were
  written too recently to be trusted by their times (`transfo_common.files.memo_by_stat`,
  the leak check's memory), so the first refresh reads them again (~0.1 s at
  2,000 articles); the report gives that first refresh apart.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .build import ROOT, transfo_settings
from .build import overrides as build_overrides
from .corpus import Corpus, CorpusSpec, generate, make_jpeg
from .preview import RESULT
from .runner import ResidentProcess, measure, snapshot, touched
from .stats import Scenario

DEFAULT_NOW = "2019-11-30"
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


def _clear(folder: Path, keep: tuple[str, ...] = ()) -> None:
    if not folder.exists():
        return
    for child in folder.iterdir():
        if child.name in keep:
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def edit_article(path: Path, run: int) -> None:
    """Change one article's body, as an editor fixing a sentence would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nMise à jour {run + 1} : une précision de la rédaction.\n",
                    encoding="utf-8")


def run_benchmark(n: int = 2000, runs: int = 3, workdir: Path | None = None, seed: int = 2019,
                  now: str = DEFAULT_NOW, progress=print, spec: CorpusSpec | None = None,
                  overrides: tuple[str, ...] = ()) -> BenchResult:
    """Generate the corpus, time every scenario; `overrides` are KEY=JSON settings for Transfo builds."""
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
    result = BenchResult(n, runs, corpus, corpus.digest(), list(settings.get("PLUGINS") or []),
                         overrides=list(overrides))
    python = sys.executable
    vanilla = [python, "-m", "transfo_bench.build", "vanilla", "--content", str(content),
               "--output", str(vanilla_out), "--cache", str(vanilla_cache)]
    transfo = [python, "-m", "transfo_bench.build", "transfo", "--content", str(content),
               "--output", str(out), "--cache", str(cache), "--now", now]
    for item in overrides:
        transfo += ["--set", item]

    def run(key, label, command, prepare=lambda run: None, files_of: Path | None = None):
        """`command`: a command line run in a new process each time, or a callable returning a Measure."""
        scenario = result.scenarios.setdefault(key, Scenario(key, label))
        for number in range(runs):
            prepare(number)
            before = snapshot(files_of) if files_of else {}
            m = command() if callable(command) else measure(command, ROOT, log)
            if m.returncode:
                raise RuntimeError(f"{label}: the build failed (exit {m.returncode}); see {log}")
            scenario.measures.append(m)
            if files_of:
                after = snapshot(files_of)
                changed = touched(before, after)
                scenario.touched.append(len(changed))
                scenario.touched_sample = changed[:12]
                scenario.total_files = len(after)
            progress(f"  {label} #{number + 1} : {m.wall:.2f} s")
        return scenario

    result.load.append(os.getloadavg()[0])
    def clear_vanilla(_run: int) -> None:
        _clear(vanilla_out)
        _clear(vanilla_cache)

    def clear_transfo(_run: int) -> None:
        _clear(out)
        _clear(cache, KEPT_CACHES)

    run("vanilla", "Pelican 4.12 seul", vanilla, clear_vanilla)
    progress("  Transfo : construction de préparation (cache des images)…")
    _clear(out)
    warmup = measure(transfo, ROOT, log)
    if warmup.returncode:
        raise RuntimeError(f"the Transfo build failed (exit {warmup.returncode}); see {log}")
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
    preview = [python, "-m", "transfo_bench.preview"] + transfo[transfo.index("--content"):]
    with ResidentProcess(preview, ROOT, log, RESULT) as resident:
        def request(counted: bool = True):
            measured, answer = resident.request()
            if counted:
                modes.append(answer.get("mode", "?"))
                result.preview_watched.append(bool(answer.get("watched")))
            return measured

        modes: list[str] = []
        edit_article(edited, 2 * runs)
        result.preview_first = request(counted=False).wall
        run("preview", "Transfo, un article modifié, aperçu résident", request,
            lambda number: edit_article(edited, runs + number), files_of=out)
        result.preview_modes = modes
    result.load.append(os.getloadavg()[0])
    return result
