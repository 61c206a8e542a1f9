"""The publish scenarios' corpus and theme edits, the command line, publish's own report."""

import json
from datetime import date
from pathlib import Path

import pytest
from transfo_bench import publish
from transfo_bench.bench import PUBLISH_SCENARIOS, publish_choice
from transfo_validation.frontmatter import parse

EVENT = "Title: Atelier à Namur\nDate: 2019-10-01 10:00\nStart: 2019-12-24 09:30\nTown: Namur\n\nUn atelier.\n"
OFFER = "Title: Appel à projets n° 1\nDate: 2019-09-01 11:00\nDeadline: 2019-10-20 12:00\n\nLe texte.\n"


def test_set_field_replaces_a_field_and_leaves_the_body_alone():
    text = publish.set_field(EVENT + "\nStart: dans le corps, pas un champ\n", "Start", "2019-12-01 14:00")
    doc = parse(text)
    assert doc.fields["start"] == "2019-12-01 14:00" and doc.fields["town"] == "Namur"
    assert "Start: dans le corps, pas un champ" in doc.body
    assert text.count("Start:") == 2


def test_set_field_adds_a_missing_field_under_the_title():
    text = publish.set_field(OFFER, "Image", "images/x.jpg")
    assert text.splitlines()[:2] == ["Title: Appel à projets n° 1", "Image: images/x.jpg"]
    assert parse(text).fields["deadline"] == "2019-10-20 12:00"


def test_field_reads_the_header_only():
    assert publish.field(OFFER, "deadline") == "2019-10-20 12:00"
    assert publish.field(OFFER + "\nImage: dans le corps\n", "Image") is None


def test_each_daily_rebuild_has_an_offer_closing_and_an_event_passing_on_its_day(tmp_path):
    offers, events = [], []
    for number in range(3):
        offers.append(tmp_path / f"offre-{number}.md")
        offers[-1].write_text(OFFER, encoding="utf-8")
        events.append(tmp_path / f"evenement-{number}.md")
        events[-1].write_text(EVENT, encoding="utf-8")
    edited = publish.daily_fixtures(offers, events, "2019-11-30", 2)
    assert len(edited) == 4
    # run 0 publishes at the end of 2019-12-01 after a publish at the end of 2019-11-30
    assert publish.fixture_day("2019-11-30", 0) == date(2019, 12, 1)
    assert publish.field(offers[0].read_text(encoding="utf-8"), "Deadline") == "2019-12-01 12:00"
    assert publish.field(events[0].read_text(encoding="utf-8"), "Start") == "2019-12-01 14:00"
    assert publish.field(events[0].read_text(encoding="utf-8"), "End") == "2019-12-01 16:00"  # over that day
    assert publish.field(offers[1].read_text(encoding="utf-8"), "Deadline") == "2019-12-02 12:00"
    assert publish.field(events[1].read_text(encoding="utf-8"), "Start") == "2019-12-02 14:00"
    assert offers[2].read_text(encoding="utf-8") == OFFER  # only as many as there are runs


def test_daily_fixtures_refuse_a_corpus_too_small_for_the_runs(tmp_path):
    offer = tmp_path / "offre.md"
    offer.write_text(OFFER, encoding="utf-8")
    with pytest.raises(ValueError, match="needs 2 offer"):
        publish.daily_fixtures([offer], [offer], "2019-11-30", 2)
    assert offer.read_text(encoding="utf-8") == OFFER


def test_new_event_is_announced_on_the_build_day_and_starts_later():
    doc = parse(publish.new_event(EVENT, "2019-11-30", 1))
    assert doc.fields["title"] == "Rencontre ajoutée par le banc n° 2"
    assert doc.fields["date"] == "2019-11-30 08:00" and doc.fields["start"] == "2019-12-30 18:30"
    assert doc.fields["town"] == "Namur" and "end" not in doc.fields
    # A model that ends (the corpus's events do): the new event ends after it starts, not on the model's day.
    ending = parse(publish.new_event(publish.set_field(EVENT, "End", "2019-12-24 12:00"), "2019-11-30", 1))
    assert ending.fields["start"] == "2019-12-30 18:30" and ending.fields["end"] == "2019-12-30 21:00"


def test_lead_image_sets_the_image_and_its_alternative_text():
    doc = parse(publish.with_lead_image(OFFER, "images/publication/photo-1.jpg"))
    assert doc.fields["image"] == "images/publication/photo-1.jpg" and doc.fields["image_alt"]


def test_mark_template_changes_the_last_block_and_differs_per_run():
    template = "{% block a %}A{% endblock %}\n{% block content %}\n<p>x</p>\n{% endblock %}\n"
    first, second = publish.mark_template(template, 0), publish.mark_template(template, 1)
    assert first != second != template
    assert first.startswith("{% block a %}A{% endblock %}\n")  # the first block untouched
    assert first.endswith("<!-- gabarit modifié par le banc, passage 1 -->\n{% endblock %}\n")
    with pytest.raises(ValueError):
        publish.mark_template("<p>pas de bloc</p>", 0)


def test_the_edited_template_is_the_themes_article_template():
    project = Path(publish.__file__).resolve().parents[2]
    publish.mark_template((project / publish.EDITED_TEMPLATE).read_text(encoding="utf-8"), 0)


def test_make_site_copies_what_it_edits_and_links_the_rest(tmp_path):
    project = tmp_path / "project"
    (project / "theme" / "templates").mkdir(parents=True)
    (project / "theme" / "templates" / "article.html").write_text("{% endblock %}", encoding="utf-8")
    (project / "plugins").mkdir()
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        (project / name).write_text(f"# {name}\n", encoding="utf-8")
    site = publish.make_site(project, tmp_path / "site")
    (site / publish.EDITED_TEMPLATE).write_text("changé", encoding="utf-8")
    assert (project / publish.EDITED_TEMPLATE).read_text(encoding="utf-8") == "{% endblock %}"
    assert (site / "plugins").is_symlink() and not (site / "newsletter").exists()
    assert not (site / "tasks.py").is_symlink()  # pelicanconf.py finds its folder from its own path
    publish.make_site(project, site)  # made again from scratch
    assert (site / publish.EDITED_TEMPLATE).read_text(encoding="utf-8") == "{% endblock %}"


def test_publish_command_passes_the_report_only_when_asked(tmp_path):
    line = publish.publish_command(tmp_path / "site", tmp_path / "public", tmp_path / "content", "2019-11-30")
    assert line[1:6] == ["-m", "invoke", "--search-root", str(tmp_path / "site"), "publish"]
    assert line[-4:] == ["--keep", "1", "--now", "2019-11-30"] and "--report" not in line
    with_report = publish.publish_command(tmp_path, tmp_path, tmp_path, "2019-11-30", tmp_path / "r.json")
    assert with_report[-2:] == ["--report", str(tmp_path / "r.json")]


def test_breakdown_keeps_the_numbers_of_publishs_report(tmp_path):
    report = tmp_path / "report.json"
    assert publish.read_breakdown(report) == {}
    report.write_text(json.dumps({"total": 12.5, "changed": ["a.html"], "fresh": True,
                                  "steps": {"build": 4, "gate": {"links": 1.0}, "name": "x"}}), encoding="utf-8")
    assert publish.read_breakdown(report) == {"total": 12.5, "steps.build": 4.0}


def test_publish_choice():
    assert publish_choice("all") == PUBLISH_SCENARIOS and publish_choice("none") == ()
    assert publish_choice("full, daily") == ("full", "daily")
    for wrong in ("full,tout", ",", "complet"):
        with pytest.raises(ValueError, match="attendu"):
            publish_choice(wrong)
