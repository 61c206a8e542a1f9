"""Hostile and awkward content files: each is refused by `invoke check` with one French line
naming the file (and its line or field), without a traceback.

Every broken file of a batch sits in one content tree checked once (a check is
cheap, a process start is not); each file has a name of its own, so each case
finds its line by the file name (tests/hostile/checks.py).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.checks import assert_refused
from tests.support import FIXTURE_CONTENT, ROOT, invoke

ARTICLE = """Title: {title}
Date: 2019-11-14 09:30
Category: Actualités
Summary: Un article de test.
{extra}
Le corps de l'article.
"""
EVENT = (ROOT / "tests" / "fixtures" / "agenda" / "fx-conference.md").read_text(encoding="utf-8")
OFFER = (ROOT / "tests" / "fixtures" / "offers" / "offres" / "emploi-ouvert.md").read_text(encoding="utf-8")
PAGE = "Title: {title}\n{extra}Summary: Une page.\n\nLe corps.\n"


def article(title="Un article", extra="", body="Le corps de l'article.\n") -> bytes:
    return ARTICLE.format(title=title, extra=extra).replace("Le corps de l'article.\n", body).encode()


def event(replace: dict[str, str], slug: str) -> bytes:
    text = EVENT
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return (f"Slug: {slug}\n" + text).encode()


def offer(replace: dict[str, str], slug: str) -> bytes:
    text = OFFER.replace("Slug: emploi-ouvert", f"Slug: {slug}")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


@dataclass(frozen=True)
class Case:
    path: str  # relative to the content folder; its name is unique in the batch
    data: bytes
    words: tuple[str, ...]  # what the file's line must say


CASES = [
    # Invisible characters and encodings
    Case("articles/nul-titre.md", article("Un titre\x00 nul"), (":1: Title:", "U+0000")),
    Case("articles/nul-corps.md", article(body="Un corps\x00 nul.\n"), (":6: corps:", "U+0000")),
    Case("articles/echap-resume.md", article().replace(b"Un article de test.", b"Un \x1b[31mrouge"),
         (":4: Summary:", "U+001B")),
    Case("articles/seize.md", article("UTF-16").decode().encode("utf-16"), ("fichier:", "UTF-16")),
    Case("articles/latin.md", article("Café").decode().encode("latin-1"), (":1: fichier:", "0xE9", "UTF-8")),
    # Empty header lines Pelican cannot drop
    Case("articles/modif-vide.md", article(extra="Modified:\n"), (":5: Modified: valeur vide",)),
    # A blank line in the header, or before it: the fields after it are text for Markdown
    Case("articles/en-tete-coupe.md", article(extra="Tags: a, b").replace(b"Summary:", b"   \nSummary:"),
         (":5: Summary: lu comme du texte", "ligne vide 4")),
    Case("articles/en-tete-decale.md", b"\n" + article("Décalé"), (":2: Title: lu comme du texte", "ouvre le fichier")),
    # Tags and authors whose name makes no address (their page would be sujet// for all of them)
    Case("articles/sapin.md", article("Sapin", extra="Tags: agenda, 🎄, ★★★"),
         (":5: Tags:", "« 🎄 »", "aucune adresse")),
    Case("articles/tiret.md", article("Tiret", extra="Authors: Ana, —"), (":5: Authors:", "« — »", "aucune adresse")),
    # Lists nested past Python's stack (Python-Markdown parses a level in a deeper call)
    Case("articles/imbrique.md", article(body="- " * 3000 + "profond\n"), (":6: corps:", "3000 niveaux")),
    # Brackets Python-Markdown would read for minutes (the time grows with their number squared)
    Case("articles/crochets.md", article(body="[" * 20000 + "](" * 20000 + "\n"), (":6: corps:", "20000 crochets")),
    # Numbers
    Case("agenda/prix-nan.md", event({"Price: 25": "Price: NaN"}, "prix-nan"), (":11: Price:", "NaN")),
    Case("agenda/prix-infini.md", event({"Price: 25": "Price: Infinity"}, "prix-infini"), ("Price:", "Infinity")),
    Case("agenda/prix-enorme.md", event({"Price: 25": "Price: 25000"}, "prix-enorme"), ("Price:", "dépasse 10 000 €")),
    Case("offres/salaire-nan.md", offer({"Salary_min: 2850": "Salary_min: NaN"}, "salaire-nan"),
         (":12: Salary_min:", "n'est pas un montant")),
    Case("offres/salaire-infini.md", offer({"Salary_max: 3400": "Salary_max: -Infinity"}, "salaire-infini"),
         ("Salary_max:", "négatif")),
    Case("offres/salaire-exposant.md", offer({"Salary_max: 3400": "Salary_max: 1e9"}, "salaire-exposant"),
         ("Salary_max:", "n'est pas un montant")),
    Case("offres/salaire-milliards.md", offer({"Salary_max: 3400": "Salary_max: 5000000000"}, "salaire-milliards"),
         ("Salary_max:", "dépasse 1 000 000 €")),
    Case("offres/salaire-ambigu.md", offer({"Salary_min: 2850": "Salary_min: 2.850"}, "salaire-ambigu"),
         ("Salary_min:", "ambigu")),
    # Dates outside 1900-2100
    Case("agenda/an-un.md", event({"Start: 2019-11-14 09:30": "Start: 0001-01-01 09:30",
                                   "End: 2019-11-14 12:00": "End: 0001-01-01 12:00"}, "an-un"),
         (":4: Start:", "année 1 hors limites")),
    Case("agenda/an-9999.md", event({"Start: 2019-11-14 09:30": "Start: 9999-12-31",
                                     "End: 2019-11-14 12:00\n": ""}, "an-9999"), ("Start:", "année 9999")),
    Case("articles/date-1850.md", article().replace(b"2019-11-14", b"1850-11-14"), (":2: Date:", "année 1850")),
    Case("offres/cloture-2150.md", offer({"Deadline: 2019-12-20": "Deadline: 2150-12-20"}, "cloture-2150"),
         ("Deadline:", "année 2150")),
    # Local times that do not exist
    Case("agenda/heure-absente.md", event({"Start: 2019-11-14 09:30": "Start: 2026-03-29 02:30",
                                           "End: 2019-11-14 12:00": "End: 2026-03-29 04:00"}, "heure-absente"),
         (":4: Start:", "n'existe pas à Europe/Brussels", "2026-03-29 03:30")),
    Case("agenda/fin-absente-paris.md",
         event({"Start: 2019-11-14 09:30": "Start: 2027-03-28 01:00\nTimezone: Europe/Paris",
                "End: 2019-11-14 12:00": "End: 2027-03-28 02:15"}, "fin-absente-paris"),
         ("End:", "n'existe pas à Europe/Paris")),
    # Addresses of the site's sections
    Case("pages/agenda-bis.md", PAGE.format(title="Agenda bis", extra="Slug: agenda\n").encode(),
         (":2: Slug:", "« agenda/ »", "partie du site")),
    Case("pages/recherche.md", PAGE.format(title="Recherche", extra="").encode(), (":1: Title:", "« recherche/ »")),
    Case("pages/moteur.md", PAGE.format(title="Moteur", extra="Slug: pagefind\n").encode(), ("Slug:", "« pagefind/ »")),
    Case("pages/administration.md", PAGE.format(title="Administration", extra="Slug: admin\n").encode(),
         ("Slug:", "« admin/ »")),
    Case("pages/rubrique-page.md", PAGE.format(title="Rubrique", extra="Slug: rubrique\n").encode(),
         ("Slug:", "rubrique/")),
    Case("agenda/evenement-archives.md", event({}, "archives"), (":1: Slug:", "archives de l'agenda")),
    # Two files, one address: each names the other
    Case("pages/jumeau-un.md", PAGE.format(title="Jumeau", extra="Slug: jumeau\n").encode(),
         ("Slug:", "jumeau-deux.md")),
    Case("pages/jumeau-deux.md", PAGE.format(title="Jumeau bis", extra="Slug: jumeau\n").encode(),
         ("Slug:", "jumeau-un.md")),
    # Other extensions: one rule, refused with the name to use
    Case("articles/majuscules.MD", article("Majuscules"), ("extension « .MD »", "majuscules.md")),
    Case("articles/long.markdown", article("Long"), ("extension « .markdown »", "long.md")),
    Case("articles/brut.html", b"<html><head><title>Brut</title></head><body>x</body></html>", ("« .html »",)),
    Case("pages/texte.rst", b"Texte\n#####\n\nCorps.\n", ("« .rst »",)),
    Case("egare.md", article("Égaré à la racine"), ("hors des dossiers de textes", "content/articles/")),
    # Internal links to missing files
    Case("articles/lien-casse.md", article(body="Voir [ceci]({filename}/articles/absent.md).\n"),
         (":6: corps:", "{filename}/articles/absent.md", "absent")),
    Case("articles/image-absente.md", article(body="Intro.\n\n![Une photo]({static}/images/absente.jpg)\n"),
         (":8: corps:", "{static}/images/absente.jpg")),
    Case("articles/reference-cassee.md", article(body="Voir [ceci][1].\n\n[1]: {filename}/pages/absente.md\n"),
         (":8: corps:", "{filename}/pages/absente.md")),
    Case("articles/lien-relatif.md", article(body='<a href="{filename}voisin-absent.md">x</a>\n'),
         (":6: corps:", "voisin-absent.md")),
]


def base_content(destination: Path) -> Path:
    """The fixture site with the fixture events and offers: a tree `invoke check` finds clean."""
    shutil.copytree(FIXTURE_CONTENT, destination)
    shutil.copytree(ROOT / "tests" / "fixtures" / "agenda", destination / "agenda")
    shutil.copytree(ROOT / "tests" / "fixtures" / "offers" / "offres", destination / "offres")
    shutil.copytree(ROOT / "tests" / "fixtures" / "offers" / "images" / "offres", destination / "images" / "offres")
    return destination


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    content = base_content(tmp_path_factory.mktemp("hostile") / "content")
    clean = invoke("check", "--content", str(content))
    assert "aucun problème" in clean.stdout
    for case in CASES:
        (content / case.path).write_bytes(case.data)
    return content, invoke("check", "--content", str(content), check=False), clean


@pytest.mark.parametrize("case", CASES, ids=lambda case: Path(case.path).name)
def test_check_refuses_the_file_in_one_line(checked, case):
    content, result, _ = checked
    assert_refused(result, content / case.path)
    own = [line for line in result.stdout.splitlines() if line.startswith((content / case.path).as_posix() + ":")]
    assert any(all(word in line for word in case.words) for line in own), (case.words, own)


def test_a_word_lock_file_beside_a_text_is_not_content(tmp_path):
    content = base_content(tmp_path / "content")
    (content / "articles" / "~$ticle.md").write_bytes(b"\x0bJean Dupont" + b"\x00" * 40)  # Word's lock file
    result = invoke("check", "--content", str(content))
    assert "aucun problème" in result.stdout and "~$" not in result.stdout + result.stderr


def test_each_broken_file_gives_its_own_lines_and_nothing_else_is_blamed(checked):
    content, result, clean = checked
    assert result.returncode == 2
    named = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert named == {(content / case.path).as_posix() for case in CASES}
    # The summary counts each file once, valid or not (a taken slug leaves its file valid)
    before = int(re.search(r"(\d+) fichier\(s\) vérifié\(s\)", clean.stdout).group(1))
    counts = re.search(r"(\d+) problème\(s\) dans (\d+) fichier\(s\) sur (\d+) vérifié\(s\)", result.stderr)
    assert counts is not None and int(counts.group(2)) == len(CASES), result.stderr
    assert int(counts.group(3)) == before + len(CASES), (before, result.stderr)


# --- the content folder itself: links and special files (checked before anything reads it) ---

TREE_CASES = {  # some are also refused by transfo_images' link rule: each file gets one line
    "articles/boucle": ("lien symbolique en boucle", "qui le contient"),
    "articles/a-boucle.md": ("lien symbolique en boucle",),
    "articles/casse.md": ("lien symbolique",),
    "articles/tube.md": ("n'est pas un fichier ordinaire",),
    "articles/copie": ("lus deux fois",),
    "articles/secret.md": ("hors du dossier content/",),
    "articles/dehors": ("hors du dossier content/",),
}
SECRET = "AWS_SECRET=abcdef123456SECRET"


@pytest.fixture(scope="module")
def tree_checked(tmp_path_factory):
    content = base_content(tmp_path_factory.mktemp("hostile-tree") / "content")
    (content / "articles" / "boucle").symlink_to("..", target_is_directory=True)
    (content / "articles" / "a-boucle.md").symlink_to("b-boucle.md")
    (content / "articles" / "b-boucle.md").symlink_to("a-boucle.md")
    (content / "articles" / "casse.md").symlink_to(content / "nulle-part.md")
    os.mkfifo(content / "articles" / "tube.md")
    (content / "articles" / "copie").symlink_to(content / "pages", target_is_directory=True)
    outside = content.parent / "ailleurs"  # a file that looks like a header, then a secret
    outside.mkdir()
    (outside / "cles.md").write_text(f"root:x:0:0:root:/root:/bin/bash\n{SECRET}\n", encoding="utf-8")
    (content / "articles" / "secret.md").symlink_to(outside / "cles.md")
    (content / "articles" / "dehors").symlink_to(outside, target_is_directory=True)
    # A check that loops forever fails here, at invoke's timeout: no measured duration is asserted.
    return content, invoke("check", "--content", str(content), check=False)


@pytest.mark.parametrize("name", sorted(TREE_CASES))
def test_links_that_loop_and_special_files_are_one_line_each(tree_checked, name):
    content, result = tree_checked
    assert_refused(result, content / name, *TREE_CASES[name])
    own = [line for line in result.stdout.splitlines() if line.startswith(f"{(content / name).as_posix()}:")]
    assert len(own) == 1, own


def test_a_link_out_of_content_is_never_read(tree_checked):
    _content, result = tree_checked
    assert SECRET not in result.stdout + result.stderr and "/bin/bash" not in result.stdout + result.stderr


def test_a_tree_with_loops_is_checked_without_hanging(tree_checked, tmp_path):
    content, result = tree_checked
    assert result.returncode == 2, result.stdout + result.stderr
    build = invoke("build", "--content", str(content), "--output", str(tmp_path / "out"), check=False)
    assert_refused(build, content / "articles" / "boucle", "en boucle")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


# --- command-line dates ---

@pytest.mark.parametrize("value", ["04/12/2026", "2026-13-01", "0001-01-01", "demain", "2026-12-04 25:00"])
def test_now_outside_the_accepted_forms_is_one_line(value):
    result = invoke("check", "--now", value, "--content", str(FIXTURE_CONTENT), check=False)
    line = assert_refused(result, "--now", f"« {value} »", "attendu")
    assert result.returncode == 2 and len((result.stdout + result.stderr).strip().splitlines()) == 1, line


@pytest.mark.parametrize("value", ["aujourd'hui", "today", "2019-11-30", "2019-11-30T08:00"])
def test_now_in_each_accepted_form_is_taken(value):
    assert invoke("check", "--now", value, "--content", str(FIXTURE_CONTENT)).returncode == 0
