"""The editor's file of an edition: `newsletter/2019-11.md`, Markdown with a header.

    Objet: Transfo de novembre : l'inclusion numérique
    Accroche: Notre dossier, les jeunes et la coopérative, et l'agenda de décembre
    Envoi: 2019-12-03 10:00
    Une: inclusion-numerique-2-accompagner-plutot-que-former
    Ordre: edito, une, dossiers, articles, portraits, agenda, offres
    Ajouter: mesurer-limpact-social-boussole-ou-carcan
    Retirer: a-mons-un-marche-de-noel-cent-pour-cent-economie-sociale

    Le texte de l'édito, en Markdown.

Every field is optional. Problems are one line each, naming file and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
from transfo_validation import frontmatter
from transfo_validation.body_html import BODY_FIELD, body_findings, control_findings
from transfo_validation.comments import comment_problems
from transfo_validation.fields import DateTime, Slug, Text, TextList, control_character, did_you_mean
from transfo_validation.problems import Problem

from .model import BLOCK_NAMES_FR

SUBJECT_LENGTH = 120  # mail clients cut longer subjects
# The fields of an editor file, typed for editing interfaces (the CMS of transfo_admin);
# parse_editor_file below checks them.
EDITOR_FIELDS = {
    "objet": Text(max_length=SUBJECT_LENGTH, help="l'objet du message"),
    "accroche": Text(help="le texte d'aperçu affiché après l'objet"),
    "envoi": DateTime(help="date et heure d'envoi"),
    "une": Slug(help="l'article mis à la une"),
    "ordre": TextList(help="l'ordre des blocs, parmi " + ", ".join(BLOCK_NAMES_FR)),
    "ajouter": TextList(help="articles ajoutés à la sélection"),
    "retirer": TextList(help="articles retirés de la sélection"),
}
FIELDS = {name: name.capitalize() for name in EDITOR_FIELDS}
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


class EditionError(Exception):
    """The edition cannot be assembled; carries one line per problem."""

    exitcode = 2

    def __init__(self, problems: Iterable[Problem], editor: EditorFile | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or float("inf"), p.field))
        self.editor = editor  # the file as far as it could be read, to check its references too
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class EditorFile:
    path: str  # as shown to the editor
    subject: str = ""
    preheader: str = ""
    send_date: datetime | None = None
    lead: str = ""  # slug
    order: tuple[str, ...] = ()  # block keys
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    edito_html: str = ""
    lines: tuple[tuple[str, int], ...] = ()  # field -> line, for messages
    # Comments left in the edito (the template's instructions): refused when the edition is assembled.
    comments: tuple[Problem, ...] = ()

    def line(self, key: str) -> int:
        return dict(self.lines).get(key, 0)

    def problem(self, key: str, message: str) -> Problem:
        return Problem(self.path, FIELDS[key], message, self.line(key))


def _slugs(value: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in value.replace("\n", ",").split(",") if s.strip())


def parse_editor_file(text: str, display_path: str, tz: ZoneInfo) -> EditorFile:
    """Parse an editor file; raise EditionError with every problem of its text at once, carrying
    the file as far as it could be read."""
    raw = frontmatter.parse(text)
    problems: list[Problem] = []
    lines = tuple(raw.lines.items())

    def problem(key: str, message: str) -> None:
        problems.append(Problem(display_path, raw.spelling.get(key, FIELDS.get(key, key)), message,
                                raw.lines.get(key, 0)))

    for number, line in raw.malformed:
        problems.append(Problem(display_path, "en-tête", f"ligne illisible « {line.strip()} » ; "
                                "attendu : « Champ: valeur », puis une ligne vide avant l'édito",
                                number))
    for key in raw.fields:
        if key not in FIELDS:
            problem(key, f"champ inconnu{did_you_mean(raw.spelling[key], FIELDS.values())} ; "
                    f"champs admis : {', '.join(FIELDS.values())}")
    values = raw.fields
    send_date = None
    if values.get("envoi"):
        for fmt in _DATE_FORMATS:
            try:
                send_date = datetime.strptime(values["envoi"], fmt).replace(tzinfo=tz)
                break
            except ValueError:
                continue
        else:
            problem("envoi", f"« {values['envoi']} » ; attendu : une date AAAA-MM-JJ HH:MM")
    order: list[str] = []
    for name in _slugs(values.get("ordre", "")):
        block = BLOCK_NAMES_FR.get(name.lower())
        if block is None:
            problem("ordre", f"bloc « {name} » inconnu{did_you_mean(name, BLOCK_NAMES_FR)} ; "
                    f"blocs admis : {', '.join(BLOCK_NAMES_FR)}")
        elif block in order:
            problem("ordre", f"bloc « {name} » cité deux fois ; attendu : une seule fois")
        else:
            order.append(block)
    for key in ("objet", "accroche"):
        if key in values and not values[key]:
            problem(key, "valeur vide ; attendu : un texte, ou retirez la ligne")
        # An e-mail header is one line: no control character, nor Unicode's line separators.
        invisible = control_character(values.get(key, "")) or next(
            (f"U+{ord(c):04X}" for c in values.get(key, "") if c in "\u2028\u2029"), None)
        if invisible:
            problem(key, f"caractère invisible ({invisible}) ; attendu : du texte sur une ligne, sans "
                    "caractère de contrôle (souvent venu d'un copier-coller)")
    if len(values.get("objet", "")) > SUBJECT_LENGTH:
        problem("objet", f"{len(values['objet'])} caractères ; attendu : au plus {SUBJECT_LENGTH} "
                "(les messageries coupent les objets longs)")
    # The edito is printed as HTML in the email and on the site: the raw HTML policy of bodies,
    # with no frame at all (mail clients drop them).
    problems += [Problem(display_path, BODY_FIELD, message, raw.body_line + line - 1)
                 for line, message in body_findings(raw.body, hosts=()) + control_findings(raw.body)]
    body = raw.body.strip()
    edito = markdown.markdown(body, extensions=["extra", "transfo_i18n.typography"],
                              output_format="html") if body else ""
    editor = EditorFile(
        path=display_path,
        subject=values.get("objet", ""),
        preheader=values.get("accroche", ""),
        send_date=send_date,
        lead=values.get("une", "").strip(),
        order=tuple(order),
        add=_slugs(values.get("ajouter", "")),
        remove=_slugs(values.get("retirer", "")),
        edito_html=edito,
        lines=lines,
        comments=tuple(comment_problems(display_path, raw)),
    )
    if problems:  # with the comments left, and the file as read for its references (editions.assemble)
        raise EditionError([*problems, *editor.comments], editor)
    return editor


def read_editor_file(path: Path, display_path: str, tz: ZoneInfo) -> EditorFile | None:
    """The edition's editor file, or None when there is none (defaults apply)."""
    if not path.is_file():
        return None
    return parse_editor_file(path.read_text(encoding="utf-8"), display_path, tz)
