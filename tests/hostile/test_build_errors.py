"""Hostile and awkward builds: files every worker process parses, a full disk, a second build
into the same output, leftovers of a killed build. Each failure is one French line, no
traceback, and no temporary file survives.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.hostile.checks import assert_refused
from tests.support import (
    FIXTURE_CONTENT,
    ROOT,
    build,
    build_with_settings,
    copy_content,
    invoke,
    python,
    small_disk,
)

NOW = "2019-11-30"
# Enough files that each of three workers gets several (transfo_perf.reading splits files
# into interleaved shares, one worker per four files at most).
EMPTY_FIELD_FILES = 17
EMPTY_FIELDS = """Title: Brouillon de {number}
Date: 2019-11-{day:02d} 09:00
Category: Actualités
Tags:
Slug:
Authors:
Status:
Summary: Les lignes vides que laisse le modèle de invoke new.

Texte {number}.
"""
PERF_OFF = ["TRANSFO_PERF_WRITE_CHANGED_ONLY=false", "TRANSFO_PERF_PARALLEL_READ=false",
            "TRANSFO_PERF_PARSE_CACHE=false", "TRANSFO_PERF_TEMPLATE_CACHE=false",
            "TRANSFO_PERF_SKIP_UNCHANGED=false", "TRANSFO_PERF_PARALLEL_RENDER=false",
            "TRANSFO_PERF_RENDER_AFFECTED_ONLY=false"]
PERF_ON = ["TRANSFO_PERF_WORKERS=3"]  # every switch at its default (on), three workers
EVENT = """Title: {title}
Date: 2019-10-15 09:00
Start: {start}
Online_url: https://exemple.be/direct
Organiser: Réseau fixture
Summary: Un événement en ligne.

Le programme.
"""


def awkward_content(destination: Path) -> Path:
    """The fixture site plus files that must build: empty header lines in every worker's share,
    values continued on indented lines, a Windows file with a BOM, events at the edge of the
    accepted dates and in the hour the clocks show twice."""
    content = copy_content(destination)
    for number in range(EMPTY_FIELD_FILES):
        (content / "articles" / f"vide-{number:02d}.md").write_text(
            EMPTY_FIELDS.format(number=number, day=number % 28 + 1), encoding="utf-8")
    (content / "articles" / "suite.md").write_text(
        "Title: Un titre écrit\n    sur deux lignes\nDate: 2019-11-10 09:00\nCategory: Analyses\n"
        "Tags: énergie,\n\tcoopératives\nSummary: Un résumé\n    qui continue.\n\nLe corps.\n", encoding="utf-8")
    (content / "articles" / "windows.md").write_bytes(
        "\ufeffTitle: Écrit sous Windows\r\nDate: 2019-11-11 09:00\r\nCategory: Actualités\r\n"
        "Summary: Fins de ligne CRLF et BOM.\r\n\r\nLe corps.\r\n".encode("utf-8"))
    agenda = content / "agenda"
    agenda.mkdir()
    (agenda / "heure-double.md").write_text(EVENT.format(title="Heure double", start="2026-10-25 02:30"),
                                            encoding="utf-8")
    (agenda / "dernier-jour.md").write_text(EVENT.format(title="Dernier jour", start="2100-12-31 23:30"),
                                            encoding="utf-8")
    return content


def bench_build(content: Path, output: Path, cache: Path, settings: list[str]) -> subprocess.CompletedProcess:
    """A build with TRANSFO_PERF_* settings pinned (the benchmark's launcher, as `invoke build`)."""
    arguments = ["transfo", "--content", str(content), "--output", str(output), "--cache", str(cache), "--now", NOW]
    for item in settings:
        arguments += ["--set", item]
    return python("-m", "transfo_bench.build", *arguments)


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    return awkward_content(tmp_path_factory.mktemp("awkward") / "content")


@pytest.mark.slow
@pytest.mark.parametrize("switches", [PERF_ON, PERF_OFF], ids=["perf-on", "perf-off"])
def test_empty_header_lines_build_whichever_process_parses_them(awkward, tmp_path, switches):
    cache = tmp_path / "cache"
    for attempt in ("first", "from-the-parse-cache"):
        output = tmp_path / attempt
        result = bench_build(awkward, output, cache, switches)
        log = result.stdout + result.stderr
        assert result.returncode == 0 and "Could not process" not in log and "Traceback" not in log, log
        for number in range(EMPTY_FIELD_FILES):
            page = output / "2019" / "11" / f"brouillon-de-{number}" / "index.html"
            assert page.is_file(), f"{page} missing ({attempt})"


def test_awkward_files_build_as_written(awkward, tmp_path):
    from bs4 import BeautifulSoup

    output = tmp_path / "out"
    build(output, content=awkward, now=NOW)
    page = BeautifulSoup((output / "2019/11/un-titre-ecrit-sur-deux-lignes/index.html").read_text(), "lxml")
    assert page.h1.get_text(strip=True) == "Un titre écrit sur deux lignes"
    assert (output / "sujet" / "cooperatives" / "index.html").is_file()  # the continued Tags value
    windows = BeautifulSoup((output / "2019/11/ecrit-sous-windows/index.html").read_text(), "lxml")
    assert windows.h1.get_text(strip=True) == "Écrit sous Windows"
    # 02:30 on 2026-10-25 happens twice in Brussels: the first time (summer time, UTC+2) is meant.
    first = Calendar.from_ical((output / "agenda/heure-double/heure-double.ics").read_bytes())
    start = next(iter(first.walk("VEVENT"))).decoded("DTSTART")
    assert start.utcoffset().total_seconds() == 7200 and start.hour == 2 and start.minute == 30
    last = Calendar.from_ical((output / "agenda/dernier-jour/dernier-jour.ics").read_bytes())
    assert next(iter(last.walk("VEVENT"))).decoded("DTSTART").year == 2100


def test_a_page_at_a_section_address_fails_the_build_as_the_check(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "pages" / "agenda.md").write_text("Title: Agenda\nSummary: x\n\nCorps.\n", encoding="utf-8")
    result = build(tmp_path / "out", content=content, now=NOW, check=False)
    assert_refused(result, content / "pages" / "agenda.md", "Title:", "partie du site")
    assert not list((tmp_path / "out").rglob("*.html"))


def test_a_missing_link_target_fails_the_build_as_the_check(tmp_path):
    content = copy_content(tmp_path / "content")
    article = content / "articles" / "cooperative-alpha.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nVoir [la suite]({filename}/articles/suite.md).\n",
                       encoding="utf-8")
    result = build(tmp_path / "out", content=content, now=NOW, check=False)
    assert_refused(result, article, "corps:", "{filename}/articles/suite.md")


# --- writing the output ---

def _no_temporary_files(output: Path) -> None:
    assert not [p for p in output.rglob("*") if p.name.endswith(".tmp")]


def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(tmp_path):
    with small_disk(tmp_path / "out", "400k") as output:
        result = build(output, now=NOW, check=False)
        assert result.returncode == 1
        line = assert_refused(result, output, "écriture impossible", "disque plein")
        assert line.startswith(str(output)), line
        assert sum("écriture impossible" in line for line in result.stderr.splitlines()) == 1
        _no_temporary_files(output)


def test_a_file_size_limit_is_one_line_and_leaves_no_temporary_file(tmp_path):
    """RLIMIT_FSIZE makes a write past 12 kB fail with EFBIG (pages are larger), without root."""
    output = tmp_path / "out"

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of the default kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (12 * 1024, 12 * 1024))

    command = [sys.executable, "-m", "invoke", "build", "--content", str(FIXTURE_CONTENT),
               "--output", str(output), "--now", NOW]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                            preexec_fn=limit_file_size)
    assert result.returncode == 1
    assert_refused(result, output, "écriture impossible", "limite")
    _no_temporary_files(output)
    _no_temporary_files(ROOT / "cache")


@pytest.mark.slow
def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path):
    output = tmp_path / "out"
    build(output, now=NOW)
    leftovers = [output / "index.html.4242.tmp", output / "2019" / ".photo.jpg.99.tmp"]
    for path in leftovers:
        path.write_bytes(b"<html>moiti")
    build(output, now=NOW)
    assert not any(path.exists() for path in leftovers)
    _no_temporary_files(output)


@pytest.mark.slow
def test_a_second_build_into_the_same_output_is_refused(tmp_path):
    from transfo_common.locking import lock_path, output_lock

    output = tmp_path / "out"
    with output_lock(output):  # held by this process while `invoke build` runs in another
        result = build(output, now=NOW, check=False)
        assert result.returncode == 3
        assert_refused(result, output, "une autre construction écrit déjà dans ce dossier")
        assert not output.exists()
    assert not lock_path(output).exists()
    build(output, now=NOW)
    assert (output / "index.html").is_file() and not lock_path(output).exists()
    assert not (output / lock_path(output).name).exists()  # never inside the published folder


def test_clean_waits_for_no_build_and_empties_only_a_built_folder(tmp_path):
    """`invoke clean` takes the same lock: it never empties a folder a build is writing; and
    `--output` names only a folder a build wrote (a typo must not empty the home folder).
    Its own folder: other tests build into the project's output/ meanwhile (`invoke cms`)."""
    from transfo_common.locking import output_lock

    output = tmp_path / "site"
    build(output, now=NOW)
    with output_lock(output):
        result = invoke("clean", "--output", str(output), check=False)
    assert result.returncode == 3 and "une autre construction" in result.stderr and output.is_dir()
    mine = tmp_path / "mes-documents"
    (mine / "lettre.txt").parent.mkdir()
    (mine / "lettre.txt").write_text("à garder", encoding="utf-8")
    refused = invoke("clean", "--output", str(mine), check=False)
    assert refused.returncode == 2 and (mine / "lettre.txt").is_file()
    assert refused.stderr.strip().endswith("aucune construction de ce projet n'y a écrit, rien n'est effacé ; "
                                           "attendu : un dossier de « invoke build --output »")
    invoke("clean", "--output", str(output))
    assert not output.exists()


def test_a_template_that_fails_to_render_is_one_line_naming_it_and_the_page(tmp_path):
    """A mistake in a theme template, met while pages render in several processes: one French
    line (the template's file and line, the page, Jinja's message), exit 1, no traceback."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    tag = theme / "templates" / "tag.html"
    tag.write_text(tag.read_text(encoding="utf-8").replace("{% block content %}",
                                                           "{% block content %}{{ oubli.titre }}", 1), encoding="utf-8")
    result = build_with_settings(tmp_path, f"THEME = {str(theme)!r}", tmp_path / "out", now=NOW)
    assert result.returncode == 1
    line = assert_refused(result, tag, "erreur de gabarit (page sujet/", "'oubli' is undefined")
    assert line.startswith(f"{tag}, ligne "), line
