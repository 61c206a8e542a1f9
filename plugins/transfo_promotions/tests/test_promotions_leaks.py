import json
import os
import random
import re
import time
from datetime import date
from decimal import Decimal

import pytest
from transfo_common import files
from transfo_common.forking import in_processes
from transfo_promotions import leaks
from transfo_promotions.leaks import PromotionLeakError, check_tree, memory_file, needles, scan_text, scan_tree
from transfo_promotions.records import Promotion
from transfo_promotions.spellings import normalise, readable_text, squeeze_spaces
from transfo_validation.problems import ContentError

AUDIENCE = "25-45 ans, Bruxelles et Wallonie, intérêt consommation durable"
DOSSIER = Promotion(slug="vetements-1", platform="facebook", start=date(2019, 4, 24),
                    end=date(2019, 5, 3), budget=Decimal("100.00"), spent=Decimal("87.40"),
                    audience=AUDIENCE, reach=57000, impressions=98400, clicks=4870, reads=3500,
                    line=2)
ITEMS = needles([DOSSIER], "content/promotions/promotions.csv")


@pytest.mark.parametrize("text", [
    "57000 personnes", "57 000 personnes", "57\u202f000 personnes", "57&nbsp;000 personnes",
    "57&#8239;000", "57.000", "57,000", "3 500 lectures", "budget : 100,00\u00a0€",
    "87.40 EUR", "87,40 €", "Public : 25-45 ans, Bruxelles et Wallonie, intérêt consommation durable",
    "PUBLIC : 25-45 ANS,\n  BRUXELLES ET WALLONIE, INTÉRÊT CONSOMMATION DURABLE", "0,0250 € par lecture",
    '<meta name="description" content="25-45 ans, Bruxelles et Wallonie, intérêt consommation durable">',
    "&lt;p&gt;57 000 personnes&lt;/p&gt;", '{"budget": "100,00 €"}', "€100.00",
])
def test_every_way_of_writing_a_figure_is_found(text):
    assert scan_text(f"<p>{text}</p>", ITEMS)


@pytest.mark.parametrize("text", [
    "157000 habitants", "57 0001", "Plus de 1 100 personnes", "un t-shirt à 100 euros",
    "en 2019, 3 000 coopérateurs", "57", "3500000", '"price": "100.00"', "100 €",
    '<enclosure length="57000" type="image/jpeg"/>', '<img width="4870">', "il y a 3500 ans",
    '<img alt="" src="photo.57.000.jpg">', '<script src="/static/app.57000.min.js"></script>',
])
def test_ordinary_text_is_not_a_leak(text):
    assert scan_text(text, ITEMS) == []


@pytest.mark.parametrize("text", [
    "57k personnes", "57 K", "57,0 k", "57.0k", "57 mille", "98,4k impressions", "3,5k lectures",
    "100,0 EUR", "87.4 euros", "€87.40", "87,40eur", "0,02497 € par lecture",
    "25-45 ans, <em>Bruxelles</em> et Wallonie, intérêt <strong>consommation</strong> durable",
    "25-45 ans, Bru<em>xelles</em> et Wal\u00adlonie, intérêt consommation durable",
    '<a href="/public/25-45-ans-bruxelles-et-wallonie-interet-consommation-durable/">x</a>',
    "5\u200b7\u2060000", '<img alt="57k" src="a.jpg">', '<a href="?reach=57%20000">x</a>',
    '<abbr title="98.400 impressions">98k</abbr>', '<meta property="og:description" content="3 500 lectures">',
    '<div data-reach="57000"></div>',
    # a figure ending a file's name, with or without the derivatives' hash and width
    '<img alt="" src="/media/couverture-57000.7fb3f54766.400.jpg">', '<a href="/docs/bilan-98400.pdf">x</a>',
    '<img alt="" srcset="/media/x.jpg 400w, /media/clics-57-000.7fb3f54766.800.webp 800w">',
])
def test_respellings_markup_and_invisible_characters_do_not_hide_a_figure(text):
    assert scan_text(f"<p>{text}</p>", ITEMS)


def test_an_ordinary_page_full_of_numbers_is_no_leak():
    page = """<h1>Rapport annuel 2019 : 3 projets, 12 coopératives</h1>
    <p>Fondée en 1998, la coopérative compte 1 200 membres et 3 500 000 € de chiffre d'affaires.
    Le 24.04.2019 à 14.30, 57 personnes ; une part coûte 100 €, 100,00 € frais compris ou 12,50 €.
    Appelez le 02 543 00 00. 2018-2019 : +4,5 %. Il y a 3500 ans. 57 0001 habitants, 157000 lieux.</p>
    <svg viewBox="0 0 57000 98400"><path d="M87.40 100.00 L57 000"/></svg>
    <img src="photo.57000.webp" width="4870" height="3500" srcset="a.400.jpg 400w, a.1200.jpg 1200w">
    <enclosure length="98400" type="image/jpeg"/><a href="http://127.0.0.1:8000/2019/04/">lien</a>"""
    assert scan_text(page, [n for n in ITEMS if n.figure != "amount" or n.value != Decimal("100.00")]) == []


def test_in_scripts_and_style_sheets_only_human_spellings_count():
    assert scan_text("const a = [57000, 98.4, 87.40];", ITEMS, "code") == []
    assert {found for found, _what in scan_text('t("57 000 personnes, 87,40 €")', ITEMS, "code")} == \
        {"57 000", "87,40 €"}


# What a script or a calendar may hold around a cut: figures and the audience spelled in every way,
# entities, escapes, combining marks, astral and invisible characters, spaces and semicolons.
_FRAGMENTS = ["57 000", "57k", "57 mille", "87,40 €", "€ 87,40", "eur 87,40", "98 400", "3 500", "0,0250 €",
              "25-45 ans, Bruxelles", " et Wallonie, ", "intérêt consommation durable", "&amp;", "&#59;",
              "\\u00e9", "\\ud83d\\ude00", "e\u0301", "\u0301", "\U0001f600", "\u200b", "\u00a0", "\n", " ", "  ",
              ";", ";", ";", "x", "1", "0", ".", ",", "'", "€", "eur", "k"]


@pytest.mark.parametrize("kind", ["code", "text", "calendar"])
def test_a_text_read_in_pieces_gives_what_it_gives_read_whole(kind):
    rng = random.Random(kind)
    with_hits = 0
    for _round in range(300):
        text = "".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 60)))
        whole = scan_text(text, ITEMS, kind, piece_size=len(text) + 1)
        assert scan_text(text, ITEMS, kind, piece_size=rng.randint(1, 12)) == whole, text
        with_hits += bool(whole)
    assert with_hits > 100
    split = "a;57;000 personnes;25-45 ans;, Bruxelles; et Wallonie, intérêt;consommation durable;"
    assert [found for found, _what in scan_text(split, ITEMS, kind, piece_size=2)] == [AUDIENCE]


def test_a_tree_with_a_leak_fails_with_one_line_per_leak(tmp_path):
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "index.html").write_text("<p>57 000 personnes touchées</p>", encoding="utf-8")
    (tmp_path / "clean.html").write_text("<p>Rien à signaler</p>", encoding="utf-8")
    (tmp_path / "image.jpg").write_bytes(b"\xff\xd8\xff\0 57000 \0")
    with pytest.raises(PromotionLeakError) as caught:
        check_tree(tmp_path, [DOSSIER], "content/promotions/promotions.csv", "promotions.csv")
    error = caught.value
    assert isinstance(error, ContentError)  # so `invoke build` and `publish` stop without traceback
    lines = str(error).splitlines()
    assert lines[0].endswith("/2019/index.html: fuite: couverture de la promotion "
                             "content/promotions/promotions.csv:2 « 57 000 » trouvé dans le site "
                             "construit ; attendu : aucune donnée interne des promotions dans le "
                             "site public")
    assert len(lines) == 2 and "ne doit pas être publié" in lines[-1]


def test_a_link_put_into_the_site_is_refused_wherever_it_leads(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<p>Accueil</p>", encoding="utf-8")
    (tmp_path / "comptes.txt").write_text("root:x:0:0:root:/root:/bin/bash", encoding="utf-8")
    (site / "passwd.txt").symlink_to(tmp_path / "comptes.txt")
    (site / "a" / "racine").symlink_to("/", target_is_directory=True)
    with pytest.raises(PromotionLeakError) as caught:
        check_tree(site, [DOSSIER], "content/promotions/promotions.csv", "promotions.csv")
    lines = str(caught.value).splitlines()[:-1]
    assert [line.split(": ")[0].rpartition("/site/")[2] for line in lines] == ["a/racine", "passwd.txt"]
    assert all("lien symbolique vers" in line and "/bin/bash" not in line for line in lines)


def test_the_data_file_itself_is_a_leak(tmp_path):
    (tmp_path / "promotions.csv").write_text("rien", encoding="utf-8")
    leaks = scan_tree(tmp_path, ITEMS, "promotions.csv")
    assert [leak.what for leak in leaks] == ["le fichier interne des promotions"]


def test_no_records_no_leak(tmp_path):
    (tmp_path / "index.html").write_text("57 000", encoding="utf-8")
    check_tree(tmp_path, [], "content/promotions/promotions.csv", "promotions.csv")


# --- speed: normalise, and the memory of clean files ----------------------------------------

OTHER = Promotion(slug="soleil-1", platform="facebook", start=date(2019, 6, 1),
                  end=date(2019, 6, 10), budget=Decimal("50.00"), spent=Decimal("42.10"),
                  audience="", reach=61000, impressions=70000, clicks=1200, reads=900, line=3)
SOURCE = "content/promotions/promotions.csv"
CLEAN = "<p>Rien à signaler ici, 12 345 mots.</p>"
LEAKY = "<p>Rien à signaler ici, 57 000 mots.</p>"  # same length as CLEAN


def test_squeeze_spaces_is_the_regular_expression_it_replaces():
    spaces = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u1680", "\u2009",
              "\u200b", "\u202f", "\u2028", "\u3000", "\ufeff"]
    samples = ["", " ", "  ", "a", " a", "a ", " a b  c\t\n", "\u00a0\u202f", "57\u202f000 €"]
    rng = random.Random(10)
    for _ in range(3000):
        samples.append("".join(rng.choice(spaces + ["a", "5", "é", "<", ","])
                               for _ in range(rng.randrange(0, 12))))
    for text in samples:
        assert squeeze_spaces(text) == re.sub(r"\s+", " ", text), repr(text)
    assert normalise(readable_text("  57&nbsp;000\u202fPersonnes\u2019 ", markup=False)) == " 57 000 personnes' "


@pytest.fixture
def settle_now(monkeypatch):
    """Files count as settled as soon as they are older than the scan; each helper
    write is followed by a pause longer than the file system's clock tick, as
    between two real builds."""
    monkeypatch.setattr(files, "SETTLED_NS", 0)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    time.sleep(0.03)


def remembered(memory) -> set[str]:
    return set(json.loads(memory.read_text(encoding="utf-8"))["clean"])


def count_reads(monkeypatch) -> tuple[list, list]:
    """(files read, texts searched) by the following scans."""
    read, searched = [], []
    original_read, original_hits = leaks._read, leaks._Scanner.hits
    monkeypatch.setattr(leaks, "_read",
                        lambda path, kind: read.append(os.path.basename(path)) or original_read(path, kind))
    monkeypatch.setattr(leaks._Scanner, "hits",
                        lambda self, text, kind: searched.append(text) or original_hits(self, text, kind))
    return read, searched


def test_clean_files_are_remembered_and_not_read_again(tmp_path, settle_now, monkeypatch):
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    write(out / "index.html", CLEAN)
    write(out / "2019" / "a" / "index.html", CLEAN)
    (out / "image.jpg").write_bytes(b"\xff\xd8\xff\0 57000 \0")
    time.sleep(0.03)
    assert scan_tree(out, ITEMS, "promotions.csv", memory) == []
    assert remembered(memory) == {"index.html", "2019/a/index.html", "image.jpg"}
    read, searched = count_reads(monkeypatch)
    assert scan_tree(out, ITEMS, "promotions.csv", memory) == []
    assert read == [] and searched == []


def test_many_files_are_searched_on_every_core_with_the_verdicts_of_one(tmp_path, settle_now, monkeypatch):
    out = tmp_path / "out"
    for number in range(1200):
        page = LEAKY if number % 97 == 0 else CLEAN.replace("</p>", f" {number}</p>")
        (out / str(number % 7)).mkdir(parents=True, exist_ok=True)
        (out / str(number % 7) / f"page-{number}.html").write_text(page, encoding="utf-8")
    (out / "photo.jpg").write_bytes(b"not a jpeg")
    (out / "notes.csv").write_text("57000", encoding="utf-8")
    time.sleep(0.03)
    workers = []

    def spied(items, count, work, quiet=False):
        workers.append(count)
        return in_processes(items, count, work, quiet)

    monkeypatch.setattr(leaks, "in_processes", spied)
    shared = scan_tree(out, ITEMS, "", tmp_path / "shared" / "leaks.json")
    monkeypatch.setattr(leaks, "FILES_PER_PROCESS", 10**9)
    alone = scan_tree(out, ITEMS, "", tmp_path / "alone" / "leaks.json")
    assert workers == [min(os.cpu_count() or 1, 3), 1]
    assert shared == alone and len(alone) == 13 + 2 and {leak.path for leak in alone} >= {"photo.jpg", "notes.csv"}
    assert json.loads((tmp_path / "shared" / "leaks.json").read_text(encoding="utf-8"))["clean"] == \
        json.loads((tmp_path / "alone" / "leaks.json").read_text(encoding="utf-8"))["clean"]


def test_a_leak_written_into_a_remembered_file_is_found_even_at_the_same_size(
        tmp_path, settle_now):
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    page = out / "index.html"
    write(page, CLEAN)
    assert scan_tree(out, ITEMS, "", memory) == [] and remembered(memory) == {"index.html"}
    before = page.stat()
    with open(page, "r+b") as handle:  # rewritten in place: same inode, same size
        handle.write(LEAKY.encode())
    after = page.stat()
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # even the old mtime put back
    found = scan_tree(out, ITEMS, "", memory)
    assert [(leak.path, leak.text) for leak in found] == [("index.html", "57 000")]
    assert remembered(memory) == set()  # a file with a leak is never remembered
    assert [leak.text for leak in scan_tree(out, ITEMS, "", memory)] == ["57 000"]


def test_files_changed_just_before_the_scan_are_remembered_by_their_bytes_only(tmp_path):
    """The real rule, no fixture: a file changed less than a second before the scan
    could change again within the same clock tick, so next time its bytes are checked."""
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    page = out / "index.html"
    page.parent.mkdir()
    page.write_text(CLEAN, encoding="utf-8")
    assert scan_tree(out, ITEMS, "", memory) == []
    entry = json.loads(memory.read_text(encoding="utf-8"))["clean"]["index.html"]
    assert entry[1:5] == [-1, -1, -1, -1]  # no identity to trust, only the hash
    page.write_text(LEAKY, encoding="utf-8")  # immediately, same size
    assert [leak.text for leak in scan_tree(out, ITEMS, "", memory)] == ["57 000"]


def test_a_file_whose_change_time_moved_with_the_same_bytes_is_not_searched_again(
        tmp_path, settle_now, monkeypatch):
    """The search index links every page under another name, which moves its change
    time: the bytes are hashed, and only searched if they differ."""
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    write(out / "index.html", CLEAN)
    write(out / "autre.html", CLEAN)
    assert scan_tree(out, ITEMS, "", memory) == []
    os.link(out / "index.html", tmp_path / "linked.html")
    time.sleep(0.03)
    read, searched = count_reads(monkeypatch)
    assert scan_tree(out, ITEMS, "", memory) == []
    assert read == ["index.html"] and searched == []


def test_contents_found_clean_in_one_folder_are_not_searched_again_in_another(
        tmp_path, settle_now, monkeypatch):
    """A new output folder (a test's, the newsletter's scratch build) holds mostly what another
    held: those bytes are hashed, not searched; different bytes, or other secrets, are."""
    cache = tmp_path / "cache"
    first, second = tmp_path / "first", tmp_path / "second"
    write(first / "admin" / "editor.js", "var editor = 1;" * 1000)
    write(first / "index.html", CLEAN)
    assert scan_tree(first, ITEMS, "", memory_file(cache, first)) == []
    write(second / "admin" / "editor.js", "var editor = 1;" * 1000)
    write(second / "index.html", LEAKY)
    read, searched = count_reads(monkeypatch)
    found = scan_tree(second, ITEMS, "", memory_file(cache, second))
    assert [(leak.path, leak.text) for leak in found] == [("index.html", "57 000")]
    assert sorted(read) == ["editor.js", "index.html"] and searched == [LEAKY]
    searched.clear()
    other = needles([DOSSIER, OTHER], SOURCE)
    assert [leak.path for leak in scan_tree(second, other, "", memory_file(cache, second))] == ["index.html"]
    assert len(searched) == 2


def test_other_secrets_search_every_file_again(tmp_path, settle_now, monkeypatch):
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    write(out / "index.html", "<p>61 000 lecteurs</p>")
    write(out / "autre.html", CLEAN)
    first = needles([DOSSIER], SOURCE)
    assert scan_tree(out, first, "", memory) == []
    assert remembered(memory) == {"index.html", "autre.html"}
    read, searched = count_reads(monkeypatch)
    found = scan_tree(out, needles([DOSSIER, OTHER], SOURCE), "", memory)
    assert sorted(read) == ["autre.html", "index.html"] and len(searched) == 2
    assert [(leak.path, leak.text) for leak in found] == [("index.html", "61 000")]
    # The data file's name is part of what is searched for too.
    write(out / "internes.csv", "rien")
    assert [type(found).__name__ for found in scan_tree(out, first, "", memory)] == ["ForbiddenFile"]
    assert [leak.path for leak in scan_tree(out, first, "internes.csv", memory)] == ["internes.csv"]


def test_the_memory_cannot_hide_a_leak_in_a_new_or_replaced_file(tmp_path, settle_now):
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    write(out / "index.html", CLEAN)
    write(out / "a" / "index.html", CLEAN)
    assert scan_tree(out, ITEMS, "promotions.csv", memory) == []
    write(out / "b" / "index.html", LEAKY)  # a new page
    (out / "a" / "index.html").unlink()  # a page removed then written again
    write(out / "a" / "index.html", LEAKY)
    write(out / "promotions.csv", "")  # the data file, even empty
    found = scan_tree(out, ITEMS, "promotions.csv", memory)
    assert [(leak.path, leak.text) for leak in found] == [
        ("a/index.html", "57 000"), ("b/index.html", "57 000"), ("promotions.csv", "promotions.csv")]
    assert remembered(memory) == {"index.html"}


def test_a_damaged_memory_means_a_full_search(tmp_path, settle_now):
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    write(out / "index.html", LEAKY)
    memory.parent.mkdir()
    for damage in ("{", "[]", '{"fingerprint": 1}', json.dumps({"fingerprint": "x", "clean": {}})):
        memory.write_text(damage, encoding="utf-8")
        assert [leak.text for leak in scan_tree(out, ITEMS, "", memory)] == ["57 000"]


def test_every_file_of_the_tree_is_walked_and_leaks_come_in_sorted_path_order(tmp_path):
    names = ["b.html", "a-b/index.html", "a/b/index.html", "a.b", "A/x.html", ".hidden/x",
             "a/index.html", "é/x.html", "z"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(LEAKY, encoding="utf-8")
    (tmp_path / "link-to-a").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "link.html").symlink_to(tmp_path / "z")
    # the links themselves are problems (never read): a build writes none
    expected = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*"))
                if p.is_file() or p.is_symlink()]
    assert [leak.path for leak in scan_tree(tmp_path, ITEMS)] == expected


def test_each_output_folder_has_its_own_memory(tmp_path):
    cache = tmp_path / "cache"
    assert memory_file(cache, tmp_path / "out") == memory_file(cache, tmp_path / "x" / ".." / "out")
    assert memory_file(cache, tmp_path / "out") != memory_file(cache, tmp_path / "other")
    assert memory_file(cache, tmp_path / "out").parent == cache


def test_files_written_while_the_tree_is_scanned_are_searched_once_the_writers_are_done(tmp_path, settle_now):
    """The search index is written while the leak check reads the pages: the verdict is the
    finished tree's, whatever the first pass saw."""
    out, memory = tmp_path / "out", tmp_path / "cache" / "leaks.json"
    write(out / "index.html", CLEAN)
    write(out / "pagefind" / "0" / "entry.json", json.dumps([LEAKY]))  # an earlier index, about to be replaced

    def index_being_written():
        write(out / "pagefind" / "0" / "entry.json", json.dumps([CLEAN]))
        write(out / "pagefind" / "1" / "entry.json", json.dumps([LEAKY]))

    found = scan_tree(out, ITEMS, "", memory, settle=index_being_written)
    assert [(leak.path, leak.text) for leak in found] == [("pagefind/1/entry.json", "57 000")]
    assert remembered(memory) == {"index.html", "pagefind/0/entry.json"}
