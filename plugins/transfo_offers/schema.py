"""The schema of an offer file: fields, rules across fields, cross-file checks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from transfo_validation.core_schema import (
    body_images_rule,
    document_slug,
    duplicate_slugs,
    lead_image_rule,
    local_times_rule,
    summary_without_internal_links_rule,
)
from transfo_validation.fields import (
    DAY_FORMATS,
    TIME_FORMATS,
    TITLE_LENGTH,
    Amount,
    Boolean,
    DateTime,
    Day,
    Email,
    Field,
    ImagePath,
    ParseContext,
    Slug,
    Text,
    Url,
    parse_when,
    when_pattern,
)
from transfo_validation.problems import Problem
from transfo_validation.schema import ContentKind, Document
from transfo_validation.settings import ValidationSettings
from transfo_validation.settings import read_settings as read_validation_settings
from transfo_validation.status import status_field
from transfo_validation.vocabulary import Keyword

from . import vocabulary as v
from .logic import END_OF_DAY
from .settings import OffersSettings


@dataclass(frozen=True)
class Deadline(Field):
    """A day (the offer closes at the end of it) or a day and a time."""

    expected = "une date AAAA-MM-JJ, ou AAAA-MM-JJ HH:MM pour une heure précise (ex. 2019-12-12 12:00)"

    @property
    def value_pattern(self) -> str:
        return when_pattern(TIME_FORMATS + DAY_FORMATS)

    def convert(self, value: str, context: ParseContext) -> date | datetime:
        return parse_when(value, self.expected)


def end_of(deadline: date | datetime) -> datetime:
    """The naive moment an offer closes: a bare day lasts until its last second."""
    if isinstance(deadline, datetime):
        return deadline
    return datetime.combine(deadline, END_OF_DAY)


STATUS = status_field(v.STATUSES)
KIND = Keyword(required=True, terms=v.KINDS)


def fields() -> dict[str, Field]:
    return {
        "title": Text(required=True, max_length=TITLE_LENGTH),
        "kind": KIND,
        "organisation": Text(required=True, max_length=160),
        "organisation_website": Url(),
        "organisation_logo": ImagePath(),
        "town": Text(max_length=80),
        "postal_code": Text(max_length=10),
        "region": Keyword(terms=v.REGIONS),
        "remote": Boolean(),
        "contract": Keyword(terms=v.CONTRACTS),
        "working_time": Keyword(terms=v.WORKING_TIMES),
        "hours": Text(max_length=60),
        "salary_min": Amount(),
        "salary_max": Amount(),
        "salary_period": Keyword(terms=v.SALARY_PERIODS),
        "pay_scale": Text(max_length=120),
        "funding": Text(max_length=200),
        "start_date": Day(),
        "date": DateTime(required=True),
        "modified": DateTime(),
        "deadline": Deadline(required=True),
        "apply_url": Url(),
        "apply_email": Email(),
        "status": STATUS,
        "summary": Text(required=True, max_length=400),
        "image": ImagePath(),
        "image_alt": Text(max_length=300),
        "image_credit": Text(max_length=200),
        "slug": Slug(),
    }


def _is_job(doc: Document) -> bool:
    return doc.values.get("kind") in v.JOB_KINDS


def deadline_after_publication(doc: Document) -> Iterator[Problem]:
    if "deadline" in doc.values and "date" in doc.values:
        if end_of(doc.values["deadline"]) < doc.values["date"]:
            yield doc.problem(
                "deadline",
                f"date limite {doc.raw.fields['deadline']} antérieure à la date de publication "
                f"{doc.raw.fields['date']} ; attendu : une date limite égale ou postérieure à Date",
            )


def place_rule(doc: Document) -> Iterator[Problem]:
    """Jobs happen somewhere: a town (with its region) or remote work."""
    has_town = "town" in doc.values
    if _is_job(doc) and not doc.given("town") and not doc.values.get("remote"):
        yield doc.problem("town", "lieu absent pour une offre de type "
                          f"« {doc.raw.fields['kind']} » ; attendu : Town (et Region), ou Remote: oui")
    if has_town and not doc.given("region"):
        yield doc.problem("region", f"région absente pour « {doc.values['town']} » ; attendu : "
                          "Region: Wallonie, Bruxelles ou Toute la Belgique")


def apply_rule(doc: Document) -> Iterator[Problem]:
    if not doc.given("apply_url") and not doc.given("apply_email"):
        yield doc.problem("apply_url", "aucun moyen de postuler ; attendu : Apply_url (adresse web) "
                          "ou Apply_email (adresse e-mail), ou les deux")


def job_fields_rule(doc: Document) -> Iterator[Problem]:
    """A job says its contract and working time; a JobPosting needs the employer's site."""
    if doc.values.get("kind") == "emploi":
        for name, example in (("contract", "CDI, CDD..."), ("working_time", "Temps plein ou Temps partiel")):
            if not doc.given(name):
                spelled = name[:1].upper() + name[1:]
                yield doc.problem(name, f"{spelled} absent pour un emploi ; attendu : {example}")
    if _is_job(doc) and not doc.given("organisation_website"):
        yield doc.problem("organisation_website", "site web de l'organisation absent ; attendu : "
                          "Organisation_website: https://... (les moteurs de recherche l'exigent)")


def salary_rule(doc: Document) -> Iterator[Problem]:
    low, high = doc.values.get("salary_min"), doc.values.get("salary_max")
    if low is not None and high is not None and high < low:
        yield doc.problem("salary_max", f"salaire maximum {high} inférieur au minimum {low} ; "
                          "attendu : Salary_max supérieur ou égal à Salary_min")
    if "salary_period" in doc.values and low is None and high is None:
        yield doc.problem("salary_period", "période de salaire sans montant ; "
                          "attendu : Salary_min et/ou Salary_max")


def offer_kind(cfg: OffersSettings, site_tz: tzinfo) -> ContentKind:
    """Offers of the configured folder; a Deadline's time is in `site_tz`."""
    return ContentKind(
        name="offer",
        label="offre",
        folders=(cfg.path,),
        fields=fields(),
        rules=(deadline_after_publication, local_times_rule(("deadline",), lambda _doc: site_tz),
               place_rule, apply_rule, job_fields_rule, salary_rule,
               lead_image_rule, body_images_rule, summary_without_internal_links_rule),
    )


def reserved_slugs(documents: list[Document], cfg: OffersSettings,
                   validation_cfg: ValidationSettings) -> Iterator[Problem]:
    """An offer may not take the address of a kind's listing (offres/emploi/...)."""
    listings = {cfg.kind_url.format(kind=k.code) for k in v.KINDS} | {cfg.listing_url}
    for doc in documents:
        slug = document_slug(doc, validation_cfg)
        if cfg.offer_url.format(slug=slug) in listings:
            yield doc.problem("slug" if "slug" in doc.values else "title",
                              f"l'adresse « {slug} » est celle d'une liste d'offres ; "
                              "attendu : un autre titre ou un Slug")


def offer_cross_checks(documents: Mapping[str, list[Document]], settings: dict, cfg: OffersSettings) -> list[Problem]:
    offers = documents.get("offer", [])
    validation_cfg = read_validation_settings(settings)
    return [*duplicate_slugs(offers, validation_cfg), *reserved_slugs(offers, cfg, validation_cfg)]
