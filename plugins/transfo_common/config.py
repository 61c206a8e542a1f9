"""The configuration schema: every TRANSFO_* setting declared once, checked all at once.

Each plugin's settings.py declares its settings as a tuple of `Setting` (name, default,
check, French description); keys several plugins read (TIMEZONE, TRANSFO_LOCALE,
TRANSFO_RUBRICS, TRANSFO_NOW) are declared here. `value_problems()` and `unknown_keys()`
check a whole settings dict the way MkDocs checks its configuration: one French line per
wrong or unknown key, all of them at once (transfo_config does it at `initialized`);
each plugin's read_settings reads its values through `checked_values()`. docs/reglages.md
is generated from the same declarations (`invoke settings-doc`).
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PREFIX = "TRANSFO_"


@dataclass(frozen=True)
class Check:
    """A test of a value and what it expects, in French ("un entier positif")."""

    accepts: Callable[[Any], bool]
    expected: str


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    check: Check
    description: str  # French, for docs/reglages.md

    def value(self, settings: dict) -> Any:
        """This setting's value in `settings`, or its default."""
        return settings.get(self.name, self.default)


def defaults(declared: Iterable[Setting]) -> dict:
    """{name: default} of `declared`."""
    return {setting.name: setting.default for setting in declared}


def read_values(settings: dict, declared: Iterable[Setting]) -> dict:
    """{name: value or default} of `declared`, read from `settings`."""
    return {setting.name: setting.value(settings) for setting in declared}


def checked_values(settings: dict, declared: Iterable[Setting], error: type[Exception]) -> dict:
    """`read_values`, once every value passed its check; else `error`, one line per refused value."""
    declared = tuple(declared)
    lines = value_problems(settings, declared)
    if lines:
        raise error("\n".join(lines))
    return read_values(settings, declared)


# Checks, shared by the declarations of every plugin.
def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text_list(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and bool(value)
            and all(isinstance(item, str) and item.strip() for item in value))


def _is_zone(value: Any) -> bool:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def _is_locale(value: Any) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _is_now(value: Any) -> bool:
    if value is None or value == "" or isinstance(value, (date, datetime)):
        return True
    try:
        datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _is_folder_url(value: Any) -> bool:
    return isinstance(value, str) and value.endswith("/") and not value.startswith("/") and "//" not in value


def optional(check: Check, none_means: str) -> Check:
    """`check`, or None."""
    return Check(lambda value: value is None or check.accepts(value), f"{check.expected}, ou None ({none_means})")


BOOLEAN = Check(lambda value: isinstance(value, bool), "True ou False")
POSITIVE = Check(lambda value: _is_int(value) and value >= 1, "un nombre entier d’au moins 1")
COUNT = Check(lambda value: _is_int(value) and value >= 0, "un nombre entier, 0 ou plus")
NUMBER = Check(_is_int, "un nombre entier")
AMOUNT = Check(lambda value: isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
               and math.isfinite(value) and value > 0, "un montant positif")
TEXT = Check(lambda value: isinstance(value, str), "un texte (\"\" possible)")
NAME = Check(lambda value: isinstance(value, str) and bool(value.strip("/ ")), "un texte non vide")
PATH = Check(lambda value: isinstance(value, (str, os.PathLike)) and bool(str(value).strip()),
             "un chemin de dossier ou de fichier")
FOLDER_NAME = Check(lambda value: isinstance(value, str) and bool(value.strip("/")) and "/" not in value.strip("/"),
                    "un nom de dossier, comme « pagefind »")
FOLDER_URL = Check(_is_folder_url, "un dossier relatif terminé par « / », comme « agenda/ »")
TEXT_LIST = Check(_is_text_list, "une liste non vide de textes, comme [\"Wallonie\", \"Bruxelles\"]")
MAPPING = Check(lambda value: isinstance(value, dict), "un dictionnaire {clé: valeur}")
PORT = Check(lambda value: _is_int(value) and 0 < value < 65536, "un numéro de port (1 à 65535)")
ZONE = Check(_is_zone, "un fuseau horaire IANA comme « Europe/Brussels »")
LOCALE = Check(_is_locale, "une langue Babel comme « fr_BE »")
NOW = Check(_is_now, "une date AAAA-MM-JJ, AAAA-MM-JJTHH:MM, ou None (l’heure réelle)")


def file_name(suffix: str) -> Check:
    """A bare file name ending with `suffix` (".ics")."""
    return Check(lambda value: isinstance(value, str) and value.endswith(suffix) and "/" not in value,
                 f"un nom de fichier terminé par {suffix}")


def folder_url_with(placeholder: str) -> Check:
    """FOLDER_URL holding `placeholder` ("{slug}")."""
    return Check(lambda value: _is_folder_url(value) and placeholder in value,
                 f"{FOLDER_URL.expected}, qui contient {placeholder}")


def one_of(*choices: Any) -> Check:
    return Check(lambda value: value in choices, "l’une de ces valeurs : " + ", ".join(map(repr, choices)))


# Keys several plugins read: declared once, here.
TIMEZONE = Setting("TIMEZONE", "Europe/Brussels", ZONE,
                   "Fuseau horaire du site : les dates sans heure des contenus y sont lues.")
LOCALE_SETTING = Setting("TRANSFO_LOCALE", "fr_BE", LOCALE,
                         "Langue et région du site (dates, nombres, flux, calendriers).")
RUBRICS = Setting("TRANSFO_RUBRICS", ("Actualités", "Analyses", "Portraits", "Dossiers"), TEXT_LIST,
                  "Les rubriques du magazine, dans l’ordre du menu ; un article en porte une.")
NOW_SETTING = Setting("TRANSFO_NOW", None, NOW,
                      "Date de la construction. None : l’heure réelle, lue une fois par construction ; "
                      "« 2019-11-30 » fige la date (la fin de ce jour). `invoke build --now` la remplace. "
                      "La date retenue est rangée dans TRANSFO_RESOLVED_NOW, que toutes les extensions lisent.")
STRICT = Setting("TRANSFO_STRICT_SETTINGS", False, BOOLEAN,
                 "True : un réglage inconnu arrête la construction (publishconf.py) ; "
                 "False : il est signalé par un avertissement.")

SHARED = (TIMEZONE, LOCALE_SETTING, RUBRICS, NOW_SETTING, STRICT)

# The build date resolved once at `initialized` (transfo_config), as an aware datetime: every
# plugin reads this one value instead of the clock (transfo_publication.settings.read_settings).
RESOLVED_NOW = "TRANSFO_RESOLVED_NOW"
# The settings that hold the build date, as given and as resolved: caches of what does not depend
# on the day (Markdown parsing, validation, the site's pages but through their context) leave them
# out of their keys.
DATE_SETTINGS = (NOW_SETTING.name, RESOLVED_NOW)


def cache_folder(settings: dict, name: str) -> Path:
    """`<CACHE_PATH>/<name>`: where a plugin keeps what it computed, outside any output."""
    return Path(settings.get("CACHE_PATH") or "cache") / name


def value_problems(settings: dict, schema: Iterable[Setting]) -> list[str]:
    """One French line per declared setting whose value its check refuses."""
    return [f"Réglage {setting.name} : trouvé {settings[setting.name]!r} ; "
            f"attendu : {setting.check.expected}"
            for setting in schema
            if setting.name in settings and not setting.check.accepts(settings[setting.name])]


def unknown_keys(settings: dict, schema: Iterable[Setting], internal: Iterable[str] = ()) -> list[str]:
    """One French line per TRANSFO_* key no plugin declares, with the closest declared name."""
    known = {setting.name for setting in schema} | set(internal)
    # Compared without the shared prefix, which would make every name look close.
    stems = {name.removeprefix(PREFIX): name for name in known}
    lines = []
    for key in sorted(settings):
        if key.startswith(PREFIX) and key not in known:
            close = difflib.get_close_matches(key.removeprefix(PREFIX), sorted(stems), n=1, cutoff=0.75)
            hint = f" (vouliez-vous dire « {stems[close[0]]} » ?)" if close else ""
            lines.append(f"{key} : réglage inconnu{hint}")
    return lines


def reference(groups: Iterable[tuple[str, Iterable[Setting]]]) -> str:
    """docs/reglages.md: every setting, its default and its description, by plugin."""
    lines = ["# Réglages", "",
             "Tous les réglages `TRANSFO_*` du site, leur valeur par défaut et ce qu’ils attendent.",
             "On les change dans `pelicanconf.py` (développement) ou `publishconf.py` (publication).",
             "Chaque construction les vérifie tous avant de commencer et signale toutes les erreurs",
             "à la fois ; un réglage inconnu (faute de frappe) est signalé avec le nom le plus proche,",
             "et arrête la publication.", "",
             "Ce fichier est produit par `invoke settings-doc` : ne le modifiez pas à la main.",
             "Les commandes `invoke` se tapent dans le [terminal du projet](README.md#le-terminal-du-projet).",
             ""]
    for title, declared in groups:
        lines += [f"## {title}", ""]
        for setting in declared:
            lines += [f"### `{setting.name}`", "", setting.description, "",
                      f"- Par défaut : `{setting.default!r}`",
                      f"- Attendu : {setting.check.expected}", ""]
    return "\n".join(lines)
