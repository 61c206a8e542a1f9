"""Decap CMS's configuration, generated from the content schema (transfo_validation).

Pure functions: content kinds in, plain dicts out. Every field of a kind
becomes a Decap field whose widget follows the field's type, with its
required flag, pattern and French hint; a field added to a schema therefore
appears in the CMS with no other change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from pelican.utils import slugify
from transfo_validation.fields import DateTime, Day, Field, ImagePath, Integer, TextList
from transfo_validation.schema import ContentKind

from .settings import AdminSettings

BODY = "body"
IMAGE_FIELDS = ("image", "image_alt", "image_credit")  # alt and credit go with the image

# French labels of the fields editors meet most; others show their name as in files.
LABELS = {
    "title": "Titre", "date": "Date de publication", "modified": "Dernière mise à jour",
    "category": "Rubrique", "tags": "Sujets", "authors": "Auteurs", "summary": "Chapeau",
    "image": "Image", "image_alt": "Texte alternatif de l'image", "image_credit": "Crédit de l'image",
    "image_focus": "Point focal de l'image", "status": "Statut", "featured": "À la une",
    "slug": "Adresse (slug)", "dossier": "Dossier", "dossier_part": "Numéro de la partie",
    "person": "Personne", "enterprise": "Entreprise", "sector": "Secteur", "town": "Localité",
    "region": "Région", "website": "Site web", "annuaire": "Fiche dans l'annuaire",
    "start": "Début", "end": "Fin", "timezone": "Fuseau horaire", "venue": "Lieu",
    "address": "Adresse", "postal_code": "Code postal", "country": "Pays",
    "online_url": "Lien de la diffusion en ligne", "organiser": "Organisateur",
    "organiser_url": "Site de l'organisateur", "price": "Prix", "registration": "Inscription",
    "uid": "Identifiant de calendrier", "kind": "Type", "organisation": "Organisation",
    "organisation_website": "Site de l'organisation", "organisation_logo": "Logo de l'organisation",
    "remote": "Télétravail", "contract": "Contrat", "working_time": "Temps de travail",
    "hours": "Horaire", "salary_min": "Salaire minimum", "salary_max": "Salaire maximum",
    "salary_period": "Période du salaire", "pay_scale": "Barème", "funding": "Financement",
    "start_date": "Entrée en fonction", "deadline": "Date limite", "apply_url": "Postuler (adresse web)",
    "apply_email": "Postuler (e-mail)", BODY: "Texte",
}

# Kinds as editors name them: (collection name, label, singular label).
KIND_LABELS = {
    "page": ("pages", "Pages", "Page"),
    "dossier": ("dossiers", "Dossiers (déclarations)", "Dossier"),
    "event": ("agenda", "Agenda", "Événement"),
    "offer": ("offres", "Offres et appels", "Offre ou appel"),
    "newsletter": ("lettre", "Lettre d'information", "Édition"),
}
ARTICLES = "articles"  # the hidden collection of every article, for relations
DOSSIERS = "dossiers"
# A newsletter edition's file is named after the month it tells (2019-11.md), the month just ended
# when it is written, as `invoke new --kind lettre` names it; Decap's own {{year}}-{{month}} is the
# month it is created in. transfo-cms.js puts the month before the send date (Envoi), or before
# today, under this key of a new edition's data; the file name is made of it, the file never holds it.
EDITION_KEY = "edition"
SENT_FIELD = "envoi"
FIELD_SLUG = re.compile(r"\{\{fields\.(\w+)\}\}")  # a collection slug naming files after a data key

# Fields whose value names another entry: (collection, stored value, multiple). An article's
# slug is its file name (its {{slug}} in Decap also holds the year folder).
RELATIONS = {
    "dossier": (DOSSIERS, "slug", False),
    "une": (ARTICLES, "{{filename}}", False),
    "ajouter": (ARTICLES, "{{filename}}", True),
    "retirer": (ARTICLES, "{{filename}}", True),
}

# Widgets whose value is text the editor types or picks, checked against the field's pattern (the
# others give a value of their own: a date of the picker, a number, an option of the list).
TEXT_WIDGETS = ("string", "image", "relation")

# File names: the project's slugs (lower case, no accents, hyphens), as Pelican's slugify makes them.
SLUG_RULES = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


@dataclass(frozen=True)
class Collection:
    """One Decap collection and what the page's scripts need to know about it."""

    config: dict
    lists: tuple[str, ...]  # fields whose value is a list (the format splits them)
    # field -> {"required_with": f, "only_with": f} / {"not_before": f} / {"file_name": True}
    rules: dict = field(default_factory=dict)
    slug_from: str = ""  # the field whose text transfo-cms.js makes into a new entry's Slug
    # Files named after a month (EDITION_KEY): {"key": EDITION_KEY, "sent": the send-date field,
    # whose month before is the edition's ("" when there is none: the month before today)}.
    edition_month: dict = field(default_factory=dict)


def label(name: str) -> str:
    return LABELS.get(name, name[:1].upper() + name[1:])


def hint(spec: Field) -> str:
    text = f"{spec.help} ; attendu : {spec.expected}" if spec.help else f"Attendu : {spec.expected}"
    return text[:1].upper() + text[1:]


def widget(name: str, spec: Field, cfg: AdminSettings) -> dict:
    """The Decap widget (and its options) for one schema field."""
    if name in RELATIONS:
        collection, value, multiple = RELATIONS[name]
        return {"widget": "relation", "collection": collection, "value_field": value,
                "search_fields": ["title"], "display_fields": ["title"], "multiple": multiple}
    if isinstance(spec, ImagePath):
        return {"widget": "image", "choose_url": False,
                "media_library": {"config": {"max_file_size": cfg.max_upload_bytes}}}
    if isinstance(spec, DateTime):  # a naive local time: the site's timezone, as Pelican reads it
        return {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "DD/MM/YYYY",
                "time_format": "HH:mm", "picker_utc": False}
    if isinstance(spec, Day):
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY",
                "time_format": False, "picker_utc": False}
    if isinstance(spec, TextList):  # typed as in files: Decap's list widget eats spaces and commas as
        return {"widget": "string"}  # one types them (decap-cms#4646)
    if isinstance(spec, Integer) and spec.minimum is not None:
        bounds = {"min": spec.minimum, **({"max": spec.maximum} if spec.maximum is not None else {})}
        return {"widget": "number", "value_type": "int", **bounds}
    if spec.options:
        return {"widget": "select", "options": list(spec.options)}
    return {"widget": "string"}


def is_list(name: str) -> bool:
    """Whether the field's value is a list in Decap (the format splits and joins it)."""
    return RELATIONS.get(name, (None, None, False))[2]


def field_config(name: str, spec: Field, cfg: AdminSettings) -> dict:
    text = hint(spec)
    if isinstance(spec, DateTime):
        text += f" ; heure locale du site ({cfg.timezone})"
    config = {"name": name, "label": label(name), **widget(name, spec, cfg),
              "required": spec.required, "hint": text}
    if config["widget"] in TEXT_WIDGETS and not is_list(name):
        empty = ", sans élément vide" if isinstance(spec, TextList) else ""  # typed in a text field
        config["pattern"] = [spec.pattern, f"attendu : {spec.expected}{empty}"]
    return config


def field_rules(fields: Mapping[str, Field]) -> dict:
    """What the validator's rules across fields ask, for the CMS to refuse before saving."""
    rules: dict[str, dict] = {}
    if "image" in fields:
        for name in IMAGE_FIELDS[1:]:
            if name in fields:
                rules[name] = {"required_with": "image", "only_with": "image"}
        if "image_focus" in fields:  # the validator refuses alt, credit and focus without an image
            rules["image_focus"] = {"only_with": "image"}
    if "start" in fields and "end" in fields:
        rules["end"] = {"not_before": "start"}
    return rules


def make_collection(name: str, labels: tuple[str, str], folder: str, fields: Mapping[str, Field],
                    cfg: AdminSettings, media: tuple[str, str], *, fixed: Mapping[str, str] | None = None,
                    extra: Mapping | None = None, body: bool = True) -> Collection:
    """A folder collection of Markdown files written in Pelican's format."""
    fixed = dict(fixed or {})
    entries: list[dict[str, object]] = []
    for key, spec in fields.items():
        if key in fixed:
            entries.append({"name": key, "label": label(key), "widget": "hidden", "default": fixed[key]})
        else:
            entries.append(field_config(key, spec, cfg))
    if body:
        entries.append({"name": BODY, "label": label(BODY), "widget": "markdown", "required": False})
    config = {
        "name": name, "label": labels[0], "label_singular": labels[1], "folder": folder,
        "extension": "md", "format": f"pelican-{name}", "create": True, "slug": "{{slug}}",
        # Uploads go to one folder of the repository (a leading "/": not beside the entry),
        # and files name them as Pelican finds them ("images/x.jpg").
        "media_folder": "/" + media[0], "public_folder": media[1],
        "identifier_field": "title" if "title" in fields else next(iter(fields)),
        "summary": "{{title}}" if "title" in fields else "{{slug}}",
        "fields": entries, **(extra or {}),
    }
    lists = tuple(key for key in fields if key not in fixed and is_list(key))
    rules = field_rules(fields)
    slug_from = ""
    if config["slug"] == "{{slug}}":  # the file is named after the identifier field (the title)
        rules[config["identifier_field"]] = {"file_name": True}
        if "slug" in fields and "slug" not in fixed:
            # Decap's file name of "L’été" is "l-ete", Pelican's address "lete": a new entry gets the
            # Slug Pelican would make (transfo-cms.js), which then names its file too.
            config["slug"], slug_from = "{{fields.slug}}", config["identifier_field"]
    return Collection(config, lists, rules, slug_from)


def article_collections(kind: ContentKind, cfg: AdminSettings, rubrics: tuple[str, ...],
                        rubric_fields: Mapping[str, tuple[str, ...]], folder: str,
                        media: tuple[str, str]) -> list[Collection]:
    """One collection per rubric (its Category fixed); fields of another rubric left out.

    `rubric_fields`: rubric -> the fields that belong to that rubric only (portrait facts...).
    """
    reserved = {name for names in rubric_fields.values() for name in names}
    extra = {"path": "{{year}}/{{slug}}"}  # content/articles/2019/<slug>.md
    collections = []
    for rubric in rubrics:
        own = set(rubric_fields.get(rubric, ()))
        fields = {key: spec for key, spec in kind.fields.items() if key not in reserved or key in own}
        collection_name = f"{ARTICLES}-{slugify(rubric)}"
        collections.append(make_collection(
            collection_name, (rubric, f"Article ({rubric})"), folder, fields, cfg, media,
            fixed={"category": rubric},
            extra={**extra, "filter": {"field": "category", "value": rubric}},
        ))
    # Every article, hidden: what the newsletter's and other relations choose from.
    hidden = make_collection(ARTICLES, ("Tous les articles", "Article"), folder, kind.fields, cfg, media,
                             extra={**extra, "hide": True, "create": False})
    return [*collections, hidden]


def site_collections(kinds: Mapping, cfg: AdminSettings, rubrics: tuple[str, ...],
                     rubric_fields: Mapping[str, tuple[str, ...]],
                     newsletter: tuple[str, Mapping[str, Field]] | None = None) -> list[Collection]:
    """Every collection of the site: articles by rubric, then each other kind, then the newsletter."""
    media = (cfg.in_repo(cfg.content_root / cfg.media_folder), cfg.media_folder)
    collections: list[Collection] = []
    for kind in kinds.values():
        folder = cfg.in_repo(cfg.content_root / kind.folders[0]) if kind.folders else ""
        if kind.name == "article":
            collections += article_collections(kind, cfg, rubrics, rubric_fields, folder, media)
            continue
        name, *labels = KIND_LABELS.get(kind.name, (kind.name, kind.name.capitalize(), kind.name))
        slug = {"slug": "{{fields.slug}}"} if kind.fields.get("slug") and kind.fields["slug"].required else {}
        collections.append(make_collection(name, tuple(labels), folder, kind.fields, cfg, media, extra=slug))
    if newsletter is not None:
        folder, fields = newsletter
        name, *labels = KIND_LABELS["newsletter"]
        edition = make_collection(
            name, tuple(labels), folder, fields, cfg, media,
            extra={"slug": f"{{{{fields.{EDITION_KEY}}}}}", "identifier_field": "objet", "summary": "{{objet}}"},
        )
        collections.append(replace(edition, edition_month={
            "key": EDITION_KEY, "sent": SENT_FIELD if SENT_FIELD in fields else ""}))
    return collections


def decap_config(collections: list[Collection], cfg: AdminSettings) -> dict:
    """The whole config.yml (JSON is YAML: no YAML library needed)."""
    config = {
        "locale": "fr",
        "backend": cfg.backend,
        "media_folder": cfg.in_repo(cfg.content_root / cfg.media_folder),
        "public_folder": cfg.media_folder,
        "slug": SLUG_RULES,
        "collections": [collection.config for collection in collections],
    }
    if cfg.site_url:
        config["site_url"] = cfg.site_url
    if cfg.publish_mode:
        config["publish_mode"] = cfg.publish_mode
    if cfg.local_port is not None:
        config["local_backend"] = {"url": f"http://127.0.0.1:{cfg.local_port}/api/v1",
                                   "allowed_hosts": ["127.0.0.1", "localhost"]}
    return config


def page_setup(collections: list[Collection], cfg: AdminSettings) -> dict:
    """What admin/transfo-cms.js needs: one format per collection (its list fields, and the keys it
    never writes), the cross-field rules, the field each new entry's Slug is made from, the
    send-date field of the collections whose files are named after a month, the data key naming
    each collection's files, and the backends whose saves it watches (the configured one, and
    Decap's "proxy" for decap-server)."""
    return {
        "backends": [cfg.backend["name"], "proxy"],
        "namedBy": {c.config["name"]: named.group(1) for c in collections
                    if (named := FIELD_SLUG.fullmatch(c.config["slug"]))},
        "formats": {c.config["format"]: {"lists": list(c.lists),
                                         "transient": [c.edition_month["key"]] if c.edition_month else []}
                    for c in collections},
        "rules": {c.config["name"]: c.rules for c in collections if c.rules},
        "slugFrom": {c.config["name"]: c.slug_from for c in collections if c.slug_from},
        "editionMonth": {c.config["name"]: c.edition_month for c in collections if c.edition_month},
        "previewStyles": [f"/{style}" if not cfg.site_url else f"{cfg.site_url}/{style}"
                          for style in cfg.preview_styles],
    }
