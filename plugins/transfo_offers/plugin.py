"""Pelican side of the offers: read the files, decide what is open, write pages and feed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import Generator
from pelican.writers import Writer
from transfo_common.contents import NewPage, folder_address, read_with_address
from transfo_common.urls import absolute
from transfo_feeds.api import feed_address, feed_settings, write_atom
from transfo_i18n.settings import read_settings as read_i18n_settings
from transfo_images.api import published_copy
from transfo_publication.api import HeldBack, NavItem, add_menu_item, build_now, hold_back
from transfo_validation import signals as validation_signals
from transfo_validation.check import display_path
from transfo_validation.core_schema import content_slug
from transfo_validation.problems import ContentError, Problem
from transfo_validation.schema import ContentKind, Document
from transfo_validation.settings import read_settings as read_validation_settings
from transfo_validation.signals import content_kinds, cross_checks

from . import jsonld, logic
from . import vocabulary as v
from .feed import offers_feed
from .model import Offer, build_offer, is_draft
from .schema import offer_cross_checks, offer_kind
from .settings import OffersSettings, read_settings

logger = logging.getLogger(__name__)

MENU_LABEL = "Emplois & appels"
MENU_KEY = "offres"


class OfferPage(Content):
    """An offer file as Pelican reads it; its URL, from TRANSFO_OFFER_URL, is set as it is read."""

    mandatory_properties = ("title",)
    default_template = "offer"


def offer_address(cfg: OffersSettings, slug_substitutions: tuple[tuple[str, str], ...]
                  ) -> Callable[[dict], dict[str, str]]:
    """An offer's slug (the one validation checks for duplicates) and its page's address."""
    def address(metadata: dict) -> dict[str, str]:
        slug = content_slug(metadata, slug_substitutions)
        return folder_address(cfg.offer_url.format(slug=slug), slug=slug)
    return address


class OffersGenerator(Generator):
    """Context phase: offers and open offers for every template; output: pages and feed."""

    def generate_context(self) -> None:
        cfg = read_settings(self.settings)
        now = build_now(self.settings)
        pages, drafts, scheduled, unreadable = [], 0, 0, []
        address = self._address(cfg)
        for path in sorted(self.get_files([cfg.path])):
            page = read_with_address(self, path, OfferPage, address)
            if not page.is_valid():  # Pelican said why; validation, when installed, refuses it first
                unreadable.append(Problem(display_path(Path(page.source_path)), "fichier",
                                          "offre refusée par Pelican (voir le message ci-dessus) ; "
                                          "attendu : un fichier d'offre complet"))
                continue
            self.add_source_path(page)
            if is_draft(page):
                drafts += 1
            elif page.date > now:
                scheduled += 1
                hold_back(self.context,
                          HeldBack(display_path(Path(page.source_path)), "offre", page.date))
            else:
                self.add_static_links(page)
                pages.append(page)
        if unreadable:  # never a site without them: stop before anything is written
            raise ContentError(unreadable)
        make_offer = self._offer_maker(cfg, now)
        offers = [make_offer(page) for page in pages]
        offers.sort(key=lambda o: (o.date, o.title), reverse=True)
        open_offers = logic.sort_open(offers)
        feed = feed_address(self.settings, cfg.feed_name)
        self.context.update(
            offers=offers,
            open_offers=open_offers,
            latest_offers=logic.latest_open(offers, cfg.home_limit),
            offers_by_kind=logic.by_kind(open_offers),
            offer_kinds=v.KINDS,
            offers_url=cfg.listing_url,
            offers_kind_urls={kind.code: cfg.kind_url.format(kind=kind.code) for kind in v.KINDS},
            offers_feed={
                "title": f"{feed_settings(self.settings).site_name} · {MENU_LABEL}",
                "path": feed.path,
                "atom": feed.url,
            },
        )
        if offers:  # like rubrics, the section exists once it has content
            add_menu_item(self.context, NavItem(MENU_LABEL, cfg.listing_url, MENU_KEY, cfg.menu_order))
        counts = logic.count_states(offers)
        logger.info(
            "Offres au %s : %d ouverte(s), %d expirée(s), %d pourvue(s), %d clôturée(s) ; "
            "%d programmée(s), %d brouillon(s).",
            now.date().isoformat(), counts[logic.OPEN], counts[logic.EXPIRED],
            counts[logic.FILLED], counts[logic.CLOSED], scheduled, drafts,
        )

    def generate_output(self, writer: Writer) -> None:
        if not self.context["offers"]:
            return  # no offer at all: no section, no empty pages or feed
        cfg = read_settings(self.settings)
        relative = self.settings.get("RELATIVE_URLS", False)
        offer_template = self.get_template("offer")
        for offer in self.context["offers"]:
            writer.write_file(offer.save_as, offer_template, self.context, relative_urls=relative,
                              **self._offer_page(offer))
        listing = self.get_template("offers")
        writer.write_file(cfg.save_as(cfg.listing_url), listing, self.context,
                          relative_urls=relative, listed_offers=self.context["open_offers"],
                          offers_kind=None, canonical=cfg.listing_url)
        for kind, offers in self.context["offers_by_kind"]:
            url = cfg.kind_url.format(kind=kind.code)
            writer.write_file(cfg.save_as(url), listing, self.context, relative_urls=relative,
                              listed_offers=offers, offers_kind=kind, canonical=url)
        self._write_feed(cfg)

    def reads_file(self, path: str) -> bool:
        return path in self.get_files([read_settings(self.settings).path])

    def page_for_new_file(self, path: str) -> NewPage | None:
        """The page of an offer file added since the last build (None: it gets none yet)."""
        cfg = read_settings(self.settings)
        now = build_now(self.settings)
        page = read_with_address(self, path, OfferPage, self._address(cfg))
        if not page.is_valid() or is_draft(page) or page.date > now:
            return None
        offer = self._offer_maker(cfg, now)(page)
        return NewPage(page, offer.save_as, "offer", self._offer_page(offer))

    def _address(self, cfg: OffersSettings) -> Callable[[dict], dict[str, str]]:
        return offer_address(cfg, read_validation_settings(self.settings).slug_substitutions)

    def _offer_maker(self, cfg: OffersSettings, now: datetime) -> Callable[[Content], Offer]:
        """Makes the offer of a file read, as of `now`."""
        i18n = read_i18n_settings(self.settings)
        return lambda page: build_offer(page, now, i18n.timezone, absolute_url=absolute(self.settings, page.url),
                                        soon_days=cfg.soon_days, locale=i18n.locale)

    def _offer_page(self, offer: Offer) -> dict[str, object]:
        """What an offer's page adds to the context: the offer, and its structured data."""
        logo = published_copy(self.context, offer.organisation.logo, offer.source.source_path)
        return {"offer": offer, "noindex": not offer.is_open,
                "offer_jsonld": jsonld.job_posting(offer, offer.summary + offer.content, logo.url if logo else "")}

    def _write_feed(self, cfg: OffersSettings) -> None:
        urls = self.context["offers_feed"]
        meta = offers_feed(
            self.context["open_offers"],
            title=urls["title"],
            subtitle="Offres d'emploi, stages, bénévolat et appels à projets de l'économie sociale",
            page_url=absolute(self.settings, cfg.listing_url),
            atom_url=urls["atom"],
            language=feed_settings(self.settings).language,
            now=build_now(self.settings),
            locale=read_i18n_settings(self.settings).locale,
        )
        write_atom(self.output_path, feed_address(self.settings, cfg.feed_name), meta)


def declare_kinds(settings: dict) -> list[ContentKind]:
    return [offer_kind(read_settings(settings), read_i18n_settings(settings).timezone)]


def check_across(documents: Mapping[str, list[Document]], settings: dict) -> list[Problem]:
    return offer_cross_checks(documents, settings, read_settings(settings))


def get_generators(_pelican: Pelican) -> type[Generator]:
    return OffersGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).listing_url]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    content_kinds.connect(declare_kinds)
    cross_checks.connect(check_across)
    signals.get_generators.connect(get_generators)
