"""What an offer is once read: plain, typed data for templates, feeds and the newsletter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from pelican.contents import Content
from transfo_validation.status import DRAFT, status_code

from . import logic
from . import vocabulary as v

# Offer has a field named `date`, which hides the type inside the class body.
CalendarDay = date


@dataclass(frozen=True)
class Organisation:
    name: str
    website: str = ""
    logo: str = ""  # path below the output root, e.g. images/offres/logo.png


@dataclass(frozen=True)
class Offer:
    """One offer at build time. `status` is open, expired, filled or closed."""

    title: str
    slug: str
    url: str  # relative to SITEURL, like article.url
    save_as: str
    absolute_url: str
    kind: str  # emploi | stage | benevolat | appel-a-projets
    kind_label: str
    organisation: Organisation
    date: datetime  # publication, aware
    deadline: datetime  # aware, Europe/Brussels; a bare day means its last second
    deadline_has_time: bool
    status: str
    closing_label: str
    closing_soon: bool
    summary: str = ""  # HTML
    town: str = ""
    postal_code: str = ""
    region: str = ""  # wallonie | bruxelles | belgique | ""
    region_label: str = ""
    remote: bool = False
    place: str = ""  # "Namur (Wallonie)", "Télétravail"...
    contract: str = ""
    contract_label: str = ""
    working_time: str = ""
    working_time_label: str = ""
    hours: str = ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_period: str = "mois"
    salary: str = ""  # "De 2 450 € à 3 100 € bruts par mois"
    pay_scale: str = ""
    funding: str = ""
    start_date: CalendarDay | None = None
    modified: datetime | None = None
    apply_url: str = ""
    apply_email: str = ""
    image: str = ""
    image_alt: str = ""
    image_credit: str = ""
    source: Any = field(default=None, repr=False, compare=False)  # the Pelican content object

    @property
    def is_open(self) -> bool:
        return self.status == logic.OPEN

    @property
    def is_job(self) -> bool:
        return self.kind in v.JOB_KINDS

    @property
    def content(self) -> str:
        """The description as HTML (rendered lazily by Pelican, links resolved)."""
        return self.source.content if self.source is not None else ""


def editor_status(content: Content) -> str | None:
    """The Status an editor wrote (ouverte, pourvue...) as a code; published when absent,
    None when unknown (the schema reports it)."""
    return status_code(v.STATUSES, getattr(content, "status", None))


def is_draft(content: Content) -> bool:
    return editor_status(content) == DRAFT


def build_offer(content: Content, now: datetime, tz: tzinfo, *, absolute_url: str, soon_days: int,
                locale: str = "fr_BE") -> Offer:
    """An Offer from a content object carrying the schema's typed attributes."""

    def get(name: str, default: object = "") -> Any:
        return getattr(content, name, default)

    raw_deadline = get("deadline")
    deadline = logic.deadline_moment(raw_deadline, tz)
    has_time = isinstance(raw_deadline, datetime)
    kind = v.by_code(v.KINDS, get("kind"))
    assert kind is not None, "the schema requires a known kind"
    region = v.by_code(v.REGIONS, get("region") or None)
    contract = v.by_code(v.CONTRACTS, get("contract") or None)
    working_time = v.by_code(v.WORKING_TIMES, get("working_time") or None)
    salary_min, salary_max = get("salary_min", None), get("salary_max", None)
    return Offer(
        title=content.title,
        slug=content.slug,
        url=content.url,
        save_as=content.save_as,
        absolute_url=absolute_url,
        kind=kind.code,
        kind_label=kind.label,
        organisation=Organisation(get("organisation"), get("organisation_website"),
                                  get("organisation_logo")),
        date=content.date,
        deadline=deadline,
        deadline_has_time=has_time,
        status=logic.offer_state(editor_status(content), deadline, now),
        closing_label=logic.closing_label(deadline, now, tz, has_time=has_time,
                                          soon_days=soon_days, locale=locale),
        closing_soon=logic.is_closing_soon(deadline, now, tz, soon_days),
        summary=str(get("summary")),
        town=get("town"),
        postal_code=get("postal_code"),
        region=region.code if region else "",
        region_label=region.label if region else "",
        remote=bool(get("remote", False)),
        place=logic.place_text(get("town"), region.code if region else None, bool(get("remote", False))),
        contract=contract.code if contract else "",
        contract_label=contract.label if contract else "",
        working_time=working_time.code if working_time else "",
        working_time_label=working_time.label if working_time else "",
        hours=get("hours"),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=get("salary_period") or "mois",
        salary=logic.salary_text(salary_min, salary_max, get("salary_period") or None, locale),
        pay_scale=get("pay_scale"),
        funding=get("funding"),
        start_date=get("start_date", None),
        modified=get("modified", None),
        apply_url=get("apply_url"),
        apply_email=get("apply_email"),
        image=get("image"),
        image_alt=get("image_alt"),
        image_credit=get("image_credit"),
        source=content,
    )
