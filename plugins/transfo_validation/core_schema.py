"""The schema of the foundation's content: articles and pages."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone, tzinfo
from typing import Any

from pelican.utils import slugify

from .fields import TITLE_LENGTH, Boolean, Choice, DateTime, ImagePath, Slug, Text, TextList
from .problems import Problem
from .schema import ContentKind, Document, Rule
from .settings import ValidationSettings
from .status import article_statuses, page_statuses, status_field

_BODY_IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(([^)\s]*)")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def lead_image_rule(doc: Document) -> Iterator[Problem]:
    """An image needs its alt text, and alt text needs an image."""
    # Presence as typed: a misspelt image path is its own problem, not a missing image.
    given = {name for name, value in doc.raw.fields.items() if value.strip()}
    has_image, has_alt = "image" in given, "image_alt" in given
    if has_image and not has_alt:
        yield doc.problem("image_alt", "texte alternatif absent ; attendu : Image_alt décrivant "
                          f"l'image « {doc.raw.fields['image']} » pour les lecteurs aveugles")
    if has_alt and not has_image:
        yield doc.problem("image_alt", "texte alternatif sans image ; attendu : un champ Image")
    if "image_credit" in given and not has_image:
        yield doc.problem("image_credit", "crédit sans image ; attendu : un champ Image")


def body_images_rule(doc: Document) -> Iterator[Problem]:
    """Images in the body need alt text too: `![description](images/x.jpg)`."""
    for match in _BODY_IMAGE_WITHOUT_ALT.finditer(doc.raw.body):
        yield Problem(doc.path, "corps", f"image « {match.group(1)} » sans texte alternatif ; "
                      "attendu : ![description de l'image](chemin)")


def missing_local_time(moment: datetime, zone: tzinfo) -> datetime | None:
    """None when the wall-clock `moment` exists in `zone`; else the time it jumps to
    (02:30 on the morning clocks go forward is 03:30). A time the clocks show twice (the
    autumn change) exists: it is read as its first occurrence, in summer time."""
    aware = moment.replace(tzinfo=zone)
    shown = aware.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    return None if shown == moment else shown


def local_times_rule(keys: tuple[str, ...], zone_of: Callable[[Document], tzinfo]) -> Rule:
    """The times of fields `keys` must be times the clocks of the document's zone show: 02:30
    on the morning they go forward would be shown as typed but mean 03:30."""

    def rule(doc: Document) -> Iterator[Problem]:
        zone = zone_of(doc)
        for key in keys:
            moment = doc.values.get(key)
            if not isinstance(moment, datetime):
                continue
            jumped = missing_local_time(moment, zone)
            if jumped is not None:
                yield doc.problem(key, f"« {doc.raw.fields[key]} » n'existe pas à {zone} (les horloges "
                                  f"passent à l'heure d'été) ; attendu : une heure qui existe, "
                                  f"par ex. {jumped:%Y-%m-%d %H:%M}")

    return rule


def modified_after_date_rule(doc: Document) -> Iterator[Problem]:
    if "modified" in doc.values and "date" in doc.values:
        if doc.values["modified"] < doc.values["date"]:
            yield doc.problem("modified", "date de mise à jour antérieure à la date de "
                              "publication ; attendu : une date égale ou postérieure à Date")


# Pelican's links between contents, `{filename}/articles/x.md` (or the old `|filename|`, its default
# INTRASITE_LINK_REGEX), where Pelican reads them: at the start of a link's target.
_INTERNAL_LINK = re.compile(r"(?:\]\(\s*<?|=\s*[\"']?)([{|](?:filename|static|attach|index|category|tag|author)[|}]"
                            r"[^)\s\"'>]*)")


def summary_without_internal_links_rule(doc: Document) -> Iterator[Problem]:
    """For kinds whose generator shows the summary as read, before Pelican resolves internal links
    (events, offers): such a link would be published dead on the page, in lists and feeds."""
    found = _INTERNAL_LINK.search(doc.raw.fields.get("summary", ""))
    if found:
        yield doc.problem("summary", f"lien interne « {found.group(1)} » dans le résumé, qui serait publié "
                          "sans adresse ; attendu : ce lien dans le texte, sous l'en-tête")


def name_addresses_rule(cfg: ValidationSettings) -> Callable[[Document], Iterator[Problem]]:
    """Each tag and author gets a page whose address Pelican makes from the name (`slugify`,
    with the site's settings). A name without a letter or digit (« 🎄 », « ★★★ ») gets an empty
    one: Pelican only warns, links lead to `sujet//`, and all such names share one page."""
    def rule(doc: Document) -> Iterator[Problem]:
        for field_name, substitutions in cfg.name_substitutions:
            for name in doc.values.get(field_name) or ():
                slug = slugify(name, regex_subs=substitutions, use_unicode=cfg.slugify_use_unicode)
                if not _LETTER_OR_DIGIT.search(slug):
                    yield doc.problem(field_name, f"« {name} » ne donne aucune adresse de page ; attendu : "
                                      "un nom avec au moins une lettre ou un chiffre")
    return rule


def article_kind(cfg: ValidationSettings) -> ContentKind:
    return ContentKind(
        name="article",
        folders=cfg.article_paths,
        excludes=cfg.article_excludes,
        fields={
            "title": Text(required=True, max_length=TITLE_LENGTH),
            "date": DateTime(required=True),
            "modified": DateTime(),
            "category": Choice(required=True, choices=cfg.rubrics),
            "tags": TextList(),
            "authors": TextList(),
            "summary": Text(required=True, max_length=500),
            "image": ImagePath(),
            "image_alt": Text(max_length=300),
            "image_credit": Text(max_length=200),
            "status": status_field(article_statuses()),
            "featured": Boolean(),
            "slug": Slug(),
        },
        rules=(lead_image_rule, body_images_rule, modified_after_date_rule, name_addresses_rule(cfg)),
    )


def page_kind(cfg: ValidationSettings) -> ContentKind:
    return ContentKind(
        name="page",
        folders=cfg.page_paths,
        fields={
            "title": Text(required=True, max_length=TITLE_LENGTH),
            "slug": Slug(),
            "summary": Text(max_length=500),
            "modified": DateTime(),
            "status": status_field(page_statuses()),
            "image": ImagePath(),
            "image_alt": Text(max_length=300),
            "image_credit": Text(max_length=200),
        },
        rules=(lead_image_rule, body_images_rule),
    )


def content_slug(values: Mapping[str, Any], substitutions: tuple[tuple[str, str], ...]) -> str:
    """A content's slug: its Slug field, else its title slugified, as Pelican makes it."""
    return values.get("slug") or slugify(values.get("title", ""), regex_subs=substitutions)


def document_slug(doc: Document, cfg: ValidationSettings) -> str:
    """The slug Pelican will give the document (offers get it when read: `content_slug`)."""
    return content_slug(doc.values, cfg.slug_substitutions)


def duplicate_slugs(documents: list[Document], cfg: ValidationSettings) -> Iterator[Problem]:
    """Two documents of one kind with one slug would overwrite each other's page."""
    by_slug = defaultdict(list)
    for doc in documents:
        by_slug[document_slug(doc, cfg)].append(doc)
    for slug, docs in by_slug.items():
        if len(docs) < 2:
            continue
        for doc in docs:
            others = ", ".join(other.path for other in docs if other is not doc)
            yield doc.problem(
                "slug" if "slug" in doc.values else "title",
                f"l'adresse « {slug} » est déjà prise par {others} ; "
                "attendu : un titre ou un Slug différent",
            )


def first_folder(path: str) -> str | None:
    """The top folder of an output path ("agenda/x.ics" -> "agenda"), None when it depends on
    the content (a `{slug}` placeholder) or names no folder."""
    head = path.strip().lstrip("/").split("/", 1)[0]
    return head if head and "{" not in head and "." not in head and "://" not in path else None


def reserved_addresses(documents: list[Document], cfg: ValidationSettings,
                       reserved: dict[str, str]) -> Iterator[Problem]:
    """A page whose address starts with a section's folder (agenda/, recherche/...) would overwrite
    or hide it. `reserved`: folder -> the output path that claims it."""
    for doc in documents:
        slug = document_slug(doc, cfg)
        try:
            folder = first_folder(cfg.page_url.format(slug=slug))
        except (KeyError, IndexError, ValueError):  # a pattern with other placeholders
            continue
        if folder in reserved:
            yield doc.problem(
                "slug" if "slug" in doc.values else "title",
                f"l'adresse « {folder}/ » est celle d'une partie du site ({reserved[folder]}) ; "
                f"attendu : un autre titre ou un Slug hors de : {', '.join(sorted(reserved))}",
            )
