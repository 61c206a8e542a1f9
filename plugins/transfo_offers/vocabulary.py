"""The closed vocabularies of an offer: kinds, statuses, contracts, regions...

Terms and matching are transfo_validation.vocabulary's; statuses are the
site-wide vocabulary of transfo_validation.status.
"""

from __future__ import annotations

from transfo_validation.status import offer_statuses

# by_code is re-exported: the offers' modules look terms up through this module (v.by_code(v.KINDS, ...)).
from transfo_validation.vocabulary import Term, by_code  # noqa: F401

KINDS = (
    Term("emploi", "Emploi", "Emplois", ("job", "offre d'emploi")),
    Term("stage", "Stage", "Stages", ("stagiaire",)),
    Term("benevolat", "Bénévolat", "Bénévolat", ("volontariat", "benevole")),
    Term("appel-a-projets", "Appel à projets", "Appels à projets", ("appel", "appel a projet")),
)
# Kinds published as schema.org JobPosting; calls for projects are not jobs.
JOB_KINDS = ("emploi", "stage", "benevolat")

# The site-wide status vocabulary (transfo_validation.status), as offers use it.
STATUSES = offer_statuses()

CONTRACTS = (
    Term("cdi", "CDI", aliases=("contrat a duree indeterminee",), schema=""),
    Term("cdd", "CDD", aliases=("contrat a duree determinee",), schema="TEMPORARY"),
    Term("remplacement", "Contrat de remplacement", aliases=("contrat de remplacement",),
         schema="TEMPORARY"),
    Term("article-60", "Article 60", aliases=("article 60 §7", "art-60"), schema="TEMPORARY"),
    Term("interim", "Intérim", schema="TEMPORARY"),
    Term("independant", "Indépendant", aliases=("freelance",), schema="CONTRACTOR"),
)

WORKING_TIMES = (
    Term("temps-plein", "Temps plein", aliases=("plein temps", "temps complet"), schema="FULL_TIME"),
    Term("temps-partiel", "Temps partiel", aliases=("mi-temps", "temps partiel"), schema="PART_TIME"),
)

REGIONS = (
    Term("wallonie", "Wallonie", aliases=("region wallonne",), schema="Région wallonne"),
    Term("bruxelles", "Bruxelles", aliases=("region de bruxelles-capitale", "bruxelles-capitale"),
         schema="Région de Bruxelles-Capitale"),
    Term("belgique", "Toute la Belgique", aliases=("national",), schema=""),
)

SALARY_PERIODS = (
    Term("mois", "par mois", aliases=("mensuel",), schema="MONTH"),
    Term("heure", "de l'heure", aliases=("horaire",), schema="HOUR"),
    Term("an", "par an", aliases=("annuel", "annee"), schema="YEAR"),
    Term("jour", "par jour", aliases=("journalier",), schema="DAY"),
)
