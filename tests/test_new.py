"""`invoke new` for every kind: a draft that passes `invoke check`, then, once an editor has
followed its instructions and switched Status to publié, a page at its address.

One content tree and one build for all kinds (tests/fixtures/site plus the new files).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.support import FIXTURE_CONTENT, build, invoke, soup

TODAY = date.today()
TITLE = "Essai {kind} : l'Économie à Liège"
SLUG = "essai-{kind}-leconomie-a-liege"
ARTICLE_URL = f"{TODAY:%Y}/{TODAY:%m}/{{slug}}/"

# kind -> (where the file goes, the page it becomes, what the editor fills in)
KINDS = {
    "article": (f"articles/{TODAY.year}/{{slug}}.md", ARTICLE_URL,
                {"Summary": "Un chapô.", "Tags": "essai", "Image": "images/alpha.jpg",
                 "Image_alt": "Une façade", "Image_credit": "Photo : Transfo"}),
    "portrait": (f"articles/{TODAY.year}/{{slug}}.md", ARTICLE_URL,
                 {"Summary": "Un chapô.", "Person": "Alice Dupont", "Sector": "Alimentation et restauration",
                  "Town": "Liège", "Region": "Wallonie"}),
    "dossier": ("dossiers/{slug}.md", "dossiers/{slug}/",
                {"Summary": "Un dossier.", "Image": "images/beta.jpg", "Image_alt": "Une salle"}),
    "dossier-partie": (f"articles/{TODAY.year}/{{slug}}.md", ARTICLE_URL,
                       {"Summary": "Une partie.", "Dossier": SLUG.format(kind="dossier")}),
    "evenement": ("agenda/{slug}.md", "agenda/{slug}/",
                  {"Start": f"{TODAY.year + 1}-01-15 14:00", "Venue": "La Grand Poste", "Town": "Liège",
                   "Organiser": "Transfo", "Summary": "Une rencontre."}),
    "offre": ("offres/{slug}.md", "offres/{slug}/",
              {"Organisation": "Coopérative Alpha", "Organisation_website": "https://alpha.example.org",
               "Town": "Liège", "Region": "Wallonie", "Contract": "CDI", "Working_time": "temps plein",
               "Deadline": f"{TODAY.year + 1}-01-31", "Apply_email": "emploi@alpha.example.org",
               "Summary": "Un emploi."}),
    "appel": ("offres/{slug}.md", "offres/{slug}/",
              {"Organisation": "Fondation Beta", "Deadline": f"{TODAY.year + 1}-02-28",
               "Apply_url": "https://beta.example.org/appel", "Summary": "Un appel à projets."}),
    "page": ("pages/{slug}.md", "{slug}/", {}),
}
COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def follow_instructions(text: str, values: dict[str, str], status: str = "publié") -> str:
    """What an editor does: fill the empty fields, delete the instructions, publish."""
    for field, value in values.items():
        text, count = re.subn(rf"^{field}:.*$", f"{field}: {value}", text, count=1, flags=re.MULTILINE)
        assert count == 1, f"{field} absent from the template"
    text = text.replace("Status: brouillon", f"Status: {status}")
    return COMMENT.sub("", text) + "\nLe texte, écrit par la rédaction.\n"


@pytest.fixture(scope="module")
def created(tmp_path_factory):
    """Every kind created with `invoke new` into a copy of the fixture site."""
    root = tmp_path_factory.mktemp("new")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return root, content, {kind: new(kind, content) for kind in KINDS}


def new(kind: str, content: Path, title: str = "") -> Path:
    result = invoke("new", "--kind", kind, "--title", title or TITLE.format(kind=kind), "--content", str(content))
    return Path(result.stdout.split("Créé : ")[1].split(" (")[0])


def test_every_kind_lands_where_its_kind_lives_named_by_the_slug_rules(created):
    _root, content, paths = created
    for kind, (where, _url, _values) in KINDS.items():
        assert paths[kind] == content / where.format(slug=SLUG.format(kind=kind)), kind
        text = paths[kind].read_text(encoding="utf-8")
        assert "Status: brouillon" in text and "<!-- CONSIGNES" in text, kind
        assert "{" not in text.split("\n\n", 1)[0], kind  # every placeholder of the header filled


def test_drafts_with_their_instructions_pass_check_and_stay_off_the_site(created, tmp_path):
    _root, content, paths = created
    assert invoke("check", "--content", str(content)).returncode == 0
    build(tmp_path / "out", content=content, now=TODAY.isoformat())
    for kind, (_where, url, _values) in KINDS.items():
        assert not (tmp_path / "out" / url.format(slug=SLUG.format(kind=kind))).exists(), kind
    assert "CONSIGNES" not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html"))


def test_an_instruction_left_in_a_published_file_fails_check_naming_file_and_line(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    path = new("evenement", content, "Oubli")
    values = KINDS["evenement"][2]
    edited = follow_instructions(path.read_text(encoding="utf-8"), values)
    edited += "\n<!-- Vérifier l'horaire avec l'organisateur -->\n"
    path.write_text(edited, encoding="utf-8")
    line = edited.splitlines().index("<!-- Vérifier l'horaire avec l'organisateur -->") + 1
    checked = invoke("check", "--content", str(content), check=False)
    assert checked.returncode == 2
    assert (f"content/agenda/oubli.md:{line}: corps: commentaire laissé dans le texte « <!-- Vérifier "
            "l'horaire avec l'organisateur --> » ; attendu : supprimez-le") in checked.stdout
    built = build(tmp_path / "out", content=content, now=TODAY.isoformat(), check=False)
    assert built.returncode == 2 and "Traceback" not in built.stderr
    assert not (tmp_path / "out").exists() or not (tmp_path / "out" / "agenda" / "oubli").exists()


@pytest.fixture(scope="module")
def published(created, tmp_path_factory):
    """The same files once the editor has followed the instructions; one build for all."""
    _root, content, paths = created
    for kind, (_where, _url, values) in KINDS.items():
        path = paths[kind]
        path.write_text(follow_instructions(path.read_text(encoding="utf-8"), values), encoding="utf-8")
    checked = invoke("check", "--content", str(content), check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    output = tmp_path_factory.mktemp("published") / "out"
    build(output, content=content, now=TODAY.isoformat())
    return output


@pytest.mark.parametrize("kind", KINDS)
def test_once_published_each_kind_is_at_its_address(published, kind):
    url = KINDS[kind][1].format(slug=SLUG.format(kind=kind))
    page = soup(published / url / "index.html")
    assert page.h1 is not None and "l’Économie à Liège" in page.h1.get_text().replace("'", "’")
    assert "Le texte, écrit par la rédaction." in page.get_text()
    assert "CONSIGNES" not in str(page)


def test_a_newsletter_edition_is_the_month_just_ended_and_refuses_its_instructions(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    path = new("lettre", content)
    previous = date(TODAY.year - (TODAY.month == 1), (TODAY.month - 2) % 12 + 1, 1)
    assert path == tmp_path / "newsletter" / f"{previous:%Y-%m}.md"
    assert f"Objet: {TITLE.format(kind='lettre')}" in path.read_text(encoding="utf-8")
    args = ("newsletter", "--month", path.stem, "--now", TODAY.isoformat(), "--content", str(content),
            "--output", str(tmp_path / "lettre"))
    refused = invoke(*args, check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert re.search(rf"newsletter/{path.stem}\.md:6: corps: commentaire laissé dans le texte « <!-- CONSIGNES",
                     refused.stderr)
    path.write_text(COMMENT.sub("", path.read_text(encoding="utf-8")) + "\nUn édito signé.\n", encoding="utf-8")
    accepted = invoke(*args)
    assert f"« {TITLE.format(kind='lettre')} »" in accepted.stdout
    assert "Un édito signé." in (tmp_path / "lettre" / "email.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("title", ["--help", "!!!", "« »"])
def test_a_title_that_gives_no_address_is_refused_and_nothing_is_written(tmp_path, title):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    before = sorted(content.rglob("*"))
    refused = invoke("new", "--kind", "article", f"--title={title}", "--content", str(content), check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"Titre « {title} » : adresse" in refused.stderr and "attendu : un titre qui commence" in refused.stderr
    assert sorted(content.rglob("*")) == before


def test_a_newsletter_edition_already_there_asks_for_another_month_not_another_title(tmp_path):
    """The edition's file is named by its month: another title would give the same file."""
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    invoke("new", "--kind", "lettre", "--month", "2019-11", "--title", "Novembre", "--content", str(content))
    refused = invoke("new", "--kind", "lettre", "--month", "2019-11", "--title", "Autre objet",
                     "--content", str(content), check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().endswith(
        "newsletter/2019-11.md existe déjà ; modifiez-le, ou choisissez un autre mois (--month AAAA-MM).")


def test_a_published_page_is_in_the_footer_menu_a_hidden_one_is_not(tmp_path):
    """docs/README.md: « masquée » = published, but in no menu; so a published page is in one (the
    footer's), not only « À propos », which the footer used to name alone."""
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    for title, status in (("Nous contacter", "publié"), ("Mentions légales", "masquée")):
        path = new("page", content, title)
        path.write_text(follow_instructions(path.read_text(encoding="utf-8"), {}, status), encoding="utf-8")
    build(tmp_path / "out", content=content, now=TODAY.isoformat())
    footer = soup(tmp_path / "out" / "index.html").select_one(".site-footer nav")
    links = {a.get_text(): a["href"] for a in footer.select("a")}
    assert links["Nous contacter"].endswith("/nous-contacter/") and links["À propos"].endswith("/a-propos/")
    assert "Mentions légales" not in links
    assert (tmp_path / "out" / "mentions-legales" / "index.html").is_file()


@pytest.mark.parametrize("words", [["“Une", "coopérative", "à", "Namur”"], ["«", "Une", "coopérative", "»"]])
def test_typographic_quotes_the_terminal_cut_apart_get_one_french_line(tmp_path, words):
    """Copied from a document, “…” or « … » hold nothing together in a terminal: invoke got the
    words one by one and answered in English (« No idea what 'Namur”' is! »)."""
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    before = sorted(content.rglob("*"))
    refused = invoke("new", "--content", str(content), "--title", *words, check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and "No idea" not in refused.stderr
    text = " ".join(words)
    assert refused.stderr.strip() == (
        f"Guillemets typographiques : « {text} » est arrivé en 4 morceaux, car le terminal ne les lit pas comme "
        f"des guillemets ; attendu : des guillemets droits autour du texte, par exemple \"{text[1:-1].strip()}\"")
    assert sorted(content.rglob("*")) == before
    # Quoted whole with straight quotes, a title may start and end with guillemets.
    accepted = invoke("new", "--content", str(content), "--title", "« Vivre ensemble »")
    assert (content / "articles" / str(TODAY.year) / "vivre-ensemble.md").is_file(), accepted.stdout
