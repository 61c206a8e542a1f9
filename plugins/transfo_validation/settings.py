"""The validation plugin's settings, read and checked in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_RUBRICS = ("Actualités", "Analyses", "Portraits", "Dossiers")


class ValidationSettingsError(ValueError):
    """A setting of the validation plugin has the wrong shape."""


@dataclass(frozen=True)
class ValidationSettings:
    content_root: Path
    rubrics: tuple[str, ...]
    article_paths: tuple[str, ...]
    article_excludes: tuple[str, ...]
    page_paths: tuple[str, ...]
    slug_substitutions: tuple[tuple[str, str], ...]


def read_settings(settings: dict) -> ValidationSettings:
    rubrics = settings.get("TRANSFO_RUBRICS", DEFAULT_RUBRICS)
    if not rubrics or not all(isinstance(r, str) and r.strip() for r in rubrics):
        raise ValidationSettingsError(
            f"TRANSFO_RUBRICS: expected a non-empty list of rubric names, got {rubrics!r}"
        )
    return ValidationSettings(
        content_root=Path(settings.get("PATH", "content")),
        rubrics=tuple(rubrics),
        article_paths=tuple(settings.get("ARTICLE_PATHS") or ("",)),
        article_excludes=tuple(settings.get("ARTICLE_EXCLUDES") or ()),
        page_paths=tuple(settings.get("PAGE_PATHS") or ("pages",)),
        slug_substitutions=tuple(tuple(s) for s in settings.get("SLUG_REGEX_SUBSTITUTIONS", ())),
    )
