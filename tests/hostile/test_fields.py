"""Hostile and awkward header fields and bodies, in every kind of content (issue 20, §1-2).

Accepted cases (markup typed in a text field, awkward but ordinary text, allowed
embeds) are built together into one site: each must appear as typed, as text,
with no injected markup anywhere, and the whole site must pass the quality gate.
Refused cases (hostile addresses, unsafe raw HTML) are checked together: each
must give one French line naming its file and field, with no traceback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from transfo_i18n.typography import french_spacing

from tests.hostile.checks import assert_no_injection, assert_refused, injected_markup
from tests.hostile.content import Case, content_tree
from tests.support import build, html_files, invoke, json_ld_blocks, soup

NOW = "2019-11-30"


def markup(n: int) -> str:
    """Markup that would run code if it reached the page unescaped (numbered, to find it back)."""
    return f'"><img src=x onerror=alert({n})></script><script>alert({n})</script>'


def short_markup(n: int) -> str:
    return f"<b>{n}</b>"  # for fields of 10 characters at most


# Markup in every text field of every kind: shown as typed, never as markup.
FIELD_CASES = [
    Case("article-title", "article", {"Title": markup(1)}),
    Case("article-authors", "article", {"Authors": markup(2)}),
    Case("article-tags", "article", {"Tags": markup(3)}),
    Case("article-image-alt", "article", {"Image_alt": markup(4)}),
    Case("article-image-credit", "article", {"Image_credit": markup(5)}),
    Case("portrait-person", "portrait", {"Person": markup(6)}),
    Case("portrait-enterprise", "portrait", {"Enterprise": markup(7)}),
    Case("portrait-town", "portrait", {"Town": markup(8)}),
    Case("dossier-title", "dossier", {"Title": markup(9)}),
    Case("dossier-image-alt", "dossier", {"Image_alt": markup(10)}),
    Case("dossier-image-credit", "dossier", {"Image_credit": markup(11)}),
    Case("dossier-part-title", "dossier_part", {"Title": markup(12)}),
    Case("event-title", "event", {"Title": markup(13)}),
    Case("event-venue", "event", {"Venue": markup(14)}),
    Case("event-address", "event", {"Address": markup(15)}),
    Case("event-postal-code", "event", {"Postal_code": short_markup(16)}),
    Case("event-town", "event", {"Town": markup(17)}),
    Case("event-organiser", "event", {"Organiser": markup(18)}),
    Case("event-image-alt", "event", {"Image_alt": markup(19)}),
    Case("event-image-credit", "event", {"Image_credit": markup(20)}),
    Case("offer-title", "offer", {"Title": markup(21)}),
    Case("offer-organisation", "offer", {"Organisation": markup(22)}),
    Case("offer-town", "offer", {"Town": markup(23)}),
    Case("offer-postal-code", "offer", {"Postal_code": short_markup(24)}),
    Case("offer-hours", "offer", {"Hours": short_markup(25)}),
    Case("offer-pay-scale", "offer", {"Pay_scale": markup(26)}),
    Case("offer-funding", "offer", {"Funding": markup(27)}),
    Case("page-title", "page", {"Title": markup(28)}),
]

# Ordinary text that used to break publishing: shown exactly as typed (with French spacing).
RD_TITLE = "La R&D sociale : 3 < 5 projets"
TEXT_CASES = [
    Case("rd-article", "article", {"Title": RD_TITLE, "Summary": 'Un écran de 24" ; 3 < 5 & R&D.',
                                   "Authors": 'Jean "JJ" O\'Brien, Ana <Lopez>'}),
    Case("rd-portrait", "portrait", {"Title": RD_TITLE, "Person": 'Marie "Mimi" D\'Hondt',
                                     "Enterprise": "L'Atelier & Cie <Bxl>"}),
    Case("rd-dossier", "dossier", {"Title": RD_TITLE, "Summary": 'Un dossier sur 24" & 3 < 5.'}),
    Case("rd-dossier-part", "dossier_part", {"Title": RD_TITLE, "Dossier_part": "2"}),
    Case("rd-event", "event", {"Title": RD_TITLE + " </script>", "Venue": 'Salle "Le 24"',
                               "Organiser": "R&D <asbl>", "Summary": 'Écran de 24" & 3 < 5.'}),
    Case("rd-offer", "offer", {"Title": RD_TITLE + " </script>", "Organisation": "R&D \"Sud\" <asbl>",
                               "Summary": 'Écran de 24" & 3 < 5.'}),
    Case("rd-page", "page", {"Title": RD_TITLE, "Summary": 'Une page sur 24" & 3 < 5.'}),
    Case("ages-article", "article", {"Title": "Emploi : les <30 ans gagnent moins que les >50 ans"}),
]

# Bodies: code shown as code, allowed embeds kept, awkward text kept.
YOUTUBE = "https://www.youtube-nocookie.com/embed/xyz"
OSM = "https://www.openstreetmap.org/export/embed.html?bbox=4.3,50.8,4.4,50.9"
MARKDOWN_ALT = '" onerror="alert(1)" x="3 < 5 & R&D'
BODY_CASES = [
    Case("body-code", "article", body="Exemple : `<script>alert(1)</script>` et\n\n"
         "```\n<img src=x onerror=alert(2)>\n```"),
    Case("body-embeds", "article", body=f'<iframe src="{YOUTUBE}" title="Vidéo"></iframe>\n\n'
         f'<iframe src="{OSM}" title="Carte"></iframe>'),
    Case("body-text", "page", body='Un écran de 24" ; 3 < 5 & R&D.'),
    Case("body-image-alt", "article", body=f"![{MARKDOWN_ALT}](images/alpha.jpg)"),
]
ACCEPTED = FIELD_CASES + TEXT_CASES + BODY_CASES

# Refused: hostile addresses in typed fields, unsafe raw HTML in bodies and summaries.
ON_MOUSEOVER = 'https://x.be/"onmouseover="alert(1)'
FIELD_REFUSED = [
    (Case("bad-portrait-website", "portrait", {"Website": "javascript:alert(1)"}), "Website"),
    (Case("bad-portrait-website-quote", "portrait", {"Website": ON_MOUSEOVER}), "Website"),
    (Case("bad-portrait-annuaire", "portrait",
          {"Annuaire": 'https://annuaire.economiesociale.be/x"onclick="alert(1)'}), "Annuaire"),
    (Case("bad-event-online-url", "event", {"Online_url": "https://exemple.be/live now"}), "Online_url"),
    (Case("bad-event-organiser-url", "event", {"Organiser_url": "https://exemple.be/\x07x"}), "Organiser_url"),
    (Case("bad-event-registration", "event", {"Registration": "javascript:alert(1)"}), "Registration"),
    (Case("bad-event-registration-quote", "event", {"Registration": "https://x.be/'onfocus='a()"}),
     "Registration"),
    (Case("bad-offer-website", "offer", {"Organisation_website": ON_MOUSEOVER}), "Organisation_website"),
    (Case("bad-offer-apply-url", "offer", {"Apply_url": "javascript:alert(1)"}), "Apply_url"),
    (Case("bad-offer-apply-url-bidi", "offer", {"Apply_url": "https://x.be/\u202egnp.exe"}), "Apply_url"),
    (Case("bad-offer-apply-email", "offer", {"Apply_email": 'a"onclick="x@zeta.be'}), "Apply_email"),
    (Case("bad-offer-apply-email-script", "offer", {"Apply_email": "<script>@x.be"}), "Apply_email"),
    (Case("bad-article-title-bell", "article", {"Title": "Titre \x07 cloche"}), "Title"),
    (Case("bad-page-summary-control", "page", {"Summary": "Résumé \x01 collé"}), "Summary"),
    (Case("bad-event-summary-link", "event", {"Summary": "Voir [l'analyse]({filename}/articles/analyse-beta.md)."}),
     "Summary"),
    (Case("bad-offer-summary-link", "offer", {"Summary": "Lire [la fiche]({static}/images/alpha.jpg)."}), "Summary"),
]
BODY_REFUSED = [
    (Case("bad-article-onerror", "article", body='Texte.\n\n<img src="images/alpha.jpg" alt="x" '
          'onerror="alert(1)">'), "onerror"),
    (Case("bad-article-script", "article", body="Texte.\n\n</p><script>alert(1)</script>"), "<script>"),
    (Case("bad-article-md-link", "article", body="Un [lien](javascript:alert(1)) piégé."), "javascript:"),
    (Case("bad-article-summary", "article", {"Summary": "Résumé <img src=x onerror=alert(1)>"}), "onerror"),
    (Case("bad-portrait-svg", "portrait", body="<svg onload=alert(1)></svg>"), "onload"),
    (Case("bad-page-iframe", "page", body='<iframe src="https://evil.example/x"></iframe>'), "evil.example"),
    (Case("bad-part-http-frame", "dossier_part",
          body='<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>'), "http://www.youtube"),
    (Case("bad-event-img-no-alt", "event", body='Voir :\n\n<img src="images/alpha.jpg">'), "sans texte alternatif"),
    (Case("bad-offer-data-url", "offer", body='<a href="data:text/html,<script>alert(1)</script>">x</a>'),
     "data:"),
    (Case("bad-dossier-object", "dossier", body='<object data="https://evil.example/x.swf"></object>'), "<object>"),
    (Case("bad-page-entity-js", "page", body='<a href="jav&#x09;ascript:alert(1)">x</a>'), "ascript:alert"),
    (Case("bad-article-embed", "article", body='<embed src="https://evil.example/x">'), "<embed>"),
    (Case("bad-event-body-control", "event", body="Un texte \x02 collé."), "U+0002"),
    (Case("bad-article-md-link-entity", "article", body="Un [clic](JaVaScRiPt&#58;alert(5))."), "JaVaScRiPt&#58;"),
    (Case("bad-page-summary-link-entity", "page",
          {"Summary": "Un [lien](&#x6A;avascript:alert(document.domain))"}), "&#x6A;avascript"),
    (Case("bad-article-srcdoc", "article", body=f'<iframe srcdoc="<script>alert(24)</script>" src="{YOUTUBE}" '
          'title="t"></iframe>'), "srcdoc"),
    (Case("bad-event-refresh", "event", body='<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
     "http-equiv"),
    (Case("bad-offer-noscript", "offer",
          body='<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'), "<noscript>"),
    (Case("bad-article-frame-content", "article",
          body=f'<iframe src="{YOUTUBE}" title="t"><p title="</iframe><img src=x onerror=alert(2)>"></iframe>'),
     "contenu dans <iframe>"),
    (Case("bad-event-early-comment", "event", body="Texte.\n\n<!--><img src=x onerror=alert(3)>-->"), "--!>"),
    (Case("bad-page-summary-style", "page", {"Summary": "Résumé <style>body{display:none}</style>"}), "<style>"),
]


@pytest.fixture(scope="module")
def accepted(tmp_path_factory):
    """The accepted cases in one content tree, built once; (output, build result)."""
    root = tmp_path_factory.mktemp("hostile-accepted")
    content = content_tree(root / "content", ACCEPTED)
    result = build(root / "output", content=content, now=NOW, check=False)
    return root / "output", content, result


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """The refused cases in one content tree: `invoke check` once, `invoke build` once."""
    root = tmp_path_factory.mktemp("hostile-refused")
    content = content_tree(root / "content", [case for case, _ in FIELD_REFUSED + BODY_REFUSED])
    checked = invoke("check", "--content", str(content), "--now", NOW, check=False)
    built = build(root / "output", content=content, now=NOW, check=False)
    return root / "output", checked, built


def json_strings(data) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in json_strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in json_strings(value)]
    return [data] if isinstance(data, str) else []


def visible_strings(output) -> list[str]:
    """Every text node, attribute value and JSON-LD string of every built page, as parsed."""
    strings = []
    for path in html_files(output):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        strings += [text for text in page.find_all(string=True) if text.parent.name != "script"]
        strings += [value if isinstance(value, str) else " ".join(value)
                    for tag in page.find_all(True) for value in tag.attrs.values()]
        strings += json_strings(json_ld_blocks(page))
    return strings


@pytest.fixture(scope="module")
def shown(accepted):
    output, _, result = accepted
    assert result.returncode == 0, result.stdout + result.stderr
    return "\n".join(visible_strings(output))


def test_accepted_cases_build_without_traceback_or_injection(accepted):
    output, _, result = accepted
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr, result.stderr
    assert_no_injection(output)


@pytest.mark.parametrize("case", FIELD_CASES, ids=lambda case: case.name)
def test_markup_in_a_field_is_shown_as_typed(case, shown):
    (value,) = case.fields.values()
    first = value.split(",")[0] if case.fields.keys() & {"Tags", "Authors"} else value
    assert first in shown or french_spacing(first) in shown


def test_awkward_titles_are_shown_exactly_in_every_kind(accepted):
    output, _, _ = accepted
    expected = french_spacing(RD_TITLE)
    headings = {}
    for path in html_files(output):
        heading = soup(path).select_one("h1")
        if heading is not None and "R&D" in heading.get_text():
            headings[path.relative_to(output).parts[0]] = heading.get_text().strip()
    # article, portrait and dossier part under 2019/, plus the dossier, event, offer and page
    assert set(headings) == {"2019", "dossiers", "agenda", "offres", "rd-page"}, headings
    assert all(text.startswith(expected) for text in headings.values()), headings


def test_a_title_s_less_than_signs_stay_in_the_page_title_share_preview_and_json_ld(accepted):
    output, _, _ = accepted
    page = soup(next(path for path in html_files(output) if "ages-article" in path.parts))
    expected = french_spacing("Emploi : les <30 ans gagnent moins que les >50 ans")
    assert page.title is not None and page.title.get_text().startswith(expected + " · ")
    for name in ('meta[property="og:title"]', 'meta[name="twitter:title"]'):
        assert page.select_one(name)["content"] == expected, name
    assert [block["headline"] for block in json_ld_blocks(page) if "headline" in block] == [expected]


def test_awkward_summaries_and_names_are_shown_as_typed(shown):
    for text in ('Un écran de 24" ; 3 < 5 & R&D.', 'Jean "JJ" O\'Brien', "Ana <Lopez>",
                 'Marie "Mimi" D\'Hondt', "L'Atelier & Cie <Bxl>", 'Un dossier sur 24" & 3 < 5.',
                 'Écran de 24" & 3 < 5.', 'Salle "Le 24"', "R&D <asbl>", 'R&D "Sud" <asbl>'):
        assert text in shown or french_spacing(text) in shown, text


def test_json_ld_keeps_a_closing_script_tag_as_text(accepted):
    output, _, _ = accepted
    names = {}
    for page in ("agenda/rd-event/index.html", "offres/rd-offer/index.html"):
        parsed = soup(output / page)
        assert not injected_markup(str(parsed))
        for block in json_ld_blocks(parsed):
            names[page] = block.get("name") or block.get("title")
    assert names == {"agenda/rd-event/index.html": RD_TITLE + " </script>",
                     "offres/rd-offer/index.html": RD_TITLE + " </script>"}


def test_feeds_carry_hostile_titles_as_text(accepted):
    output, _, _ = accepted
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title")
              for feed in output.joinpath("feeds").glob("*.atom.xml")
              for entry in ET.parse(feed).getroot().iter(f"{atom}entry")]
    assert markup(1) in titles and RD_TITLE in titles
    assert any(title.endswith(markup(21)) for title in titles)  # the offers feed: "Emploi : <title>"


def test_code_is_shown_and_allowed_embeds_are_kept(accepted):
    output, _, _ = accepted
    body = soup(output / "2019/11/body-code/index.html").select_one(".article__body")
    assert [code.get_text() for code in body.select("code")] == [
        "<script>alert(1)</script>", "<img src=x onerror=alert(2)>\n"]
    frames = soup(output / "2019/11/body-embeds/index.html").select(".article__body iframe")
    assert [frame["src"] for frame in frames] == [YOUTUBE, OSM]


def test_markup_in_a_markdown_alt_text_stays_in_the_alt(accepted):
    output, _, _ = accepted
    images = soup(output / "2019/11/body-image-alt/index.html").select(".article__body img")
    assert [image["alt"] for image in images] == [MARKDOWN_ALT]
    assert all(not name.startswith("on") for image in images for name in image.attrs)


@pytest.mark.slow
def test_the_quality_gate_passes_on_the_hostile_site(accepted):
    output, content, _ = accepted
    result = invoke("quality", "--site", str(output), "--content", str(content), "--now", NOW,
                    "--no-axe", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Aucun problème." in result.stdout


@pytest.mark.parametrize("case,field", FIELD_REFUSED, ids=lambda item: getattr(item, "name", ""))
def test_hostile_address_or_control_character_is_one_french_line(case, field, refused):
    _, checked, _ = refused
    line = assert_refused(checked, case.filename, f":{case.line_of(field + ':')}: {field}:", "attendu :")
    assert line.isprintable()  # invisible characters are spelt out


@pytest.mark.parametrize("case,words", BODY_REFUSED, ids=lambda item: getattr(item, "name", ""))
def test_unsafe_raw_html_is_one_line_pointing_into_the_file(case, words, refused):
    _, checked, _ = refused
    field = "Summary" if "Summary" in case.fields else "corps"
    snippet = case.fields.get("Summary") or case.body.split("\n")[-1]
    assert_refused(checked, case.filename, f":{case.line_of(snippet)}: {field}:", words, "attendu :")


def test_a_refused_tree_builds_nothing(refused):
    output, checked, built = refused
    assert built.returncode == 2 and "Traceback" not in built.stdout + built.stderr
    assert not (output / "index.html").exists()
    problems = [line for line in checked.stdout.splitlines() if ".md:" in line]
    assert len(problems) == len(set(problems))  # each problem said once
