"""vnu as a service started ahead: it finds what the command line finds, and never checks less."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from transfo_quality import checks
from transfo_quality.gate import run_gate
from transfo_quality.vnu_service import FEW_PAGES, error_findings

pytestmark = pytest.mark.publish  # the Nu HTML Checker is one of the gate's tools (make chromium)

VALID = ("<!DOCTYPE html><html lang='fr'><head><title>Transfo</title></head>"
         "<body><p>« R&amp;D » : l'été</p></body></html>")
INVALID = ("<!DOCTYPE html><html lang='fr'><head><title>x</title></head>"
           "<body><p><div>bloc</p><img src=x></body></html>")
BROKEN_JAVA = ("-XX:+NoSuchJavaOption",)  # vnu's command line then fails at once


def page(folder: Path, name: str, text: str) -> Path:
    path = folder / name / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def checker(tmp_path):
    """A service warmed on a valid page, once it answers (in the tests, not in a publish, one waits)."""
    started = checks.start_html_checker(warm_with=page(tmp_path, "warm", VALID))
    assert started is not None
    deadline = time.monotonic() + 120
    while not started.answering and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.answering
    yield started
    started.close()


def test_the_service_finds_what_the_command_line_finds(tmp_path, checker):
    pages = [page(tmp_path, "bad", INVALID), page(tmp_path, "good", VALID)]
    by_service = checker.findings(pages)
    assert by_service is not None
    assert (by_service, []) == checks.vnu_findings(pages)
    assert [message for _line, message in by_service[pages[0]]][:1] == [
        "No “p” element in scope but a “p” end tag seen."]
    assert by_service[pages[1]] == []


def test_a_few_pages_go_to_the_service_and_many_to_the_command_line(tmp_path, checker, monkeypatch):
    monkeypatch.setattr(checks, "VNU_JAVA_OPTIONS", BROKEN_JAVA)
    few = [page(tmp_path, "bad", INVALID)]
    found, problems = checks.vnu_findings(few, checker=checker)
    assert problems == [] and found[few[0]]  # answered although the command line cannot run
    many = few + [page(tmp_path, f"p{number}", VALID) for number in range(FEW_PAGES)]
    found, problems = checks.vnu_findings(many, checker=checker)
    assert found == {} and problems[0].startswith("Validation HTML impossible : vnu a répondu")


def test_the_gate_hands_its_pages_to_the_service(tmp_path, checker, monkeypatch):
    monkeypatch.setattr(checks, "VNU_JAVA_OPTIONS", BROKEN_JAVA)
    site = tmp_path / "site"
    page(site, "", VALID)
    page(site, "bad", INVALID)
    report = run_gate(site, ("",), checker=checker)
    assert any(problem.startswith("bad/index.html:1 : HTML invalide : No “p” element in scope")
               for problem in report.problems)
    assert not any("Validation HTML impossible" in problem for problem in report.problems)


def test_a_closed_service_stops_answering_and_the_command_line_checks_instead(tmp_path, checker):
    url = f"http://127.0.0.1:{checker.port}/"
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200
    checker.close()
    assert not checker.answering
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=10)
    bad = page(tmp_path, "bad", INVALID)
    assert checker.findings([bad]) is None
    found, problems = checks.vnu_findings([bad], checker=checker)
    assert problems == [] and found[bad]


def test_a_vnu_answer_keeps_its_errors_only():
    answer = (b'{"messages": [{"type": "error", "lastLine": 3, "message": " Stray end tag. "},'
              b'{"type": "info", "subType": "warning", "lastLine": 4, "message": "Consider lang."},'
              b'{"type": "non-document-error", "message": "IO"}]}')
    assert error_findings(answer) == [("3", "Stray end tag."), ("?", "IO")]
    with pytest.raises(ValueError):
        error_findings(b"<html>not vnu</html>")
