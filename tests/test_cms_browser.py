"""Editing in the browser: the built /admin/ (Decap CMS) with decap-server on a copy of the repository.

One decap-server, one site, one browser context for the module. Each file the
CMS saves must then pass `invoke check`, build, and show at its address; the
CMS must refuse what the validator refuses; no request may leave 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from transfo_admin.guard import Guard, locked_command, new_token

from tests.support import ROOT, invoke, serve

pytestmark = pytest.mark.browser

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "decap-server stopped"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing answers on port {port}")


def build(repo: Path, output: Path, port: int) -> None:
    result = invoke("build", "--content", str(repo / "content"), "--output", str(output), check=False,
                    env={**os.environ, "TRANSFO_CMS_PORT": str(port)})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A copy of the repository's content and newsletter files: decap-server writes there."""
    repo = tmp_path_factory.mktemp("cms-repo")
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "newsletter", repo / "newsletter", ignore=shutil.ignore_patterns("envois"))
    return repo


@pytest.fixture(scope="module")
def cms(repo, tmp_path_factory, browser):
    """(admin page logged in, site URL, requests seen) with decap-server on `repo`, behind the
    guard `invoke cms` puts in front of it (transfo_admin.guard) on the port config.yml names."""
    port, backend = free_port(), free_port()
    output = tmp_path_factory.mktemp("cms-site")
    build(repo, output, port)
    token = new_token()
    command, secret = locked_command(DECAP_SERVER, token)
    server = subprocess.Popen(command, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "PORT": str(backend), "BIND_HOST": "127.0.0.1", **secret})
    try:
        wait_for_port(backend, server)
        with serve(output) as url:
            guard = Guard(port, backend, int(urlparse(url).port or 80), token)
            context = browser.new_context(locale="fr-BE", timezone_id="Europe/Brussels",
                                          viewport={"width": 1400, "height": 1000})
            requests: list[str] = []
            context.on("request", lambda request: requests.append(request.url))
            page = context.new_page()
            page.goto(f"{url}/admin/")
            page.get_by_role("button", name="Se connecter").click()
            page.get_by_text("Collections").first.wait_for()
            yield page, url, requests
            context.close()
            guard.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def article_file(repo: Path, name: str) -> Path:
    """Where the CMS saves an article of 2019 (`path: {{year}}/{{slug}}`)."""
    return repo / "content" / "articles" / "2019" / f"{name}.md"


def field(page, name: str):
    return page.locator(f'[id^="{name}-field-"]').first


def open_entry(page, url: str, address: str, label: str, first: str = "title") -> None:
    """Go to an entry's page (`<collection>/new` or `<collection>/entries/<slug>`) and wait for its form."""
    page.goto("about:blank")  # a fresh page: Decap keeps the last form while a hash changes
    page.goto(f"{url}/admin/#/collections/{address}")
    page.get_by_text(f"Écriture dans la collection {label}", exact=True).wait_for()
    field(page, first).wait_for()


def fill(page, values: dict[str, str]) -> None:
    """Type each value into its field, in order."""
    for name, text in values.items():
        field(page, name).fill(text)


def start_entry(cms, address: str, label: str, values: dict[str, str]):
    """A new entry's form, opened and filled with `values`; returns the page."""
    page, url, _ = cms
    open_entry(page, url, address, label)
    fill(page, values)
    return page


def retype(page, name: str, text: str) -> None:
    """Replace a field's text as an editor does (select all, type)."""
    field(page, name).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, name: str, text: str) -> None:
    """Pick `text` in a select or relation widget (react-select)."""
    field(page, name).fill(text)
    page.locator('[id*="-option-"]', has_text=text).first.click()


def write_body(page, text: str) -> None:
    editor = page.locator('[contenteditable="true"]').last
    editor.click()
    page.keyboard.type(text)


def publish(page) -> None:
    page.get_by_role("button", name="Publier", exact=True).first.click()
    page.get_by_text("Publier maintenant").click()


def published(page, path: Path, seconds: float = 30) -> str:
    """The text of the saved file, once decap-server has written it."""
    page.get_by_text("Modifications enregistrées", exact=False).first.wait_for(timeout=seconds * 1000)
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never written"
        time.sleep(0.1)
    return path.read_text(encoding="utf-8")


def saved_again(path: Path, before: str, seconds: float = 30) -> str:
    """The text of an existing file once decap-server has rewritten it. It truncates the file
    before writing it: the text counts once two reads 0.1 s apart agree."""
    deadline = time.monotonic() + seconds
    previous = before
    while (text := path.read_text(encoding="utf-8")) in (before, "") or text != previous:
        assert time.monotonic() < deadline, f"{path} never saved"
        previous = text
        time.sleep(0.1)
    return text


def refused(page, message: str, path: Path) -> None:
    """The CMS shows `message` and writes nothing."""
    page.get_by_text(message).first.wait_for(timeout=10_000)
    time.sleep(0.5)
    assert not path.exists()


def test_article_with_uploaded_image_alt_credit_tags_and_rubric(cms, repo, tmp_path):
    target = article_file(repo, "une-analyse-illustree-par-la-redaction")
    page = start_entry(cms, "articles-analyses/new", "Analyses", {
        "title": "Une analyse illustrée par la rédaction",
        "date": "2019-11-21T09:00",
        "tags": "coopérative, Namur",
        "authors": "Claire Delvaux",
        "summary": "Un chapeau écrit dans l’espace de rédaction.",
    })
    photo = tmp_path / "atelier-velo.jpg"
    shutil.copy(ROOT / "content" / "images" / "repair-cafe.jpg", photo)
    page.get_by_role("button", name="Choisir une image").click()
    page.locator('input[type="file"]').set_input_files(str(photo))
    page.get_by_role("button", name="Choisir les éléments sélectionnés").click()
    write_body(page, "Un paragraphe écrit dans le navigateur.")
    publish(page)
    refused(page, "Texte alternatif de l'image : obligatoire avec « Image »", target)
    fill(page, {
        "image_alt": "Un vélo retourné sur un établi, roue démontée.",
        "image_credit": "Photo : Transfo",
    })
    publish(page)
    text = published(page, target)
    assert text.startswith("Title: Une analyse illustrée par la rédaction\nDate: 2019-11-21 09:00\n"
                           "Category: Analyses\nTags: coopérative, Namur\nAuthors: Claire Delvaux\n")
    assert "Image: images/atelier-velo.jpg\n" in text
    assert "Image_alt: Un vélo retourné sur un établi, roue démontée.\nImage_credit: Photo : Transfo\n" in text
    assert text.endswith("\n\nUn paragraphe écrit dans le navigateur.\n")
    assert (repo / "content" / "images" / "atelier-velo.jpg").read_bytes() == photo.read_bytes()


def test_title_of_spaces_or_without_a_file_name_is_refused(cms, repo):
    """Decap counts spaces as a title and names the file after the title's letters: "   " was
    saved without a Title line, "???" or "Aux" as ".md", a hidden file the site never shows."""
    folder = repo / "content" / "articles" / "2019"
    before = sorted(folder.iterdir())
    page = start_entry(cms, "articles-actualites/new", "Actualités", {
        "title": "   ", "date": "2019-11-21T09:00", "summary": "Un chapeau.",
    })
    publish(page)
    page.get_by_text("Titre : obligatoire ; des espaces seuls ne suffisent pas").first.wait_for(timeout=10_000)
    for title in ("???", "Aux"):
        retype(page, "title", title)
        publish(page)
        page.get_by_text("Titre : le nom du fichier est fait de ce champ ; attendu : au moins une lettre",
                         exact=False).first.wait_for(timeout=10_000)
        time.sleep(0.5)
        assert sorted(folder.iterdir()) == before, title
    retype(page, "title", "Aux urnes !")
    publish(page)
    assert published(page, folder / "aux-urnes.md").startswith("Title: Aux urnes !\n")


def test_upload_of_an_existing_image_name_keeps_the_image(cms, repo, tmp_path):
    """Decap's "replace it?" deleted the existing image at once, before anything was saved."""
    page, url, _ = cms
    existing = repo / "content" / "images" / "repair-cafe.jpg"
    before = existing.read_bytes()
    other = tmp_path / "repair-cafe.jpg"
    shutil.copy(ROOT / "content" / "images" / "eta-namur.jpg", other)
    messages: list[str] = []

    def answer_yes(dialog) -> None:  # the editor clicks OK on whatever is asked
        messages.append(dialog.message)
        dialog.accept()

    open_entry(page, url, "articles-actualites/new", "Actualités")
    page.on("dialog", answer_yes)
    try:
        page.get_by_role("button", name="Choisir une image").click()
        page.locator('input[type="file"]').set_input_files(str(other))
        deadline = time.monotonic() + 10
        while not messages and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        page.wait_for_timeout(1000)
    finally:
        page.remove_listener("dialog", answer_yes)
    assert messages and messages[0].startswith("« repair-cafe.jpg » existe déjà dans les images du site")
    assert existing.read_bytes() == before


def test_tags_and_authors_typed_key_by_key_keep_their_spaces_and_commas(cms, repo):
    """Decap's list widget ate each space and comma as it was typed ("Nadia Benali" became
    "NadiaBenali"): lists are typed as in files, checked as `invoke check` checks them."""
    target = article_file(repo, "le-conseil-des-cooperatives-se-reunit")
    page = start_entry(cms, "articles-actualites/new", "Actualités", {
        "title": "Le conseil des coopératives se réunit", "date": "2019-11-23T10:00", "summary": "Un chapeau.",
    })
    for name, text in (("tags", "économie sociale, Namur,"), ("authors", "Nadia Benali, Claire Delvaux")):
        field(page, name).click()
        page.keyboard.type(text)
    publish(page)
    refused(page, "attendu : une liste séparée par des virgules, sans élément vide", target)
    field(page, "tags").click()
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    publish(page)
    assert "Tags: économie sociale, Namur\nAuthors: Nadia Benali, Claire Delvaux\n" in published(page, target)


def test_new_article_is_named_after_its_address_on_the_site(cms, repo):
    """Decap named "L’économie « R&D » …" l-economie-r-d-….md while Pelican published it at
    leconomie-rd-…/: the newsletter's Une, which stores file names, then named no article."""
    name = "leconomie-rd-daujourdhui-sur-economiesocialebe"
    target = article_file(repo, name)
    page = start_entry(cms, "articles-analyses/new", "Analyses", {
        "title": "L’économie « R&D » d’aujourd’hui sur economiesociale.be", "date": "2019-11-24T09:00",
        "summary": "Un chapeau.",
    })
    publish(page)
    assert f"\nSlug: {name}\n" in published(page, target)


def test_alt_text_credit_and_focus_without_an_image_are_refused(cms, repo):
    """An image removed, its alt text and credit kept: saved, then refused by `invoke check`."""
    target = article_file(repo, "un-article-sans-image-finalement")
    page = start_entry(cms, "articles-actualites/new", "Actualités", {
        "title": "Un article sans image, finalement", "date": "2019-11-22T09:00", "summary": "Un chapeau.",
        "image_alt": "Un atelier de réparation.", "image_credit": "Photo : Transfo", "image_focus": "30% 40%",
    })
    publish(page)
    for label in ("Texte alternatif de l'image", "Crédit de l'image", "Point focal de l'image"):
        refused(page, f"{label} : rempli sans « Image » ; attendu : « Image », ou ce champ vide", target)
    for name in ("image_alt", "image_credit", "image_focus"):  # emptied as an editor does
        field(page, name).click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
    publish(page)
    assert "Image" not in published(page, target)


def test_event_refused_when_it_ends_before_it_starts(cms, repo):
    target = repo / "content" / "agenda" / "atelier-de-reparation-a-namur.md"
    page = start_entry(cms, "agenda/new", "Agenda", {
        "title": "Atelier de réparation à Namur",
        "date": "2019-11-22T10:00",
        "start": "2019-12-14 14:00",
        "end": "2019-12-14 10:00",
        "venue": "Maison de quartier",
        "town": "Namur",
        "organiser": "Repair Café Namur",
        "price": "gratuit",
        "summary": "Un après-midi pour réparer ensemble petits appareils et vêtements.",
    })
    publish(page)
    refused(page, "Fin : ne peut pas être antérieure à « Début »", target)
    retype(page, "end", "2019-12-14 18:00")
    publish(page)
    text = published(page, target)
    assert "Start: 2019-12-14 14:00\nEnd: 2019-12-14 18:00\n" in text


def test_offer(cms, repo):
    page, url, _ = cms
    target = repo / "content" / "offres" / "appel-a-projets-reemploi-solidaire-2020.md"
    open_entry(page, url, "offres/new", "Offres et appels")
    field(page, "title").fill("Appel à projets Réemploi solidaire 2020")
    choose(page, "kind", "Appel à projets")
    fill(page, {
        "organisation": "Fonds Réemploi",
        "organisation_website": "https://www.example.org",
    })
    choose(page, "region", "Wallonie")
    fill(page, {
        "date": "2019-11-25T11:00",
        "deadline": "2020-01-31",
        "apply_url": "https://www.example.org/appel",
        "summary": "Un appel pour les ressourceries wallonnes.",
    })
    publish(page)
    text = published(page, target)
    assert "Kind: Appel à projets\n" in text and "Deadline: 2020-01-31\n" in text


def test_values_the_check_refuses_are_refused_and_an_emoji_counts_once(cms, repo):
    """Each field's pattern is its type's (transfo_validation.fields): a link with an apostrophe,
    a price or a time zone in words are refused before saving; an emoji is one character of a
    160-character title, as for `invoke check` (JavaScript counted two)."""
    title = "Atelier vélo 🚲 "
    title += "r" * (160 - len(title))
    target = repo / "content" / "agenda" / f"atelier-velo-{'r' * (160 - 15)}.md"
    page = start_entry(cms, "agenda/new", "Agenda", {
        "title": title, "date": "2019-11-22T10:00", "start": "2019-12-07", "timezone": "Bruxelles",
        "venue": "Maison de quartier", "town": "Namur", "organiser": "Les Ateliers",
        "organiser_url": "https://fr.wikipedia.org/wiki/Atelier_d'autoréparation", "price": "prix libre",
        "summary": "Réparer son vélo ensemble.",
    })
    publish(page)
    for label in ("Fuseau horaire", "Site de l'organisateur", "Prix"):
        refused(page, f"Le champ {label} ne correspond pas au schéma", target)
    assert page.get_by_text("Le champ Titre ne correspond pas").count() == 0
    retype(page, "timezone", "Europe/Brussels")
    retype(page, "organiser_url", "https://fr.wikipedia.org/wiki/Atelier_d%27autor%C3%A9paration")
    retype(page, "price", "5 €")
    publish(page)
    text = published(page, target)
    assert f"Title: {title}\n" in text and "Price: 5 €\n" in text and "Timezone: Europe/Brussels\n" in text


def test_dossier_part_chooses_its_dossier(cms, repo):
    target = article_file(repo, "inclusion-numerique-4-les-bibliotheques-en-premiere-ligne")
    page = start_entry(cms, "articles-dossiers/new", "Dossiers", {
        "title": "Inclusion numérique (4) : les bibliothèques en première ligne",
        "date": "2019-11-27T09:00",
    })
    choose(page, "dossier", "Inclusion numérique")
    fill(page, {
        "dossier_part": "4",
        "summary": "Quatrième volet : les bibliothèques publiques accompagnent aussi.",
    })
    publish(page)
    text = published(page, target)
    assert "Category: Dossiers\n" in text
    assert "Dossier: inclusion-numerique\nDossier_part: 4\n" in text


def test_portrait_with_its_facts(cms, repo):
    facts = {"person": "Nadia", "town": "Liège"}
    page = start_entry(cms, "articles-portraits/new", "Portraits", {
        "title": "Nadia et la coopérative de quartier", "date": "2019-11-26T08:00",
        "summary": "Portrait d'une coopératrice.", **facts,
    })
    target = article_file(repo, "nadia-et-la-cooperative-de-quartier")
    choose(page, "sector", "Culture")
    choose(page, "region", "Wallonie")
    publish(page)
    text = published(page, target)
    assert "Category: Portraits\n" in text
    assert "Person: Nadia\n" in text and "Sector: Culture\nTown: Liège\nRegion: Wallonie\n" in text


def test_editing_an_article_changes_only_what_was_edited(cms, repo):
    page, url, _ = cms
    path = article_file(repo, "le-portail-economiesocialebe-ouvre-ses-portes")
    before = path.read_text(encoding="utf-8")
    open_entry(page, url, f"articles-actualites/entries/2019/{path.stem}", "Actualités")
    title = field(page, "title")
    old_title = title.input_value()
    retype(page, "title", old_title + " (mis à jour)")
    publish(page)
    assert saved_again(path, before) == before.replace(
        f"Title: {old_title}\n", f"Title: {old_title} (mis à jour)\n", 1)


def test_newsletter_lead_story_is_chosen_among_articles(cms, repo):
    """The editor file of an edition (French keys) gets its Une from the list of articles."""
    page, url, _ = cms
    path = repo / "newsletter" / "2019-11.md"
    before = path.read_text(encoding="utf-8")
    open_entry(page, url, "lettre/entries/2019-11", "Lettre d'information", first="objet")
    choose(page, "une", "Mesurer l'impact social : boussole ou carcan ?")
    publish(page)
    header, _, body = before.partition("\n\n")
    assert saved_again(path, before) == (
        f"{header}\nUne: mesurer-limpact-social-boussole-ou-carcan\n\n{body}")


def test_a_new_edition_is_named_after_the_month_before_its_send_date(cms, repo):
    """Written on 2 December to be sent on the 3rd, November's edition was named 2019-12.md, the
    month it was written in: `invoke newsletter` took it for December's."""
    page, url, _ = cms
    target = repo / "newsletter" / "2030-01.md"
    open_entry(page, url, "lettre/new", "Lettre d'information", first="objet")
    fill(page, {"objet": "Transfo de janvier", "envoi": "2030-02-05 10:00"})
    publish(page)
    text = published(page, target)
    assert text.startswith("Objet: Transfo de janvier\n") and "Envoi: 2030-02-05 10:00\n" in text
    assert "edition" not in text.lower()  # the month names the file; the file does not hold it
    assert sorted(path.name for path in (repo / "newsletter").glob("2030-*")) == ["2030-01.md"]


def test_a_second_edition_of_a_month_is_refused_naming_the_first(cms, repo):
    """Decap saved it as 2019-11-1.md without a word, and the build then refused it."""
    page, url, _ = cms
    open_entry(page, url, "lettre/new", "Lettre d'information", first="objet")
    fill(page, {"objet": "Transfo de novembre, bis", "envoi": "2019-12-03 10:00"})
    publish(page)
    refused(page, "une édition de novembre 2019 existe déjà (newsletter/2019-11.md)",
            repo / "newsletter" / "2019-11-1.md")
    assert field(page, "objet").input_value() == "Transfo de novembre, bis"  # the form as typed
    assert sorted(path.name for path in (repo / "newsletter").glob("2019-11*")) == ["2019-11.md"]


def test_a_new_text_at_a_taken_address_is_refused_naming_the_other(cms, repo):
    """Decap saved a second « À Mons, un marché de Noël… » as …-1.md with the same Slug inside:
    two texts at one address, which the build refused."""
    name = "a-mons-un-marche-de-noel-cent-pour-cent-economie-sociale"
    before = article_file(repo, name).read_text(encoding="utf-8")
    page = start_entry(cms, "articles-actualites/new", "Actualités", {
        "title": "À Mons, un marché de Noël cent pour cent économie sociale", "date": "2019-12-01T09:00",
        "summary": "Un autre chapeau.",
    })
    publish(page)
    refused(page, f"un autre texte porte déjà le nom « {name} » (content/articles/2019/{name}.md) ; "
            "attendu : un autre titre, ou une autre adresse", article_file(repo, f"{name}-1"))
    assert article_file(repo, name).read_text(encoding="utf-8") == before
    # A Slug typed (or copied by « Dupliquer »): another title would not help, the line says so.
    page = start_entry(cms, "articles-actualites/new", "Actualités", {
        "title": "Un tout autre titre", "slug": name, "date": "2019-12-01T09:00", "summary": "Un chapeau.",
    })
    publish(page)
    refused(page, f"« {name} » (content/articles/2019/{name}.md) ; attendu : une autre adresse dans le "
            "champ « Adresse (slug) »", article_file(repo, f"{name}-1"))

def test_saved_files_pass_the_check_build_and_show_at_their_address(cms, repo, tmp_path):
    page, _url, requests = cms
    checked = invoke("check", "--content", str(repo / "content"), check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    output = tmp_path / "site"
    build(repo, output, 8081)
    for address, title in (
        ("2019/11/une-analyse-illustree-par-la-redaction/", "Une analyse illustrée par la rédaction"),
        ("agenda/atelier-de-reparation-a-namur/", "Atelier de réparation à Namur"),
        ("offres/appel-a-projets-reemploi-solidaire-2020/", "Appel à projets Réemploi solidaire 2020"),
        ("2019/11/inclusion-numerique-4-les-bibliotheques-en-premiere-ligne/", "les bibliothèques en première ligne"),
        ("2019/11/nadia-et-la-cooperative-de-quartier/", "Nadia et la coopérative de quartier"),
        ("2019/11/leconomie-rd-daujourdhui-sur-economiesocialebe/", "d’aujourd’hui sur economiesociale.be"),
    ):
        page_file = output / address / "index.html"
        assert page_file.is_file(), address
        assert title in page_file.read_text(encoding="utf-8"), address
    with serve(output) as site:
        page.goto(f"{site}/2019/11/une-analyse-illustree-par-la-redaction/")
        image = page.locator("main img").first
        assert image.get_attribute("alt") == "Un vélo retourné sur un établi, roue démontée."
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    hosts = {urlparse(request).hostname for request in requests if not request.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}


def admin_csp() -> str:
    """The Content-Security-Policy of the /admin/ location of docs/nginx.conf."""
    conf = (ROOT / "docs" / "nginx.conf").read_text(encoding="utf-8")
    block = conf[conf.index("location /transfo/admin/"):]
    match = re.search(r'add_header Content-Security-Policy "([^"]+)"', block)
    return match.group(1)


def test_production_editor_runs_under_the_admin_csp(cms, repo):
    """With nginx's /admin/ CSP and the production backend (no local one), Decap starts without
    a single CSP refusal and offers the Forgejo login."""
    page, url, _ = cms
    csp = admin_csp()
    assert "connect-src 'self' https://forge.economiesociale.be" in csp
    context = page.context
    refusals: list[str] = []
    admin = context.new_page()
    admin.on("console", lambda message: refusals.append(message.text)
             if "Content Security Policy" in message.text else None)

    def with_csp(route):
        response = route.fetch()
        body = response.body()
        if route.request.url.endswith("config.yml"):
            config = json.loads(body)
            config.pop("local_backend")
            body = json.dumps(config).encode()
        route.fulfill(response=response, body=body,
                      headers={**response.headers, "content-security-policy": csp})

    admin.route(f"{url}/admin/**", with_csp)
    admin.goto(f"{url}/admin/")
    admin.get_by_role("button", name=re.compile("Forgejo")).wait_for()
    admin.close()
    assert refusals == []
