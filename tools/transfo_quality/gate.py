"""The quality gate over a built site: run by `invoke publish`, `invoke quality` and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from transfo_common.markup import DEFAULT_EMBED_HOSTS

from . import checks
from .pages import TOOL_FOLDERS, PageFacts, html_pages, page_facts, site_bases, template_signature, tool_pages
from .weight import Weight, page_weight

# Pages that must render with no JavaScript at all (issue: home and article).
NO_SCRIPT_FAMILIES = ("index.html",)
# Scripts those pages may still load: each only adds to a page that reads and shares without it
# (share.js: the phone's share sheet and « Copier le lien » beside plain share links).
ENHANCEMENTS = ("/js/share.js",)
# Budget of one page's HTML+CSS+JS, gzip-compressed (the sample's heaviest is ~12 KiB).
TEXT_BUDGET = 50 * 1024


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    families: dict[str, str] = field(default_factory=dict)  # signature -> sample page
    weights: list[tuple[str, Weight]] = field(default_factory=list)
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [f"Contrôle qualité : {self.pages} page(s) HTML, {len(self.families)} gabarit(s)."]
        lines.append("Poids par gabarit (page témoin) :")
        lines += ["  " + weight.line(family) for family, weight in self.weights]
        if self.problems:
            lines.append(f"{len(self.problems)} problème(s) :")
            lines += ["  " + problem for problem in self.problems]
        else:
            lines.append("Aucun problème.")
        return "\n".join(lines)


def sample_pages(facts: dict[str, PageFacts]) -> dict[str, str]:
    """One page per template family: the first by path (stable from build to build)."""
    families: dict[str, str] = {}
    for page in sorted(facts, key=lambda p: (p.count("/"), p)):
        families.setdefault(template_signature(facts[page], page), page)
    return families


def article_pages(facts: dict[str, PageFacts]) -> list[str]:
    return [page for page, f in facts.items() if "article-page" in f.body_class.split()]


def run_gate(site: Path, base_urls: tuple[str | None, ...], *, validate: bool = True, axe_base: str | None = None,
             browser=None, embed_hosts: tuple[str, ...] = DEFAULT_EMBED_HOSTS,
             tools: tuple[str, ...] = TOOL_FOLDERS) -> Report:
    """Every check of the gate; `axe_base` (the site's absolute URL) turns axe-core on.

    `embed_hosts`: the frames editors may embed (TRANSFO_EMBED_HOSTS).
    `tools`: top folders of tools (search index, CMS) whose HTML is only validated.
    """
    site = Path(site)
    bases = site_bases(*base_urls)
    files = html_pages(site, tools)
    texts = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in files}
    facts = {page: page_facts(text) for page, text in texts.items()}
    report = Report(pages=len(files))
    if not files:
        report.problems.append(f"{site} : aucune page HTML (le site n'a pas été construit ?)")
        return report
    report.families = sample_pages(facts)
    report.weights = [(family, page_weight(site, page, facts[page], bases))
                      for family, page in sorted(report.families.items(), key=lambda item: item[1])]
    report.problems += [f"{weight.page} : HTML+CSS+JS {weight.text_bytes / 1024:.1f} Kio compressés, "
                        f"budget {TEXT_BUDGET / 1024:.0f} Kio" for _, weight in report.weights
                        if weight.text_bytes > TEXT_BUDGET]
    report.problems += checks.check_links(site, facts, bases)
    report.problems += checks.check_json_ld(facts)
    report.problems += checks.check_inline_code(facts)
    report.problems += checks.check_markup(texts, bases, embed_hosts)
    report.problems += checks.check_feeds(site)
    report.problems += checks.check_calendars(site)
    articles = article_pages(facts)
    report.problems += checks.check_no_script(facts, [*NO_SCRIPT_FAMILIES, *articles], ENHANCEMENTS)
    if validate:
        report.problems += checks.validate_html(site, files + tool_pages(site, tools))
    if axe_base:
        from .axe import axe_problems

        report.problems += axe_problems(site, axe_base, sorted(report.families.values()), browser=browser)
    return report
