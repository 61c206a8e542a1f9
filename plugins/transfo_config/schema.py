"""The whole configuration schema: the shared keys and every plugin's declared settings."""

from __future__ import annotations

from transfo_admin import guard
from transfo_admin import settings as admin
from transfo_agenda import settings as agenda
from transfo_common import config
from transfo_dossiers import settings as dossiers
from transfo_feeds import settings as feeds
from transfo_i18n import settings as i18n
from transfo_images import settings as images
from transfo_newsletter import settings as newsletter
from transfo_offers import settings as offers
from transfo_perf import settings as perf
from transfo_portraits import settings as portraits
from transfo_promotions import settings as promotions
from transfo_publication import settings as publication
from transfo_related import settings as related
from transfo_search import settings as search
from transfo_sitemap import settings as sitemap
from transfo_validation import settings as validation

# (title in docs/reglages.md, declarations), in the order of the reference.
GROUPS = (
    ("Réglages communs", config.SHARED),
    ("Publication et page d’accueil (transfo_publication)", publication.SETTINGS),
    ("Langue et traductions (transfo_i18n)", i18n.SETTINGS),
    ("Vérification des contenus (transfo_validation)", validation.SETTINGS),
    ("Flux Atom (transfo_feeds)", feeds.SETTINGS),
    ("Offres d’emploi et appels (transfo_offers)", offers.SETTINGS),
    ("À lire aussi (transfo_related)", related.SETTINGS),
    ("Dossiers (transfo_dossiers)", dossiers.SETTINGS),
    ("Portraits (transfo_portraits)", portraits.SETTINGS),
    ("Recherche (transfo_search)", search.SETTINGS),
    ("Agenda (transfo_agenda)", agenda.SETTINGS),
    ("Promotions (transfo_promotions)", promotions.SETTINGS),
    ("Images et cartes de partage (transfo_images)", images.SETTINGS),
    ("Lettre d’information (transfo_newsletter)", newsletter.SETTINGS),
    ("Éditeur en ligne (transfo_admin)", admin.SETTINGS),
    ("Vitesse de construction (transfo_perf)", perf.SETTINGS),
    ("Plan du site (transfo_sitemap)", sitemap.SETTINGS),
)
SCHEMA = tuple(setting for _, declared in GROUPS for setting in declared)
# Keys the build itself adds to the settings, never written in a settings file.
INTERNAL = (config.RESOLVED_NOW,)
# Environment variables, never settings: SMTP credentials stay out of the settings files;
# pelicanconf.py reads TRANSFO_CMS_PORT into TRANSFO_ADMIN_LOCAL_PORT; `invoke cms` gives
# decap-server its secret in TRANSFO_GUARD_TOKEN.
ENVIRONMENT = (*newsletter.SMTP_ENVIRONMENT, "TRANSFO_CMS_PORT", guard.TOKEN_VARIABLE)


def reference() -> str:
    """The text of docs/reglages.md."""
    return config.reference(GROUPS)
