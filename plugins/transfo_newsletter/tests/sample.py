"""A small site snapshot for the selection and rendering tests (plain data, no Pelican)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from transfo_i18n.translations import load_translations
from transfo_newsletter.model import ArticleRecord, DossierRecord, EventRecord, OfferRecord, SiteSnapshot

TZ = ZoneInfo("Europe/Brussels")
PUBLIC_URL = "https://transfo.example.org"
TRANSLATIONS = Path(__file__).resolve().parents[3] / "theme" / "translations"


def french():
    """The theme's French catalogue, as the site loads it (UI strings of the email)."""
    return load_translations(TRANSLATIONS, "fr_BE")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def article(slug, day, category="Actualités", **extra):
    return ArticleRecord(slug=slug, title=extra.pop("title", slug.replace("-", " ").capitalize()),
                         url=f"2019/{day[5:7]}/{slug}/", date=at(day),
                         summary=extra.pop("summary", f"Résumé de {slug}."), category=category,
                         **extra)


def snapshot() -> SiteSnapshot:
    return SiteSnapshot(
        articles=(
            article("octobre-ancien", "2019-10-20 09:00"),
            article("cooperative-alpha", "2019-11-14 09:30", featured=True,
                    image="images/alpha.jpg", image_alt="Façade d'un magasin coopératif",
                    reading_minutes=4),
            article("analyse-beta", "2019-11-05 09:00", category="Analyses", image="images/beta.jpg",
                    image_alt="Graphique"),
            article("portrait-gamma", "2019-11-20 10:00", category="Portraits"),
            article("dossier-textile-2", "2019-11-07 09:00", category="Dossiers",
                    dossier="textile", dossier_part=2),
            article("brouillon-secret", "2019-11-21 10:00", status="draft"),
            article("article-de-decembre", "2019-12-15 10:00"),
            article("fin-du-mois", "2019-11-30 23:30"),
        ),
        dossiers=(DossierRecord("textile", "Ce que cachent nos vêtements", "dossiers/textile/"),),
        events=(
            EventRecord("salon-decembre", "Salon de l'économie sociale", "agenda/salon/",
                        start=at("2019-12-05 09:30"), place="Namur Expo, Namur"),
            EventRecord("atelier-janvier", "Atelier coopératives", "agenda/atelier/",
                        start=at("2020-01-10 14:00"), place="Liège"),
            EventRecord("en-ligne", "Webinaire clauses sociales", "agenda/webinaire/",
                        start=at("2019-12-10 12:30"), status="moved-online", place="en ligne"),
            EventRecord("brouillon-evenement", "Événement en brouillon", "agenda/brouillon/",
                        start=at("2019-12-11 12:30"), status="draft"),
            EventRecord("trop-tard", "Conférence de février", "agenda/fevrier/",
                        start=at("2020-02-20 14:00")),
            EventRecord("deja-passe", "Réunion de novembre", "agenda/novembre/",
                        start=at("2019-11-20 14:00")),
            EventRecord("annule", "Foire annulée", "agenda/annule/", start=at("2019-12-10 10:00"),
                        status="cancelled"),
        ),
        offers=(
            OfferRecord("coordinateur", "Coordinateur·rice de projets", "offres/coordinateur/",
                        kind_label="Emploi", organisation="Coopérative Alpha",
                        deadline=date(2019, 12, 20), place="Bruxelles"),
            OfferRecord("appel-projets", "Appel à projets circulaires", "offres/appel/",
                        kind_label="Appel à projets", organisation="Région wallonne"),
            OfferRecord("expiree", "Offre expirée", "offres/expiree/", kind_label="Emploi",
                        deadline=date(2019, 11, 15)),
        ),
    )
