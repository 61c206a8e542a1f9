"""Nothing is absent without a word: every build and check says its date and what it held back;
status words in French or English mean the same thing in a real build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import FIXTURE_CONTENT, all_text, build, copy_content, invoke, json_ld_blocks, soup

AGENDA_FIXTURES = Path(__file__).parent / "fixtures" / "agenda"
FUTURE = "tests/fixtures/site/content/articles/futur.md (article, dimanche 15 décembre 2019, 10 h)"


@pytest.mark.slow
def test_build_states_its_date_and_the_now_that_shows_what_waits(tmp_path):
    first = build(tmp_path / "out").stdout.splitlines()
    assert ("Date de construction : 30 novembre 2019 (fixée, pas celle du jour : TRANSFO_NOW dans "
            "pelicanconf.py, ou --now AAAA-MM-JJ)") in first
    assert "1 fichier(s) daté(s) après cette date, pas encore sur le site :" in first
    assert f"  {FUTURE}" in first
    assert first[-1] == "Pour les voir : invoke build --now 2019-12-15"
    assert not (tmp_path / "out" / "2019" / "12").exists()
    # Nothing changed: the build has nothing to do, and still says its date.
    assert build(tmp_path / "out").stdout.splitlines()[-4:] == first[-4:]
    later = build(tmp_path / "out", now="2019-12-15").stdout.splitlines()
    assert later[-2:] == [
        "Date de construction : 15 décembre 2019 (fixée, pas celle du jour : TRANSFO_NOW dans "
        "pelicanconf.py, ou --now AAAA-MM-JJ)",
        "Aucun fichier daté après cette date : tout ce qui est publié est sur le site."]
    assert (tmp_path / "out" / "2019" / "12" / "article-du-futur" / "index.html").is_file()


def test_check_states_the_date_and_lists_articles_events_and_offers_held_back(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "agenda").mkdir()
    shutil.copy(AGENDA_FIXTURES / "fx-annonce-future.md", content / "agenda")
    lines = invoke("check", "--content", str(content)).stderr.splitlines()
    assert lines[0].startswith("Date de construction : 30 novembre 2019 (fixée")
    held = [line.strip() for line in lines if line.startswith("  ")]
    assert [line.split(" (")[1].split(",")[0] for line in held] == ["événement", "article"]
    assert held[1].endswith("content/articles/futur.md (article, dimanche 15 décembre 2019, 10 h)")
    assert "Pour les voir : invoke check --now 2019-12-15" in lines


@pytest.mark.slow
def test_french_and_english_status_words_mean_the_same_in_a_build(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "agenda").mkdir()
    article = (FIXTURE_CONTENT / "articles" / "cooperative-alpha.md").read_text(encoding="utf-8")
    header, body = article.split("\n\n", 1)
    for word, slug in (("Brouillon", "fr-draft"), ("draft", "en-draft"), ("publié", "fr-published"),
                       ("published", "en-published")):
        (content / "articles" / f"{slug}.md").write_text(
            f"{header}\nSlug: {slug}\nStatus: {word}\n\nmot{slug.replace('-', '')} {body}", encoding="utf-8")
    event = (AGENDA_FIXTURES / "fx-atelier-annule.md").read_text(encoding="utf-8")
    for word, slug in (("annulé", "fr-annule"), ("cancelled", "en-annule"), ("brouillon", "fr-brouillon")):
        (content / "agenda" / f"{slug}.md").write_text(
            event.replace("Status: cancelled", f"Status: {word}").replace("Title: Atelier annulé fixture",
                                                                         f"Title: Atelier {slug}"),
            encoding="utf-8")
    assert invoke("check", "--content", str(content)).returncode == 0
    out = tmp_path / "out"
    build(out, content=content)
    text = all_text(out)
    assert "motfrdraft" not in text and "motendraft" not in text
    assert (out / "2019/11/fr-published/index.html").is_file() and (out / "2019/11/en-published/index.html").is_file()
    assert not (out / "agenda" / "fr-brouillon").exists()
    for slug in ("fr-annule", "en-annule"):
        data = json_ld_blocks(soup(out / "agenda" / slug / "index.html"))
        assert [d.get("eventStatus") for d in data if d.get("@type") == "Event"] == [
            "https://schema.org/EventCancelled"], slug


def test_rebuild_refuses_a_wrong_now_before_removing_the_site(tmp_path, monkeypatch):
    """« toute autre forme est refusée en une ligne » (docs/guide-redaction.md): not after
    `invoke rebuild` has already emptied output/."""
    import importlib.util

    from invoke import Context, Exit

    from tests.support import ROOT

    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    assert spec and spec.loader
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    site = tmp_path / "output"
    site.mkdir()
    (site / "index.html").write_text("le site d'avant", encoding="utf-8")
    monkeypatch.setitem(tasks.CONFIG, "deploy_path", site)
    with pytest.raises(Exit, match="^--now : « 20/12/2019 » n'est pas une date"):
        tasks.rebuild(Context(), now="20/12/2019")
    assert (site / "index.html").read_text(encoding="utf-8") == "le site d'avant"


def test_a_preview_names_the_command_the_editor_runs_to_show_what_waits():
    """`invoke livereload` (or `cms`, `regenerate`, `preview`) held a file back: the report's last
    line gives its own command with the --now that shows it, not `invoke build`."""
    import importlib.util
    import logging
    from datetime import datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from transfo_publication.logic import HELD_BACK, REPORT_LOGGER, HeldBack
    from transfo_publication.plugin import report_build_date

    from tests.support import ROOT

    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    assert spec and spec.loader
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    logger = logging.getLogger(REPORT_LOGGER)
    handlers, propagate, level = logger.handlers[:], logger.propagate, logger.level
    try:
        # One day each: Pelican's loggers let a message through once per process.
        for day, command in ((21, "invoke livereload"), (22, "invoke cms"), (23, "invoke build")):
            report = tasks.BuildDateReport(command=command)
            held = HeldBack(f"content/articles/2019/x-{day}.md", "article",
                            datetime(2019, 12, day, 10, tzinfo=ZoneInfo("Europe/Brussels")))
            report_build_date([SimpleNamespace(context={"TRANSFO_NOW": "2019-11-30", HELD_BACK: [held]})])
            assert report.fresh[-1] == f"Pour les voir : {command} --now 2019-12-{day}"
    finally:
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)
