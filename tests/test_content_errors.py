"""Editors' mistakes: one clear line each, no traceback, nothing half-published."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.support import build, copy_content, invoke

THREE_MISTAKES = """Title: Un article avec trois erreurs
Date: 31/11/2019
Catgory: Actualités
Summary: Trois erreurs dans cet en-tête.
Image: images/alpha.jpg

Le corps.
"""


def test_check_prints_one_line_per_mistake_and_no_traceback(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "articles" / "trois-erreurs.md").write_text(THREE_MISTAKES, encoding="utf-8")
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4, lines  # bad date, unknown field, missing rubric, missing alt text
    path = (content / "articles" / "trois-erreurs.md").as_posix()
    assert all(line.startswith(path) for line in lines), lines
    assert "Date: « 31/11/2019 » n'est pas une date valable" in lines[0]
    assert any("Catgory: champ inconnu (vouliez-vous dire « Category » ?)" in l for l in lines)
    assert any("Category: champ obligatoire absent" in l for l in lines)
    assert any("Image_alt: texte alternatif absent" in l for l in lines)
    assert "4 problème(s) dans 1 fichier(s)" in result.stderr


def test_check_on_the_sample_content_is_clean():
    result = invoke("check")
    assert "aucun problème" in result.stdout


@pytest.mark.slow
def test_a_build_with_a_mistake_writes_nothing(tmp_path):
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    build(output, content=content)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (content / "articles" / "trois-erreurs.md").write_text(THREE_MISTAKES, encoding="utf-8")
    (content / "articles" / "analyse-beta.md").write_text(
        (content / "articles" / "analyse-beta.md").read_text().replace("Analyses", "Analyse"))
    result = build(output, content=content, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "analyse-beta.md:4: Category: « Analyse » inconnu" in result.stderr
    assert "rien n'a été construit ni publié" in result.stderr
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_new_scaffolds_a_valid_draft(tmp_path):
    content = copy_content(tmp_path / "content")
    result = invoke("new", "--title", "Une coopérative à Liège ouvre ses portes",
                    "--content", str(content))
    created = Path(result.stdout.split("Créé : ")[1].split(" (")[0])
    text = created.read_text(encoding="utf-8")
    assert created.name == "une-cooperative-a-liege-ouvre-ses-portes.md"
    assert created.parent.name == str(date.today().year)
    assert "Title: Une coopérative à Liège ouvre ses portes" in text
    assert f"Date: {date.today().isoformat()}" in text
    assert "Status: brouillon" in text
    assert invoke("check", "--content", str(content)).returncode == 0
    again = invoke("new", "--title", "Une coopérative à Liège ouvre ses portes",
                   "--content", str(content), check=False)
    assert again.returncode == 2 and "existe déjà" in again.stderr
    long = invoke("new", "--title", "Économie sociale " * 18, "--content", str(content), check=False)
    assert long.returncode == 2 and "Traceback" not in long.stderr
    assert long.stderr.strip().splitlines()[-1] == "Titre de 306 caractères ; attendu : au plus 160"
    two = invoke("new", "--title", "Un titre\nStatus: publié", "--content", str(content), check=False)
    assert two.returncode == 2 and "une ligne de texte" in two.stderr and "Traceback" not in two.stderr


def test_a_missing_static_image_of_the_body_is_one_line_not_two(tmp_path):
    """`![…]({static}/images/absent.jpg)`: the dead link and the missing image are one mistake."""
    content = copy_content(tmp_path / "content")
    article = content / "articles" / "cooperative-alpha.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n![Un schéma]({static}/images/absent.jpg)\n", encoding="utf-8")
    result = invoke("check", "--content", str(content), check=False)
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(article.as_posix()) and ": corps: " in lines[0]
    assert "« {static}/images/absent.jpg » introuvable" in lines[0], lines
    # a dead link that is no image is still said, once
    article.write_text(article.read_text(encoding="utf-8")
                       + "\n[Le rapport]({static}/docs/absent.pdf)\n", encoding="utf-8")
    lines = invoke("check", "--content", str(content), check=False).stdout.strip().splitlines()
    assert len(lines) == 2 and "lien « {static}/docs/absent.pdf » vers un fichier absent" in lines[1], lines
