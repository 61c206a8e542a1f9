"""The quality gate over a built site: run by `invoke publish`, `invoke quality` and the tests."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from transfo_common.files import sha256_of_file
from transfo_common.markup import DEFAULT_EMBED_HOSTS

from . import checks
from .axe import axe_findings, axe_identity
from .pages import (
    SAME_FROM_EVERY_PAGE,
    TOOL_FOLDERS,
    PageFacts,
    SiteBases,
    html_pages,
    page_facts,
    site_bases,
    site_path,
    template_signature,
    tool_pages,
)
from .verdicts import Verdicts
from .vnu_service import HtmlChecker
from .weight import Weight, page_weight

if TYPE_CHECKING:  # Playwright is imported when a browser is launched
    from playwright.sync_api import Browser

# Pages that must render with no JavaScript at all (issue: home and article).
NO_SCRIPT_FAMILIES = ("index.html",)
# Scripts those pages may still load: each only adds to a page that reads and shares without it
# (share.js: the phone's share sheet and « Copier le lien » beside plain share links).
ENHANCEMENTS = ("/js/share.js",)
# Budget of one page's HTML+CSS+JS, gzip-compressed (the sample's heaviest is ~12 KiB).
TEXT_BUDGET = 50 * 1024


@dataclass(frozen=True)
class Changes:
    """What a publish changed since the previous release: the gate looks only there.

    `digests` holds every file of the new release (site-relative path -> SHA-256),
    `changed` the files with new or different bytes, `removed` those gone.
    """

    digests: dict[str, str]
    changed: frozenset[str]
    removed: frozenset[str] = frozenset()


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    families: dict[str, str] = field(default_factory=dict)  # signature -> sample page, whole site
    weights: list[tuple[str, Weight]] = field(default_factory=list)
    pages: int = 0  # HTML pages in the site
    checked: list[str] = field(default_factory=list)  # pages whose own checks ran (changed pages)
    links_checked: list[str] = field(default_factory=list)  # pages whose links were followed
    validated: int = 0  # pages through vnu in this run (the others' findings came from the cache)
    axe_pages: list[str] = field(default_factory=list)
    axe_run: int = 0  # of axe_pages, those judged in Chromium in this run (the others' from the cache)
    other_files: list[str] = field(default_factory=list)  # feeds and calendars parsed back

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [f"Contrôle qualité : {self.pages} page(s) HTML, {len(self.families)} gabarit(s) ; "
                 f"{len(self.checked)} page(s) contrôlée(s), liens suivis sur {len(self.links_checked)}, "
                 f"{self.validated} passée(s) au validateur HTML (les autres : verdict en cache), "
                 f"axe sur {len(self.axe_pages)} (dont {self.axe_run} dans Chromium, les autres : verdict en cache)."]
        lines.append("Poids par gabarit (page témoin) :")
        lines += ["  " + weight.line(family) for family, weight in self.weights]
        if self.problems:
            lines.append(f"{len(self.problems)} problème(s) :")
            lines += ["  " + problem for problem in self.problems]
        else:
            lines.append("Aucun problème.")
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {"pages": self.pages, "checked": self.checked, "links_checked": self.links_checked,
                "validated": self.validated, "axe_pages": self.axe_pages, "axe_run": self.axe_run,
                "other_files": self.other_files,
                "families": len(self.families), "problems": self.problems}


def sample_pages(facts: dict[str, PageFacts]) -> dict[str, str]:
    """One page per template family: the first by path (stable from build to build)."""
    families: dict[str, str] = {}
    for page in sorted(facts, key=lambda p: (p.count("/"), p)):
        families.setdefault(template_signature(facts[page], page), page)
    return families


def article_pages(facts: dict[str, PageFacts]) -> list[str]:
    return [page for page, f in facts.items() if "article-page" in f.body_class.split()]


def _all_facts(site: Path, pages: list[str], digests: dict[str, str], verdicts: Verdicts | None,
               texts: dict[str, str]) -> dict[str, PageFacts]:
    """Every page's facts: parsed from `texts` (the pages to check) or from the cache by hash."""
    facts = {}
    for page in pages:
        digest = digests.get(page)
        known = verdicts.facts(digest) if verdicts is not None and digest and page not in texts else None
        if known is None:
            text = texts.get(page)
            if text is None:
                text = texts[page] = page_text(site / page)
            known = page_facts(text)
            if verdicts is not None and digest:
                verdicts.keep_facts(digest, known)
        facts[page] = known
    return facts


def _linking_to(site: Path, links: dict[str, list[str]], bases: SiteBases, paths: set[str]) -> set[str]:
    """Pages (with their `links`) that link into `paths` (files changed or removed).

    Pages repeat the site's absolute links (menus, lists, footers): 242,000 links on 3,576
    pages at 2,000 articles, 25,600 distinct. Such a link points to the same file from every
    page, so each distinct one is resolved once and the pages are matched by set (1.9 s -> 0.35 s).
    """
    if not paths:
        return set()

    def points_into(url: str, page: str) -> bool:
        path = site_path(url.split("#", 1)[0], bases, page)
        if path is None:
            return False
        candidates = {path + "index.html"} if path.endswith("/") or path == "" else {path, path + "/index.html"}
        return bool(candidates & paths)

    every_link = set().union(*links.values())
    same_everywhere = {url for url in every_link if url.startswith(SAME_FROM_EVERY_PAGE)}
    into = {url for url in same_everywhere if points_into(url, "")}
    return {page for page, urls in links.items()
            if not into.isdisjoint(urls) or any(points_into(url, page) for url in set(urls) - same_everywhere)}


def axe_inputs(page: str, facts: PageFacts, bases: SiteBases,
               digests: dict[str, str]) -> list[tuple[str, str]] | None:
    """(path, SHA-256) of the files axe-core's verdict on `page` depends on: the page, then the
    stylesheets and scripts it loads (contrast, what scripts add). None when one of them is not
    in `digests` (the release's files): the page is then judged again."""
    loaded = []
    for url in dict.fromkeys([*facts.stylesheets, *facts.scripts]):
        path = site_path(url, bases, page)
        if path is None or path not in digests:
            return None
        loaded.append((path, digests[path]))
    if page not in digests:
        return None
    return [(page, digests[page]), *sorted(loaded)]


def axe_key(page: str, facts: PageFacts, base: str, bases: SiteBases, digests: dict[str, str]) -> str | None:
    """What axe-core's verdict on `page` depends on, hashed: `axe_inputs`, the address it is
    served at, and which axe-core and Chromium judge."""
    inputs = axe_inputs(page, facts, bases, digests)
    if inputs is None:
        return None
    described = json.dumps([base, axe_identity(), inputs[0][1], inputs[1:]])
    return hashlib.sha256(described.encode("utf-8")).hexdigest()


def page_text(path: Path) -> str:
    """A page's text; bytes that are not UTF-8 become U+FFFD (reported by the gate, not a traceback)."""
    return path.read_bytes().decode("utf-8", errors="replace")


def _utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _still_as_judged(site: Path, inputs: list[tuple[str, str]]) -> bool:
    """Whether the files a verdict was keyed with are still there with those bytes. A publish
    cancelled while axe runs deletes its staging folder: the pages axe then loads are missing, and
    that verdict, kept under the page's key, would fail every later publish of the same page."""
    try:
        return all(sha256_of_file(site / path) == digest for path, digest in inputs)
    except OSError:
        return False


def _accessibility(site: Path, base: str, pages: list[str], facts: dict[str, PageFacts], bases: SiteBases,
                   digests: dict[str, str], verdicts: Verdicts | None, browser: Browser | None,
                   report: Report) -> list[str]:
    """axe-core on `pages`, one line per rule and page; a page judged before as it is now (`axe_key`)
    takes that verdict from the cache, so Chromium starts only for pages it has not seen."""
    keys: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    for page in pages:
        key = axe_key(page, facts[page], base, bases, digests) if verdicts is not None else None
        known = verdicts.axe_findings(key) if verdicts is not None and key is not None else None
        if key is not None:
            keys[page] = key
        if known is not None:
            found[page] = known
    unseen = [page for page in pages if page not in found]
    if unseen:
        for page, lines in axe_findings(site, base, unseen, browser=browser).items():
            found[page] = lines
            inputs = axe_inputs(page, facts[page], bases, digests)
            if verdicts is not None and page in keys and inputs and _still_as_judged(site, inputs):
                verdicts.keep_axe_findings(keys[page], lines)
    report.axe_run = len(unseen)
    return [f"{page} : {line}" for page in pages for line in found[page]]


def _validate(site: Path, pages: list[str], digests: dict[str, str], verdicts: Verdicts | None,
              report: Report, checker: HtmlChecker | None) -> list[str]:
    """vnu on the pages whose bytes it has never seen; the others' findings come from the cache."""
    findings: dict[str, list[tuple[str, str]]] = {}
    unseen = []
    for page in pages:
        known = verdicts.html_findings(digests[page]) if verdicts is not None and page in digests else None
        if known is None:
            unseen.append(page)
        else:
            findings[page] = known
    fresh, problems = checks.vnu_findings([site / page for page in unseen], checker=checker)
    report.validated = len(unseen)
    for path, found in fresh.items():
        page = path.relative_to(site).as_posix()
        findings[page] = found
        if verdicts is not None and page in digests:
            verdicts.keep_html_findings(digests[page], found)
    for page in pages:
        problems += checks.html_problems(page, findings.get(page, []))
    return problems


def run_gate(site: Path, base_urls: tuple[str | None, ...], *, validate: bool = True, axe_base: str | None = None,
             browser: Browser | None = None, embed_hosts: tuple[str, ...] = DEFAULT_EMBED_HOSTS,
             tools: tuple[str, ...] = TOOL_FOLDERS, changes: Changes | None = None,
             verdicts: Verdicts | None = None, checker: HtmlChecker | None = None) -> Report:
    """Every check of the gate; `axe_base` (the site's absolute URL) turns axe-core on.

    `embed_hosts`: the frames editors may embed (TRANSFO_EMBED_HOSTS).
    `tools`: top folders of tools (search index, CMS) whose HTML is only validated.
    `changes`: only what a publish changed is checked (None: everything): the changed pages,
    the links of pages that point to a changed or removed file, the changed feeds and
    calendars, and axe on one changed page per template involved.
    `verdicts`: the cache of facts and HTML findings per page hash.
    `checker`: a vnu service already started (`checks.start_html_checker`), for a few pages.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="transfo-vnu") as beside:
        return _gate(Path(site).resolve(), site_bases(*base_urls), beside, validate=validate, axe_base=axe_base,
                     browser=browser, embed_hosts=embed_hosts, tools=tools, changes=changes, verdicts=verdicts,
                     checker=checker)


def _gate(site: Path, bases: SiteBases, beside: ThreadPoolExecutor, *, validate: bool, axe_base: str | None,
          browser: Browser | None, embed_hosts: tuple[str, ...], tools: tuple[str, ...], changes: Changes | None,
          verdicts: Verdicts | None, checker: HtmlChecker | None) -> Report:
    """`run_gate`; the Nu HTML Checker runs `beside` the other checks, so that Java and Chromium
    (for axe), each seconds long to start, start on different cores."""
    files = html_pages(site, tools)
    report = Report(pages=len(files))
    if not files:
        report.problems.append(f"{site} : aucune page HTML (le site n'a pas été construit ?)")
        return report
    pages = [path.relative_to(site).as_posix() for path in files]
    tool_files = [path.relative_to(site).as_posix() for path in tool_pages(site, tools)]
    digests = changes.digests if changes is not None else {}
    wanted = set(pages + tool_files) if changes is None else set(changes.changed)
    texts = {page: page_text(site / page) for page in pages if page in wanted}
    report.problems += [f"{page} : octets illisibles en UTF-8 ; attendu : une page en UTF-8"
                        for page, text in texts.items() if "\ufffd" in text and not _utf8(site / page)]
    facts = _all_facts(site, pages, digests, verdicts, texts)
    checked = {page: facts[page] for page in pages if page in wanted}
    report.checked = sorted(checked)
    report.families = sample_pages(facts)
    involved = sample_pages(checked)
    if changes is not None:
        # A stylesheet or script changed changes how the pages loading it look and behave, their
        # bytes unchanged: one of each of their families is weighed and goes through axe again.
        loading = _linking_to(site, {page: [*f.stylesheets, *f.scripts] for page, f in facts.items()}, bases,
                              set(changes.changed))
        for family, page in sample_pages({page: facts[page] for page in loading}).items():
            involved.setdefault(family, page)
    report.weights = [(family, page_weight(site, page, facts[page], bases))
                      for family, page in sorted(involved.items(), key=lambda item: item[1])]
    report.problems += [f"{weight.page} : HTML+CSS+JS {weight.text_bytes / 1024:.1f} Kio compressés, "
                        f"budget {TEXT_BUDGET / 1024:.0f} Kio" for _, weight in report.weights
                        if weight.text_bytes > TEXT_BUDGET]
    validation = beside.submit(_validate, site, [page for page in [*pages, *tool_files] if page in wanted],
                               digests, verdicts, report, checker) if validate else None
    followed = set(checked)
    if changes is not None:
        followed |= _linking_to(site, {page: f.links for page, f in facts.items()}, bases,
                                set(changes.changed) | set(changes.removed))
    report.links_checked = sorted(followed)
    report.problems += checks.check_links(site, {page: facts[page] for page in sorted(followed)}, bases, facts)
    report.problems += checks.check_json_ld(checked)
    report.problems += checks.check_inline_code(checked)
    report.problems += checks.check_markup({page: texts[page] for page in checked}, bases, embed_hosts)
    others = None if changes is None else {path for path in changes.changed if path.endswith((".xml", ".ics"))}
    report.other_files = sorted(others) if others is not None else ["*"]
    report.problems += checks.check_feeds(site, others)
    report.problems += checks.check_calendars(site, others)
    report.problems += checks.check_no_script(checked, [*NO_SCRIPT_FAMILIES, *article_pages(checked)], ENHANCEMENTS)
    accessibility = []
    if axe_base and involved:
        report.axe_pages = sorted(involved.values())
        accessibility = _accessibility(site, axe_base, report.axe_pages, facts, bases, digests, verdicts, browser,
                                       report)
    if validation is not None:
        report.problems += validation.result()
    report.problems += accessibility
    return report
