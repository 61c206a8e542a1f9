"""The newsletter end to end: the invoke tasks, a real SMTP server, the site, Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from transfo_newsletter.tests.smtpserver import Recorder, SmtpServer, free_port

from tests.support import (
    FIXTURE_CONTENT,
    ROOT,
    all_text,
    axe_violations,
    build,
    describe,
    invoke,
    pelican_effects_undone,
    serve,
)

FIXTURES = ROOT / "tests" / "fixtures" / "newsletter"
ARTIFACTS = ROOT / "test-artifacts"
PRODUCTION = "https://www.economiesociale.be/transfo/"
BUDGET = 102 * 1024


# --- helpers -------------------------------------------------------------

@pytest.fixture
def site(tmp_path) -> Path:
    """A writable site: the fixture content, with a newsletter folder beside it."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    shutil.copytree(FIXTURES / "editions", root / "newsletter")
    return root


@pytest.fixture
def subscribers(tmp_path) -> tuple[Path, list[str]]:
    """The list, kept outside the repository as real lists must be."""
    path = tmp_path / "private" / "abonnes.csv"
    path.parent.mkdir()
    shutil.copy(FIXTURES / "subscribers.csv", path)
    addresses = [line.split(",")[1] for line in path.read_text().splitlines()[1:]]
    return path, addresses


def send(site: Path, port: int, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    """`invoke newsletter-send` against the local SMTP server, SMTP settings from the environment."""
    env = {**os.environ, "TRANSFO_NEWSLETTER_SMTP_HOST": "127.0.0.1",
           "TRANSFO_NEWSLETTER_SMTP_PORT": str(port), "TRANSFO_NEWSLETTER_SMTP_TLS": "none",
           "TRANSFO_NEWSLETTER_SMTP_TIMEOUT": str(timeout)}
    return invoke("newsletter-send", "--month", "2019-11", "--content", str(site / "content"), *args,
                  check=False, env=env)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def assert_tagged(html: str, prefix: str) -> set[str]:
    blocks = set()
    for a in BeautifulSoup(html, "html.parser").find_all("a"):
        href = a["href"]
        if href.startswith(("mailto:", "https://lettre.economiesociale.be/desinscription")):
            continue  # the mailing provider's unsubscribe page, left untouched
        assert href.startswith(prefix), href
        query = parse_qs(urlsplit(href).query)
        assert (query["utm_source"], query["utm_medium"], query["utm_campaign"]) == (
            ["newsletter"], ["email"], ["transfo-2019-11"]), href
        blocks.update(query["utm_content"])
    return blocks


# --- the edition -----------------------------------------------------------

def test_newsletter_command_writes_html_text_and_eml(site, tmp_path):
    out = tmp_path / "edition"
    result = invoke("newsletter", "--month", "2019-11", "--content", str(site / "content"),
                    "--output", str(out))
    assert "Lettre 2019-11 (assemblée depuis le site)" in result.stdout
    assert "HTML : " in result.stdout and "Images : 3" in result.stdout  # the wordmark and two photos
    html = (out / "email.html").read_text(encoding="utf-8")
    assert len(html.encode()) < BUDGET
    assert "data:image" not in html
    blocks = assert_tagged(html, "http://127.0.0.1:8000/")
    assert {"une", "articles", "portraits", "voir-en-ligne"} <= blocks
    page = BeautifulSoup(html, "html.parser")
    assert page.html["lang"] == "fr"
    assert "Un deuxième magasin pour Alpha" in page.body.get_text()  # preheader
    assert page.select_one('a[href*="utm_content=voir-en-ligne"]').get_text() == (
        "Voir dans le navigateur")
    text = (out / "email.txt").read_text(encoding="utf-8")
    assert "LA COOPÉRATIVE ALPHA" not in text and "À LA UNE · ACTUALITÉS" in text
    eml = message_from_bytes((out / "edition.eml").read_bytes(), policy=policy.default)
    assert eml.get_content_type() == "multipart/alternative"
    assert subject(eml) == "Transfo de novembre : la coopérative Alpha s'agrandit"
    assert eml["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "rapport.txt" in result.stdout


def test_month_defaults_to_the_month_just_ended(site, tmp_path):
    result = invoke("newsletter", "--now", "2019-12-05", "--content", str(site / "content"),
                    "--output", str(tmp_path / "out"))
    assert "\nLettre 2019-11 (" in "\n" + result.stdout


def test_unknown_slug_in_the_editor_file_is_a_clear_error(site, tmp_path):
    editor = site / "newsletter" / "2019-11.md"
    editor.write_text(editor.read_text().replace(
        "Ajouter:", "Une: la-cooperative-alfa-ouvre-un-deuxieme-magasin\nAjouter:"))
    result = invoke("newsletter", "--month", "2019-11", "--content", str(site / "content"),
                    "--output", str(tmp_path / "out"), check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "2019-11.md" in line]
    assert len(lines) == 1
    assert lines[0].endswith(
        "2019-11.md:5: Une: l'article « la-cooperative-alfa-ouvre-un-deuxieme-magasin » est "
        "inconnu (vouliez-vous dire « la-cooperative-alpha-ouvre-un-deuxieme-magasin » ?) ; "
        "attendu : le slug d'un article publié")
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def sample_edition(tmp_path_factory) -> Path:
    """The sample content's November edition, made once for the tests that open it in Chromium."""
    out = tmp_path_factory.mktemp("sample-edition")
    invoke("newsletter", "--month", "2019-11", "--output", str(out))
    return out


def test_html_email_in_chromium_at_600_and_375_px(browser, sample_edition, sample_site):
    """The sample content's November edition, its images served from the built sample site
    (the session's build of content/, which holds the image derivatives)."""
    html = (sample_edition / "email.html").read_text(encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)

    def local_files(route):
        path = urlsplit(route.request.url).path.lstrip("/")
        file = sample_site / path
        route.fulfill(path=str(file)) if file.is_file() else route.fulfill(status=404)

    for width in (600, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.route("http://127.0.0.1:8000/**", local_files)
        page.set_content(html, wait_until="load")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"
        images = page.evaluate("[...document.images].map(i => [i.naturalWidth, i.alt])")
        assert images and all(natural > 0 and alt for natural, alt in images)
        shown = page.evaluate("[...document.images].map(i => i.getBoundingClientRect().width)")
        assert max(shown) <= width
        page.screenshot(path=str(ARTIFACTS / f"newsletter-2019-11-{width}px.png"), full_page=True)
        context.close()
    assert (ARTIFACTS / "newsletter-2019-11-375px.png").stat().st_size > 0


@pytest.fixture
def in_process():
    """For tests that read the site in this process (the newsletter runs a whole Pelican build)."""
    with pelican_effects_undone():
        yield


def newsletter_settings(site: Path, **override) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"),
                         override={"PATH": str(site / "content"), **override})


def test_the_command_enforces_the_html_budget(site, in_process):
    from transfo_newsletter import commands
    from transfo_newsletter.model import Month
    from transfo_newsletter.render import RenderError

    settings = newsletter_settings(site, TRANSFO_NEWSLETTER_MAX_BYTES=20 * 1024)
    with pytest.raises(RenderError, match=r"HTML de \d+\.\d Ko ; attendu : moins de 20 Ko"):
        commands.prepare(settings, Month.parse("2019-11"))


def test_reading_the_site_runs_a_whole_build_outside_the_output(site, tmp_path, in_process):
    """The newsletter reads the site through a complete Pelican run, never stopped inside a
    signal: `finalized` comes, into a scratch folder that is gone afterwards; the site's output
    is untouched, and the build's trace (transfo_perf), which wraps Pelican's content methods
    for the whole build, has ended with it."""
    from pelican import signals
    from pelican.contents import Content
    from pelican.utils import memoized
    from transfo import plugin_names
    from transfo_newsletter import commands

    output = tmp_path / "output"
    settings = newsletter_settings(site, OUTPUT_PATH=str(output))
    assert "transfo_perf" in plugin_names(settings)
    finished = []

    def note(pelican):
        finished.append(Path(pelican.output_path))
        assert (finished[0] / "index.html").is_file()  # pages written: the build ran to its end

    signals.finalized.connect(note)
    try:
        read = commands.read_site(settings)
    finally:
        signals.finalized.disconnect(note)
    assert len(finished) == 1 and finished[0] != output and not finished[0].exists()
    assert not output.exists()
    assert "la-cooperative-alpha-ouvre-un-deuxieme-magasin" in {a.slug for a in read.snapshot.articles}
    assert isinstance(Content.__dict__["get_content"], memoized)
    assert isinstance(Content.__dict__["get_summary"], memoized)


def test_the_command_fails_on_mjml_errors_with_the_message(site, tmp_path, in_process):
    from transfo_newsletter import commands
    from transfo_newsletter.model import Month
    from transfo_newsletter.render import RenderError

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "newsletter" / "templates", templates)
    footer = templates / "blocks" / "footer.mjml.j2"
    footer.write_text(footer.read_text().replace("</mj-section>", "", 1))
    settings = newsletter_settings(site, TRANSFO_NEWSLETTER_TEMPLATES=str(templates))
    with pytest.raises(RenderError, match="^MJML : "):
        commands.prepare(settings, Month.parse("2019-11"))


# --- sending -----------------------------------------------------------------

def test_proof_through_a_real_smtp_server(site):
    port = free_port()
    with SmtpServer(port, Recorder()) as server:
        result = send(site, port, "--to", "relecture@example.org")
    assert result.returncode == 0, result.stderr
    assert server.recipients() == ["relecture@example.org"]
    message = server.parsed()
    assert subject(message) == "[ÉPREUVE] Transfo de novembre : la coopérative Alpha s'agrandit"
    assert message.get_content_type() == "multipart/alternative"
    for header in ("From", "To", "Reply-To", "Date", "Message-ID", "List-Id", "List-Unsubscribe"):
        assert message[header], header
    assert message["List-Unsubscribe"].startswith("<https://")
    assert "<mailto:" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text_part, html_part = message.get_payload()
    assert text_part.get_content_type() == "text/plain" and text_part.get_content_charset() == "utf-8"
    assert html_part.get_content_type() == "text/html" and html_part.get_content_charset() == "utf-8"
    html = html_part.get_content()
    assert len(html.encode()) < BUDGET
    assert "Chères lectrices" in html and "Chères lectrices" in text_part.get_content()
    assert {"une", "articles", "portraits"} <= assert_tagged(html, PRODUCTION)
    # a proof freezes nothing
    assert not (site / "newsletter" / "envois").exists()


@pytest.mark.slow
def test_an_empty_edition_is_shown_with_a_warning_and_never_sent(site, subscribers, tmp_path):
    """A month the site was silent: only a header and a footer, which no subscriber should get."""
    csv, _addresses = subscribers
    look = invoke("newsletter", "--month", "2018-03", "--content", str(site / "content"),
                  "--output", str(tmp_path / "mars"))
    assert "Attention : lettre de mars 2018 vide" in look.stderr
    assert "static/brand/wordmark-reverse.png : " in look.stdout and "introuvable" not in look.stdout  # weighed
    port = free_port()
    with SmtpServer(port, Recorder()) as server:
        env = {**os.environ, "TRANSFO_NEWSLETTER_SMTP_HOST": "127.0.0.1",
               "TRANSFO_NEWSLETTER_SMTP_PORT": str(port), "TRANSFO_NEWSLETTER_SMTP_TLS": "none"}
        refused = invoke("newsletter-send", "--month", "2018-03", "--content", str(site / "content"),
                         "--list", str(csv), check=False, env=env)
        assert refused.returncode != 0 and "Traceback" not in refused.stderr
        assert "lettre de mars 2018 vide : ni édito, ni article" in refused.stderr
        assert server.messages == []
    assert not (site / "newsletter" / "envois" / "2018-03").exists()


def test_list_send_freezes_the_edition_and_refuses_a_second_send(site, subscribers, tmp_path):
    csv, addresses = subscribers
    port = free_port()
    with SmtpServer(port, Recorder()) as server:
        result = send(site, port, "--list", str(csv))
        assert result.returncode == 0, result.stderr
        assert sorted(server.recipients()) == sorted(addresses)
        assert all(len(rcpts) == 1 for rcpts, _ in server.messages)  # one message per address
        first = server.parsed()
        assert subject(first) == "Transfo de novembre : la coopérative Alpha s'agrandit"
        assert first["To"] in addresses
        again = send(site, port, "--list", str(csv))
        assert again.returncode == 4 and "déjà été envoyée" in again.stderr
        assert len(server.messages) == len(addresses)
        forced = send(site, port, "--list", str(csv), "--force")
        assert forced.returncode == 0, forced.stderr
        assert len(server.messages) == 2 * len(addresses)
    frozen = site / "newsletter" / "envois" / "2019-11"
    assert {p.name for p in frozen.iterdir()} >= {"edition.json", "email.html", "email.txt",
                                                  "edition.eml", "journal.jsonl"}
    copy = invoke("newsletter", "--month", "2019-11", "--content", str(site / "content"),
                  "--output", str(tmp_path / "copy"))
    assert "déjà envoyée : copie figée" in copy.stdout
    assert (tmp_path / "copy" / "email.html").read_bytes() == (frozen / "email.html").read_bytes()
    journal = (frozen / "journal.jsonl").read_text()
    assert not any(address in journal for address in addresses)

    # The site shows the frozen edition; later content changes do not alter it,
    # and no subscriber address reaches the output.
    article = site / "content" / "articles" / "cooperative-alpha.md"  # slug from its title
    article.write_text(article.read_text().replace(
        "Title: La coopérative Alpha ouvre un deuxième magasin",
        "Title: Alpha : titre changé après l'envoi"))
    out = tmp_path / "out"
    build(out, content=site / "content", now="2019-12-20")
    web = BeautifulSoup((out / "newsletter" / "2019-11" / "index.html").read_text(), "html.parser")
    assert "La coopérative Alpha ouvre un deuxième magasin" in web.select_one("main").get_text()
    assert "titre changé" not in web.select_one("main").get_text()
    assert web.select_one(".newsletter__date").get_text().startswith("Envoyée le")
    text = all_text(out)
    assert not any(address in text for address in addresses)
    assert "journal" not in {p.stem for p in out.rglob("*")}


@pytest.mark.slow
def test_interrupted_list_send_resumes_with_no_duplicate_and_no_loss(site, subscribers):
    csv, addresses = subscribers
    port = free_port()
    with SmtpServer(port, Recorder(accept=2)) as flaky:
        interrupted = send(site, port, "--list", str(csv))
    assert interrupted.returncode == 4
    assert "Relancez la même commande pour reprendre" in interrupted.stderr
    assert len(flaky.messages) == 2
    refused = send(site, port, "--list", str(csv))  # nobody listening: connection refused
    assert refused.returncode == 4 and "interrompu" in refused.stderr
    with SmtpServer(port, Recorder()) as server:
        resumed = send(site, port, "--list", str(csv))
    assert resumed.returncode == 0, resumed.stderr
    assert "4 envoi(s), 2 déjà servie(s)" in resumed.stdout
    delivered = flaky.recipients() + server.recipients()
    assert sorted(delivered) == sorted(addresses)  # every address exactly once


def test_list_inside_the_repository_or_with_local_links_is_refused(site, subscribers):
    result = send(site, free_port(), "--list", str(FIXTURES / "subscribers.csv"))
    assert result.returncode == 4 and "hors du dépôt" in result.stderr
    local = send(site, free_port(), "--list", str(subscribers[0]), "--dev")
    assert local.returncode == 4 and "attendu : les réglages de production" in local.stderr
    assert not (site / "newsletter" / "envois").exists()


# --- the site -----------------------------------------------------------------

@pytest.fixture(scope="module")
def newsletter_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("newsletter-site")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    shutil.copytree(FIXTURES / "editions", root / "newsletter")
    build(root / "out", content=root / "content", now="2019-12-05")
    return root / "out"


def test_web_version_and_archive_are_on_the_site(newsletter_site):
    web = BeautifulSoup((newsletter_site / "newsletter/2019-11/index.html").read_text(),
                        "html.parser")
    assert web.select_one("h1").get_text() == "Transfo de novembre\u00a0: la coopérative Alpha s’agrandit"
    assert [h.get_text() for h in web.select("main h2")] == [
        "Édito", "À la une", "À lire ce mois-ci", "Portraits"]
    assert web.select_one('link[rel="canonical"]')["href"].endswith("/newsletter/2019-11/")
    archive = BeautifulSoup((newsletter_site / "newsletter/index.html").read_text(), "html.parser")
    assert [a["href"] for a in archive.select(".archive-list a")] == ["/newsletter/2019-11/"]
    form = web.select_one(".site-footer form.subscribe__form")
    assert form["action"].startswith("https://") and form["method"] == "post"
    assert form.select_one('input[type="email"]')["id"] == form.select_one("label")["for"]
    assert web.select_one(".subscribe__archive a")["href"] == "/newsletter/"


@pytest.mark.slow
def test_an_edition_appears_only_once_its_send_date_has_passed(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    shutil.copytree(FIXTURES / "editions", root / "newsletter")
    build(root / "out", content=root / "content", now="2019-12-01")
    assert not (root / "out" / "newsletter" / "2019-11").exists()
    assert (root / "out" / "newsletter" / "index.html").is_file()


@pytest.mark.slow
def test_an_edited_editor_file_reaches_the_web_version_of_the_next_build(site, tmp_path):
    """The second build is not skipped as "nothing changed": the editor files are inputs."""
    build(tmp_path / "out", content=site / "content", now="2019-12-05")
    web = tmp_path / "out" / "newsletter" / "2019-11" / "index.html"
    assert "un troisième magasin" not in web.read_text(encoding="utf-8")
    editor = site / "newsletter" / "2019-11.md"
    editor.write_text(editor.read_text(encoding="utf-8").replace("un deuxième magasin", "un troisième magasin"),
                      encoding="utf-8")
    build(tmp_path / "out", content=site / "content", now="2019-12-05")
    assert "un troisième magasin" in web.read_text(encoding="utf-8")


def test_site_build_stops_on_a_mistake_in_a_due_edition(site, tmp_path):
    editor = site / "newsletter" / "2019-11.md"
    editor.write_text(editor.read_text().replace("Ajouter:", "Retirer: pas-un-slug\nAjouter:"))
    result = build(tmp_path / "out", content=site / "content", now="2019-12-05", check=False)
    assert result.returncode == 2
    assert "2019-11.md:5: Retirer: « pas-un-slug » est inconnu" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.browser
@pytest.mark.parametrize("path", ["newsletter/2019-11/", "newsletter/"])
def test_web_version_and_archive_have_no_axe_violations(newsletter_site, page, path):
    with serve(newsletter_site) as url:
        page.goto(f"{url}/{path}")
        violations = axe_violations(page)
    assert not violations, describe(violations)


# Elements whose own background is bright (relative luminance above 0.4): cream strips.
BRIGHT_BACKGROUNDS = """() => [...document.querySelectorAll('body, body *')].filter(el => {
  const match = getComputedStyle(el).backgroundColor.match(/rgba?\\((\\d+), (\\d+), (\\d+)(, ([\\d.]+))?/);
  if (!match || match[5] === '0' || el.getBoundingClientRect().height === 0) return false;
  const [r, g, b] = match.slice(1, 4).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4;
}).map(el => el.tagName + '.' + el.className + ' ' + getComputedStyle(el).backgroundColor)"""


def test_html_email_is_dark_from_top_to_bottom_in_dark_mode(browser, sample_edition):
    html = (sample_edition / "email.html").read_text(encoding="utf-8")
    for scheme, expect_bright in (("dark", False), ("light", True)):
        context = browser.new_context(viewport={"width": 600, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.route("http://127.0.0.1:8000/**", lambda route: route.fulfill(status=404))
        page.set_content(html)
        bright = page.evaluate(BRIGHT_BACKGROUNDS)
        assert bool(bright) == expect_bright, bright[:5]
        context.close()
    text = (sample_edition / "email.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert all(len(line) <= 78 or line.strip().startswith("http") for line in lines), \
        [line for line in lines if len(line) > 78][:3]
    assert "Chères lectrices, chers lecteurs,\n\nCe mois-ci" in text  # the edito's paragraphs
