"""Rendering: Jinja2 then MJML then inlined CSS; budgets; tracked links; plain text."""

from __future__ import annotations

from dataclasses import replace
from gettext import NullTranslations
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from transfo_i18n.typography import french_spacing
from transfo_newsletter.links import EmailImages, tracked
from transfo_newsletter.model import Month
from transfo_newsletter.render import EmailContext, RenderError, compose_mjml, mjml_to_html, render_edition, wrap
from transfo_newsletter.selection import select_edition
from transfo_newsletter.tests.sample import PUBLIC_URL, at, french, snapshot

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "newsletter" / "templates"
IMAGES = ROOT / "tests" / "fixtures" / "site" / "content"


def context(**extra) -> EmailContext:
    return EmailContext(PUBLIC_URL, "Transfo", "newsletter/2019-11/", "newsletter/",
                        images=EmailImages(PUBLIC_URL, IMAGES), **extra)


@pytest.fixture(scope="module")
def edition():
    return select_edition(snapshot(), Month.parse("2019-11"), at("2019-12-01 10:00"),
                          gettext=french().gettext)


@pytest.fixture(scope="module")
def rendered(edition):
    return render_edition(edition, context(unsubscribe_url="https://transfo.example.org/stop/"),
                          TEMPLATES, french())


def test_tracked_links_keep_existing_query_and_replace_old_tags():
    url = tracked(PUBLIC_URL, "agenda/?page=2&utm_source=x#top", "transfo-2019-11", "agenda")
    parts = urlsplit(url)
    assert url.startswith("https://transfo.example.org/agenda/?") and parts.fragment == "top"
    assert parse_qs(parts.query) == {"page": ["2"], "utm_source": ["newsletter"],
                                     "utm_medium": ["email"], "utm_campaign": ["transfo-2019-11"],
                                     "utm_content": ["agenda"]}


def test_every_link_is_absolute_and_tagged_with_its_block(rendered):
    page = BeautifulSoup(rendered.html, "html.parser")
    hrefs = [a["href"] for a in page.find_all("a")]
    assert "https://transfo.example.org/stop/" in hrefs  # the provider's page, as configured
    hrefs = [h for h in hrefs if h != "https://transfo.example.org/stop/"]
    assert hrefs
    blocks = set()
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        assert href.startswith("https://transfo.example.org/"), href
        assert query["utm_source"] == ["newsletter"] and query["utm_medium"] == ["email"]
        assert query["utm_campaign"] == ["transfo-2019-11"]
        blocks.update(query["utm_content"])
    assert {"une", "articles", "dossier", "portraits", "agenda", "offres", "voir-en-ligne",
            "archives", "header"} <= blocks


def test_html_has_lang_preheader_dark_mode_and_absolute_images_with_alt(rendered, edition):
    page = BeautifulSoup(rendered.html, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert page.find("meta", attrs={"name": "supported-color-schemes"})
    assert "prefers-color-scheme: dark" in rendered.html
    assert edition.preheader in page.body.get_text()
    images = page.find_all("img")
    assert [img["src"] for img in images] == [
        "https://transfo.example.org/static/brand/wordmark-reverse.png",  # the header's wordmark
        "https://transfo.example.org/images/alpha.jpg", "https://transfo.example.org/images/beta.jpg"]
    assert images[0]["alt"] == "Transfo"
    assert images[1]["alt"] == "Façade d'un magasin coopératif"
    assert "data:image" not in rendered.html
    assert "googleapis" not in rendered.html  # no web font fetched


def test_css_is_inlined_for_clients_that_drop_style(rendered):
    page = BeautifulSoup(rendered.html, "html.parser")
    heading = page.find("h2")
    assert "font-family" in heading.get("style", "")  # from the mj-style sheet
    assert page.find("style")  # media queries kept for clients that read them


def test_budget_is_reported_and_enforced(edition, rendered):
    report = rendered.report
    assert report.html_bytes == len(rendered.html.encode()) < 60 * 1024
    assert report.image_bytes == sum((IMAGES / "images" / n).stat().st_size
                                     for n in ("alpha.jpg", "beta.jpg"))
    assert any("Images : 3" in line for line in report.lines())
    with pytest.raises(RenderError, match="attendu : moins de 10 Ko"):
        render_edition(edition, context(), TEMPLATES, french(), max_bytes=10 * 1024)


def test_base64_images_are_refused(edition):
    inline = replace(edition, edito_html='<img src="data:image/png;base64,AAAA" alt="x">')
    with pytest.raises(RenderError, match="base64"):
        render_edition(inline, context(), TEMPLATES, french())


def test_mjml_errors_fail_with_the_message():
    with pytest.raises(RenderError, match="^MJML : "):
        mjml_to_html("<mjml><mj-body><mj-section>")


def test_composed_mjml_has_a_partial_per_block(edition):
    source = compose_mjml(edition, context(), TEMPLATES, french())
    assert source.count("<mj-section") >= 8
    for partial in ("header", "edito", "lead", "articles", "dossier", "agenda", "jobs", "footer"):
        assert (TEMPLATES / "blocks" / f"{partial}.mjml.j2").is_file()


def test_plain_text_is_written_for_reading(rendered, edition):
    text = rendered.text
    lines = text.splitlines()
    assert lines[0] == "TRANSFO · LA LETTRE DE NOVEMBRE 2019"
    assert "<" not in text and "&amp;" not in text
    for heading in ("À LA UNE · ACTUALITÉS", "À LIRE CE MOIS-CI", "AGENDA DES SIX PROCHAINES SEMAINES",
                    "OFFRES D’EMPLOI ET APPELS"):
        assert heading in lines
    prose = [line for line in lines if "http" not in line]
    assert max(map(len, prose)) <= 78  # 78 columns; URLs stand alone on theirs
    url_lines = [line.strip() for line in lines if "http" in line]
    assert all(line.split()[-1].startswith("http") for line in url_lines)
    assert "Se désinscrire\u00a0:\nhttps://transfo.example.org/stop/" in text


def test_wrap_keeps_urls_whole():
    long_url = "https://transfo.example.org/" + "x" * 100
    assert wrap(f"Lire {long_url} maintenant", 40).splitlines() == ["Lire", long_url, "maintenant"]


def test_wrap_puts_every_url_on_a_line_of_its_own_and_keeps_no_break_spaces():
    url = "https://transfo.example.org/a/?utm_source=newsletter&utm_medium=email"
    text = wrap(f"Voir\u00a0: {url} et aussi « ceci » " + "mot " * 40)
    lines = text.splitlines()
    assert url in lines and all(len(line) <= 78 for line in lines if line != url)
    assert "Voir\u00a0:" in lines[0]


def test_edito_keeps_its_paragraphs_in_the_text_part(edition):
    edito = "<p>Chers lecteurs,</p>\n<p>Ce mois-ci, un dossier.</p><p>Bonne lecture,</p>"
    text = render_edition(replace(edition, edito_html=edito), context(), TEMPLATES, french()).text
    assert "Chers lecteurs,\n\nCe mois-ci, un dossier.\n\nBonne lecture," in text


def test_preheader_is_followed_by_a_spacer(rendered, edition):
    page = BeautifulSoup(rendered.html, "html.parser")
    preview = next(div for div in page.body.find_all("div", recursive=True)
                   if edition.preheader in div.get_text())
    assert preview.get_text().count("\u034f") >= 40  # combining grapheme joiners, invisible


def test_email_images_use_the_derivative_when_there_is_one(tmp_path):
    derivative = tmp_path / "alpha-1200.jpg"
    derivative.write_bytes(b"x" * 10)

    def resolve(image, width):
        return (f"media/alpha.{width}.jpg", derivative) if image == "images/alpha.jpg" else None

    images = EmailImages(PUBLIC_URL, IMAGES, resolve)
    assert images.url("images/alpha.jpg") == "https://transfo.example.org/media/alpha.1200.jpg"
    assert images.file("images/alpha.jpg") == derivative
    assert images.url("images/beta.jpg") == "https://transfo.example.org/images/beta.jpg"
    assert images.file("images/beta.jpg") == IMAGES / "images" / "beta.jpg"


def test_ui_strings_come_from_the_catalogue(edition):
    """Without a catalogue the email shows the English msgids: no French is hard-coded."""
    ctx = context(unsubscribe_mailto="stop@example.org")
    english = render_edition(edition, ctx, TEMPLATES, NullTranslations())
    french_email = render_edition(edition, ctx, TEMPLATES, french())
    for msgid, text in (("View in your browser", "Voir dans le navigateur"),
                        ("Read the article", "Lire l’article"), ("Unsubscribe", "Se désinscrire"),
                        ("Past newsletters", "Toutes les lettres"), ("Featured", "À la une")):
        assert msgid in english.html and text not in english.html
        assert text in french_email.html
    assert "subject=Unsubscription" in english.html
    assert "subject=D%C3%A9sinscription" in french_email.html
    assert english.text.splitlines()[0] == "TRANSFO · THE NOVEMBRE 2019 NEWSLETTER"  # dates: the locale
    assert "Se désinscrire\u00a0: écrivez à stop@example.org" in french_email.text
    assert "Unsubscribe: write to stop@example.org" in english.text


def test_hostile_text_in_every_field_stays_text_in_the_email(edition):
    """The .mjml.j2 templates autoescape: titles, summaries, alt texts and places are text."""
    from tests.hostile.checks import injected_markup

    hostile = '"><img src=x onerror=alert(1)></script><script>alert(2)</script> R&D 3 < 5'

    def spoiled(item):
        return replace(item, title=hostile, summary=hostile, kicker=hostile, meta=hostile,
                       image_alt=hostile)

    bad = replace(edition, subject=hostile, preheader=hostile, lead=spoiled(edition.lead),
                  blocks=tuple(replace(block, items=tuple(map(spoiled, block.items)))
                               for block in edition.blocks))
    html = render_edition(bad, context(), TEMPLATES, french()).html
    assert injected_markup(html) == []
    page = BeautifulSoup(html, "lxml")
    assert page.title.get_text() == hostile
    shown = [text.strip() for text in page.find_all(string=True)] + [img["alt"] for img in page.select("img[alt]")]
    items = 1 + sum(len(block.items) for block in edition.blocks)
    assert shown.count(french_spacing(hostile)) + shown.count(hostile) >= 3 * items  # title, summary, alt...
