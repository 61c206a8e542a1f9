"""`invoke publish`, `rollback` and `deploy` on the fixture site: the live site never breaks."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import brotli
import pytest

from tests.support import ROOT, copy_content, invoke

pytestmark = pytest.mark.publish

ARTICLE = "articles/analyse-epsilon.md"
CONTENT = ROOT / "tests" / "fixtures" / "publish" / "content"
ARTICLE_PAGE = "2019/10/mesurer-limpact-social-un-debat-ouvert/index.html"


def publish(root: Path, content: Path, check: bool = True):
    # Lighthouse has its own test (test_quality_lighthouse.py); here it would only add minutes.
    return invoke("publish", "--root", str(root), "--content", str(content), "--no-lighthouse", check=check)


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
