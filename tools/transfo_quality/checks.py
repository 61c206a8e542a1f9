"""The checks of the quality gate, each returning problems as one French line each.

Every check reads the built site only, so it works on whatever page types
the other plugins write.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from transfo_common.markup import unsafe_markup

from .pages import SAME_FROM_EVERY_PAGE, PageFacts, SiteBases, resolve_file, site_path
from .vnu_service import FEW_PAGES, FROM_PAGES, HtmlChecker

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_ROOTS = {f"{ATOM}feed", "rss"}


def _relative(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def check_links(site: Path, facts: dict[str, PageFacts], bases: SiteBases,
                targets: dict[str, PageFacts] | None = None) -> list[str]:
    """Every internal link, image, stylesheet and script of the `facts` pages resolves to a file
    (and anchor, read from `targets`: every page of the site, `facts` by default).

    Pages repeat the site's links (menus, lists, footers): 241,800 links on 3,576 pages at
    2,000 articles, for far fewer files. Each link that reads the same from every page is
    placed once, and each file looked up once (all pages: 3.0-3.7 s -> 0.7-0.9 s).
    """
    targets = facts if targets is None else targets
    placed: dict[str, str | None] = {}
    found: dict[str, Path | None] = {}
    problems = []
    for page, page_facts in facts.items():
        for url in dict.fromkeys(page_facts.links):
            if url.startswith(SAME_FROM_EVERY_PAGE):
                if url not in placed:
                    placed[url] = site_path(url, bases, page)
                path = placed[url]
            else:
                path = site_path(url, bases, page)
            if path is None:
                continue
            if path not in found:
                found[path] = resolve_file(site, path)
            target = found[path]
            if target is None:
                problems.append(f"{page} : lien cassé vers « {url} » (aucun fichier {path or 'index.html'})")
                continue
            fragment = urlsplit(url).fragment
            if fragment and target.suffix == ".html":
                target_facts = targets.get(_relative(site, target))
                if target_facts is not None and fragment not in target_facts.ids:
                    problems.append(f"{page} : ancre introuvable « {url} » (pas d'id « {fragment} »)")
    return problems


def check_json_ld(facts: dict[str, PageFacts]) -> list[str]:
    """Every JSON-LD block parses and names a schema.org @context and a @type."""
    problems = []
    for page, page_facts in facts.items():
        for number, block in enumerate(page_facts.json_ld, start=1):
            try:
                data = json.loads(block)
            except json.JSONDecodeError as error:
                problems.append(f"{page} : bloc JSON-LD n° {number} illisible ({error})")
                continue
            for item in data if isinstance(data, list) else [data]:
                if not isinstance(item, dict) or ("@type" not in item and "@graph" not in item):
                    problems.append(f"{page} : bloc JSON-LD n° {number} sans @type")
                elif "schema.org" not in json.dumps(item.get("@context", "")):
                    problems.append(f"{page} : bloc JSON-LD n° {number} sans @context schema.org")
    return problems


def check_inline_code(facts: dict[str, PageFacts]) -> list[str]:
    """No inline script or style: the Content-Security-Policy of docs/nginx.conf forbids them.

    (`style-src 'self'` blocks style="" attributes as well as <style>: a
    focal point or colour must come from a class in a stylesheet.)
    """
    problems = []
    for page, page_facts in facts.items():
        if page_facts.inline_scripts:
            problems.append(f"{page} : {page_facts.inline_scripts} script(s) en ligne (interdit par la CSP)")
        if page_facts.style_elements:
            problems.append(f"{page} : {page_facts.style_elements} élément(s) <style> (interdit par la CSP)")
        if page_facts.style_attributes:
            problems.append(f"{page} : {page_facts.style_attributes} attribut(s) style=\"…\" "
                            "(interdit par la CSP, ignoré par le navigateur)")
    return problems


def check_markup(texts: dict[str, str], bases: SiteBases, hosts: tuple[str, ...]) -> list[str]:
    """Nothing in a page can run code the theme did not write, or load a frame the CSP blocks.

    The policy `invoke check` applies to the Markdown sources (transfo_common.markup),
    here on what was built: the theme's scripts (its own files, JSON-LD) are its own.
    """
    problems = []
    for page, text in texts.items():
        def own_script(attributes: dict, page: str = page) -> bool:
            source = attributes.get("src", "")
            if source:
                return site_path(source, bases, page) is not None
            return attributes.get("type", "").lower() == "application/ld+json"

        problems += [f"{page}:{finding.line} : {finding.message}"
                     for finding in unsafe_markup(text, hosts, own_script)]
    return problems


def site_files(site: Path, suffixes: tuple[str, ...], only: set[str] | None = None) -> list[Path]:
    """The files of `site` named with one of `suffixes`, sorted; among `only` (site-relative paths)
    when given, without walking the site (22,000 files at 2,000 articles: ~0.3 s a walk)."""
    if only is not None:
        return sorted(site / name for name in only if name.endswith(suffixes) and (site / name).is_file())
    return sorted(path for suffix in suffixes for path in Path(site).rglob(f"*{suffix}") if path.is_file())


def feed_files(site: Path, only: set[str] | None = None) -> list[Path]:
    """XML files whose root is an Atom feed or an RSS channel (among `only`, site-relative, if given)."""
    found = []
    for path in site_files(site, (".xml", ".atom", ".rss"), only):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            found.append(path)  # reported by check_feeds
            continue
        if root.tag in FEED_ROOTS:
            found.append(path)
    return found


def parse_feed(path: Path) -> list[dict]:
    """The entries of an Atom or RSS file as dicts (title, link, id); raises on bad XML."""
    root = ET.parse(path).getroot()
    entries = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link")
            entries.append({"title": entry.findtext(f"{ATOM}title"), "id": entry.findtext(f"{ATOM}id"),
                            "link": link.get("href") if link is not None else None})
    else:
        for item in root.iter("item"):
            entries.append({"title": item.findtext("title"), "id": item.findtext("guid"),
                            "link": item.findtext("link")})
    return entries


def check_feeds(site: Path, only: set[str] | None = None) -> list[str]:
    """Every XML file parses; every feed entry has a title, an id and a link.

    `only`: the site-relative paths to look at (the files a publish changed); None: all.
    """
    problems = []
    for path in site_files(site, (".xml",), only):
        try:
            ET.parse(path)
        except ET.ParseError as error:
            problems.append(f"{_relative(site, path)} : XML illisible ({error})")
    for path in feed_files(site, only):
        try:
            entries = parse_feed(path)
        except ET.ParseError:
            continue
        for number, entry in enumerate(entries, start=1):
            missing = [key for key in ("title", "id", "link") if not (entry[key] or "").strip()]
            if missing:
                problems.append(f"{_relative(site, path)} : entrée n° {number} sans {', '.join(missing)}")
    return problems


def check_calendars(site: Path, only: set[str] | None = None) -> list[str]:
    """Every .ics file parses (icalendar) and each event has a UID, a start and a summary."""
    from icalendar import Calendar

    problems = []
    for path in site_files(site, (".ics",), only):
        try:
            calendar = Calendar.from_ical(path.read_bytes())
        except ValueError as error:
            problems.append(f"{_relative(site, path)} : calendrier illisible ({error})")
            continue
        for number, event in enumerate(calendar.walk("VEVENT"), start=1):
            missing = [key for key in ("UID", "DTSTART", "SUMMARY") if key not in event]
            if missing:
                problems.append(f"{_relative(site, path)} : événement n° {number} sans {', '.join(missing)}")
    return problems


# Node tools of the gate, pinned in the repository's package.json (`npm ci`).
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


# The JVM's quick compiler only (C1): vnu spends most of a run starting, and the optimising
# compiler (C2) worked on two cores for code that ran for seconds. Measured here on pages of the
# 2,000-article release, wall / CPU: 1 page 3.8-4.7 s / 6.9-8.5 s -> 2.4-3.2 s / 2.8-3.8 s;
# 400 pages 19.1 / 35.5 -> 12.5 / 13.6 s; 1,500 pages 39.1 / 63.1 -> 37.5 / 38.1 s. C1's frames
# are larger: the schema's recursion needs more than vnu's documented 512 KiB of stack (2 MiB
# did), 8 MiB leaves room for deeper pages.
VNU_JAVA_OPTIONS = ("-Xss8m", "-XX:TieredStopAtLevel=1")


def vnu_jar() -> Path:
    """The Nu HTML Checker, from the pinned `vnu-jar` npm package (it runs on Java)."""
    return NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


# Pages per Nu HTML Checker process, at least: a JVM takes ~2 s and ~3 s of CPU to start, then
# ~13 ms a page on one core. Past twice this, the pages are shared among one vnu per core (2,000
# pages of the 2,000-article release, idle machine: 23.2-25.1 s in one process, 12.9-17.8 s in
# two). Below, a second JVM's start would cost more CPU than it saves time on a busy publish.
VNU_PAGES_PER_PROCESS = 400


def start_html_checker(warm_with: Path | None = None) -> HtmlChecker | None:
    """vnu as a service, starting in the background (see `vnu_service`); None without Java or vnu,
    which `vnu_findings` then reports."""
    java = shutil.which("java")
    if java is None or not vnu_jar().is_file():
        return None
    return HtmlChecker([java, *VNU_JAVA_OPTIONS], vnu_jar(), warm_with)


def html_checker_for_publish(live: Path | None, live_files: Iterable[str]) -> HtmlChecker | None:
    """The vnu service a publish starts as it builds, warmed on the live release's home page; None
    without a live release of `FROM_PAGES` HTML pages at least (`live_files`: its files), where the
    command line costs less."""
    if live is None or not (live / "index.html").is_file() or \
            sum(1 for name in live_files if name.endswith(".html")) < FROM_PAGES:
        return None
    return start_html_checker(warm_with=live / "index.html")


def vnu_findings(pages: list[Path], per_process: int = VNU_PAGES_PER_PROCESS,
                 checker: HtmlChecker | None = None) -> tuple[dict[Path, list[tuple[str, str]]], list[str]]:
    """Run the Nu HTML Checker (vnu), errors only, on `pages`: ({page: [(line, message)]} with an
    entry for every page checked, none for the pages of a vnu that failed; [problems running vnu]).
    A few pages go to `checker`, a vnu service already started, when it answers. Else vnu's
    command line checks one file after another on one core: from twice `per_process` pages on,
    they are shared among one vnu per core, run side by side."""
    java = shutil.which("java")
    if java is None:
        return {}, ["Validation HTML impossible : Java est absent (lancez scripts/ensure-java.sh)."]
    if not pages:
        return {}, []
    if not vnu_jar().is_file():
        return {}, [f"Validation HTML impossible : {vnu_jar()} manque (lancez `npm ci` à la racine du dépôt)."]
    if checker is not None and len(pages) <= FEW_PAGES:
        answered = checker.findings(pages)
        if answered is not None:
            return answered, []
    parts = max(1, min(os.cpu_count() or 1, len(pages) // per_process))
    with ThreadPoolExecutor(parts, thread_name_prefix="transfo-vnu-part") as pool:
        answers = list(pool.map(partial(_vnu_run, java), [pages[start::parts] for start in range(parts)]))
    found = {page: page_found for part_found, _ in answers for page, page_found in part_found.items()}
    in_order = {Path(page): found[Path(page)] for page in pages if Path(page) in found}  # none of a failed part
    return in_order, [line for _, lines in answers for line in lines]


def _vnu_run(java: str, pages: list[Path]) -> tuple[dict[Path, list[tuple[str, str]]], list[str]]:
    """One vnu process on `pages`: `vnu_findings` for them."""
    result = subprocess.run(
        [java, *VNU_JAVA_OPTIONS, "-jar", str(vnu_jar()), "--format", "json", "--errors-only", "--exit-zero-always",
         *(str(p) for p in pages)],
        capture_output=True, text=True, timeout=600,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        return {}, [f"Validation HTML impossible : vnu a répondu {(result.stderr or result.stdout)[:300]!r}"]
    findings: dict[Path, list[tuple[str, str]]] = {Path(page): [] for page in pages}
    given = {Path(page).resolve(): Path(page) for page in pages}  # vnu names files by absolute URL
    unplaced = []
    for message in messages:
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
        finding = (str(message.get("lastLine", "?")), message.get("message", "").strip())
        if path.resolve() in given:
            findings[given[path.resolve()]].append(finding)
        else:
            unplaced.append(f"{url}:{finding[0]} : HTML invalide : {finding[1]}")
    return findings, unplaced


def html_problems(page: str, findings: list[tuple[str, str]]) -> list[str]:
    return [f"{page}:{line} : HTML invalide : {message}" for line, message in findings]


def validate_html(site: Path, pages: list[Path]) -> list[str]:
    """Every page through the Nu HTML Checker (vnu), errors only."""
    findings, problems = vnu_findings(pages)
    for path, found in findings.items():
        inside = path.resolve().is_relative_to(Path(site).resolve())
        problems += html_problems(path.resolve().relative_to(Path(site).resolve()).as_posix() if inside
                                  else str(path), found)
    return problems


def check_no_script(facts: dict[str, PageFacts], pages: list[str], enhancements: tuple[str, ...] = ()) -> list[str]:
    """The listed pages render without JavaScript: they load none, but the `enhancements` (scripts
    whose address ends so), which only add to a page that works without them."""
    def needed(page: str) -> list[str]:
        return [src for src in facts[page].scripts if not src.endswith(enhancements)]

    return [f"{page} : charge du JavaScript ({', '.join(needed(page) or ['en ligne'])}) ; cette page doit s'en passer"
            for page in pages if page in facts and (needed(page) or facts[page].inline_scripts)]
