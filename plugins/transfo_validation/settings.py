"""The validation plugin's settings, read and checked in one place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG
from transfo_common.config import BOOLEAN, RUBRICS, Setting, checked_values
from transfo_common.markup import DEFAULT_EMBED_HOSTS, EMBED_HOSTS, embed_hosts

from .tree import DEFAULT_IGNORES

CACHE = Setting("TRANSFO_VALIDATION_CACHE", True, BOOLEAN,
                "Se souvenir des fichiers de contenu déjà vérifiés et inchangés (False : tout vérifier "
                "à chaque construction).")
SETTINGS = (CACHE, EMBED_HOSTS)


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
    cache_file: Path | None = None  # None: every file is checked at every build
    ignore_files: tuple[str, ...] = DEFAULT_IGNORES  # Pelican's IGNORE_FILES: never read
    static_paths: tuple[str, ...] = ()  # folders Pelican copies as they are (images)
    page_url: str = "{slug}/"  # PAGE_URL: where pages are published
    embed_hosts: tuple[str, ...] = DEFAULT_EMBED_HOSTS  # frames editors may paste (TRANSFO_EMBED_HOSTS)
    formatted_fields: tuple[str, ...] = ("summary",)  # fields Pelican renders as Markdown
    # How Pelican makes the address of a tag's and an author's page from the name (urlwrappers)
    name_substitutions: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (field, substitutions)
    slugify_use_unicode: bool = False


def _cache_file(settings: dict) -> Path | None:
    enabled = checked_values(settings, (CACHE,), ValidationSettingsError)[CACHE.name]
    if not enabled or not settings.get("CACHE_PATH"):
        return None
    # One file per content folder, so that builds of other trees do not evict it.
    tree = hashlib.sha256(str(Path(settings.get("PATH", "content")).resolve()).encode())
    return Path(settings["CACHE_PATH"]) / "transfo_validation" / f"{tree.hexdigest()[:16]}.pickle"


def read_settings(settings: dict) -> ValidationSettings:
    rubrics = checked_values(settings, (RUBRICS,), ValidationSettingsError)[RUBRICS.name]
    return ValidationSettings(
        content_root=Path(settings.get("PATH", "content")),
        rubrics=tuple(rubrics),
        article_paths=tuple(settings.get("ARTICLE_PATHS") or ("",)),
        article_excludes=tuple(settings.get("ARTICLE_EXCLUDES") or ()),
        page_paths=tuple(settings.get("PAGE_PATHS") or ("pages",)),
        slug_substitutions=tuple(tuple(s) for s in settings.get("SLUG_REGEX_SUBSTITUTIONS", ())),
        cache_file=_cache_file(settings),
        ignore_files=tuple(settings.get("IGNORE_FILES") or DEFAULT_IGNORES),
        static_paths=tuple(settings.get("STATIC_PATHS") or ()),
        page_url=settings.get("PAGE_URL") or "{slug}/",
        embed_hosts=embed_hosts(settings),
        formatted_fields=tuple(name.lower() for name in settings.get(
            "FORMATTED_FIELDS", DEFAULT_CONFIG["FORMATTED_FIELDS"])),
        name_substitutions=tuple((field_name, tuple(tuple(s) for s in settings.get(
            f"{wrapper}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", ()))))
            for field_name, wrapper in (("tags", "TAG"), ("authors", "AUTHOR"))),
        slugify_use_unicode=bool(settings.get("SLUGIFY_USE_UNICODE", False)),
    )
