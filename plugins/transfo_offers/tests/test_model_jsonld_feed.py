from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import feedparser
from transfo_feeds.feeds import render_atom
from transfo_offers.feed import offers_feed
from transfo_offers.jsonld import employment_types, job_posting
from transfo_offers.model import build_offer

TZ = ZoneInfo("Europe/Brussels")
NOW = datetime(2019, 11, 30, 23, 59, 59, tzinfo=TZ)
REQUIRED = {"@context", "@type", "title", "description", "datePosted", "hiringOrganization"}


def content(**changes):
    """A content object as Pelican and the validation plugin leave it."""
    values = dict(
        title="Chargé·e de projets", slug="charge-de-projets", url="offres/charge-de-projets/",
        save_as="offres/charge-de-projets/index.html", kind="emploi", status="open",
        organisation="Récup'Sambre ASBL", organisation_website="https://www.recupsambre.be",
        organisation_logo="", town="Namur", postal_code="5000", region="wallonie", remote=False,
        contract="cdi", working_time="temps-plein", salary_min=Decimal(2850),
        salary_max=Decimal(3400), salary_period="mois",
        date=datetime(2019, 11, 18, 10, 0, tzinfo=TZ), deadline=date(2019, 12, 20),
        apply_email="recrutement@recupsambre.be", summary="<p>Un poste.</p>",
        content="<p>La description.</p>",
    )
    values.update(changes)
    return NS(**values)


def offer(now=NOW, **changes):
    return build_offer(content(**changes), now, TZ, soon_days=7,
                       absolute_url="https://transfo.example/offres/charge-de-projets/")


def test_offer_from_content():
    item = offer()
    assert item.is_open and item.status == "open"
    assert item.kind_label == "Emploi"
    assert item.deadline.isoformat() == "2019-12-20T23:59:59+01:00"
    assert not item.deadline_has_time
    assert item.place == "Namur (Wallonie)"
    assert item.contract_label == "CDI" and item.working_time_label == "Temps plein"
    assert item.closing_label == "Clôture le 20 décembre"
    assert item.content == "<p>La description.</p>"
    assert item.organisation.name == "Récup'Sambre ASBL"


def test_status_as_editors_write_it():
    assert offer(status="pourvue").status == "filled"
    assert offer(status="clôturée").status == "closed"
    assert offer(now=datetime(2019, 12, 21, tzinfo=TZ)).status == "expired"


def test_job_posting_has_googles_required_and_recommended_properties():
    data = job_posting(offer(), "<p>Un poste.</p><p>La description.</p>", "https://x/logo.png")
    assert REQUIRED <= set(data)
    assert data["@type"] == "JobPosting"
    assert data["description"].startswith("<p>")
    assert data["datePosted"] == "2019-11-18T10:00:00+01:00"
    assert data["validThrough"] == "2019-12-20T23:59:59+01:00"
    assert data["employmentType"] == ["FULL_TIME"]
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Récup'Sambre ASBL",
                                          "sameAs": "https://www.recupsambre.be",
                                          "logo": "https://x/logo.png"}
    address = data["jobLocation"]["address"]
    assert address["@type"] == "PostalAddress"
    assert (address["addressLocality"], address["postalCode"], address["addressCountry"]) == (
        "Namur", "5000", "BE")
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount", "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "minValue": 2850, "maxValue": 3400, "unitText": "MONTH"},
    }


def test_remote_jobs_are_telecommute_in_belgium():
    data = job_posting(offer(town="", region="", remote=True), "<p>x</p>")
    assert "jobLocation" not in data
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "Belgium"}


def test_employment_types():
    assert employment_types(offer(contract="cdd", working_time="temps-partiel")) == ["PART_TIME", "TEMPORARY"]
    assert employment_types(offer(contract="independant", working_time="")) == ["CONTRACTOR"]
    assert employment_types(offer(kind="stage")) == ["INTERN"]
    assert employment_types(offer(kind="benevolat")) == ["VOLUNTEER"]


def test_single_salary_is_a_value():
    data = job_posting(offer(salary_max=None, salary_min=Decimal("14.5"), salary_period="heure"), "x")
    assert data["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 14.5, "unitText": "HOUR"}
    only_max = job_posting(offer(salary_min=None, salary_max=Decimal(3400)), "x")
    assert only_max["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 3400, "unitText": "MONTH"}
    same = job_posting(offer(salary_min=Decimal(3400), salary_max=Decimal(3400)), "x")
    assert same["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 3400, "unitText": "MONTH"}
    assert "baseSalary" not in job_posting(offer(salary_min=None, salary_max=None), "x")


def test_no_job_posting_for_calls_for_projects_or_closed_offers():
    assert job_posting(offer(kind="appel-a-projets"), "x") is None
    assert job_posting(offer(status="pourvue"), "x") is None
    assert job_posting(offer(now=datetime(2020, 1, 1, tzinfo=TZ)), "x") is None


def test_feed_of_open_offers_parses_back():
    items = [offer(), offer(slug="b", title="Stage", kind="stage", date=datetime(2019, 11, 20, tzinfo=TZ))]
    meta = offers_feed(items, title="Transfo · Emplois & appels", subtitle="Offres",
                       page_url="https://transfo.example/offres/",
                       atom_url="https://transfo.example/feeds/offres.atom.xml", language="fr-BE")
    feed = feedparser.parse(render_atom(meta))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Transfo · Emplois & appels"
    assert [e.title for e in feed.entries] == ["Stage\u00a0: Stage", "Emploi\u00a0: Chargé·e de projets"]
    first = feed.entries[1]
    assert "Clôture le 20 décembre" in first.summary and "Namur (Wallonie)" in first.summary
    assert {t.term for t in first.tags} == {"Emploi", "Wallonie"}


def test_feed_gives_the_deadline_as_a_date_never_as_days_left():
    soon = offer(now=datetime(2019, 12, 17, 9, tzinfo=TZ))  # the page says "Clôture dans 3 jours"
    noon = offer(slug="b", deadline=datetime(2019, 12, 18, 12, 0), now=datetime(2019, 12, 17, 9, tzinfo=TZ))
    assert soon.closing_label == "Clôture dans 3 jours" and noon.closing_label.startswith("Clôture demain")
    meta = offers_feed([soon, noon], title="Transfo · Emplois & appels", subtitle="Offres",
                       page_url="https://transfo.example/offres/",
                       atom_url="https://transfo.example/feeds/offres.atom.xml", language="fr-BE")
    feed = feedparser.parse(render_atom(meta))
    summaries = [entry.summary for entry in feed.entries]
    assert any("Clôture le 20 décembre 2019" in text for text in summaries)
    assert any("Clôture le 18 décembre 2019 à 12\u00a0h" in text for text in summaries)
    assert all("dans" not in text and "demain" not in text for text in summaries)
