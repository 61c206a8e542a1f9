"""Content kinds and the validation of one document against its kind.

A `ContentKind` says where files of a kind live and which fields they take.
Plugins add kinds, or fields to an existing kind, through the
`content_kinds` signal (see `signals.py`); this module only holds pure logic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import frontmatter, tree
from .comments import comment_problems
from .fields import Field, FieldError, ParseContext, did_you_mean
from .problems import Problem
from .status import DRAFT
from .tree import DEFAULT_IGNORES

MARKDOWN_SUFFIX = ".md"  # the one extension content files take (docs/guide-redaction.md)
# An internal link as Pelican resolves it: a Markdown target, a reference, or an href/src.
_INTERNAL_LINK = re.compile(
    r"""(?:\]\(\s*<?|^[ \t]*\[[^\]]+\]:[ \t]*<?|(?:href|src)\s*=\s*["']?)"""
    r"""(?P<link>[{|](?:filename|static|attach)[}|](?P<path>[^\s)"'>]*))""",
    re.MULTILINE,
)

Rule = Callable[["Document"], Iterable[Problem]]


@dataclass(frozen=True)
class ContentKind:
    """Files of one kind (articles, pages, events...) and the fields they take."""

    name: str
    folders: tuple[str, ...]  # relative to the content root
    fields: Mapping[str, Field]
    rules: tuple[Rule, ...] = ()
    excludes: tuple[str, ...] = ()
    label: str = ""  # what editors call one file of this kind, in French ("événement")

    @property
    def display_name(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class KindExtension:
    """Extra fields (and rules) that a plugin adds to a kind declared elsewhere."""

    kind: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    rubric: str = ""  # the fields belong to articles of this rubric only ("": any); for editing tools


@dataclass
class Document:
    """A content file after validation: raw header, parsed values, body."""

    path: str  # as shown to editors
    kind: ContentKind
    raw: frontmatter.RawDocument
    values: dict[str, Any] = field(default_factory=dict)
    context: ParseContext | None = None  # None once restored from the cache

    def depends_on(self, path: Path) -> Path:
        """For rules: record that the result depends on the file at `path` (see ParseContext)."""
        return self.context.depends_on(path) if self.context else path

    def given(self, name: str) -> bool:
        """Whether the file fills field `name`, valid or not. Rules see only the values that parsed:
        one asking for a field must not call a mistyped one absent (its own line says what is wrong)."""
        return name in self.values or bool(self.raw.fields.get(name, "").strip())

    def problem(self, name: str, message: str) -> Problem:
        """A problem on field `name`, spelled and located as in the file."""
        return Problem(
            self.path,
            self.raw.spelling.get(name, name.capitalize()),
            message,
            self.raw.lines.get(name, 0),
        )


def merge(declarations: Iterable[ContentKind | KindExtension]) -> dict[str, ContentKind]:
    """Combine kinds and extensions into one ContentKind per name."""
    kinds: dict[str, ContentKind] = {}
    extensions: list[KindExtension] = []
    for item in declarations:
        if isinstance(item, ContentKind):
            if item.name in kinds:
                raise ValueError(f"content kind {item.name!r} declared twice")
            kinds[item.name] = item
        else:
            extensions.append(item)
    for ext in extensions:
        if ext.kind not in kinds:
            raise ValueError(f"extension for unknown content kind {ext.kind!r}")
        base = kinds[ext.kind]
        overlap = set(base.fields) & set(ext.fields)
        if overlap:
            raise ValueError(f"fields {sorted(overlap)} of kind {ext.kind!r} declared twice")
        kinds[ext.kind] = replace(base, fields={**base.fields, **ext.fields}, rules=base.rules + ext.rules)
    return kinds


def malformed_line(line: str) -> str:
    """What a header line that is neither `Key: value` nor a continuation gets; an indented one was
    meant to continue the value above, with too short an indent (docs/guide-redaction.md)."""
    indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
    if indent:
        return (f"ligne illisible « {line.strip()} » décalée de {indent} espace(s) ; attendu : la suite de "
                "la valeur précédente décalée de quatre espaces (ou d'une tabulation), ou « Champ: valeur »")
    return (f"ligne illisible « {line.strip()} » ; "
            "attendu : « Champ: valeur », puis une ligne vide avant le texte")


def validate(text: str, display_path: str, kind: ContentKind, context: ParseContext,
             ) -> tuple[Document, list[Problem]]:
    """Parse and check one file; return the Document and all its problems at once."""
    raw = frontmatter.parse(text)
    doc = Document(display_path, kind, raw, context=context)
    links = missing_link_targets(doc, context)
    problems: list[Problem] = []
    draft = _declares_draft(raw, kind, context)
    for line_number, line in raw.malformed:
        problems.append(Problem(display_path, "en-tête", malformed_line(line), line_number))
    for key in raw.duplicates:
        problems.append(doc.problem(key.lower(), "champ présent deux fois ; attendu : une seule fois"))
    known = {name.lower(): name for name in kind.fields}
    stray = {key.lower(): at for at, key in raw.stray if key.lower() in known and key.lower() not in raw.fields}
    for key, at in stray.items():
        where = ("une ligne vide ouvre le fichier" if raw.header_end == 1
                 else f"la ligne vide {raw.header_end} termine l'en-tête avant lui")
        problems.append(Problem(display_path, _display(known[key]),
                                f"lu comme du texte : {where} ; attendu : l'en-tête dès la première ligne, "
                                "sans ligne vide entre ses champs, puis une ligne vide avant le texte", at))
    for key, value in raw.fields.items():
        if key not in known:
            spelled = raw.spelling[key]
            problems.append(
                doc.problem(
                    key,
                    f"champ inconnu{did_you_mean(spelled, _display_names(kind))} ; "
                    f"champs admis : {', '.join(_display_names(kind))}",
                )
            )
            continue
        spec = kind.fields[known[key]]
        if not value.strip() and spec.blank_means_absent and (draft or not spec.required):
            continue  # an optional field left empty, as in the scaffolds, is absent
        try:
            doc.values[key] = spec.parse(value, context)
        except FieldError as error:
            problems.append(doc.problem(key, str(error)))
    if draft:  # a draft is checked for what it says; the rest once its Status changes
        return doc, [*unsaid_links(links, problems), *problems]
    for name, spec in kind.fields.items():
        if spec.required and name.lower() not in raw.fields and name.lower() not in stray:
            problems.append(
                Problem(display_path, _display(name), f"champ obligatoire absent ; attendu : {spec.expected}")
            )
    for rule in kind.rules:  # rules see only the values that parsed
        problems.extend(rule(doc))
    problems.extend(comment_problems(display_path, raw))
    return doc, [*unsaid_links(links, problems), *problems]


def unsaid_links(links: list[tuple[str, Problem]], others: list[Problem]) -> list[Problem]:
    """The dead links no other problem of the file names on their line: an image of the body
    that another rule (transfo_images) already says is missing gets one line, not two."""
    return [problem for link, problem in links
            if not any(other.line == problem.line and other.field == problem.field
                       and f"« {link} »" in other.message for other in others)]


def missing_link_targets(doc: Document, context: ParseContext) -> list[tuple[str, Problem]]:
    """`{filename}`, `{static}` and `{attach}` links of the body must name a file of the content
    folder: Pelican would only warn, in English, and publish a dead link. Each dead link as typed,
    and its problem."""
    problems = []
    for match in _INTERNAL_LINK.finditer(doc.raw.body):
        target = unquote(match.group("path").split("#")[0].split("?")[0])
        if not target:
            continue  # {filename}#part: a link to the page itself
        base = context.content_root if target.startswith("/") else context.source_path.parent
        if doc.depends_on(base / target.lstrip("/")).is_file():
            continue
        line = doc.raw.body_line + doc.raw.body.count("\n", 0, match.start())
        problems.append((match.group("link"), Problem(
            doc.path, "corps", f"lien « {match.group('link')} » vers un fichier absent ; attendu : le "
            "chemin d'un fichier de content/, par ex. {filename}/articles/2019/autre-article.md", line)))
    return problems


def _declares_draft(raw: frontmatter.RawDocument, kind: ContentKind, context: ParseContext) -> bool:
    """Whether the file's Status is a draft's (brouillon, draft): then it will not be published."""
    spec, value = kind.fields.get("status"), raw.fields.get("status", "")
    if spec is None or not value.strip():
        return False
    try:
        return spec.parse(value, context) == DRAFT
    except FieldError:
        return False


def _display(name: str) -> str:
    return name[:1].upper() + name[1:]


def _display_names(kind: ContentKind) -> list[str]:
    return [_display(name) for name in kind.fields]


def kind_files(kind: ContentKind, content_root: Path, ignores: tuple[str, ...] = DEFAULT_IGNORES) -> list[Path]:
    """The Markdown files of a kind, as Pelican walks its folders (tree.walk: links followed,
    each folder once, never out of content/), honouring its excluded folders; sorted by name,
    folder by folder."""
    files: list[Path] = []
    excluded = tuple(ex.rstrip("/") + "/" for ex in kind.excludes)
    for folder in kind.folders:
        for path in tree.walk(content_root / folder, ignores, boundary=content_root).files:
            if path.suffix == MARKDOWN_SUFFIX and \
                    not path.relative_to(content_root).as_posix().startswith(excluded):
                files.append(path)
    return files
