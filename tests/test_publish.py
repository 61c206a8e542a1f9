"""`invoke publish`, `rollback` and `deploy` on the fixture site: the live site never breaks."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import tarfile
import time
import uuid
from pathlib import Path

import brotli
import pytest

from tests.support import ROOT, copy_content, invoke, small_disk

pytestmark = pytest.mark.publish

ARTICLE = "articles/analyse-epsilon.md"
CONTENT = ROOT / "tests" / "fixtures" / "publish" / "content"
ARTICLE_PAGE = "2019/10/mesurer-limpact-social-un-debat-ouvert/index.html"


def publish(root: Path, content: Path, check: bool = True, *options: str, site: Path = ROOT):
    """`invoke publish` of the project in `site` (default: this one)."""
    # Lighthouse has its own test (test_quality_lighthouse.py); here it would only add minutes.
    return invoke("--search-root", str(site), "publish", "--root", str(root), "--content", str(content),
                  "--no-lighthouse", *options, check=check)


def publish_report(root: Path, content: Path, report: Path, *options: str, site: Path = ROOT) -> dict:
    """Publish and return the JSON report (`--report`): steps, files taken from where, what the gate checked."""
    publish(root, content, True, "--report", str(report), *options, site=site)
    return json.loads(report.read_text(encoding="utf-8"))


def digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (through the `current` link) with its SHA-256."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def live(root: Path) -> tuple[str, dict[str, str]]:
    return os.readlink(root / "current"), digest((root / "current").resolve())


def test_failures_leave_the_live_site_untouched_and_rollback_restores(tmp_path):
    root = tmp_path / "public"
    content = copy_content(tmp_path / "content", CONTENT)
    first = publish(root, content)
    assert "Aucun problème." in first.stdout  # the quality gate ran and printed its report
    assert "HTML+CSS+JS" in first.stdout
    before = live(root)
    site = (root / "current").resolve()
    html = (site / ARTICLE_PAGE).read_bytes()
    assert b'href="https://www.economiesociale.be/transfo/' in html  # built with publishconf.py
    assert gzip.decompress((site / ARTICLE_PAGE).with_suffix(".html.gz").read_bytes()) == html
    assert brotli.decompress((site / ARTICLE_PAGE).with_suffix(".html.br").read_bytes()) == html
    assert (site / "pagefind" / "pagefind.js").is_file()

    # A content error stops the build: nothing changes online.
    broken = content / "articles" / "erreur.md"
    broken.write_text("Title: Article cassé\nDate: le 31 novembre\nCategory: Actualités\n"
                      "Summary: x\n\nTexte.\n", encoding="utf-8")
    failed = publish(root, content, check=False)
    assert failed.returncode != 0
    assert "erreur.md" in failed.stderr and "site en ligne n'a pas changé" in failed.stderr
    assert live(root) == before
    broken.unlink()

    # The build passes but the quality gate finds a broken link: nothing changes either.
    article = content / ARTICLE
    original = article.read_text(encoding="utf-8")
    article.write_text(original + "\nVoir [la page disparue](/transfo/nulle-part/).\n", encoding="utf-8")
    refused = publish(root, content, check=False)
    assert refused.returncode != 0
    assert "lien cassé" in refused.stdout and "nulle-part" in refused.stdout
    assert live(root) == before
    assert not list((root / "releases").glob(".staging-*"))

    # A good change goes live; rollback brings the previous release back.
    article.write_text(original + "\nMot de la deuxième version : deuxiemeversion.\n", encoding="utf-8")
    publish(root, content)
    assert live(root)[0] != before[0]
    assert "deuxiemeversion" in (root / "current" / ARTICLE_PAGE).read_text(encoding="utf-8")
    rolled = invoke("rollback", "--root", str(root))
    assert "Retour à la version" in rolled.stdout
    assert live(root) == before
    assert len(list((root / "releases").iterdir())) == 2  # the withdrawn release stays on disk

    # A third release, then a rollback: back to the first, never to the withdrawn second.
    article.write_text(original + "\nMot de la troisième version : troisiemeversion.\n", encoding="utf-8")
    publish(root, content)
    assert "troisiemeversion" in (root / "current" / ARTICLE_PAGE).read_text(encoding="utf-8")
    invoke("rollback", "--root", str(root))
    assert live(root) == before
    again = invoke("rollback", "--root", str(root), check=False)
    assert again.returncode == 1 and "aucune version précédente" in again.stderr
    assert live(root) == before
    # The history sits beside `current`, outside every release: never served, never deployed.
    assert (root / "history.jsonl").is_file()
    assert not any(path.name.startswith("history") for path in (root / "releases").rglob("*"))


# Pagefind 1.5 writes its filter and meta files from a hash map whose order changes from run to
# run: two publishes from nothing of the same content differ there (and only there), and so do
# the names hashed from them. Those files are compared by what they hold, in any order; every
# other file byte for byte.
UNORDERED_INDEX_FILES = (".pf_filter", ".pf_meta", "pagefind-entry.json")
INDEX_HASH = re.compile(rb"[a-z-]+_[0-9a-f]{7,}")


def same_bytes_and_index(first: Path, second: Path) -> None:
    ordered = [{name: sha for name, sha in digest(folder).items() if not name.endswith(UNORDERED_INDEX_FILES)}
               for folder in (first, second)]
    assert ordered[0] == ordered[1]

    def unordered(folder: Path) -> list[tuple[str, bytes]]:
        signatures = []
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name.endswith(UNORDERED_INDEX_FILES):
                data = path.read_bytes()
                data = data if path.suffix == ".json" else gzip.decompress(data)
                kind = INDEX_HASH.sub(b"", path.name.encode()).decode()
                signatures.append((kind, bytes(sorted(INDEX_HASH.sub(b"#", data)))))
        return sorted(signatures)

    assert unordered(first) == unordered(second)


def set_aside_a_copy_of_the_live_release(root: Path, name: str) -> None:
    """What `prune` leaves for the next publish to recycle (a release it took out): here a copy of
    the live one, with a file added by hand since."""
    from transfo_quality import release, staging

    layout = release.Layout(root)
    live_release = release.current_release(layout)
    manifest = staging.read_manifest(root, live_release.name)
    copy = root / "copy"
    shutil.copytree(live_release, copy, symlinks=True)
    staging.write_manifest(root, name, staging.Manifest(manifest.files, sealed=time.time_ns()))
    (copy / "ajout-a-la-main.html").write_text("<p>ajouté</p>", encoding="utf-8")
    release.set_aside(layout, copy, name)


@pytest.fixture(scope="module")
def incremental(tmp_path_factory):
    """Publish the fixture site, edit one article's text, publish again; and the edited content
    published from nothing into another root."""
    folder = tmp_path_factory.mktemp("incremental")
    content = copy_content(folder / "content", CONTENT)
    root, fresh = folder / "public", folder / "fresh"
    first = publish_report(root, content, folder / "first.json")
    article = content / ARTICLE
    # A word of its own each run: the gate's verdicts are kept per page hash across runs.
    word = f"motincremental{uuid.uuid4().hex}"
    article.write_text(article.read_text(encoding="utf-8") + f"\nUne phrase de plus : {word}.\n", encoding="utf-8")
    set_aside_a_copy_of_the_live_release(root, "20191101-000000-000000")
    second = publish_report(root, content, folder / "second.json")
    live_after_second = live(root)
    set_aside_a_copy_of_the_live_release(root, "20191102-000000-000000")
    unchanged = publish_report(root, content, folder / "unchanged.json")
    from_nothing = publish_report(fresh, content, folder / "fresh.json")
    return {"root": root, "fresh": fresh, "first": first, "second": second, "from_nothing": from_nothing,
            "live_after_second": live_after_second, "unchanged": unchanged}


def test_a_full_disk_while_the_release_is_assembled_is_one_line_and_leaves_the_live_site(tmp_path):
    """A second publish of the same content, Lighthouse asked for: the build writes nothing, and the
    copy of the live release into the new staging folder (made while the site builds) meets the
    full disk. Any write of a publish that fails so ends in one line naming the file."""
    with small_disk(tmp_path / "public", "26m") as root:
        content = copy_content(tmp_path / "content", CONTENT)
        publish(root, content)
        before = live(root)
        failed = publish(root, content, False, "--lighthouse")
        assert failed.returncode == 1
        assert "Traceback" not in failed.stderr
        [line] = [line for line in failed.stderr.splitlines() if "écriture impossible" in line]
        assert line.startswith(f"{root}: écriture impossible ({root}/releases/.staging-"), line
        assert "disque plein" in line
        assert "site en ligne n'a pas changé" in failed.stderr
        assert live(root) == before
        assert not list((root / "releases").glob(".staging-*"))


def test_an_incremental_release_is_byte_identical_to_a_publish_from_nothing(incremental):
    second, fresh = incremental["second"], incremental["from_nothing"]
    assert second["build_folder_kept"] and not fresh["build_folder_kept"]
    assert second["reused"] > 0 and ARTICLE_PAGE in second["gate"]["checked"]
    assert second["recycled"] > 100  # the staging folder was the spare release: few files copied
    assert fresh["reused"] == 0 and fresh["changed"] == fresh["files"]
    fresh_tree = digest((incremental["fresh"] / "current").resolve())
    assert any(name.endswith(".br") for name in fresh_tree) and any(name.endswith(".gz") for name in fresh_tree)
    same_bytes_and_index((incremental["root"] / "current").resolve(), (incremental["fresh"] / "current").resolve())
    page = (incremental["root"] / "current" / ARTICLE_PAGE).read_bytes()
    assert b"motincremental" in page
    assert brotli.decompress((incremental["root"] / "current" / (ARTICLE_PAGE + ".br")).read_bytes()) == page


def test_the_search_index_is_written_beside_the_gate_from_the_published_pages(incremental):
    """The build writes no index; one is written while the gate runs, from the same pages, checked
    as a build checks its own, and released with its compressed copies."""
    from transfo_search.indexing import index_problems

    root, second = incremental["root"], incremental["second"]
    release = (root / "current").resolve()
    assert not (root / "build" / "pagefind").exists()
    assert second["steps"]["pagefind"] > 0 and "search_index" in second["steps"]
    word = re.search(rb"motincremental[0-9a-f]+", (release / ARTICLE_PAGE).read_bytes()).group()
    fragments = [gzip.decompress(path.read_bytes()) for path in (release / "pagefind" / "fragment").iterdir()
                 if path.suffix == ".pf_fragment"]
    assert sum(word in fragment for fragment in fragments) == 1  # the edited page, indexed again
    written = root / "search-index" / "pagefind"
    # Made from the release's pages, as the build's leak check requires of an index (`into`: the
    # release's copy also holds the .gz/.br copies).
    assert index_problems(release, "pagefind", ROOT / "cache" / "transfo_search", written) == []
    manifest = json.loads((root / "manifests" / f"{release.name}.json").read_text(encoding="utf-8"))
    released = {name: sha for name, sha in digest(release).items() if name.startswith("pagefind/")}
    assert {name: sha for name, sha in manifest["files"].items() if name.startswith("pagefind/")} == {
        f"pagefind/{name}": sha for name, sha in digest(written).items()} == {
        name: sha for name, sha in released.items() if not name.endswith((".gz", ".br"))}
    assert "pagefind/pagefind.js.br" in released


def test_a_publish_that_changes_nothing_keeps_the_live_release(incremental):
    """Nothing changed since the second publish: no new release, nothing checked or copied."""
    unchanged = incremental["unchanged"]
    assert unchanged["ok"] and unchanged["published"] is False and unchanged["changed"] == 0
    assert "gate" not in unchanged and "staging" not in unchanged["steps"]
    assert live(incremental["root"]) == incremental["live_after_second"]
    releases = incremental["root"] / "releases"
    assert len([path for path in releases.iterdir() if not path.name.startswith(".")]) == 2
    # The spare release it recycled, set aside again for the next publish, as the live one now.
    [spare] = releases.glob(".spare-*")
    assert digest(spare) == incremental["live_after_second"][1]
    assert json.loads((incremental["root"] / "manifests" / f"{spare.name.removeprefix('.spare-')}.json")
                      .read_text(encoding="utf-8"))["sealed"] > 0
    assert incremental["second"]["published"] is True


def test_the_incremental_publish_gates_only_what_changed(incremental):
    first, second = incremental["first"]["gate"], incremental["second"]["gate"]
    assert len(first["checked"]) == first["pages"] > 10  # from nothing: every page
    assert any(name.endswith(".atom.xml") for name in first["other_files"])  # and every feed
    # After one article's text changed: its page only (the other pages' bytes did not change),
    # axe on it, and the links of every page that links to it followed again.
    assert second["checked"] == [ARTICLE_PAGE]
    assert second["axe_pages"] == [ARTICLE_PAGE]
    assert ARTICLE_PAGE in second["links_checked"] and "index.html" in second["links_checked"]
    assert "a-propos/index.html" not in second["links_checked"]  # it links nowhere near the article
    assert second["validated"] == 1  # bytes never seen: through vnu; the rest was never re-validated
    assert second["problems"] == [] and incremental["second"]["ok"]


def test_a_link_to_a_renamed_page_fails_although_the_linking_page_did_not_change(tmp_path):
    root, content = tmp_path / "public", copy_content(tmp_path / "content", CONTENT)
    about = content / "pages" / "a-propos.md"
    about.write_text(about.read_text(encoding="utf-8")
                     + f"\nLire [notre analyse](/transfo/{ARTICLE_PAGE.removesuffix('index.html')}).\n",
                     encoding="utf-8")
    publish(root, content)
    before = live(root)
    article = content / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace("Date:", "Slug: impact-renomme\nDate:", 1),
                       encoding="utf-8")
    refused = publish(root, content, False)
    assert refused.returncode != 0
    # The about page kept its bytes, so it was not checked itself, but its link was followed again.
    assert f"a-propos/index.html : lien cassé vers « /transfo/{ARTICLE_PAGE.removesuffix('index.html')} »" \
        in refused.stdout
    assert "site en ligne n'a pas changé" in refused.stderr
    assert live(root) == before
    assert not list((root / "releases").glob(".staging-*"))


def test_a_publish_root_restored_from_an_archive_reuses_its_live_release(tmp_path):
    """The forge restores public/ from a tar archive (actions/cache) before each publish: every
    file comes back with a new change time, past its release's seal. Their bytes vouch for them:
    the live release's files are reused, not copied from the build and compressed again."""
    content = copy_content(tmp_path / "content", CONTENT)
    publish(tmp_path / "public", content)
    archive = tmp_path / "state.tar"
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(tmp_path / "public", arcname="public")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "restored", filter="tar")
    article = content / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée après la restauration.\n",
                       encoding="utf-8")
    report = publish_report(tmp_path / "restored" / "public", content, tmp_path / "report.json")
    assert report["published"] and ARTICLE_PAGE in report["gate"]["checked"]
    assert report["reused"] >= report["files"] - 20 and report["compressed"] <= 40, report
    release = (tmp_path / "restored" / "public" / "current").resolve()
    page = (release / ARTICLE_PAGE).read_bytes()
    assert b"la restauration" in page and gzip.decompress((release / (ARTICLE_PAGE + ".gz")).read_bytes()) == page


def test_the_daily_rebuild_changes_only_what_the_date_changed(tmp_path):
    root, content = tmp_path / "public", copy_content(tmp_path / "content", CONTENT)
    offers = content / "offres"
    offers.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "offers" / "offres" / "stage-bruxelles.md", offers)  # deadline 2019-12-15
    day = publish_report(root, content, tmp_path / "day.json", "--now", "2019-12-15")
    open_offer = (root / "current" / "offres" / "index.html").read_text(encoding="utf-8")
    assert "Stage en communication chez Beta" in open_offer
    before = digest((root / "current").resolve())
    next_day = publish_report(root, content, tmp_path / "next.json", "--now", "2019-12-16")
    after = digest((root / "current").resolve())
    changed = {name for name in after if before.get(name) != after[name]} | set(before) - set(after)
    assert "Stage en communication chez Beta" not in (root / "current" / "offres" / "index.html").read_text(
        encoding="utf-8")  # the offer closed
    assert "offres/index.html" in changed
    assert ARTICLE_PAGE not in changed and "a-propos/index.html" not in changed  # nothing dated there
    assert next_day["reused"] > next_day["changed"] > 0
    assert next_day["changed"] + next_day["reused"] == next_day["files"]
    changed_pages = {name for name in changed if name.endswith(".html")}
    assert set(next_day["gate"]["checked"]) == changed_pages
    assert day["gate"]["checked"] != next_day["gate"]["checked"]


def test_a_kept_build_folder_publishes_what_a_publish_from_nothing_does_whatever_changed(tmp_path):
    """Headers, addresses, images, rubrics, the date, a template and the theme's static files all
    change between two publishes: the build folder is kept, the build removes what it no longer
    writes, and the release is the one a publish from nothing makes. (A copy of the project's
    settings and theme, whose theme the test edits: `transfo_bench.publish.make_site`.)"""
    from transfo_bench.publish import make_site

    site = make_site(ROOT, tmp_path / "site")
    old_style = site / "theme" / "static" / "css" / "ancien.css"
    old_style.write_text("body { color: black; }\n", encoding="utf-8")
    root, content = tmp_path / "public", copy_content(tmp_path / "content", CONTENT)
    offers = content / "offres"
    offers.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "offers" / "offres" / "stage-bruxelles.md", offers)  # deadline 2019-12-15
    publish(root, content, True, "--now", "2019-12-15", site=site)
    before = digest((root / "current").resolve())
    images_before = {name for name in before if name.startswith("media/")}
    delta = content / "articles" / "cooperative-delta.md"
    delta.write_text("\n".join(line for line in delta.read_text(encoding="utf-8").splitlines()
                               if not line.startswith("Image")) + "\n", encoding="utf-8")  # its photo dropped
    article = content / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace("Category: Analyses", "Category: Actualités")
                       .replace("Date:", "Slug: impact-renomme\nDate:", 1), encoding="utf-8")  # rubric and address
    old_style.unlink()
    offer_template = site / "theme" / "templates" / "offer.html"
    offer_template.write_text(offer_template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<!-- gabarit revu -->", 1), encoding="utf-8")
    kept = publish_report(root, content, tmp_path / "kept.json", "--now", "2019-12-16", site=site)  # the offer closed
    fresh = tmp_path / "fresh"
    publish(fresh, content, True, "--now", "2019-12-16", site=site)
    assert kept["build_folder_kept"] and kept["published"]
    release = (root / "current").resolve()
    same_bytes_and_index(release, (fresh / "current").resolve())
    after = digest(release)
    assert ARTICLE_PAGE in before and ARTICLE_PAGE not in after and "2019/10/impact-renomme/index.html" in after
    assert "rubrique/analyses/index.html" in before and "rubrique/analyses/index.html" not in after
    assert images_before - after.keys()  # the photo's derivatives and share image went with it
    assert "Stage en communication chez Beta" not in (release / "offres" / "index.html").read_text(encoding="utf-8")
    assert "static/css/ancien.css" in before and "static/css/ancien.css" not in after
    offer_pages = [name for name in after if name.endswith(".html") and
                   "<!-- gabarit revu -->" in (release / name).read_text(encoding="utf-8")]
    assert offer_pages and all(name.startswith("offres/") for name in offer_pages)


def test_deploy_shows_the_rsync_command_and_dry_run_changes_nothing(tmp_path):
    from transfo_quality import release

    root = tmp_path / "public"
    layout = release.Layout(root)
    staging = release.new_staging(layout, "20191130-090000-000000")
    (staging / "index.html").write_text("<!DOCTYPE html><title>Transfo</title>", encoding="utf-8")
    (staging / "static").mkdir()
    (staging / "static" / "site.css").write_text("body{}", encoding="utf-8")
    release.promote(layout, staging, "20191130-090000-000000")
    server = tmp_path / "server"
    dry = invoke("deploy", "--root", str(root), "--dest", f"{server}/", "--dry-run")
    assert dry.stdout.startswith("rsync ") and "--dry-run" in dry.stdout and "--delay-updates" in dry.stdout
    assert "static/site.css" in dry.stdout  # rsync lists what it would send
    assert not server.exists() or not any(server.iterdir())
    invoke("deploy", "--root", str(root), "--dest", f"{server}/")
    assert digest(server) == digest((root / "current").resolve())


def test_a_rollback_waits_for_no_publish_and_bad_options_are_one_line(tmp_path):
    """A rollback during a publish was undone by it a moment later; --keep abc, a file as --root, a
    report in a missing folder or in a release, a missing --content: tracebacks, some after minutes."""
    from transfo_common.locking import output_lock

    root = tmp_path / "racine"
    (root / "releases" / "20191130-000000-000000").mkdir(parents=True)
    (root / "current").symlink_to(Path("releases") / "20191130-000000-000000")
    with output_lock(root):  # as a publish holds it
        busy = invoke("rollback", "--root", str(root), check=False)
    assert busy.returncode == 3 and "une autre construction écrit déjà dans ce dossier" in busy.stderr
    a_file = tmp_path / "fichier"
    a_file.write_text("x")
    for options, said in [(["--keep", "abc"], "--keep : « abc »"), (["--root", str(a_file)], "est un fichier"),
                          (["--report", str(tmp_path / "absent" / "r.json")], "--report : dossier"),
                          (["--report", str(root / "current" / "r.json")], "est dans une version publiée"),
                          (["--content", str(tmp_path / "absent")], "--content : dossier")]:
        where = [] if "--root" in options else ["--root", str(root)]
        result = invoke("publish", *where, *options, check=False)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert said in result.stderr.strip().splitlines()[-1], result.stderr
    # A root the publish cannot write into (read-only, full, or a folder where its state file goes)
    (root / "build-state.json").mkdir()
    stuck = invoke("publish", "--root", str(root), "--now", "2019-11-30", check=False)
    assert stuck.returncode == 1 and "Traceback" not in stuck.stderr, stuck.stderr
    assert stuck.stderr.strip().splitlines()[-1].endswith("rien n'a été publié.")
