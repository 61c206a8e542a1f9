"""Deterministic French prose for synthetic articles.

Everything here takes a `random.Random` so the same seed gives the same text,
byte for byte, on every machine.
"""

from __future__ import annotations

import random

PLACES = (
    "Namur", "Liège", "Charleroi", "Mons", "Tournai", "Arlon", "Wavre", "Verviers", "Nivelles",
    "Schaerbeek", "Anderlecht", "Forest", "Molenbeek", "Ixelles", "Saint-Gilles", "Ottignies",
    "Louvain-la-Neuve", "Huy", "Dinant", "Marche-en-Famenne", "Bastogne", "Mouscron", "Gembloux",
)
ORGS = (
    "la coopérative", "l'entreprise de travail adapté", "l'ASBL", "la ressourcerie",
    "l'entreprise d'insertion", "le supermarché coopératif", "la fédération", "l'agence-conseil",
    "la régie de quartier", "la société à finalité sociale", "le réseau", "la mutuelle",
)
NAMES = (
    "Le Grenier commun", "Terre d'avenir", "Les Ateliers du Confluent", "Soleil de Meuse",
    "Le Fournil partagé", "Vélo solidaire", "La Fabrique de liens", "Court-circuit",
    "Les Jardins de Hesbaye", "Rebond", "Le Pot commun", "Ressources et partage", "Coopéco",
    "La Brouette", "L'Atelier du bois", "Énergie des rivières", "Tous en selle",
)
SUBJECTS = (
    "l'économie sociale", "la transition énergétique", "l'insertion professionnelle",
    "le circuit court", "la finance solidaire", "la gouvernance participative",
    "l'emploi des jeunes", "le réemploi", "l'inclusion numérique", "la mobilité douce",
    "les titres-services", "l'alimentation durable", "le logement solidaire",
    "les marchés publics", "la formation en alternance", "l'habitat groupé",
)
VERBS = (
    "relance", "transforme", "réinvente", "accompagne", "soutient", "interroge", "bouscule",
    "fédère", "consolide", "repense", "ouvre", "finance", "prolonge", "défend",
)
ADJECTIVES = (
    "durable", "solidaire", "local", "ambitieux", "fragile", "inédit", "collectif",
    "pragmatique", "exigeant", "discret", "décisif", "prometteur", "ancré",
)
NOUNS = (
    "le projet", "le modèle", "l'équipe", "le chantier", "la démarche", "le partenariat",
    "le financement", "le dispositif", "l'initiative", "la filière", "le collectif",
)
FIRST_NAMES = (
    "Nadia", "Julien", "Sophie", "Marc", "Élodie", "Youssef", "Anne", "Pierre", "Fatima",
    "Thomas", "Claire", "Hugo", "Samira", "Luc", "Inès", "Benoît", "Chloé", "Karim",
)
LAST_NAMES = (
    "Benali", "Mertens", "Dubois", "Lejeune", "Peeters", "Haddouche", "Lambert", "Janssens",
    "Martin", "Dupont", "Renard", "Claes", "Wauters", "Lemaire", "Goossens", "Collard",
)
TAG_STEMS = (
    "coopératives", "insertion", "emploi", "circuit court", "énergie", "réemploi", "finance",
    "numérique", "alimentation", "mobilité", "logement", "formation", "gouvernance",
    "titres-services", "ETA", "marchés publics", "bénévolat", "jeunes", "climat", "textile",
    "agriculture", "culture", "santé", "tourisme", "impact social", "subventions",
)
CONNECTORS = (
    "Pourtant", "Depuis", "En attendant", "Au fil des mois", "Dans les faits", "Concrètement",
    "Pour l'heure", "À terme", "De son côté", "Sur le terrain", "Dès lors",
)
QUOTES = (
    "On ne fait pas ça pour l'argent, mais il faut bien que ça tienne",
    "Le plus dur, c'est de durer",
    "Ici, chacun a voix au chapitre",
    "Nous avons appris en marchant",
    "Il faut du temps pour que la confiance s'installe",
    "Sans les bénévoles, rien de tout cela n'existerait",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def title(rng: random.Random) -> str:
    patterns = (
        lambda: f"À {rng.choice(PLACES)}, {rng.choice(ORGS)} {rng.choice(NAMES)} "
                f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}",
        lambda: f"{rng.choice(NAMES)} : {rng.choice(NOUNS)} {rng.choice(ADJECTIVES)} "
                f"qui {rng.choice(VERBS)} {rng.choice(SUBJECTS)}",
        lambda: f"{rng.choice(SUBJECTS).capitalize()} : ce qui change en "
                f"{rng.randint(2004, 2019)} à {rng.choice(PLACES)}",
        lambda: f"{person(rng)}, {rng.choice(('fondatrice', 'fondateur', 'gérante', 'coopérateur'))}"
                f" à {rng.choice(PLACES)}",
    )
    return rng.choice(patterns)()


def sentence(rng: random.Random) -> str:
    patterns = (
        lambda: f"{rng.choice(CONNECTORS)}, {rng.choice(NOUNS)} {rng.choice(VERBS)} "
                f"{rng.choice(SUBJECTS)} à {rng.choice(PLACES)}.",
        lambda: f"{rng.choice(ORGS).capitalize()} {rng.choice(NAMES)} compte aujourd'hui "
                f"{rng.randint(3, 240)} travailleurs et {rng.randint(10, 900)} coopérateurs.",
        lambda: f"« {rng.choice(QUOTES)} », résume {person(rng)}.",
        lambda: f"Le budget annuel atteint {rng.randint(40, 2500)} 000 euros, dont "
                f"{rng.randint(5, 60)} % de subsides publics.",
        lambda: f"{rng.choice(NOUNS).capitalize()} reste {rng.choice(ADJECTIVES)}, mais "
                f"{rng.choice(SUBJECTS)} y gagne en visibilité.",
        lambda: f"Selon la fédération, {rng.choice(SUBJECTS)} concerne désormais "
                f"{rng.randint(2, 40)} communes de la région.",
    )
    return rng.choice(patterns)()


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def summary(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(2))[:480]


def tags(rng: random.Random) -> list[str]:
    chosen = rng.sample(TAG_STEMS, rng.randint(2, 5))
    # A long tail of place tags: many tag pages, as on a real archive.
    if rng.random() < 0.5:
        chosen.append(rng.choice(PLACES))
    return chosen


def body(rng: random.Random, links: list[str], image: str | None = None) -> str:
    """A body of 500-1100 words: headings, paragraphs, a list, links, maybe an image."""
    parts = [paragraph(rng), paragraph(rng)]
    for section in range(rng.randint(2, 4)):
        parts.append(f"## {rng.choice(NOUNS).capitalize()} {rng.choice(ADJECTIVES)}")
        parts.append(paragraph(rng))
        if section == 0:
            items = [f"- {rng.choice(SUBJECTS).capitalize()} à {rng.choice(PLACES)}"
                     for _ in range(rng.randint(3, 5))]
            parts.append("\n".join(items))
        if section == 1 and links:
            target = rng.choice(links)
            parts.append(f"Relire aussi [notre article précédent]({{filename}}{target}) et le "
                         f"[portail de l'économie sociale](https://www.economiesociale.be/).")
        if section == 1 and image:
            parts.append(f"![Illustration : {rng.choice(NOUNS)} à {rng.choice(PLACES)}]"
                         f"({{static}}/{image})")
        parts.append(paragraph(rng))
    return "\n\n".join(parts) + "\n"
