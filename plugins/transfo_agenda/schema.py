"""The event content kind: its fields, its rules, and checks across event files.

Declared to transfo_validation through its `content_kinds` signal; every
problem is one line in French naming the file and the field.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cache
from pathlib import PurePath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from transfo_common.markup import shown
from transfo_validation.core_schema import (
    body_images_rule,
    lead_image_rule,
    modified_after_date_rule,
    summary_without_internal_links_rule,
)
from transfo_validation.core_schema import local_times_rule as core_local_times_rule
from transfo_validation.fields import (
    DAY_FORMATS,
    TIME_FORMATS,
    TITLE_LENGTH,
    Amount,
    DateTime,
    Field,
    FieldError,
    ImagePath,
    ParseContext,
    Slug,
    Text,
    TextList,
    Url,
    parse_when,
    spelled,
    when_pattern,
)
from transfo_validation.problems import Problem
from transfo_validation.schema import ContentKind, Document, Rule
from transfo_validation.status import (
    CANCELLED,
    MOVED_ONLINE,
    POSTPONED,
    PUBLISHED,
    event_statuses,
    status_field,
)

# Event statuses (transfo_validation.status): publié, annulé, reporté, passé en ligne, brouillon.
STATUSES = event_statuses()
FREE_WORDS = {"gratuit", "gratuite", "libre", "free"}
MAX_PRICE = Decimal(10_000)  # an entrance fee beyond this is a typing mistake


class EventTime(Field):
    """`2019-10-06` (a whole day) or `2019-11-14 09:30` (a time): date or naive datetime."""

    expected = "une date AAAA-MM-JJ (journée entière) ou AAAA-MM-JJ HH:MM (ex. 2019-11-14 09:30)"

    @property
    def value_pattern(self) -> str:
        return when_pattern(TIME_FORMATS + DAY_FORMATS)

    def convert(self, value: str, context: ParseContext) -> date | datetime:
        return parse_when(value, self.expected)


def _opens(name: str) -> bool:
    try:
        ZoneInfo.no_cache(name)
    except (ZoneInfoNotFoundError, OSError, ValueError):  # a folder (Europe) is an OSError
        return False
    return True


@cache
def zone_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names ZoneInfo opens here, as (folders, zones): every IANA zone and posixrules, and the
    folders of the system's files (posix/, right/) before one, which available_timezones() leaves
    out. Looser than the check for the few names a folder lacks (posix/localtime)."""
    zones = sorted(available_timezones() | {name for name in ("posixrules",) if _opens(name)})
    return tuple(f"{folder}/" for folder in ("posix", "right") if _opens(f"{folder}/UTC")), tuple(zones)


class TimeZoneName(Field):
    expected = "un fuseau horaire IANA (ex. Europe/Brussels, Europe/Paris)"

    @property
    def value_pattern(self) -> str:
        folders, zones = zone_names()
        named = "|".join(re.escape(zone) for zone in zones)
        return f"(?:{'|'.join(folders)})?(?:{named})" if folders else named

    def convert(self, value: str, context: ParseContext) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder (« Europe »), a long name
            raise FieldError(f"« {shown(value)} » fuseau inconnu ; attendu : {self.expected}") from None
        return value


class Price(Amount):
    """`gratuit` or a sum in euros (`25`, `12,50`): a Decimal, 0 when free."""

    expected = "gratuit, ou un montant en euros (ex. 25 ou 12,50)"

    @property
    def value_pattern(self) -> str:
        return "|".join([*(spelled(word) for word in sorted(FREE_WORDS)), super().value_pattern])

    def convert(self, value: str, context: ParseContext) -> Decimal:
        if value.lower() in FREE_WORDS:
            return Decimal("0")
        return super().convert(value, context)


def event_fields() -> dict[str, Field]:
    return {
        "title": Text(required=True, max_length=TITLE_LENGTH),
        "date": DateTime(required=True, help="date de publication de l'annonce"),
        "modified": DateTime(help="dernière modification importante (heure, lieu, statut)"),
        "start": EventTime(required=True),
        "end": EventTime(),
        "timezone": TimeZoneName(),
        "status": status_field(STATUSES),
        "venue": Text(max_length=160),
        "address": Text(max_length=200),
        "postal_code": Text(max_length=12),
        "town": Text(max_length=80),
        "country": Text(max_length=60),
        "online_url": Url(),
        "organiser": Text(required=True, max_length=160),
        "organiser_url": Url(),
        "price": Price(maximum=MAX_PRICE),
        "registration": Url(),
        "summary": Text(required=True, max_length=400),
        "image": ImagePath(),
        "image_alt": Text(max_length=300),
        "image_credit": Text(max_length=200),
        "tags": TextList(),
        "slug": Slug(),
        "uid": Slug(),
    }


def dates_rule(doc: Document) -> Iterator[Problem]:
    """Both ends are whole days or both have a time, and the end is not before the start."""
    start, end = doc.values.get("start"), doc.values.get("end")
    if start is None or end is None:
        return
    if isinstance(start, datetime) != isinstance(end, datetime):
        yield doc.problem(
            "end",
            "Start et End ne sont pas du même type (l'un a une heure, l'autre non) ; attendu : "
            "deux dates AAAA-MM-JJ (journées entières) ou deux dates avec heure AAAA-MM-JJ HH:MM",
        )
        return
    if end < start:
        yield doc.problem(
            "end", f"fin « {doc.raw.fields['end']} » antérieure au début « {doc.raw.fields['start']} » ; "
            "attendu : une fin égale ou postérieure à Start",
        )


def local_times_rule(site_tz: tzinfo) -> Rule:
    """Start and End must be times the clocks of the event's zone (its Timezone, else the site's) show."""

    def zone_of(doc: Document) -> tzinfo:
        name = doc.values.get("timezone")
        return ZoneInfo(name) if name else site_tz

    return core_local_times_rule(("start", "end"), zone_of)


def place_rule(doc: Document) -> Iterator[Problem]:
    """An on-site event needs its place; an online one its link."""
    status = doc.values.get("status", PUBLISHED)
    online = doc.given("online_url")
    onsite = any(doc.given(key) for key in ("venue", "address", "town"))
    if status == MOVED_ONLINE and not online:
        yield doc.problem("status", "événement passé en ligne sans lien ; attendu : un champ "
                          "Online_url avec l'adresse de la diffusion ou de la visioconférence")
        return
    if not online and not onsite:
        yield doc.problem("venue", "lieu absent ; attendu : Venue, Address et Town pour un "
                          "événement sur place, ou Online_url pour un événement en ligne (ou les deux)")
        return
    if onsite and not doc.given("town"):
        yield doc.problem("town", "localité absente ; attendu : Town (ex. Namur) avec Venue et Address")
    if onsite and not (doc.given("venue") or doc.given("address")):
        yield doc.problem("venue", "lieu incomplet ; attendu : Venue (nom du lieu) ou Address (rue et numéro)")


def change_needs_modified_rule(doc: Document) -> Iterator[Problem]:
    """Subscribed calendars see a change only if Modified moves (it drives SEQUENCE)."""
    status = doc.values.get("status", PUBLISHED)
    if status in (CANCELLED, POSTPONED, MOVED_ONLINE) and "modified" not in doc.values:
        yield doc.problem(
            "status", f"statut « {doc.raw.fields['status']} » sans date de modification ; attendu : Modified: la date "
            "et l'heure du changement (ex. 2019-11-20 10:00), pour que les agendas abonnés le voient",
        )


def event_kind(folders: tuple[str, ...], site_tz: tzinfo) -> ContentKind:
    """Events of `folders`; their times are in `site_tz` unless a file names its Timezone."""
    return ContentKind(
        name="event",
        label="événement",
        folders=folders,
        fields=event_fields(),
        rules=(dates_rule, local_times_rule(site_tz), place_rule, change_needs_modified_rule, lead_image_rule,
               body_images_rule, modified_after_date_rule, summary_without_internal_links_rule),
    )


def event_slug(slug: str | None, source_path: str) -> str:
    """An event's address: its Slug field, else its file name (never its title)."""
    return slug or slugify(PurePath(source_path).stem,
                           regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def duplicate_identifiers(documents: list[Document]) -> Iterator[Problem]:
    """Two events with one slug (or UID) would overwrite each other's page and calendar entry."""
    for label, key_of in (
        ("l'adresse", lambda d: event_slug(d.values.get("slug"), d.path)),
        ("l'identifiant de calendrier", lambda d: d.values.get("uid") or event_slug(d.values.get("slug"), d.path)),
    ):
        by_key = defaultdict(list)
        for doc in documents:
            by_key[key_of(doc)].append(doc)
        for key, docs in by_key.items():
            if len(docs) < 2:
                continue
            for doc in docs:
                others = ", ".join(other.path for other in docs if other is not doc)
                field = "uid" if label.startswith("l'identifiant") and "uid" in doc.values else "slug"
                yield doc.problem(field, f"{label} « {key} » est déjà prise par {others} ; "
                                  "attendu : un nom de fichier, un Slug ou un Uid différent")


def reserved_event_slugs(documents: list[Document], event_url: Callable[[str], str],
                         archive_url: str) -> Iterator[Problem]:
    """An event may not take the address of the agenda's archive (agenda/archives/)."""
    for doc in documents:
        slug = event_slug(doc.values.get("slug"), doc.path)
        if event_url(slug) == archive_url:
            yield doc.problem("slug", f"l'adresse « {archive_url} » est celle des archives de l'agenda ; "
                              "attendu : un autre nom de fichier ou un Slug")
