"""Assertions shared by the hostile and awkward input suite (issue: safe by construction).

Every case of the suite ends in one of two ways, and these helpers say what each must look like:
- refused: the command exits non-zero with one French line naming the file, and no traceback;
- accepted: the built pages carry no injected markup (checked on the parsed DOM) and no leak.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup
from transfo_admin.assets import PAGE_SCRIPTS

# Scripts the theme itself writes; any other script in a page came from content.
THEME_SCRIPT_TYPES = {"application/ld+json", "module"}
THEME_SCRIPT_SOURCES = re.compile(r"^(/|\.\./|https?://[^/]+/transfo/)?((theme|static)/js/|pagefind/)")
# The editors' admin page (transfo_admin) loads its own scripts, named relative to it.
ADMIN_PAGE = "admin/index.html"


def assert_refused(result: subprocess.CompletedProcess, path: Path | str, *words: str) -> str:
    """The command failed with a French line naming `path` (and `words`), without a traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    name = Path(path).name
    lines = [line for line in output.splitlines() if name in line]
    assert lines, f"no line names {name}:\n{output}"
    line = next((line for line in lines if all(word in line for word in words)), None)
    assert line is not None, f"no line names {name} with {words}:\n{output}"
    return line


def injected_markup(html: str, own_scripts: frozenset[str] = frozenset()) -> list[str]:
    """What in a page could run code that the theme did not write: handler attributes,
    javascript: URLs, script elements of content origin (but `own_scripts`), frames and objects."""
    page = BeautifulSoup(html, "lxml")
    found = []
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"} \
                    and re.match(r"\s*(javascript|vbscript|data:text/html)", text, re.I):
                found.append(f"<{tag.name} {name}={text[:40]}>")
        if tag.name in {"object", "embed", "base"}:
            found.append(f"<{tag.name}>")
        if tag.name == "script":
            kind = (tag.get("type") or "").lower()
            source = tag.get("src") or ""
            if source and not THEME_SCRIPT_SOURCES.match(source) and source not in own_scripts:
                found.append(f"<script src={source[:40]}>")
            elif not source and kind not in THEME_SCRIPT_TYPES:
                found.append(f"<script type={kind or 'text/javascript'}>")
    return found


def assert_no_injection(output: Path) -> None:
    """No page of a built site carries markup that could run code it did not write."""
    def own_scripts(page: Path) -> frozenset[str]:
        return frozenset(PAGE_SCRIPTS) if page.relative_to(output).as_posix() == ADMIN_PAGE else frozenset()

    problems = {str(page.relative_to(output)): injected_markup(page.read_text(encoding="utf-8"), own_scripts(page))
                for page in sorted(output.rglob("*.html"))}
    problems = {page: found for page, found in problems.items() if found}
    assert not problems, problems
