"""The selection: a pure function of the site snapshot, the editor file and the send date."""

from __future__ import annotations

from dataclasses import replace

import pytest
from transfo_newsletter.editor import EditionError, parse_editor_file
from transfo_newsletter.model import Edition, Month
from transfo_newsletter.selection import default_send_date, select_edition
from transfo_newsletter.tests.sample import TZ, at, french, snapshot

NOVEMBER = Month.parse("2019-11")
SEND = at("2019-12-01 10:00")


def editor(text: str):
    return parse_editor_file(text, "newsletter/2019-11.md", TZ)


def slugs(edition: Edition, key: str) -> list[str]:
    block = edition.block(key)
    return [item.slug for item in block.items] if block else []


def test_defaults_pick_the_months_published_articles_by_block():
    edition = select_edition(snapshot(), NOVEMBER, SEND)
    assert edition.lead.slug == "cooperative-alpha"  # the featured article
    assert slugs(edition, "articles") == ["fin-du-mois", "analyse-beta"]  # newest first
    assert slugs(edition, "dossiers") == ["dossier-textile-2"]
    assert slugs(edition, "portraits") == ["portrait-gamma"]
    every = [item.slug for _block, item in edition.items()]
    assert "brouillon-secret" not in every  # drafts never
    assert "article-de-decembre" not in every  # future ones never
    assert "octobre-ancien" not in every  # other months not by default


def test_dossier_parts_name_their_dossier_and_part():
    item = select_edition(snapshot(), NOVEMBER, SEND,
                          gettext=french().gettext).block("dossiers").items[0]
    assert item.kicker == "Dossier\u00a0: Ce que cachent nos vêtements · volet 2"


def test_agenda_covers_six_weeks_from_the_send_date():
    edition = select_edition(snapshot(), NOVEMBER, SEND, gettext=french().gettext)
    # past events, cancelled or draft ones and those after six weeks are left out
    assert slugs(edition, "agenda") == ["salon-decembre", "en-ligne", "atelier-janvier"]
    later = select_edition(snapshot(), NOVEMBER, at("2019-12-11 10:00"))
    assert slugs(later, "agenda") == ["atelier-janvier"]
    assert edition.block("agenda").items[1].meta.startswith("En ligne · mardi 10 décembre 2019")
    assert "jeudi 5 décembre 2019, 9\u00a0h\u00a030 · Namur Expo, Namur" in (
        edition.block("agenda").items[0].meta)


def test_an_event_the_editor_adds_says_it_is_cancelled_or_postponed():
    """Added by name (Ajouter), a cancelled event is in the letter, as news for those who read its
    announcement, but never as if it took place: its line starts with « Annulé »."""
    site = snapshot()
    postponed = replace(next(e for e in site.events if e.slug == "salon-decembre"), status="postponed")
    site = replace(site, events=tuple(postponed if e.slug == "salon-decembre" else e for e in site.events))
    edition = select_edition(site, NOVEMBER, SEND, editor("Ajouter: annule\n"), gettext=french().gettext)
    agenda = {item.slug: item.meta for item in edition.block("agenda").items}
    assert agenda["annule"].startswith("Annulé · mardi 10 décembre 2019, 10\u00a0h")
    assert agenda["salon-decembre"].startswith("Reporté · jeudi 5 décembre 2019")
    assert "annule" not in slugs(select_edition(snapshot(), NOVEMBER, SEND), "agenda")  # not unless added


def test_open_offers_sorted_by_deadline_without_deadline_last():
    edition = select_edition(snapshot(), NOVEMBER, SEND, gettext=french().gettext)
    assert slugs(edition, "jobs") == ["coordinateur", "appel-projets"]
    assert "date limite\u00a0: 20 décembre 2019" in edition.block("jobs").items[0].meta


def test_promoted_article_leads_when_no_editor_choice():
    edition = select_edition(snapshot(), NOVEMBER, SEND, promoted="analyse-beta")
    assert edition.lead.slug == "analyse-beta"
    assert "analyse-beta" not in slugs(edition, "articles")
    # a promoted slug that is not published is ignored, the featured article leads
    assert select_edition(snapshot(), NOVEMBER, SEND, promoted="brouillon-secret").lead.slug == (
        "cooperative-alpha")


def test_no_featured_no_promoted_means_no_lead():
    site = snapshot()
    site = replace(site, articles=tuple(replace(a, featured=False) for a in site.articles))
    edition = select_edition(site, NOVEMBER, SEND)
    assert edition.lead is None
    assert "cooperative-alpha" in slugs(edition, "articles")


def test_editor_file_sets_subject_lead_order_additions_and_removals():
    chosen = editor(
        "Objet: Spécial coopératives\n"
        "Accroche: Tout sur Alpha\n"
        "Une: analyse-beta\n"
        "Ordre: agenda, une, offres\n"
        "Ajouter: octobre-ancien, trop-tard\n"
        "Retirer: fin-du-mois, appel-projets\n"
        "\n"
        "Un **édito** d'essai.\n"
    )
    edition = select_edition(snapshot(), NOVEMBER, SEND, chosen)
    assert (edition.subject, edition.preheader) == ("Spécial coopératives", "Tout sur Alpha")
    assert edition.lead.slug == "analyse-beta"
    assert slugs(edition, "articles") == ["cooperative-alpha", "octobre-ancien"]
    assert slugs(edition, "agenda") == ["salon-decembre", "en-ligne", "atelier-janvier", "trop-tard"]
    assert slugs(edition, "jobs") == ["coordinateur"]
    assert edition.order[:3] == ("agenda", "lead", "jobs")
    assert set(edition.order) == {"edito", "lead", "articles", "dossiers", "portraits", "agenda",
                                  "jobs"}
    assert "<strong>édito</strong>" in edition.edito_html


def test_default_subject_and_preheader():
    edition = select_edition(snapshot(), NOVEMBER, SEND)
    assert edition.subject == "Transfo · novembre 2019 : Cooperative alpha"
    assert edition.preheader.startswith("Cooperative alpha · Fin du mois")
    assert edition.campaign == "transfo-2019-11"


def test_unknown_slugs_are_one_line_french_errors_naming_file_and_field():
    chosen = editor("Une: cooperative-alfa\nAjouter: inconnu-total\nRetirer: brouillon-secret\n")
    with pytest.raises(EditionError) as caught:
        select_edition(snapshot(), NOVEMBER, SEND, chosen)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("newsletter/2019-11.md:1: Une: l'article « cooperative-alfa » "
                               "est inconnu (vouliez-vous dire « cooperative-alpha » ?)")
    assert lines[1].startswith("newsletter/2019-11.md:2: Ajouter: « inconnu-total » est inconnu")
    assert lines[2].startswith("newsletter/2019-11.md:3: Retirer: « brouillon-secret » est un "
                               "brouillon")


def test_editor_syntax_errors_all_at_once():
    with pytest.raises(EditionError) as caught:
        editor("Objet: Bonjour\nEnvoie: 2019-12-01\nOrdre: une, agendas\nEnvoi: demain\n")
    text = str(caught.value)
    assert "Envoie: champ inconnu (vouliez-vous dire « Envoi » ?)" in text
    assert "Ordre: bloc « agendas » inconnu (vouliez-vous dire « agenda » ?)" in text
    assert "Envoi: « demain » ; attendu : une date AAAA-MM-JJ HH:MM" in text


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\x85", "\x0b", "\x1c"])
def test_invisible_characters_of_a_copy_paste_are_one_line_each(character):
    """The subject and preview are e-mail headers (one line); the edito is published on the site."""
    with pytest.raises(EditionError) as caught:
        editor(f"Objet: Bon{character}jour\nAccroche: Un{character}e accroche\n\nL'édito,\n\ncollé{character} ici.\n")
    found = [line.split(": ")[:2] for line in str(caught.value).splitlines()]
    separator = character in "\u2028\u2029"  # HTML shows a line separator as a space: the edito keeps it
    assert found == [["newsletter/2019-11.md:1", "Objet"], ["newsletter/2019-11.md:2", "Accroche"],
                     *([] if separator else [["newsletter/2019-11.md:6", "corps"]])]
    assert f"U+{ord(character):04X}" in str(caught.value)


def test_selection_is_pure_and_serialises():
    first = select_edition(snapshot(), NOVEMBER, SEND)
    assert first == select_edition(snapshot(), NOVEMBER, SEND)
    assert Edition.from_json_dict(first.to_json_dict()) == first


def test_send_date_must_be_aware_and_defaults_to_the_first_of_next_month():
    with pytest.raises(ValueError):
        select_edition(snapshot(), NOVEMBER, SEND.replace(tzinfo=None))
    assert default_send_date(NOVEMBER, 10, TZ) == at("2019-12-01 10:00")
    assert default_send_date(Month.parse("2019-12"), 10, TZ) == at("2020-01-01 10:00")


def test_month_parsing_and_the_month_just_ended():
    assert str(Month.parse("2019-11")) == "2019-11"
    assert Month.before(at("2019-12-03 10:00").date()) == NOVEMBER
    assert Month.before(at("2020-01-02 10:00").date()) == Month.parse("2019-12")
    with pytest.raises(ValueError, match="attendu : AAAA-MM"):
        Month.parse("2019-13")


def test_labels_are_msgids_translated_by_the_gettext_given():
    english = select_edition(snapshot(), NOVEMBER, SEND)
    assert english.block("agenda").title == "Events in the next six weeks"
    assert english.block("dossiers").items[0].kicker == (
        "Dossier: Ce que cachent nos vêtements · part 2")
    french = select_edition(snapshot(), NOVEMBER, SEND, gettext=french_gettext())
    assert french.block("agenda").title == "Agenda des six prochaines semaines"
    assert french.block("jobs").title == "Offres d’emploi et appels"
    shorter = select_edition(snapshot(), NOVEMBER, SEND, agenda_weeks=4, gettext=french_gettext())
    assert shorter.block("agenda").title == "Agenda des quatre prochaines semaines"


def french_gettext():
    return french().gettext


def test_offers_closing_on_or_before_the_send_day_are_left_out():
    site = snapshot()
    closing = replace(site.offers[0], slug="ferme-le-jour-meme", deadline=SEND.date())
    next_day = replace(site.offers[0], slug="ferme-le-lendemain",
                       deadline=SEND.date().replace(day=SEND.day + 1))
    site = replace(site, offers=(*site.offers, closing, next_day))
    chosen = slugs(select_edition(site, NOVEMBER, SEND), "jobs")
    assert "ferme-le-jour-meme" not in chosen and "expiree" not in chosen
    assert "ferme-le-lendemain" in chosen


def test_an_event_moved_online_names_no_venue():
    edition = select_edition(snapshot(), NOVEMBER, SEND, gettext=french().gettext)
    (webinar,) = [item for item in edition.block("agenda").items if item.slug == "en-ligne"]
    assert webinar.meta.lower().count("en ligne") == 1, webinar.meta


def test_unsafe_raw_html_in_the_edito_is_refused_with_its_line():
    text = ("Objet: La R&D sociale : 3 < 5\n\nChères lectrices,\n\n"
            '<img src="x.jpg" onerror="alert(1)" alt="">\n<iframe src="https://player.vimeo.com/v/1"></iframe>\n')
    with pytest.raises(EditionError) as caught:
        editor(text)
    assert [str(problem).split(" ;")[0] for problem in caught.value.problems] == [
        "newsletter/2019-11.md:5: corps: attribut « onerror » sur <img>",
        "newsletter/2019-11.md:6: corps: <iframe> de « https://player.vimeo.com/v/1 »",
    ]
    assert editor("Objet: La R&D sociale : 3 < 5\n\nUn écran de 24\" & <b>gras</b>.").subject == \
        "La R&D sociale : 3 < 5"


def test_every_mistake_of_the_editor_file_is_said_at_once_header_comments_and_slugs(tmp_path):
    """docs/newsletter.md: all the problems of the file in one run, not header, then the comments
    left, then the slugs, one correction round each."""
    from transfo_newsletter.editions import assemble, site_editions
    from transfo_newsletter.settings import read_settings

    cfg = read_settings({"PUBLIC_URL": "https://transfo.example.org", "PATH": str(tmp_path / "content")})
    cfg.path.mkdir()
    cfg.editor_file("2019-11").write_text(
        "Envoie: 2019-12-01 10:00\nUne: cooperative-alfa\nAjouter: brouillon-secret\n\n"
        "Édito.\n\n<!-- Écrivez ici l'édito -->\n", encoding="utf-8")
    for run in (lambda: assemble(cfg, snapshot(), NOVEMBER),
                lambda: site_editions(cfg, snapshot(), at("2019-11-01 10:00"))):
        with pytest.raises(EditionError) as caught:
            run()
        fields = [line.split(": ", 2)[1] for line in str(caught.value).splitlines()]
        assert fields == ["Envoie", "Une", "Ajouter", "corps"], str(caught.value)


def test_an_editor_file_that_names_no_month_stops_the_build_with_its_name(tmp_path):
    """The CMS names a second edition of a month 2019-11-1.md: it was no edition, without a word."""
    from transfo_newsletter.editions import site_editions
    from transfo_newsletter.settings import read_settings

    cfg = read_settings({"PUBLIC_URL": "https://transfo.example.org", "PATH": str(tmp_path / "content")})
    cfg.path.mkdir()
    cfg.editor_file("2019-11").write_text("Envoi: 2019-12-03 10:00\n\nÉdito.\n", encoding="utf-8")
    assert site_editions(cfg, snapshot(), at("2019-12-01 10:00")) == []
    for name in ("2019-11-1.md", "décembre.md"):
        (cfg.path / name).write_text("Envoi: 2019-12-03 10:00\n\nÉdito.\n", encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        site_editions(cfg, snapshot(), at("2019-12-01 10:00"))
    assert [str(problem) for problem in caught.value.problems] == [
        f"{cfg.path / name}: fichier: nom « {name} » ; attendu : le mois de l'édition, AAAA-MM.md "
        "(ex. 2019-11.md), une seule édition par mois" for name in ("2019-11-1.md", "décembre.md")]


def test_comments_alone_do_not_stop_the_site_before_the_send_date(tmp_path):
    from transfo_newsletter.editions import site_editions
    from transfo_newsletter.settings import read_settings

    cfg = read_settings({"PUBLIC_URL": "https://transfo.example.org", "PATH": str(tmp_path / "content")})
    cfg.path.mkdir()
    cfg.editor_file("2019-11").write_text("Envoi: 2019-12-03 10:00\n\n<!-- consigne -->\n", encoding="utf-8")
    assert site_editions(cfg, snapshot(), at("2019-12-01 10:00")) == []
    with pytest.raises(EditionError, match="corps: commentaire"):
        site_editions(cfg, snapshot(), at("2019-12-04 10:00"))


def test_an_offer_filled_or_closed_by_its_editor_is_not_in_the_letter():
    """docs/README.md: pourvue or clôturée takes the offer off the list of open offers; the sample
    letter of November 2019 still advertised a filled job, its deadline being later."""
    site = snapshot()
    filled = replace(site.offers[0], slug="pourvue", withdrawn=True)
    site = replace(site, offers=(*site.offers, filled))
    chosen = slugs(select_edition(site, NOVEMBER, SEND), "jobs")
    assert "pourvue" not in chosen and "coordinateur" in chosen
