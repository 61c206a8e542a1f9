"""The portrait fields of articles and their rules (pure: no Pelican, no files)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

from transfo_validation.fields import Choice, FieldError, ParseContext, Text, Url
from transfo_validation.problems import Problem
from transfo_validation.schema import Document, KindExtension, Rule

from .settings import PortraitsSettings

PORTRAIT_FIELDS = ("person", "enterprise", "sector", "town", "region", "website", "annuaire")
REQUIRED_IN_PORTRAITS = ("sector", "town", "region")


@dataclass(frozen=True)
class AnnuaireUrl(Url):
    """The enterprise's entry in the directory of social enterprises."""

    host: str = "annuaire.economiesociale.be"

    @property
    def expected(self) -> str:
        return f"l'adresse de la fiche de l'entreprise sur https://{self.host}/"

    def convert(self, value: str, context: ParseContext) -> str:
        value = super().convert(value, context)
        parsed = urlparse(value)
        if parsed.scheme != "https" or parsed.hostname != self.host:
            raise FieldError(f"« {value} » ; attendu : {self.expected}")
        return value


def _display(name: str) -> str:
    return name[:1].upper() + name[1:]


def portrait_rule(cfg: PortraitsSettings) -> Rule:
    """Portrait fields belong to the Portraits rubric, and a portrait needs its facts."""

    def rule(doc: Document) -> Iterator[Problem]:
        category = doc.values.get("category")
        if category is None:
            return
        present = [name for name in PORTRAIT_FIELDS if name in doc.raw.fields]
        if category != cfg.rubric:
            for name in present:
                yield doc.problem(name, f"champ de portrait dans un article de la rubrique "
                                  f"« {category} » ; attendu : ce champ seulement dans la rubrique "
                                  f"« {cfg.rubric} », ou Category: {cfg.rubric}")
            return
        if not present:
            return  # an old portrait without its facts: a warning at build time (plugin.py)
        if "person" not in doc.raw.fields and "enterprise" not in doc.raw.fields:
            yield Problem(doc.path, "Person", "ni Person ni Enterprise dans ce portrait ; attendu : "
                          "le nom de la personne (Person) et/ou de l'entreprise (Enterprise)")
        for name in REQUIRED_IN_PORTRAITS:
            if name not in doc.raw.fields:
                yield Problem(doc.path, _display(name), "champ absent dans ce portrait ; attendu : "
                              + _EXPECTED[name](cfg))

    return rule


_EXPECTED = {
    "sector": lambda cfg: "le secteur, parmi " + ", ".join(cfg.sectors),
    "town": lambda cfg: "la localité (ex. Gembloux)",
    "region": lambda cfg: "la région, parmi " + ", ".join(cfg.regions),
}


def article_extension(cfg: PortraitsSettings) -> KindExtension:
    return KindExtension(
        kind="article",
        fields={
            "person": Text(max_length=120),
            "enterprise": Text(max_length=160),
            "sector": Choice(choices=cfg.sectors),
            "town": Text(max_length=80),
            "region": Choice(choices=cfg.regions),
            "website": Url(),
            "annuaire": AnnuaireUrl(host=cfg.annuaire_host),
        },
        rules=(portrait_rule(cfg),),
        rubric=cfg.rubric,
    )
