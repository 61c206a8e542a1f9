"""The editors' guide shows commands exactly as they run.

The rule: docs/README.md explains once how to open the project's terminal (the
environment activated with `source .venv/bin/activate`); every other page that shows an
`invoke` command links to that explanation; commands are `invoke <task>` or `make <target>`,
never `.venv/bin/...`; each names a task or target that exists. One publishing recipe,
docs/exemples/publier.yml, referenced by the pages that need a daily rebuild.
"""

from __future__ import annotations

import re

import pytest

from tests.support import ROOT, invoke

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
TERMINAL = "README.md#le-terminal-du-projet"
RECIPE = DOCS / "exemples" / "publier.yml"
# Code as the pages show it: fenced blocks, then inline `...` spans.
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"(?:^|[\s;&|(])(invoke|make)\s+([a-z][\w-]*)")


def shown_code(text: str) -> list[str]:
    blocks = FENCED.findall(text)
    return blocks + INLINE.findall(FENCED.sub("", text))


def commands(text: str) -> set[tuple[str, str]]:
    return {match.groups() for code in shown_code(text) for match in COMMAND.finditer(code)}


@pytest.fixture(scope="module")
def tasks() -> set[str]:
    listing = invoke("--list").stdout
    return set(re.findall(r"^  ([a-z][\w-]*)", listing, flags=re.MULTILINE))


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))


def test_the_rules_find_commands_in_blocks_and_inline_code():
    text = "Tapez `invoke check`, puis :\n\n```sh\ninvoke new --kind page\nmake publish  # tout\n```\n"
    assert commands(text) == {("invoke", "check"), ("invoke", "new"), ("make", "publish")}
    assert commands("Le mot invoke dans une phrase, `invoke --list`.") == set()


@pytest.mark.parametrize("page", PAGES + [ROOT / "README.md"], ids=lambda p: p.name)
def test_every_command_shown_names_a_task_or_target_that_exists(page, tasks):
    text = page.read_text(encoding="utf-8")
    unknown = sorted(f"{tool} {name}" for tool, name in commands(text)
                     if name not in (tasks if tool == "invoke" else make_targets()))
    assert unknown == [], f"{page.name}: commandes inconnues {unknown}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_commands_run_as_shown_in_the_activated_terminal(page):
    text = page.read_text(encoding="utf-8")
    paths = [line for line in text.splitlines() if ".venv/bin/" in line]
    assert all("source .venv/bin/activate" in line for line in paths), paths
    if page.name != "README.md" and any(tool == "invoke" for tool, _ in commands(text)):
        assert TERMINAL in text, f"{page.name} montre des commandes invoke sans lien vers {TERMINAL}"


def test_the_terminal_is_explained_once_in_the_guide():
    text = (DOCS / "README.md").read_text(encoding="utf-8")
    section = text.split("## Le terminal du projet", 1)[1].split("\n## ", 1)[0]
    assert "source .venv/bin/activate" in section and "make site" in section
    assert sum("source .venv/bin/activate" in page.read_text(encoding="utf-8") for page in PAGES) == 1


def test_one_publishing_recipe_on_push_and_every_night_with_the_gates_tools():
    recipe = RECIPE.read_text(encoding="utf-8")
    triggers = recipe.split("\non:\n", 1)[1].split("\nconcurrency:", 1)[0]
    assert "  push:\n    branches: [main]" in triggers and "  schedule:\n    - cron: " in triggers
    steps = re.findall(r"^\s+- run: (.+)$", recipe, flags=re.MULTILINE)
    assert steps[0] == "make publish KEEP=2" and steps[-1].startswith("make deploy DEST=")
    # make publish installs the gate's tools before it publishes.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^publish: \$\(STAMP\) chromium\n\t\$\(BIN\)/invoke publish", makefile, re.MULTILINE)
    assert re.search(r"^chromium:[^\n]*\n\t@scripts/ensure-chromium.sh\n\t@scripts/ensure-web-tools.sh", makefile,
                     re.MULTILINE)
    web_tools = (ROOT / "scripts" / "ensure-web-tools.sh").read_text(encoding="utf-8")
    assert all(tool in web_tools for tool in ("default-jre-headless", "nodejs npm", "nginx-light", "npm ci"))
    # No page carries a recipe of its own; the pages that need a daily rebuild point to the one.
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:- cron:|CRON_TZ|\S+ \S+ \* \* \*)", text, re.MULTILINE), page.name
    for name in ("agenda.md", "offres.md", "guide-redaction.md", "README.md"):
        assert "publication.md#la-publication-automatique" in (DOCS / name).read_text(encoding="utf-8"), name
    assert "exemples/publier.yml" in (DOCS / "publication.md").read_text(encoding="utf-8")


def test_the_publishing_recipe_keeps_its_state_from_one_run_to_the_next():
    """A forge's runner starts empty: the recipe restores cache/ and public/ as the last run left
    them before publishing, and saves them after, even when the publish failed. Without them, every
    publish encodes every image and checks every page again (docs/publication.md)."""
    from transfo_quality.release import SPARE_PREFIX, STAGING_PREFIX, TRASH_PREFIX

    steps = RECIPE.read_text(encoding="utf-8").split("\n      - ")[1:]
    at = {name: next(i for i, step in enumerate(steps) if step.startswith(name))
          for name in ("uses: actions/checkout@", "uses: actions/cache/restore@", "run: make publish",
                       "uses: actions/cache/save@", "run: make deploy")}
    assert list(at.values()) == sorted(at.values())  # in that order
    restore, save = steps[at["uses: actions/cache/restore@"]], steps[at["uses: actions/cache/save@"]]

    def block(step: str, name: str) -> str:
        found = re.search(rf"^ +{name}: (\|\n(?: {{12}}.+\n?)+|.+)$", step, re.MULTILINE)
        assert found, (name, step)
        return found[1]

    # The same paths on both sides (they are part of actions/cache's key), without the releases
    # being deleted, a staging folder an interrupted job left (never cleaned up otherwise), nor the
    # spare release (one more release to archive and restore costs more than the copy it saves).
    paths = block(restore, "path").split()
    assert paths == block(save, "path").split() == ["|", "cache", "public", f"!public/releases/{TRASH_PREFIX}*",
                                                    f"!public/releases/{STAGING_PREFIX}*",
                                                    f"!public/releases/{SPARE_PREFIX}*"]
    # A key of its own for each run, the newest earlier one restored.
    assert block(restore, "key") == block(save, "key") == "publication-${{ github.run_id }}"
    assert block(restore, "restore-keys") == "publication-"
    assert re.search(r"^        if: always\(\)$", save, re.MULTILINE)
    # Between the two, the releases taken out by KEEP have finished disappearing (their deletion
    # runs in the background): else the archive would see public/releases/ change as it reads it.
    waiting = steps[at["run: make publish"] + 1:at["uses: actions/cache/save@"]]
    assert len(waiting) == 1 and f"public/releases/{TRASH_PREFIX}*" in waiting[0] and "if: always()" in waiting[0]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\t\$\(BIN\)/invoke publish --root \$\(PUBLISH_ROOT\) --keep \$\(KEEP\)$", makefile,
                     re.MULTILINE)


def test_the_guide_lists_every_kind_of_invoke_new_and_each_has_its_model(tmp_path):
    refused = invoke("new", "--kind", "nimporte", "--title", "X", "--content", str(tmp_path), check=False)
    assert refused.returncode == 2
    accepted = refused.stderr.strip().split("attendu : ", 1)[1].split(", ")
    table = (DOCS / "README.md").read_text(encoding="utf-8").split("## Les modèles", 1)[1].split("\n## ", 1)[0]
    table = table.split("| --- |", 1)[1]  # the rows under the header
    listed = [row.split("`")[1] for row in table.splitlines() if row.startswith("| `")]
    assert listed == accepted
    assert sorted(accepted) == sorted(p.stem for p in (DOCS / "modeles").glob("*.md"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.split("`invoke new ", 1)[1].split("`", 1)[0].split("--kind ", 1)[1].split("]")[0] == \
        "\\|".join(accepted)
