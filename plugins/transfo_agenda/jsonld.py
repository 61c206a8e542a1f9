"""schema.org Event structured data, as Google's event rich results ask for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .model import EVENT_STATUS, Event

SCHEMA = "https://schema.org/"
ATTENDANCE = {"offline": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
              "mixed": "MixedEventAttendanceMode"}


def _date(value: datetime, all_day: bool) -> str:
    """Whole days as dates (2019-10-06); timed events with their offset (…T09:30:00+01:00)."""
    return value.date().isoformat() if all_day else value.isoformat(timespec="seconds")


def place(event: Event) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": event.country}
    for key, value in (("streetAddress", event.address), ("postalCode", event.postal_code),
                       ("addressLocality", event.town)):
        if value:
            address[key] = value
    return {"@type": "Place", "name": event.venue or event.town, "address": address}


def event_jsonld(event: Event, absolute: Callable[[str], str], organiser_type: str = "Organization",
                 image_url: str = "") -> dict:
    """The JSON-LD object of one event; `absolute(path)` makes URLs absolute, `image_url` is the
    published copy of its image (transfo_images), never the original file."""
    locations = []
    if event.is_onsite:
        locations.append(place(event))
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    organizer = {"@type": organiser_type, "name": event.organiser}
    if event.organiser_url:
        organizer["url"] = event.organiser_url
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": absolute(event.url),
        "startDate": _date(event.start, event.all_day),
        "eventStatus": SCHEMA + EVENT_STATUS[event.status],
        "eventAttendanceMode": SCHEMA + ATTENDANCE[event.attendance],
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": organizer,
    }
    if event.has_end:
        data["endDate"] = _date(event.end, event.all_day)
    if image_url:
        data["image"] = [image_url]
    if event.price is not None:
        offer = {
            "@type": "Offer",
            "price": f"{event.price:.2f}",
            "priceCurrency": "EUR",
            "availability": SCHEMA + "InStock",
            "validFrom": event.date.isoformat(timespec="seconds"),
            "url": event.registration_url or absolute(event.url),
        }
        data["offers"] = offer
    elif event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url, "priceCurrency": "EUR",
                          "availability": SCHEMA + "InStock"}
    return data

