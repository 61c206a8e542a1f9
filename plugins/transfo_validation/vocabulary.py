"""Closed vocabularies: words an editor may type for a field, each meaning one code.

A term has a stable code (used in URLs and code), the French label editors
and readers see, and other spellings accepted (English, older words).
Matching ignores case, accents, spaces and underscores, so "Appel à projets"
and "appel-a-projets" are one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .fields import Field, FieldError, ParseContext, did_you_mean


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


@dataclass(frozen=True)
class Keyword(Field):
    """One term of a vocabulary, typed as the editor likes (accents, case); returns its code."""

    terms: tuple[Term, ...] = ()

    @property
    def options(self) -> tuple[str, ...]:
        """The French words, in the vocabulary's order (what a form offers)."""
        return tuple(term.label for term in self.terms)

    @property
    def expected(self) -> str:
        return "une valeur parmi " + ", ".join(self.options)

    def convert(self, value: str, context: ParseContext) -> str:
        term = lookup(self.terms, value)
        if term is None:
            hint = did_you_mean(value, self.options)
            raise FieldError(f"« {value} » inconnu ; attendu : {self.expected}{hint}")
        return term.code
