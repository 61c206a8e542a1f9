"""transfo_perf: the optimized build writes exactly what a plain build writes, and no cache goes stale.

Every scenario starts from a warm optimized build (parse cache, template
cache and last-build record all filled), changes one input, rebuilds with
the optimizations, and compares the whole output with a plain build of the
changed inputs (every TRANSFO_PERF_* switch off but the template cache, see
`warm`): every affected page must have been rebuilt, byte for byte.
"""

from __future__ import annotations

import filecmp
import html
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import watchfiles
from transfo_bench.preview import RESULT
from transfo_bench.publish import daily_fixtures, fixture_day
from transfo_bench.runner import ResidentProcess
from transfo_output import sweep
from transfo_quality.pages import TOOL_FOLDERS

from tests.support import ROOT, python, serve

pytestmark = pytest.mark.slow

NOW = "2019-11-30"
PLAIN = ["TRANSFO_PERF_WRITE_CHANGED_ONLY=false", "TRANSFO_PERF_PARALLEL_READ=false",
         "TRANSFO_PERF_PARSE_CACHE=false", "TRANSFO_PERF_SKIP_UNCHANGED=false",
         "TRANSFO_PERF_PARALLEL_RENDER=false", "TRANSFO_PERF_RENDER_AFFECTED_ONLY=false"]
RENDERED = re.compile(r"Pages : (\d+) rendue\(s\) sur (\d+)")
# Output that differs between two plain builds of the same inputs, so no
# comparison can hold it: Pagefind's index (hashed fragment names), and the
# feed-level <updated> of the offers and dossier feeds, stamped with the wall
# clock when they have no entry date to use (reported to the lead). Entries'
# own <updated> are still compared.
UNSTABLE_DIRS = {"pagefind"}
WRITTEN_SUFFIX = ".written.json"
FEED_UPDATED = re.compile(r"^  <updated>[^<]*</updated>$", re.M)


def run_build(content: Path, output: Path, cache: Path, *settings: str, theme: Path | None = None,
              now: str = NOW):
    """A build in a new process, as `invoke bench` runs one (forked after the imports: support.python)."""
    arguments = ["transfo", "--content", str(content), "--output", str(output), "--cache", str(cache),
                 "--now", now, "--verbose"]
    for item in settings + ((f"THEME={theme}",) if theme else ()):
        arguments += ["--set", item]
    result = python("-m", "transfo_bench.build", *arguments, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, unstable output left aside."""
    found = []

    def walk(cmp: filecmp.dircmp, prefix: str):
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        for name in cmp.common_files:
            a, b = (Path(cmp.left) / name).read_bytes(), (Path(cmp.right) / name).read_bytes()
            if prefix == "feeds/":
                a, b = (FEED_UPDATED.sub("", x.decode("utf-8")) for x in (a, b))
            if a != b:
                found.append(prefix + name)
        for name, sub in cmp.subdirs.items():
            if prefix + name not in UNSTABLE_DIRS:
                walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(left, right, ignore=[]), "")
    return sorted(found)


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file() and "pagefind" not in p.parts}


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A small synthetic site (articles, images, dossier, events, offers), built once
    optimized, then kept aside with its output and caches as they were left.

    The plain builds that serve as references get an image cache of their own, filled here by a
    plain build: without it each test's first reference build encoded every image again (~4 s).
    Image derivatives are keyed by the source's bytes and the encoding settings (tested in
    transfo_images), so a reference built from it is the one built from nothing. Likewise their
    compiled templates (0.6 s of a reference build's 2.2 s, run as a new process): Jinja reuses
    a template's code only for the same source, and transfo_perf.templates only for the same
    environment; a test that edits a template compiles it again, and the template test checks
    on its own that the edit reached every page. And the caches of the checks that write nothing
    into the output, each keyed by the bytes it read (tested with their plugins): the leak
    check's clean files, the content validation's results, and the search index's input, whose
    output no comparison reads (`UNSTABLE_DIRS`); 0.6 of the 1.85 CPU-s of a first reference.
    The plain builds' other caches, transfo_perf's above all, still start empty in every test."""
    base = tmp_path_factory.mktemp("perf-base")
    work = base / "work"
    subprocess.run([sys.executable, "-m", "transfo_bench.corpus", str(work / "content"), "--n", "14",
                    "--image-share", "0.25", "--image-size", "240x160"], cwd=ROOT, check=True,
                   capture_output=True, env={"PATH": "/usr/bin:/bin"})
    shutil.copytree(ROOT / "theme", work / "theme")
    run_build(work / "content", work / "output", work / "cache", theme=work / "theme")
    run_build(work / "content", base / "plain-output", base / "plain-cache", *PLAIN, theme=work / "theme")
    for kept in ("images", "transfo_perf/templates", "transfo_promotions", "transfo_validation", "transfo_search"):
        shutil.copytree(base / "plain-cache" / kept, work / "plain-cache" / kept)
    shutil.copytree(work, base / "pristine", symlinks=True)
    return base


@pytest.fixture
def site(warm):
    """The warm site restored at its own paths (mtimes kept): the next build with no
    change would be skipped, so every rebuild below goes through every cache."""
    work = warm / "work"
    shutil.rmtree(work)
    shutil.copytree(warm / "pristine", work, symlinks=True)
    return work


def rendered(result) -> tuple[int, int]:
    """(pages rendered, pages of the site) as the build logged them."""
    found = RENDERED.search(" ".join((result.stdout + result.stderr).split()))
    assert found, result.stdout + result.stderr
    return int(found[1]), int(found[2])


def rebuild_and_compare(site: Path, *settings: str, rendering: list | None = None, now: str = NOW) -> set[str]:
    """Rebuild; the reference is a plain rebuild over a copy of the same old output
    and its list of what the last build wrote (files no build writes any more, such as old image
    derivatives, stay in both; those it still listed go from both: transfo_output)
    `rendering` receives (pages rendered, pages of the site) of the optimized build."""
    before = mtimes(site / "output")
    plain_over(site, site / "output", written_list(site / "cache", site / "output"))
    result = run_build(site / "content", site / "output", site / "cache", *settings, theme=site / "theme", now=now)
    if rendering is not None:
        rendering.append(rendered(result))
    run_build(site / "content", site / "plain", site / "plain-cache", *settings, *PLAIN,
              theme=site / "theme", now=now)
    assert differences(site / "output", site / "plain") == []
    after = mtimes(site / "output")
    return {name for name, mtime in after.items() if before.get(name) != mtime}


def test_optimized_build_from_warm_caches_equals_a_plain_build(site):
    shutil.rmtree(site / "output")
    run_build(site / "content", site / "output", site / "cache", theme=site / "theme")
    run_build(site / "content", site / "plain", site / "plain-cache", *PLAIN, theme=site / "theme")
    assert differences(site / "output", site / "plain") == []
    assert any((site / "cache" / "transfo_perf" / "objects").glob("??/*"))
    assert any((site / "cache" / "transfo_perf" / "templates").iterdir())


def test_nothing_changed_nothing_written_and_a_deleted_page_comes_back(site):
    before = mtimes(site / "output")
    result = run_build(site / "content", site / "output", site / "cache", theme=site / "theme")
    assert mtimes(site / "output") == before
    assert "Done: Processed" not in result.stdout + result.stderr  # skipped, not rebuilt
    victim = next(name for name in sorted(before) if name.endswith("/index.html"))
    (site / "output" / victim).unlink()
    run_build(site / "content", site / "output", site / "cache", theme=site / "theme")
    assert (site / "output" / victim).is_file()


def ask_before_pelican(site: Path, **settings) -> list:
    """[nothing changed?, was Pelican imported?] as the launcher asks it (transfo_perf.quick)."""
    settings = {"THEME": str(site / "theme"), **settings}
    code = ("import json, sys; from pathlib import Path; from transfo_perf import quick; "
            "from transfo_bench.build import SETTINGS_FILE, transfo_overrides; "
            f"folders = [Path({str(site / 'content')!r}), Path({str(site / 'output')!r}), "
            f"Path({str(site / 'cache')!r})]; "
            f"overrides = transfo_overrides(*folders, {NOW!r}, {settings!r}); "
            "launch = quick.launch_setting(SETTINGS_FILE, overrides, folders[2] / 'transfo_perf'); "
            "print(json.dumps([quick.nothing_changed(launch), 'pelican' in sys.modules]))")
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=env, check=True)
    return json.loads(result.stdout)


def test_nothing_changed_is_known_before_pelican_is_imported(site):
    assert ask_before_pelican(site) == [True, False]
    template = site / "theme" / "templates" / "base.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ask_before_pelican(site) == [False, False]
    run_build(site / "content", site / "output", site / "cache", theme=site / "theme")
    assert ask_before_pelican(site) == [True, False]
    page = next((site / "output").rglob("index.html"))
    page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert ask_before_pelican(site) == [False, False]


def test_a_change_to_any_plugins_code_is_a_change(site):
    """PLUGINS names only the entry plugin (`transfo`); the build record still covers the code
    of every plugin it registers, through PLUGIN_PATHS (here a copy of plugins/ to edit)."""
    code = site / "plugins"
    shutil.copytree(ROOT / "plugins", code, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    plugin_paths = f"PLUGIN_PATHS={json.dumps([str(code)])}"
    run_build(site / "content", site / "output", site / "cache", plugin_paths, theme=site / "theme")
    assert ask_before_pelican(site, PLUGIN_PATHS=[str(code)]) == [True, False]
    for edited in (code / "transfo" / "__init__.py", code / "transfo_dossiers" / "api.py"):
        edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        assert ask_before_pelican(site, PLUGIN_PATHS=[str(code)]) == [False, False], edited
        run_build(site / "content", site / "output", site / "cache", plugin_paths, theme=site / "theme")
        assert ask_before_pelican(site, PLUGIN_PATHS=[str(code)]) == [True, False]


def test_editing_an_article_body_renders_and_rewrites_only_the_pages_showing_it(site):
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    rendering = []
    written = rebuild_and_compare(site, rendering=rendering)
    pages = [name for name in written if name.endswith(".html")]
    assert pages and len(pages) < len([n for n in mtimes(site / "output") if n.endswith(".html")])
    (count, total), = rendering
    assert 1 <= count <= 3 < total  # its page (and any page quoting its text), not the site


def test_editing_an_article_title_renders_again_only_the_pages_reading_it(site):
    """An object's fields are out of the site key: the pages whose rendering read them are
    rendered again (its own page, the lists, tags and related articles naming it)."""
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^Title: .*$", "Title: Un titre corrigé", text, count=1, flags=re.M),
                       encoding="utf-8")
    rendering = []
    written = rebuild_and_compare(site, rendering=rendering)
    (count, total), = rendering
    assert 2 <= count < total
    showing = [name for name in written
               if name.endswith(".html") and "Un titre corrigé" in (site / "output" / name).read_text("utf-8")]
    assert len(showing) >= 2  # its page and the lists that name it


def test_a_page_whose_text_links_to_an_article_follows_that_article_s_new_address(site):
    """Pelican keeps the text it rendered from a body, links made into addresses: the page of an
    article linking to another must be rendered again when the other's address changes, though
    it reads none of the other's fields itself once the text is kept."""
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    linking, linked = articles[2], articles[7]
    target = linked.relative_to(site / "content").as_posix()
    append(linking, f"\nVoir [l'autre article]({{filename}}/{target}).\n")
    rebuild_and_compare(site)
    linked.write_text(re.sub(r"^(Title: .*)$", r"\1\nSlug: une-adresse-nouvelle", linked.read_text(encoding="utf-8"),
                             count=1, flags=re.M), encoding="utf-8")
    rendering = []
    rebuild_and_compare(site, rendering=rendering)
    assert rendering[0][0] < rendering[0][1]
    page = next(name for name in mtimes(site / "output")
                if name.endswith(".html") and "Voir <a" in (site / "output" / name).read_text("utf-8"))
    assert "une-adresse-nouvelle" in (site / "output" / page).read_text("utf-8")


def test_an_article_added_then_removed_reaches_the_pages_listing_it(site):
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    copy_as(articles[3], articles[3].parent / "copie.md", "Un article ajouté")
    rendering = []
    rebuild_and_compare(site, rendering=rendering)
    (site / "content" / articles[3].parent.relative_to(site / "content") / "copie.md").unlink()
    rebuild_and_compare(site, rendering=rendering)
    assert all(count < total for count, total in rendering)


def test_body_edits_in_a_row_keep_the_site_exact(site):
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    for number, article in enumerate(articles[:3]):
        article.write_text(article.read_text(encoding="utf-8") + f"\nAjout {number}.\n", encoding="utf-8")
        run_build(site / "content", site / "output", site / "cache", theme=site / "theme")
    articles[0].write_text(articles[0].read_text(encoding="utf-8") + "\nEncore.\n", encoding="utf-8")
    rebuild_and_compare(site)


def test_a_template_change_reaches_every_page_using_it_and_only_those_and_a_stylesheet_none(site):
    """Templates are out of the site key, in the view of each page rendered with them; the theme's
    static files are out of it too, copied as they are."""
    base = site / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- marque -->\n</body>"),
                    encoding="utf-8")
    rendering = []
    rebuild_and_compare(site, rendering=rendering)
    pages = [p for p in (site / "output").rglob("*.html")
             if p.relative_to(site / "output").parts[0] not in TOOL_FOLDERS]  # their pages have their own layout
    assert all("<!-- marque -->" in p.read_text(encoding="utf-8") for p in pages
               if "</body>" in p.read_text(encoding="utf-8"))
    tag = site / "theme" / "templates" / "tag.html"
    tag.write_text(tag.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<!-- mot -->"),
                   encoding="utf-8")
    written = rebuild_and_compare(site, rendering=rendering)
    (_, total), (count, _) = rendering
    tags = [name for name in written
            if name.endswith(".html") and "<!-- mot -->" in (site / "output" / name).read_text(encoding="utf-8")]
    assert 2 <= count == len(tags) < total / 2  # the tags' pages, not the site
    stylesheet = next((site / "theme" / "static").rglob("*.css"))
    append(stylesheet, "\n.marque { color: #123456 }\n")
    written = rebuild_and_compare(site, rendering=rendering)
    assert rendering[2][0] == 0
    assert [name for name in written if b"#123456" in (site / "output" / name).read_bytes()
            ] == [f"static/{stylesheet.relative_to(site / 'theme' / 'static').as_posix()}"]


def test_a_setting_change_reaches_every_page(site):
    written = rebuild_and_compare(site, "SITESUBTITLE=Un autre sous-titre")
    assert "index.html" in written


def test_a_dossier_title_change_reaches_every_page_showing_it(site):
    declaration = next((site / "content" / "dossiers").glob("*.md"))
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(re.sub(r"^Title: .*$", "Title: Un dossier renommé", text, count=1, flags=re.M),
                           encoding="utf-8")
    written = rebuild_and_compare(site)
    assert any("Un dossier renommé" in (site / "output" / name).read_text(encoding="utf-8")
               for name in written if name.endswith(".html"))


def test_a_changed_image_reaches_every_page_using_it_and_only_those(site):
    """Images are out of the site key: a page is rendered again when its rendering noted a changed
    one (transfo_common.reads), or when it reads a body naming it."""
    from PIL import Image

    image = sorted((site / "content" / "images").rglob("*.jpg"))[0]
    recolour(image)
    rendering: list = []
    written = rebuild_and_compare(site, rendering=rendering)
    assert any(name.endswith(".html") for name in written)
    assert 0 < rendering[0][0] < rendering[0][1]
    # Uploaded before any article names it: no page shows it yet.
    Image.new("RGB", (120, 80), (40, 40, 200)).save(image.parent / "televersee.jpg", "JPEG")
    rendering.clear()
    rebuild_and_compare(site, rendering=rendering)
    assert rendering[0][0] == 0


def test_a_new_day_renders_again_only_the_pages_it_changed(site):
    """The date is not part of the site key: a day that closes an offer and moves an event to the
    past renders their pages and the lists showing them; a day that changes nothing, no page."""
    content = site / "content"
    offer, event = daily_fixtures(sorted((content / "offres").glob("*.md")),
                                  sorted((content / "agenda").rglob("*.md")), NOW, 1)  # both end the next day
    run_build(content, site / "output", site / "cache", theme=site / "theme")
    offer_page = site / "output" / "offres" / "appel-a-projets-00000" / "index.html"
    assert "Offre clôturée" not in offer_page.read_text(encoding="utf-8")
    rendering = []
    next_day, day_after = (str(fixture_day(NOW, run)) for run in (0, 1))
    written = rebuild_and_compare(site, rendering=rendering, now=next_day)
    rebuild_and_compare(site, rendering=rendering, now=day_after)
    (closing_count, total), (quiet_count, _) = rendering
    assert 2 <= closing_count < total / 4 and quiet_count == 0
    assert "Offre clôturée" in offer_page.read_text(encoding="utf-8")
    assert offer_page.relative_to(site / "output").as_posix() in written
    assert {"index.html", "agenda/index.html", "offres/index.html"} <= written


class Preview(ResidentProcess):
    """A resident preview process over the site (transfo_bench.preview, as `invoke livereload`
    builds), driven build by build; `first` and each `build()` are its JSON answers."""

    def __init__(self, site: Path):
        command = [sys.executable, "-m", "transfo_bench.preview", "--content", str(site / "content"),
                   "--output", str(site / "output"), "--cache", str(site / "cache"), "--now", NOW,
                   "--set", f"THEME={site / 'theme'}", "--verbose"]
        env = {"PATH": "/usr/bin:/bin", "COLUMNS": "1000"}  # one line per record: rich wraps at 80 without a terminal
        super().__init__(command, ROOT, site / "preview.log", RESULT, env)

    def build(self) -> dict:
        """The build's answer, once what finishes behind the written pages is done too."""
        answer = self.request()[1]
        settled = self.request("settle")[1]
        assert settled["mode"] == "settled" and settled["error"] is None, settled
        assert (settled["rest_built"] is None) == (answer["mode"] != "page")  # a full build behind a page only
        return answer


def compare_with_plain(site: Path, before_edit: Path) -> None:
    """The output equals a plain build of the current inputs over the output as it was before the edit."""
    plain = plain_over(site, before_edit, before_edit.with_name(before_edit.name + WRITTEN_SUFFIX))
    run_build(site / "content", plain, site / "plain-cache", *PLAIN, theme=site / "theme")
    assert differences(site / "output", plain) == []


def rest_built_behind(preview: Preview, answer: dict) -> None:
    """After a refresh that showed a page first: the full build behind it ends without error, and
    renders again only the pages that read what changed, not all of them."""
    settled = preview.request("settle")[1]
    assert settled["error"] is None and settled["rest_built"] > answer["seconds"], settled
    assert 0 < settled["rest_rendered"] < answer["pages"], (settled, answer)


def written_list(cache: Path, output: Path) -> Path:
    """Where transfo_output keeps the list of the files the last build wrote into `output`."""
    return sweep.record_path(cache / "transfo_output", output)


def keep_output(site: Path, folder: Path) -> None:
    """A copy of the output, with the list of what its build wrote beside it (`WRITTEN_SUFFIX`)."""
    shutil.copytree(site / "output", folder, symlinks=True)
    shutil.copyfile(written_list(site / "cache", site / "output"), folder.with_name(folder.name + WRITTEN_SUFFIX))


def plain_over(site: Path, output: Path, written: Path) -> Path:
    """The reference's output folder: a copy of `output`, and its list of what the last build wrote
    (`written`), so that the plain build removes what it no longer writes as the optimized one does."""
    plain = site / "plain"
    if plain.exists():
        shutil.rmtree(plain)
    shutil.copytree(output, plain, symlinks=True)
    target = written_list(site / "plain-cache", plain)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(written, target)
    return plain


def index_written_at(output: Path) -> int:
    """When the search index (rebuilt whole, from the pages it reads) was last written."""
    return (output / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_resident_preview_produces_again_only_what_shows_an_edited_body(site, tmp_path):
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    with Preview(site) as preview:
        assert preview.first["mode"] == "full"
        for number, article in enumerate(articles[4:7]):
            keep_output(site, tmp_path / f"before-{number}")
            pages, indexed = mtimes(site / "output"), index_written_at(site / "output")
            append(article, f"\nUne phrase ajoutée, numéro {number}.\n")
            answer = preview.build()
            assert answer["mode"] == "bodies" and answer["changed"] == [str(article)], answer
            assert answer["watched"]  # the output listed from inotify's events: compared below with a walk
            written = [name for name, mtime in mtimes(site / "output").items() if pages.get(name) != mtime]
            assert 1 <= answer["rendered"] <= 3 and written and len(written) <= 3, written
            assert f"numéro {number}" in (site / "output" / written[0]).read_text(encoding="utf-8")
            assert index_written_at(site / "output") != indexed  # the edited page is searchable
            compare_with_plain(site, tmp_path / f"before-{number}")
        assert preview.build()["mode"] == "unchanged"
    assert ask_before_pelican(site) == [True, False]  # its record holds for a build in a new process


def set_field(path: Path, name: str, value: str) -> None:
    path.write_text(re.sub(rf"^{name}: .*$", f"{name}: {value}", path.read_text(encoding="utf-8"), count=1,
                           flags=re.M), encoding="utf-8")


def copy_as(source: Path, target: Path, title: str) -> None:
    shutil.copy(source, target)
    set_field(target, "Title", title)


def shown_as_title(output: Path, title: str) -> list[str]:
    """The pages whose main heading is `title` (a content object's own page)."""
    return [page.relative_to(output).as_posix() for page in output.rglob("*.html")
            if re.search(rf"<h1[^>]*>\s*{re.escape(title)}\s*</h1>", page.read_text(encoding="utf-8"))]


def test_a_resident_preview_shows_the_page_first_when_more_than_a_body_changed(site, tmp_path):
    """Header fields, a linked image, a value derived from the body: the edited object's own page
    is rendered at once, the full build of the rest runs behind; once settled, the site is exact."""
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    image = sorted((site / "content" / "images").rglob("*.jpg"))[0].relative_to(site / "content").as_posix()
    edits = [
        # a link to an image is an image the article now publishes: transfo_images notes it in its fields
        ("en-tête ou champs modifiés", lambda: append(article, f"\n[La photo en grand]({{static}}/{image})\n")),
        ("en-tête ou champs modifiés", lambda: set_field(article, "Title", "Un titre corrigé")),
        ("reading_minutes", lambda: append(article, "\n" + "Une phrase bien plus longue. " * 400 + "\n")),
    ]
    # Its address stays: it is not made from the title (the title of an article without Slug is).
    article.write_text(f"Slug: {article.stem}\n" + article.read_text(encoding="utf-8"), encoding="utf-8")
    with Preview(site) as preview:
        for number, (reason, edit) in enumerate(edits):
            keep_output(site, tmp_path / f"before-{number}")
            edit()
            answer = preview.request()[1]
            assert answer["mode"] == "page" and reason in answer["reason"] and answer["rendered"] == 1, answer
            if number == 1:
                assert shown_as_title(site / "output", "Un titre corrigé")  # before the rest is built
            rest_built_behind(preview, answer)  # and the browser told
            compare_with_plain(site, tmp_path / f"before-{number}")
        assert preview.build()["mode"] == "unchanged"


# A resident preview (transfo_perf.resident, as transfo_bench.preview makes it) whose full build
# behind a page shown first starts only after the edited file was put back as it was: its Pelican
# then reads the file as the last build did. Prints the refresh's mode ("refresh: page").
PUT_BACK_BEFORE_THE_BUILD_BEHIND = """
import sys
from pathlib import Path
from pelican import Pelican
from transfo_bench.build import SETTINGS_FILE, transfo_overrides
from transfo_perf.resident import ResidentSite

content, output, cache, theme, article = map(Path, sys.argv[1:6])
original = article.read_text(encoding="utf-8")
builds = []

def run_pelican(settings):
    builds.append(1)
    if len(builds) == 2:  # the build behind the page shown first
        article.write_text(original, encoding="utf-8")
    Pelican(settings).run()

site = ResidentSite(SETTINGS_FILE, transfo_overrides(content, output, cache, sys.argv[6], {"THEME": str(theme)}),
                    cache / "transfo_perf", run_pelican)
site.build()
article.write_text(original.replace("Title: ", "Title: Un titre vite repris, ", 1), encoding="utf-8")
print("refresh:", site.build().mode)
assert site.settle() is None
"""


def test_a_page_shown_first_from_an_edit_put_back_before_the_build_behind_is_rendered_again(site, tmp_path):
    """The record the build behind starts from holds the objects as they were before the edit; a
    file put back as it was reads the same, so only the page shown first still shows the edit.
    That build renders the pages the preview wrote outside a build in any case."""
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    article.write_text(f"Slug: {article.stem}\n" + article.read_text(encoding="utf-8"), encoding="utf-8")
    run_build(site / "content", site / "output", site / "cache", theme=site / "theme")
    keep_output(site, tmp_path / "before")
    result = python("-c", PUT_BACK_BEFORE_THE_BUILD_BEHIND, *(str(site / name) for name in
                                                              ("content", "output", "cache", "theme")),
                    str(article), NOW, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and "refresh: page" in result.stdout.splitlines(), result.stdout + result.stderr
    assert not [page for page in (site / "output").rglob("*.html")
                if "Un titre vite repris" in page.read_text(encoding="utf-8")]
    compare_with_plain(site, tmp_path / "before")


def field_of(path: Path, name: str) -> str:
    found = re.search(rf"^{name}: (.*)$", path.read_text(encoding="utf-8"), re.M)
    assert found, (path, name)
    return found[1]


def title_of(path: Path) -> str:
    return field_of(path, "Title")


def url_of(page: str) -> str:
    return "/" + page.removesuffix("index.html")


@pytest.mark.browser
def test_a_resident_preview_shows_a_page_whose_address_moved_first_at_its_new_address(site, tmp_path, page):
    """An article without Slug gets a new title: its page shows at the new address at once, and
    the old address sends the browser there until the rest is built; then nothing is left there,
    as a plain build leaves it (transfo_output), and the output's record holds for the next build."""
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    with Preview(site) as preview:
        [old] = shown_as_title(site / "output", html.escape(title_of(article)))
        keep_output(site, tmp_path / "before")
        set_field(article, "Title", "Un titre R&D qui change")
        answer = preview.request()[1]
        assert answer["mode"] == "page" and answer["rendered"] == 1, answer["reason"]
        [new] = shown_as_title(site / "output", "Un titre R&amp;D qui change")
        assert new != old and new in answer["reason"], answer
        assert "<title>Un titre R&amp;D qui change</title>" in (site / "output" / old).read_text(encoding="utf-8")
        with serve(site / "output") as url:  # the browser reloads the old address, as the preview asks
            page.goto(url + url_of(old))
            page.wait_for_url(url + url_of(new))
            assert page.locator("h1").inner_text() == "Un titre R&D qui change"
        rest_built_behind(preview, answer)
        assert not (site / "output" / old).exists() and not (site / "output" / old).parent.exists()
        compare_with_plain(site, tmp_path / "before")
        assert preview.build()["mode"] == "unchanged"  # the output as recorded
    assert ask_before_pelican(site) == [True, False]  # for a build in a new process too


def recolour(image: Path) -> None:
    from PIL import Image

    Image.new("RGB", (320, 180), (200, 40, 40)).save(image, "JPEG")


def test_a_resident_preview_builds_everything_when_the_site_around_changed(site, tmp_path):
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    article = articles[5]
    edits = [
        ("gabarits ou fichiers statiques du thème modifiés, avec d'autres fichiers",
         lambda: (append(site / "theme" / "static" / "favicon.svg", "\n"), append(article, "\nUne phrase.\n"))),
        ("thème, code ou fichiers modifiés",
         lambda: append(site / "theme" / "translations" / "fr_BE" / "LC_MESSAGES" / "messages.po", "\n")),
        ("dossier de sortie modifié", lambda: (site / "output" / "index.html").unlink()),
        ("images du contenu modifiées", lambda: recolour(sorted((site / "content" / "images").rglob("*.jpg"))[0])),
        ("fichier ajouté, avec d'autres modifications",
         lambda: (copy_as(article, site / "content" / "articles" / "copie.md", "Une copie"),
                  append(articles[4], "\nUne phrase ajoutée.\n"))),
    ]
    with Preview(site) as preview:
        for number, (reason, edit) in enumerate(edits):
            keep_output(site, tmp_path / f"before-{number}")
            edit()
            answer = preview.build()
            assert answer["mode"] == "full" and reason in answer["reason"], answer
            compare_with_plain(site, tmp_path / f"before-{number}")
            if reason == "images du contenu modifiées":  # the build renders only the pages showing it
                assert 0 < answer["rendered"] < len(list((site / "output").rglob("*.html"))), answer
        # Another article's title and date: its address is that article's page, which is not
        # written over first; the full build reports the clash.
        [other] = shown_as_title(site / "output", html.escape(title_of(articles[6])))
        before = (site / "output" / other).read_bytes()
        set_field(article, "Title", title_of(articles[6]))
        set_field(article, "Date", field_of(articles[6], "Date"))
        answer = preview.build()
        assert answer["mode"] == "error" and "un titre ou un Slug différent" in answer["message"], answer
        assert (site / "output" / other).read_bytes() == before


def test_a_resident_preview_renders_again_only_the_pages_of_an_edited_template(site, tmp_path):
    """A template edited alone: the pages rendered with it (or with a template using it) are
    rendered at once with the new source, without a full build; the site is then exact. A static
    file of the theme edited alone is copied, and no page is rendered; one added or removed is a full build."""
    edits = [("templates/tag.html", "{% block content %}", "<!-- mot -->"),
             ("templates/base.html", "<main", "<!-- base -->"), ("static/css/site.css", "}", "/* style */")]
    counts = []
    with Preview(site) as preview:
        for number, (edited, before, marker) in enumerate(edits):
            keep_output(site, tmp_path / f"before-{number}")
            pages = mtimes(site / "output")
            source = site / "theme" / edited
            source.write_text(source.read_text(encoding="utf-8").replace(before, before + marker, 1),
                              encoding="utf-8")
            answer = preview.build()
            showing = [name for name, mtime in mtimes(site / "output").items() if pages.get(name) != mtime
                       and marker.encode() in (site / "output" / name).read_bytes()]
            if edited.startswith("templates/"):
                assert answer["mode"] == "templates" and answer["reason"] == "gabarits modifiés", answer
                assert len(showing) == answer["rendered"] >= 2, answer
            else:
                assert answer["mode"] == "statics" and answer["rendered"] == 0, answer
                assert answer["reason"] == "fichiers statiques du thème modifiés" and showing == [edited], answer
            counts.append(len(showing))
            compare_with_plain(site, tmp_path / f"before-{number}")
        assert counts[0] < counts[1]  # the tags' pages, then every page
        # Only a full build lists what it copies: a static file added or removed means one.
        statics = site / "theme" / "static"
        for number, edit in enumerate([lambda: (statics / "favicon.svg").unlink(),
                                       lambda: (statics / "ajout.txt").write_text("Ajouté", encoding="utf-8")]):
            keep_output(site, tmp_path / f"before-{len(edits) + number}")
            edit()
            answer = preview.build()
            assert answer["mode"] == "full" and answer["reason"] == "fichier statique du thème ajouté ou retiré"
            compare_with_plain(site, tmp_path / f"before-{len(edits) + number}")
        assert not (site / "output" / "static" / "favicon.svg").exists()
        assert (site / "output" / "static" / "ajout.txt").read_text(encoding="utf-8") == "Ajouté"
        assert preview.build()["mode"] == "unchanged"
    assert ask_before_pelican(site) == [True, False]  # its record holds for a build in a new process


def add_copy(source: Path, name: str, title: str) -> Path:
    """A new file beside `source`: its copy, under another title and slug."""
    added = source.with_name(name)
    copy_as(source, added, title)
    set_field(added, "Slug", Path(name).stem)
    return added


def test_a_resident_preview_shows_a_new_file_s_page_first(site, tmp_path):
    """An article, event, offer or dossier added: its page is rendered alone at once, the full
    build of the rest runs behind; once settled, the site is exact."""
    sources = [sorted((site / "content" / folder).rglob("*.md"))[0]
               for folder in ("articles", "agenda", "offres", "dossiers")]
    with Preview(site) as preview:
        for number, source in enumerate(sources):
            keep_output(site, tmp_path / f"before-{number}")
            added = add_copy(source, f"ajout-{number}.md", f"Un ajout R&D numéro {number}")
            answer = preview.request()[1]
            assert answer["mode"] == "page" and answer["changed"] == [str(added)], answer
            assert answer["rendered"] == 1 and "fichier ajouté" in answer["reason"], answer
            [page] = shown_as_title(site / "output", f"Un ajout R&amp;D numéro {number}")  # before the rest
            assert answer["reason"].endswith(f"nouvelle page à {url_of(page)}"), answer  # for the editor
            rest_built_behind(preview, answer)
            compare_with_plain(site, tmp_path / f"before-{number}")
        assert preview.build()["mode"] == "unchanged"
    assert ask_before_pelican(site) == [True, False]  # its record holds for a build in a new process


def test_a_resident_preview_takes_a_deleted_file_s_page_away_first(site, tmp_path):
    """An article, event, offer or dossier deleted: its page leaves at once, the full build of the
    rest runs behind and removes what else only it gave; once settled, the site is exact."""
    with Preview(site) as preview:
        for number, folder in enumerate(("articles", "agenda", "offres", "dossiers")):
            source = sorted((site / "content" / folder).rglob("*.md"))[-1]
            keep_output(site, tmp_path / f"before-{number}")
            source.unlink()
            answer = preview.request()[1]
            assert answer["mode"] == "page" and answer["changed"] == [str(source)], answer
            assert answer["rendered"] == 0 and "fichier supprimé, page retirée de /" in answer["reason"], answer
            page = answer["reason"].rsplit(" de /", 1)[1] + "index.html"
            assert (tmp_path / f"before-{number}" / page).is_file()
            assert not (site / "output" / page).exists()  # before the rest
            rest_built_behind(preview, answer)
            compare_with_plain(site, tmp_path / f"before-{number}")
        assert preview.build()["mode"] == "unchanged"
    assert ask_before_pelican(site) == [True, False]  # its record holds for a build in a new process


@contextmanager
def changes_during(folder: Path, ready: Path) -> Iterator[set[tuple[watchfiles.Change, str]]]:
    """The files added, modified or removed below `folder` while the block runs (watchfiles,
    Pelican's own watcher), relative to it. A page shown first and taken away by the full build
    behind (or removed, then put back) may be so before this process looks: each change is seen
    as it happens. The watcher is known to be listening (a file made in `ready`) before the block."""
    stop, listening, seen = threading.Event(), threading.Event(), set[tuple[watchfiles.Change, str]]()
    ready.mkdir()

    def watch() -> None:
        for changes in watchfiles.watch(folder, ready, stop_event=stop, debounce=20, step=10,
                                        rust_timeout=100, yield_on_timeout=True, watch_filter=None):
            for change, path in changes:
                if Path(path).parent == ready:
                    listening.set()
                elif Path(path).is_relative_to(folder):
                    seen.add((change, Path(path).relative_to(folder).as_posix()))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    for attempt in range(100):
        (ready / str(attempt)).touch()
        if listening.wait(0.1):
            break
    assert listening.is_set(), "watchfiles never listened"
    try:
        yield seen
    finally:
        time.sleep(0.2)  # the watcher's last events
        stop.set()
        watcher.join()


def test_a_deleted_file_s_page_comes_back_when_the_full_build_refuses_the_deletion(site, tmp_path):
    """A dossier deleted while an article still names it as its dossier: its page leaves first,
    the full build behind stops on the article's mistake, and the page is put back as it was."""
    dossier = sorted((site / "content" / "dossiers").rglob("*.md"))[0]
    article = sorted((site / "content" / "articles").rglob("*.md"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n", f"\nDossier: {field_of(dossier, 'Slug')}\nDossier_part: 1\n", 1),
                       encoding="utf-8")
    set_field(article, "Date", f"{field_of(dossier, 'Start')} 10:00")  # within the dossier's dates
    with Preview(site) as preview:
        assert preview.first["mode"] == "full", preview.first
        shutil.copytree(site / "output", tmp_path / "before", symlinks=True)
        kept = dossier.read_bytes()
        with changes_during(site / "output", tmp_path / "ready") as changes:
            dossier.unlink()
            answer = preview.request()[1]
            assert answer["mode"] == "page" and "fichier supprimé, page retirée de /" in answer["reason"], answer
            page = answer["reason"].rsplit(" de /", 1)[1] + "index.html"
            settled = preview.request("settle")[1]
        assert (watchfiles.Change.deleted, page) in changes
        assert "inconnu" in settled["error"] and article.name in settled["error"], settled
        assert (site / "output" / page).read_bytes() == (tmp_path / "before" / page).read_bytes()
        dossier.write_bytes(kept)
        assert preview.build()["mode"] == "full"  # the failed build is not trusted


def test_a_new_file_s_page_shown_first_leaves_when_the_full_build_refuses_it(site, tmp_path):
    """A new article whose page can be rendered alone, but whose slug another article has: the
    full build behind stops on the mistake, and the page shown first leaves the output."""
    source = sorted((site / "content" / "articles").rglob("*.md"))[0]
    added = source.with_name("doublon.md")
    with Preview(site) as preview:
        assert not (site / "output" / "2001").exists()  # nothing at the new address before
        with changes_during(site / "output", tmp_path / "ready") as changes:
            shutil.copy(source, added)
            set_field(added, "Date", "2001-02-03 10:00")  # another address, the same slug
            answer = preview.request()[1]
            assert answer["mode"] == "page", answer
            page = answer["reason"].rsplit(" à /", 1)[1] + "index.html"
            assert page.startswith("2001/02/"), page
            settled = preview.request("settle")[1]
        # Written, then taken away. inotify may not report the page's creation: it is made in a
        # folder made just before, which the watcher only watches from when it sees that folder.
        assert (watchfiles.Change.deleted, page) in changes
        assert "déjà prise" in settled["error"] and added.name in settled["error"], settled
        assert not (site / "output" / page).exists()
        added.unlink()
        assert preview.build()["mode"] == "full"  # the failed build is not trusted


def test_a_new_file_without_a_page_now_is_built_with_the_rest(site):
    """An article or an event dated after the build date waits, held back; a draft offer has no
    page: no page of them is shown first, not even for a moment."""
    with Preview(site) as preview:
        for folder, title, later in (("articles", "Un article pour plus tard", True),
                                     ("agenda", "Un événement annoncé plus tard", True),
                                     ("offres", "Une offre en brouillon", False)):
            source = sorted((site / "content" / folder).rglob("*.md"))[0]
            added = add_copy(source, f"ajout-{folder}.md", title)
            if later:
                set_field(added, "Date", "2030-01-01 10:00")
            else:
                added.write_text("Status: brouillon\n" + added.read_text(encoding="utf-8"), encoding="utf-8")
            answer = preview.build()
            assert answer["mode"] == "full" and "sans page publiée" in answer["reason"], (folder, answer)
            assert not shown_as_title(site / "output", html.escape(title))


def test_a_resident_preview_reports_a_content_or_template_mistake_then_goes_on(site):
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    text = article.read_text(encoding="utf-8")
    with Preview(site) as preview:
        article.write_text(re.sub(r"^Date: .*$", "Date: hier", text, count=1, flags=re.M), encoding="utf-8")
        answer = preview.build()
        assert answer["mode"] == "error" and article.name in answer["message"] and "date" in answer["message"]
        article.write_text(text, encoding="utf-8")
        assert preview.build()["mode"] == "unchanged"  # the refused edit changed nothing
        append(article, "\nUne phrase ajoutée.\n")
        assert preview.build()["mode"] == "bodies"
        # A template that no longer compiles: one line, and the preview goes on once it is put right.
        template = site / "theme" / "templates" / "tag.html"
        source = template.read_text(encoding="utf-8")
        template.write_text(source.replace("{% block content %}", "{% block content %}{{ oubli(", 1), encoding="utf-8")
        answer = preview.build()
        assert answer["mode"] == "error" and answer["message"].startswith(f"{template}, ligne "), answer
        assert "erreur de gabarit" in answer["message"] and "\n" not in answer["message"], answer
        template.write_text(source, encoding="utf-8")
        assert preview.build()["mode"] == "full"



@pytest.mark.parametrize("mistake, said", [
    ("[mon site](javascript:alert(1))", "javascript:alert(1"),
    ("[la suite]({filename}/articles/nulle-part.md)", "vers un fichier absent"),
    ("<script>alert(1)</script>", "<script>"),
])
def test_a_resident_preview_refuses_a_body_a_build_would_refuse_and_shows_nothing(site, mistake, said):
    """A body-only edit is not a full build, yet it is checked as one: the body's mistake is said
    with its file and line, the page stays as it was, and the text put right is shown."""
    article = sorted((site / "content" / "articles").rglob("*.md"))[5]
    with Preview(site) as preview:
        pages = mtimes(site / "output")
        append(article, f"\nUne phrase ajoutée. {mistake}\n")
        answer = preview.build()
        assert answer["mode"] == "error" and f"{article.name}:" in answer["message"], answer
        assert "corps" in answer["message"] and said in answer["message"], answer
        assert mtimes(site / "output") == pages
        assert preview.build()["mode"] == "error"  # said again while the file is wrong
        append(article, "\n")
        article.write_text(article.read_text(encoding="utf-8").replace(mistake, ""), encoding="utf-8")
        assert preview.build()["mode"] == "bodies"
        assert any("Une phrase ajoutée." in page.read_text(encoding="utf-8")
                   for page in (site / "output").rglob("index.html"))


def test_a_resident_preview_shows_no_page_for_a_new_file_a_build_would_refuse(site):
    """A new file's page is shown before the full build: it is checked first, header and body."""
    source = sorted((site / "content" / "articles").rglob("*.md"))[5]
    added = source.with_name("un-nouvel-article.md")
    text = source.read_text(encoding="utf-8").replace("Title: ", "Title: Un nouvel article ", 1)
    with Preview(site) as preview:
        pages = mtimes(site / "output")
        added.write_text(text + '\n<iframe src="https://evil.example/"></iframe>\n', encoding="utf-8")
        answer = preview.build()
        assert answer["mode"] == "error" and f"{added.name}:" in answer["message"], answer
        assert "evil.example" in answer["message"] and mtimes(site / "output") == pages
        added.write_text(text, encoding="utf-8")
        answer = preview.request()[1]
        assert answer["mode"] == "page" and "fichier ajouté" in answer["reason"], answer
        rest_built_behind(preview, answer)


def test_a_resident_preview_says_a_warning_again_at_each_build_that_has_it(site):
    """Pelican logs a warning once per process (pelican.log.LimitFilter): a preview that stays must
    say it at every build that has it, or the editor who saves again takes the silence for a fix."""
    portrait = next(path for path in sorted((site / "content" / "articles").rglob("*.md"))
                    if "\nCategory: Portraits\n" in path.read_text(encoding="utf-8"))
    facts = re.compile(r"^(Person|Enterprise|Sector|Town|Region): .*\n", re.M)
    with Preview(site) as preview:
        portrait.write_text(facts.sub("", portrait.read_text(encoding="utf-8")), encoding="utf-8")
        assert preview.build()["mode"] == "page"
        set_field(portrait, "Summary", "Un chapô récrit.")
        assert preview.build()["mode"] == "page"
    said = " ".join((site / "preview.log").read_text(encoding="utf-8").split())
    assert said.count(f"{portrait.name} : portrait sans fiche") == 2, said


def test_a_mistake_found_by_the_build_behind_a_page_is_said_in_the_lines_a_build_prints(site):
    """A Slug taken by another article passes the check of the edited file alone (it is a check
    across files): its page is shown first, and the full build behind refuses it. The editor reads
    the lines `invoke build` prints (no log column, no name of Transfo's code), and the preview goes on."""
    articles = sorted((site / "content" / "articles").rglob("*.md"))
    taken = articles[4].stem
    text = articles[5].read_text(encoding="utf-8")
    with Preview(site) as preview:
        articles[5].write_text(f"Slug: {taken}\n" + text, encoding="utf-8")
        assert preview.request()[1]["mode"] == "page"
        settled = preview.request("settle")[1]
        said = settled["said"]
        assert said is not None and settled["error"] == said, settled
        assert said.endswith("rien n'a été construit ni publié.") and "resident.py" not in said, said
        assert any(articles[5].name in line and taken in line for line in said.splitlines()), said
        articles[5].write_text(text, encoding="utf-8")
        assert preview.build()["mode"] == "full"


EARLY_QUOTE = """from pelican import signals


def quote(generator):
    \"\"\"Copies the end of one article's body into the shared context, before any page is asked for.\"\"\"
    first = min(generator.articles, key=lambda article: article.source_path)
    generator.context["early_quote"] = first.content[-120:]


def register():
    signals.article_generator_finalized.connect(quote)
"""


def test_a_body_read_before_the_pages_are_asked_for_renders_every_page(site):
    """A plugin may copy a body into the context, where any page can show it: the safety net
    (affected.BuildReads.early) renders every page when such a body changes."""
    from pelicanconf import PLUGIN_PATHS, PLUGINS

    (site / "extra").mkdir()
    (site / "extra" / "early_quote.py").write_text(EARLY_QUOTE, encoding="utf-8")
    base = site / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</body>", '<p class="citation">{{ early_quote|striptags }}</p>\n</body>'), encoding="utf-8")
    settings = (f"PLUGIN_PATHS={json.dumps([*PLUGIN_PATHS, str(site / 'extra')])}",
                f"PLUGINS={json.dumps([*PLUGINS, 'early_quote'])}")
    run_build(site / "content", site / "output", site / "cache", *settings, theme=site / "theme")
    quoted = min((site / "content" / "articles").rglob("*.md"), key=str)
    append(quoted, "\nUne phrase citée partout.\n")
    rendering = []
    written = rebuild_and_compare(site, *settings, rendering=rendering)
    (count, total), = rendering
    assert count == total
    assert "index.html" in written and "Une phrase citée partout" in (site / "output" / "index.html").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("folder", ["agenda", "offres", "dossiers"])
def test_editing_an_event_offer_or_dossier_text_reaches_its_pages(site, folder):
    source = sorted((site / "content" / folder).rglob("*.md"))[0]
    append(source, "\nUne précision ajoutée au texte.\n")
    rendering = []
    written = rebuild_and_compare(site, rendering=rendering)
    assert any("Une précision ajoutée" in (site / "output" / name).read_text(encoding="utf-8")
               for name in written if name.endswith(".html"))
    (count, total), = rendering
    # An event's page (its .ics files read every event's body, but after asking for the pages);
    # a dossier's landing page (its introduction); an offer's page and those asked for after it
    # (their structured data may hold its body).
    assert count <= (total // 4 if folder == "offres" else 1), (count, total)


def test_a_resident_preview_refreshes_events_offers_and_dossiers_from_their_texts(site, tmp_path):
    sources = [sorted((site / "content" / folder).rglob("*.md"))[0]
               for folder in ("agenda", "offres", "dossiers")]
    with Preview(site) as preview:
        for number, source in enumerate(sources):
            keep_output(site, tmp_path / f"before-{number}")
            pages = mtimes(site / "output")
            append(source, f"\nUne précision ajoutée, numéro {number}.\n")
            answer = preview.build()
            assert answer["mode"] == "bodies" and answer["changed"] == [str(source)], answer
            assert answer["rendered"] <= (20 if number == 1 else 1), answer
            written = [name for name, mtime in mtimes(site / "output").items() if pages.get(name) != mtime]
            assert any(f"numéro {number}" in (site / "output" / name).read_text(encoding="utf-8")
                       for name in written if name.endswith(".html")), written
            compare_with_plain(site, tmp_path / f"before-{number}")


def test_a_resident_preview_stays_exact_through_mixed_edits(site, tmp_path):
    """Refreshes replace the pages of generators asked again (agenda, offers): later refreshes,
    of other kinds (articles, dossiers) or of the same file, must build on them exactly."""
    article = sorted((site / "content" / "articles").rglob("*.md"))[3]
    event = sorted((site / "content" / "agenda").rglob("*.md"))[0]
    offer = sorted((site / "content" / "offres").rglob("*.md"))[0]
    dossier = sorted((site / "content" / "dossiers").rglob("*.md"))[0]

    steps = [(offer, "bodies", lambda: append(offer, "\nPremier ajout à l'offre.\n")),
             (event, "bodies", lambda: append(event, "\nPremier ajout à l'événement.\n")),
             (offer, "bodies", lambda: append(offer, "\nSecond ajout à l'offre.\n")),
             (article, "bodies", lambda: append(article, "\nUn ajout à l'article.\n")),
             (dossier, "bodies", lambda: append(dossier, "\nUn ajout à l'introduction du dossier.\n")),
             (event, "page", lambda: set_field(event, "Venue", "Une autre salle")),
             (event, "bodies", lambda: append(event, "\nSecond ajout à l'événement.\n")),
             (offer, "bodies", lambda: append(offer, "\nTroisième ajout à l'offre.\n"))]
    with Preview(site) as preview:
        for number, (source, mode, edit) in enumerate(steps):
            keep_output(site, tmp_path / f"before-{number}")
            edit()
            answer = preview.build()
            assert answer["mode"] == mode, (number, source.name, answer["reason"])
            compare_with_plain(site, tmp_path / f"before-{number}")
