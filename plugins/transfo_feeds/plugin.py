"""Pelican side of the feeds: turn articles into entries, write through a generator."""

from __future__ import annotations

from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Article
from pelican.generators import Generator
from pelican.writers import Writer
from transfo_common.files import write_if_changed
from transfo_validation import signals as validation_signals

from .api import article_entry
from .feeds import FeedMeta, render_atom, render_rss
from .settings import FeedSettings, read_settings


def feed_urls(public_url: str, folder: str, name: str) -> dict[str, str]:
    """Relative paths and absolute URLs of one feed in both formats."""
    paths = {"atom": f"{folder}/{name}.atom.xml", "rss": f"{folder}/{name}.rss.xml"}
    return {
        **{f"{fmt}_path": path for fmt, path in paths.items()},
        **{fmt: f"{public_url}/{path}" for fmt, path in paths.items()},
    }


class FeedsGenerator(Generator):
    """Registers the feed addresses in the context, then writes the feed files."""

    def generate_context(self) -> None:
        cfg = read_settings(self.settings)
        feeds: dict[str, dict] = {"all": {"title": cfg.site_name, **feed_urls(cfg.public_url, cfg.folder, "tous")}}
        feeds["rubrics"] = {
            category.slug: {
                "title": f"{cfg.site_name} · {category.name}",
                **feed_urls(cfg.public_url, cfg.folder, f"rubrique-{category.slug}"),
            }
            for category, _articles in self.context.get("categories", [])
        }
        self.context["FEEDS"] = feeds

    def generate_output(self, writer: Writer) -> None:
        cfg = read_settings(self.settings)
        articles = self.context.get("articles", [])
        self._write(cfg, self.context["FEEDS"]["all"], cfg.public_url + "/",
                    self.settings.get("SITESUBTITLE", ""), articles)
        for category, rubric_articles in self.context.get("categories", []):
            self._write(cfg, self.context["FEEDS"]["rubrics"][category.slug],
                        f"{cfg.public_url}/{category.url}", f"Rubrique {category.name}",
                        rubric_articles)

    def _write(self, cfg: FeedSettings, urls: dict[str, str], page_url: str, subtitle: str,
               articles: list[Article]) -> None:
        meta = FeedMeta(
            title=urls["title"],
            subtitle=subtitle,
            site_url=page_url,
            atom_url=urls["atom"],
            rss_url=urls["rss"],
            language=cfg.language,
            entries=tuple(article_entry(a, cfg.public_url, self.context)
                          for a in articles[: cfg.max_items]),
        )
        for fmt, render in (("atom", render_atom), ("rss", render_rss)):
            write_if_changed(Path(self.output_path) / urls[f"{fmt}_path"], render(meta))


def get_generators(_pelican: Pelican) -> type[Generator]:
    return FeedsGenerator


def output_paths(settings: dict) -> list[str]:
    return [read_settings(settings).folder + "/"]


def register() -> None:
    validation_signals.output_paths.connect(output_paths)
    signals.get_generators.connect(get_generators)
