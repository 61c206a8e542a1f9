"""A content problem is one line an editor can act on: file, field, what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the project, e.g. content/articles/2019/x.md
    field: str  # the field as the editor typed it, or a pseudo-field such as "corps"
    message: str  # what was found and what is expected, in French
    line: int = 0

    def sort_key(self) -> tuple[str, float, str]:
        """File order, then line order; problems with no line (absent fields) last."""
        return (self.path, self.line or float("inf"), self.field)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


class ContentError(Exception):
    """The content has problems; nothing was written. Carries every problem found."""

    exitcode = 2

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        files = len({p.path for p in self.problems})
        self.summary = (
            f"{len(self.problems)} problème(s) de contenu dans {files} fichier(s) ; "
            "rien n'a été construit ni publié."
        )
        super().__init__("\n".join([*map(str, self.problems), self.summary]))

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        # rebuilt from its problems when it crosses processes (parallel rendering)
        return type(self), (self.problems,)
