"""The closed vocabularies of an offer: kinds, statuses, contracts, regions...

Each term has a stable code (used in URLs and code), the French label readers
see, and the spellings editors may type. Matching ignores case, accents,
spaces and underscores, so "Appel à projets" and "appel-a-projets" are one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    plural: str = ""  # listing titles ("Emplois"); the label when empty
    aliases: tuple[str, ...] = ()
    schema: str = ""  # the schema.org value it maps to, if any

    @property
    def title(self) -> str:
        return self.plural or self.label


def normalise(text: str) -> str:
    """`Appel à projets` -> `appel-a-projets`: lower case, no accents, hyphens."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_'’]+", "-", plain)


def lookup(terms: tuple[Term, ...], text: str) -> Term | None:
    """The term `text` names (by code, label or alias), or None."""
    key = normalise(text)
    for term in terms:
        if key in {normalise(term.code), normalise(term.label), *map(normalise, term.aliases)}:
            return term
    return None


def by_code(terms: tuple[Term, ...], code: str | None) -> Term | None:
    return next((term for term in terms if term.code == code), None)


KINDS = (
    Term("emploi", "Emploi", "Emplois", ("job", "offre d'emploi")),
    Term("stage", "Stage", "Stages", ("stagiaire",)),
    Term("benevolat", "Bénévolat", "Bénévolat", ("volontariat", "benevole")),
    Term("appel-a-projets", "Appel à projets", "Appels à projets", ("appel", "appel a projet")),
)
# Kinds published as schema.org JobPosting; calls for projects are not jobs.
JOB_KINDS = ("emploi", "stage", "benevolat")

STATUSES = (
    Term("open", "ouverte", aliases=("ouvert",)),
    Term("filled", "pourvue", aliases=("pourvu",)),
    Term("closed", "clôturée", aliases=("cloture", "fermee", "annulee")),
    Term("draft", "brouillon"),
)

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
