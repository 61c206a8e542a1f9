"""Only `transfo_common/pelican_compat.py` touches Pelican's private API (issue 24: "at most one
module touches Pelican private APIs").

A source scan (ast) of every module of plugins/ and tools/ (their tests aside) finds:
- a private name Pelican defines (`_open_w`, `_content`, `_expand_settings`…) read, written,
  imported, overridden in a subclass of a Pelican class, or named in getattr/setattr/a subscript,
  unless the module defines that name itself on a class of its own;
- an assignment to an attribute of a Pelican class or module (`Content.get_content = …`,
  `setattr(readers, …)`), or of any object when the attribute is a method Pelican defines
  (`pelican.run = …`, `readers.read_file = …`: a patched instance).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.support import ROOT

COMPAT = Path("plugins/transfo_common/pelican_compat.py")
SCANNED = ("plugins", "tools")


@dataclass(frozen=True)
class PelicanNames:
    private: frozenset[str]  # `_name`s Pelican defines: functions, methods, attributes
    methods: frozenset[str]  # public functions and methods Pelican defines


@cache
def pelican_names() -> PelicanNames:
    package = Path(importlib.util.find_spec("pelican").origin).parent
    private, methods = set(), set()
    for source in package.rglob("*.py"):
        if "tests" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if _is_private(node.name):
                    private.add(node.name)
                elif not _is_property(node):  # setting a property is its public use
                    methods.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _is_private(node.attr):
                private.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _is_private(node.id):
                private.add(node.id)
    methods -= {"__init__"}
    return PelicanNames(frozenset(private), frozenset(m for m in methods if not m.startswith("__")))


def _is_property(node: ast.AST) -> bool:
    decorators = getattr(node, "decorator_list", [])
    return any(isinstance(d, ast.Name) and d.id in ("property", "cached_property")
               or isinstance(d, ast.Attribute) and d.attr in ("setter", "getter", "deleter")
               for d in decorators)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


class _Scanner(ast.NodeVisitor):
    """The Pelican private accesses of one module: [(line, name)]."""

    def __init__(self, names: PelicanNames):
        self.names = names
        self.pelican_bound: set[str] = set()  # local names bound to a Pelican module or class
        self.own: set[str] = set()  # private names this module defines on classes of its own
        self.found: list[tuple[int, str]] = []

    def scan(self, tree: ast.Module) -> list[tuple[int, str]]:
        self._collect(tree)
        self.visit(tree)
        return self.found

    def _collect(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pelican":
                for alias in node.names:
                    self.pelican_bound.add(alias.asname or alias.name)
                    if _is_private(alias.name):
                        self.found.append((node.lineno, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "pelican":
                        self.pelican_bound.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and not self._derives_from_pelican(node):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_private(inner.name):
                        self.own.add(inner.name)
                    elif (isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store)
                          and isinstance(inner.value, ast.Name) and inner.value.id in ("self", "cls")):
                        self.own.add(inner.attr)
                for statement in node.body:  # class attributes
                    targets = statement.targets if isinstance(statement, ast.Assign) else \
                        [statement.target] if isinstance(statement, ast.AnnAssign) else []
                    self.own.update(t.id for t in targets if isinstance(t, ast.Name))

    def _derives_from_pelican(self, node: ast.ClassDef) -> bool:
        return any(self._root_name(base) in self.pelican_bound for base in node.bases)

    @staticmethod
    def _root_name(node: ast.expr) -> str | None:
        while isinstance(node, ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def _pelican_private(self, name: str) -> bool:
        return name in self.names.private and name not in self.own

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self._derives_from_pelican(node):  # overriding or setting a private name of Pelican's class
            for inner in ast.walk(node):
                name = None
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner in node.body:
                    name = inner.name
                elif isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                    name = inner.attr
                if name and name in self.names.private:
                    self.found.append((inner.lineno, name))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._pelican_private(node.attr):
            self.found.append((node.lineno, node.attr))
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            for item in (target.elts if isinstance(target, ast.Tuple) else [target]):
                self._check_patch(item)
        self.generic_visit(node)

    def _check_patch(self, target: ast.expr) -> None:
        if not isinstance(target, ast.Attribute):
            return
        owner = target.value
        if self._root_name(owner) in self.pelican_bound:
            self.found.append((target.lineno, target.attr))  # Content.get_content = …
        elif target.attr in self.names.methods and not (isinstance(owner, ast.Name) and owner.id == "self"):
            self.found.append((target.lineno, target.attr))  # readers.read_file = …

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        called = function.id if isinstance(function, ast.Name) else None
        if called in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                if self._pelican_private(name.value):
                    self.found.append((node.lineno, name.value))
                elif called == "setattr" and self._root_name(node.args[0]) in self.pelican_bound:
                    self.found.append((node.lineno, name.value))
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and self._pelican_private(key.value):
            self.found.append((node.lineno, key.value))
        self.generic_visit(node)


def private_accesses(source: str) -> list[tuple[int, str]]:
    return _Scanner(pelican_names()).scan(ast.parse(source))


def modules() -> list[Path]:
    return sorted(path.relative_to(ROOT) for folder in SCANNED for path in (ROOT / folder).rglob("*.py")
                  if "tests" not in path.relative_to(ROOT).parts)


def test_only_the_compat_module_touches_pelicans_private_api():
    found = {(str(path), name): line for path in modules() if path != COMPAT
             for line, name in private_accesses((ROOT / path).read_text(encoding="utf-8"))}
    offenders = sorted(f"{path}:{line}: {name}" for (path, name), line in found.items())
    assert offenders == [], "Pelican private API outside transfo_common/pelican_compat.py:\n" + \
        "\n".join(offenders)


def test_the_compat_module_is_where_the_accesses_are():
    assert {name for _line, name in private_accesses((ROOT / COMPAT).read_text(encoding="utf-8"))} >= {
        "_open_w", "_written_files", "_overridden_files", "_content"}


# What the scan must catch, and what it must leave alone.
CAUGHT = {
    "from pelican.contents import Content\nContent.get_content = lambda self, siteurl: ''": "get_content",
    "from pelican.contents import Content\nsetattr(Content, 'get_summary', None)": "get_summary",
    "def f(readers, w):\n    readers.read_file = w": "read_file",
    "def f(pelican):\n    pelican.run = print": "run",
    "def f(generator, w):\n    generator.generate_output, x = w, 1": "generate_output",
    "def f(writer):\n    return writer._written_files": "_written_files",
    "from pelican.writers import Writer\nclass W(Writer):\n    def _open_w(self, f, e, o=False): ...": "_open_w",
    "from pelican import readers\nclass R(readers.MarkdownReader):\n    def read(self, p):\n"
    "        self._source_path = p": "_source_path",
    "from pelican.readers import _filter_discardable_metadata": "_filter_discardable_metadata",
    "def f(obj):\n    return getattr(obj, '_content', None)": "_content",
    "def f(obj):\n    return vars(obj)['_content']": "_content",
    "import pelican.contents as c\nc.Content.url = 1": "url",
    "class Site:\n    def swap(self, obj, body):\n        obj._content = body": "_content",
}
LEFT_ALONE = (
    "import os\nos._exit(0)",
    "class Cache:\n    def __init__(self):\n        self._content = {}\n    def get(self, k):\n"
    "        return self._content[k]",
    "class Runner:\n    def __init__(self, run):\n        self.run = run",
    "def f(options):\n    options.verbose = True",
    "def f(page):\n    page.slug = 'un-titre'\n    page.status = 'published'",  # properties with setters
)


def test_the_scan_catches_every_kind_of_access():
    for source, name in CAUGHT.items():
        assert name in {found for _line, found in private_accesses(source)}, source


def test_the_scan_leaves_our_own_private_names_alone():
    for source in LEFT_ALONE:
        assert private_accesses(source) == [], source
