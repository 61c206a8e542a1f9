"""schema.org JobPosting for open job offers, as Google documents it.

Required: title, description (HTML), datePosted, hiringOrganization,
jobLocation (or jobLocationType TELECOMMUTE with applicantLocationRequirements).
Recommended: validThrough, employmentType, baseSalary, identifier.
Calls for projects and closed offers get none.
"""

from __future__ import annotations

from decimal import Decimal

from . import vocabulary as v
from .model import Offer

COUNTRY_CODE = "BE"
COUNTRY_NAME = "Belgium"


def employment_types(offer: Offer) -> list[str]:
    """FULL_TIME, PART_TIME, TEMPORARY, CONTRACTOR, INTERN, VOLUNTEER..."""
    if offer.kind == "stage":
        return ["INTERN"]
    if offer.kind == "benevolat":
        return ["VOLUNTEER"]
    types = []
    working_time = v.by_code(v.WORKING_TIMES, offer.working_time)
    if working_time:
        types.append(working_time.schema)
    contract = v.by_code(v.CONTRACTS, offer.contract)
    if contract and contract.schema and contract.schema not in types:
        types.append(contract.schema)
    return types or ["OTHER"]


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def base_salary(offer: Offer) -> dict | None:
    low, high = offer.salary_min, offer.salary_max
    if low is None and high is None:
        return None
    period = v.by_code(v.SALARY_PERIODS, offer.salary_period) or v.SALARY_PERIODS[0]
    value: dict = {"@type": "QuantitativeValue", "unitText": period.schema}
    if low is not None and high is not None and low != high:
        value.update(minValue=_number(low), maxValue=_number(high))
    elif low is not None:
        value["value"] = _number(low)
    elif high is not None:
        value["value"] = _number(high)
    return {"@type": "MonetaryAmount", "currency": "EUR", "value": value}


def _address(offer: Offer) -> dict:
    address = {"@type": "PostalAddress", "addressLocality": offer.town, "addressCountry": COUNTRY_CODE}
    if offer.postal_code:
        address["postalCode"] = offer.postal_code
    region = v.by_code(v.REGIONS, offer.region)
    if region and region.schema:
        address["addressRegion"] = region.schema
    return address


def job_posting(offer: Offer, description_html: str, logo_url: str = "") -> dict | None:
    """The JobPosting of an open job offer, or None (closed offer, call for projects)."""
    if not offer.is_open or not offer.is_job:
        return None
    organisation = {"@type": "Organization", "name": offer.organisation.name}
    if offer.organisation.website:
        organisation["sameAs"] = offer.organisation.website
    if logo_url:
        organisation["logo"] = logo_url
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": offer.title,
        "description": description_html,
        "identifier": {"@type": "PropertyValue", "name": offer.organisation.name, "value": offer.slug},
        "datePosted": offer.date.isoformat(timespec="seconds"),
        "validThrough": offer.deadline.isoformat(timespec="seconds"),
        "employmentType": employment_types(offer),
        "hiringOrganization": organisation,
        "url": offer.absolute_url,
        "directApply": bool(offer.apply_url or offer.apply_email),
    }
    if offer.town:
        data["jobLocation"] = {"@type": "Place", "address": _address(offer)}
    if offer.remote:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": COUNTRY_NAME}
    salary = base_salary(offer)
    if salary:
        data["baseSalary"] = salary
    if offer.start_date:
        data["jobStartDate"] = offer.start_date.isoformat()
    return data

