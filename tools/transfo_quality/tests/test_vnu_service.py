"""vnu as a service started ahead: it finds what the command line finds, and never checks less."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from transfo_quality import checks
from transfo_quality.gate import run_gate
from transfo_quality.vnu_service import FEW_PAGES, FROM_PAGES, HtmlChecker, error_findings

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


def answering(started: HtmlChecker | None) -> HtmlChecker:
    """`started` once it answers (the tests wait for it; a publish does not)."""
    assert started is not None
    deadline = time.monotonic() + 120
    while not started.answering and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.answering
    return started


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    """One service warmed on a valid page for the module's tests (~3.5 s of CPU to start)."""
    started = answering(checks.start_html_checker(warm_with=page(tmp_path_factory.mktemp("warm"), "", VALID)))
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


def test_a_proxy_set_for_the_machine_does_not_stand_between_the_gate_and_the_service(tmp_path, checker,
                                                                                     monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    bad = page(tmp_path, "bad", INVALID)
    found = checker.findings([bad])
    assert found is not None and found[bad]


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


def test_a_publish_starts_a_service_for_a_large_live_release_only_and_closes_it(tmp_path):
    live = tmp_path / "live"
    page(live, "", VALID)
    small = [f"{number}/index.html" for number in range(FROM_PAGES - 1)] + ["feeds/all.atom.xml"] * 5
    assert checks.html_checker_for_publish(None, small * 2) is None  # no live release
    assert checks.html_checker_for_publish(live, small) is None
    assert checks.html_checker_for_publish(tmp_path / "empty", [*small, "index.html"]) is None  # no home page
    checker = answering(checks.html_checker_for_publish(live, [*small, "index.html"]))

    # The publish closes it, whatever its end: it no longer answers, the command line checks.
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
