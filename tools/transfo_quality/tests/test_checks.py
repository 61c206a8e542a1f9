"""The gate's checks on small hand-made sites: each problem is found and named."""

from __future__ import annotations

from pathlib import Path

import pytest
from transfo_quality import checks
from transfo_quality.gate import Changes, run_gate
from transfo_quality.pages import page_facts, resolve_file, site_bases, site_path, url_shape

PROD = site_bases("https://www.economiesociale.be/transfo")
DEV = site_bases("", "http://127.0.0.1:8000")


@pytest.mark.parametrize("url, page, expected", [
    ("https://www.economiesociale.be/transfo/2019/11/x/", "index.html", "2019/11/x/"),
    ("https://www.economiesociale.be/transfo", "index.html", ""),
    ("/transfo/static/css/site.css", "index.html", "static/css/site.css"),
    ("https://www.economiesociale.be/autre/", "index.html", None),
    ("https://www.facebook.com/sharer/", "index.html", None),
    ("mailto:transfo@economiesociale.be", "index.html", None),
    ("#main", "a/index.html", "a/index.html"),
    ("../b/", "a/x/index.html", "a/b/"),
    ("img.jpg", "a/index.html", "a/img.jpg"),
])
def test_site_path_in_production(url, page, expected):
    assert site_path(url, PROD, page) == expected


def test_site_path_in_development():
    assert site_path("/rubrique/actualites/", DEV, "index.html") == "rubrique/actualites/"
    assert site_path("http://127.0.0.1:8000/feeds/all.atom.xml", DEV, "index.html") == "feeds/all.atom.xml"


@pytest.mark.parametrize("page, shape", [
    ("index.html", "index.html"),
    ("2019/11/x/index.html", "N/N/*/"),
    ("rubrique/actualites/page/2/index.html", "rubrique/*/"),
    ("agenda/index.html", "agenda/"),
])
def test_url_shape(page, shape):
    assert url_shape(page) == shape


def write(site: Path, path: str, text: str) -> None:
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


HEAD = '<!DOCTYPE html><html lang="fr-BE"><head><meta charset="utf-8"><title>T</title>{extra}</head>'


def html(body: str, extra: str = "") -> str:
    return HEAD.format(extra=extra) + f"<body><main id='main'>{body}</main></body></html>"


@pytest.fixture
def site(tmp_path):
    write(tmp_path, "index.html", html('<h1>Accueil</h1><a href="/a/">A</a><a href="/a/#titre">ancre</a>'))
    write(tmp_path, "a/index.html", html('<h1 id="titre">A</h1><img src="/img.jpg" alt="x">'))
    (tmp_path / "img.jpg").write_bytes(b"\xff\xd8")
    return tmp_path


def facts_of(site):
    return {p.relative_to(site).as_posix(): page_facts(p.read_text()) for p in sorted(site.rglob("*.html"))}


def test_a_clean_site_passes(site):
    assert checks.check_links(site, facts_of(site), DEV) == []
    assert resolve_file(site, "a/") == site / "a" / "index.html"


def test_broken_links_images_and_anchors_are_named(site):
    write(site, "b/index.html", html('<a href="/nulle-part/">x</a><img src="/absente.png" alt="">'
                                     '<a href="/a/#manque">y</a><a href="https://ailleurs.example/">z</a>'))
    problems = checks.check_links(site, facts_of(site), DEV)
    assert problems == [
        "b/index.html : lien cassé vers « /nulle-part/ » (aucun fichier nulle-part/)",
        "b/index.html : lien cassé vers « /absente.png » (aucun fichier absente.png)",
        "b/index.html : ancre introuvable « /a/#manque » (pas d'id « manque »)",
    ]


def test_a_link_repeated_on_many_pages_is_judged_on_each_and_a_relative_one_from_its_own_page(site):
    """Links are resolved once per target (check_links): the answer must still be each page's."""
    for page in ("b/index.html", "c/index.html"):
        write(site, page, html('<a href="/nulle-part/">x</a><a href="/a/#manque">y</a>'))
    write(site, "a/x/index.html", html("<h1>X</h1>"))
    write(site, "a/voisin/index.html", html('<a href="../x/">x</a>'))  # a/x/: there
    write(site, "voisin/index.html", html('<a href="../x/">x</a>'))  # x/: missing
    write(site, "c/d/index.html", html('<a href="../../a/#titre">ok</a><a href="../../a/x/#titre">non</a>'))
    problems = checks.check_links(site, facts_of(site), DEV)
    assert problems == [
        "b/index.html : lien cassé vers « /nulle-part/ » (aucun fichier nulle-part/)",
        "b/index.html : ancre introuvable « /a/#manque » (pas d'id « manque »)",
        "c/d/index.html : ancre introuvable « ../../a/x/#titre » (pas d'id « titre »)",
        "c/index.html : lien cassé vers « /nulle-part/ » (aucun fichier nulle-part/)",
        "c/index.html : ancre introuvable « /a/#manque » (pas d'id « manque »)",
        "voisin/index.html : lien cassé vers « ../x/ » (aucun fichier x/)",
    ]


def test_json_ld_must_parse_and_be_typed():
    good = page_facts(html("", '<script type="application/ld+json">'
                               '{"@context": "https://schema.org", "@type": "Event"}</script>'))
    bad = page_facts(html("", '<script type="application/ld+json">{"@context": "https://schema.org", </script>'))
    untyped = page_facts(html("", '<script type="application/ld+json">{"@context": "https://schema.org"}</script>'))
    assert checks.check_json_ld({"g.html": good}) == []
    assert "bloc JSON-LD n° 1 illisible" in checks.check_json_ld({"b.html": bad})[0]
    assert checks.check_json_ld({"u.html": untyped}) == ["u.html : bloc JSON-LD n° 1 sans @type"]


def test_inline_scripts_and_styles_break_the_csp():
    facts = page_facts(html('<p style="color:red">x</p><script>alert(1)</script><style>p{}</style>'))
    assert checks.check_inline_code({"p.html": facts}) == [
        "p.html : 1 script(s) en ligne (interdit par la CSP)",
        "p.html : 1 élément(s) <style> (interdit par la CSP)",
        'p.html : 1 attribut(s) style="…" (interdit par la CSP, ignoré par le navigateur)',
    ]


def test_feeds_are_parsed_back(tmp_path):
    write(tmp_path, "feeds/ok.atom.xml",
          '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><id>u:1</id>'
          '<link href="https://x/"/></entry></feed>')
    write(tmp_path, "feeds/sans-titre.rss.xml",
          "<rss><channel><item><link>https://x/</link><guid>1</guid></item></channel></rss>")
    write(tmp_path, "feeds/casse.xml", "<feed><entry>")
    problems = checks.check_feeds(tmp_path)
    assert problems[0].startswith("feeds/casse.xml : XML illisible")
    assert problems[1:] == ["feeds/sans-titre.rss.xml : entrée n° 1 sans title"]
    # After a publish, only the files it changed (a removed one is not looked for).
    assert checks.check_feeds(tmp_path, {"feeds/sans-titre.rss.xml", "feeds/retire.xml"}) == problems[1:]
    assert checks.check_feeds(tmp_path, {"feeds/ok.atom.xml"}) == []


@pytest.mark.publish  # the Nu HTML Checker is one of the gate's tools (make chromium)
def test_vnu_reports_invalid_html(site):
    write(site, "bad/index.html", "<!DOCTYPE html><html lang='fr'><head><title>x</title></head>"
                                  "<body><p><div>bloc</p></body></html>")
    problems = checks.validate_html(site, sorted(site.rglob("*.html")))
    assert problems and all(p.startswith("bad/index.html:") for p in problems)
    assert "HTML invalide" in problems[0]


@pytest.mark.publish
def test_pages_shared_among_vnu_processes_keep_their_own_findings_in_order(site):
    """Two invalid pages and two valid ones, one page per process: as one process answers."""
    for name in ("b", "d"):
        write(site, f"{name}/index.html", "<!DOCTYPE html><html lang='fr'><head><title>x</title></head>"
                                          f"<body><p><div>{name}</p></body></html>")
    pages = [site / "d" / "index.html", site / "a" / "index.html", site / "b" / "index.html", site / "index.html"]
    shared = checks.vnu_findings(pages, per_process=1)
    alone = checks.vnu_findings(pages, per_process=len(pages) + 1)
    assert shared == alone
    assert list(shared[0]) == pages
    assert [bool(found) for found in shared[0].values()] == [True, False, True, False]


def test_an_empty_site_fails_the_gate(tmp_path):
    report = run_gate(tmp_path, ("",), validate=False)
    assert not report.ok


def test_calendars_are_parsed_back(tmp_path):
    write(tmp_path, "agenda/ok.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//FR\r\nBEGIN:VEVENT\r\n"
          "UID:a@transfo\r\nDTSTAMP:20191130T000000Z\r\nDTSTART:20191201T090000Z\r\nSUMMARY:Jours Fous\r\n"
          "END:VEVENT\r\nEND:VCALENDAR\r\n")
    write(tmp_path, "agenda/sans-uid.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
          "DTSTART:20191201T090000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    write(tmp_path, "agenda/casse.ics", "pas un calendrier")
    problems = checks.check_calendars(tmp_path)
    assert problems[0].startswith("agenda/casse.ics : calendrier illisible")
    assert problems[1:] == ["agenda/sans-uid.ics : événement n° 1 sans UID"]
    assert checks.check_calendars(tmp_path, {"agenda/casse.ics", "agenda/retire.ics"}) == problems[:1]
    assert checks.check_calendars(tmp_path, {"agenda/ok.ics", "feeds/tous.atom.xml"}) == []


def test_markup_check_tells_the_theme_scripts_from_pasted_ones():
    page = "\n".join([
        "<!doctype html><html><head>",
        '<script type="application/ld+json">{"@type": "Article"}</script>',
        '<script type="module" src="/transfo/static/js/search.js"></script>',
        '<script src="https://cdn.example/tracker.js"></script>',
        "</head><body><main>",
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="v"></iframe>',
        '<iframe src="https://evil.example/x" title="v"></iframe>',
        '<a href="javascript:alert(1)">x</a><img src="a.jpg" onload="x()" alt="">',
        "</main></body></html>",
    ])
    problems = checks.check_markup({"a/index.html": page}, PROD, ("www.youtube-nocookie.com",))
    assert [problem.split(" ;")[0] for problem in problems] == [
        "a/index.html:4 : élément <script>",
        "a/index.html:7 : <iframe> de « https://evil.example/x »",
        "a/index.html:8 : adresse « javascript:alert(1) » dans <a href>",
        "a/index.html:8 : attribut « onload » sur <img>",
    ]


def test_a_page_that_must_work_without_javascript_may_load_only_enhancements():
    from transfo_quality.pages import PageFacts

    facts = {"share.html": PageFacts(scripts=["/static/js/share.js"]),
             "search.html": PageFacts(scripts=["/static/js/share.js", "/static/js/search.js"]),
             "inline.html": PageFacts(inline_scripts=1)}
    problems = checks.check_no_script(facts, list(facts), enhancements=("/js/share.js",))
    assert problems == ["search.html : charge du JavaScript (/static/js/search.js) ; cette page doit s'en passer",
                        "inline.html : charge du JavaScript (en ligne) ; cette page doit s'en passer"]
    assert len(checks.check_no_script(facts, list(facts))) == 3  # no enhancement allowed: all three


def test_after_a_change_the_links_of_every_page_pointing_there_are_followed(tmp_path):
    """Absolute, root, relative and bare links into a changed page; the others are left alone."""
    site_url = "https://www.economiesociale.be/transfo"
    write(tmp_path, "2019/11/x/index.html", html("<h1>X</h1>"))
    write(tmp_path, "2019/11/y/index.html", html("<h1>Y</h1>"))
    write(tmp_path, "index.html", html(f'<a href="{site_url}/2019/11/x/#titre">x</a><a href="{site_url}/">accueil</a>'))
    write(tmp_path, "a/index.html", html('<a href="/transfo/2019/11/x/index.html">x</a>'))
    write(tmp_path, "2019/11/z/index.html", html('<a href="../x/">x</a><a href="../y/">y</a>'))
    write(tmp_path, "b/index.html", html(f'<a href="{site_url}/2019/11/y/">y</a><a href="#haut">haut</a>'))
    digests = {page.relative_to(tmp_path).as_posix(): "0" * 64 for page in tmp_path.rglob("*.html")}
    changed = frozenset({"2019/11/x/index.html"})
    report = run_gate(tmp_path, (site_url,), validate=False, changes=Changes(digests, changed))
    assert report.links_checked == ["2019/11/x/index.html", "2019/11/z/index.html", "a/index.html", "index.html"]
    report = run_gate(tmp_path, (site_url,), validate=False,
                      changes=Changes(digests, frozenset({"b/index.html"}), frozenset({"c/index.html"})))
    assert report.links_checked == ["b/index.html"]


def test_after_a_stylesheet_or_script_change_one_page_of_each_family_loading_it_is_weighed_again(tmp_path):
    """Their bytes did not change, their look did: the weight budget (and axe, with a browser) sees them."""
    def page(body_class: str, extra: str) -> str:
        return HEAD.format(extra=extra) + f"<body class='{body_class}'><main id='main'><h1>T</h1></main></body></html>"

    styled = '<link rel="stylesheet" href="/static/css/site.css">'
    scripted = '<script src="/static/js/share.js"></script>'
    write(tmp_path, "index.html", page("home", styled))
    write(tmp_path, "2019/11/x/index.html", page("article-page", styled + scripted))
    write(tmp_path, "2019/11/y/index.html", page("article-page", styled + scripted))
    write(tmp_path, "404.html", page("not-found", ""))
    write(tmp_path, "static/css/site.css", "body { color: #222 }")
    write(tmp_path, "static/js/share.js", "export {};")
    digests = {path.relative_to(tmp_path).as_posix(): "0" * 64 for path in tmp_path.rglob("*") if path.is_file()}

    def weighed(changed: str) -> list[str]:
        report = run_gate(tmp_path, ("https://example.org",), validate=False,
                          changes=Changes(digests, frozenset({changed})))
        assert report.checked == []  # no page's bytes changed
        return sorted(weight.page for _family, weight in report.weights)

    assert weighed("static/css/site.css") == ["2019/11/x/index.html", "index.html"]
    assert weighed("static/js/share.js") == ["2019/11/x/index.html"]
    assert weighed("static/img/logo.png") == []


def test_a_page_that_is_not_utf8_is_a_problem_of_the_gate_not_a_traceback(tmp_path):
    from transfo_quality.gate import run_gate

    good = ('<!DOCTYPE html><html lang="fr-BE"><head><meta charset="utf-8"><title>T</title></head>'
            "<body><h1>T</h1></body></html>")
    (tmp_path / "index.html").write_text(good, encoding="utf-8")
    (tmp_path / "latin").mkdir()
    (tmp_path / "latin" / "index.html").write_bytes(good.replace("T</h1>", "Caf\xe9</h1>").encode("latin-1"))
    report = run_gate(tmp_path, ("", "https://www.economiesociale.be/transfo"), validate=False)
    assert "latin/index.html : octets illisibles en UTF-8 ; attendu : une page en UTF-8" in report.problems
    assert not any(problem.startswith("index.html :") for problem in report.problems)
