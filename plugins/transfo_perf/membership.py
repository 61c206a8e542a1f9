"""Fast `in` for the article lists of tags, categories and authors.

Pelican writes each tag, category and author page after asking, for every
article of the site, whether it is in that page's list
(`[a for a in self.dates if a in articles]`, `ArticlesGenerator.generate_tags`
and its siblings): one list scan per article and page, 20 s of a
20,000-article build and the main reason its time grows faster than the
site. Content objects compare by identity, so a list that answers `in` from
a set of its items' identities gives the same pages. Short lists stay plain
lists: scanning a few items in C is faster than a Python `__contains__`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pelican.contents import Article
from pelican.generators import ArticlesGenerator

Item = TypeVar("Item")

SHORTEST = 64  # items in a list worth a set


class IdentityMembers(list[Item]):
    """A list whose `in` is a set lookup of its items' identities."""

    def __init__(self, items: Iterable[Item] = ()) -> None:
        super().__init__(items)
        self._ids = {id(item) for item in self}

    def __contains__(self, item: object) -> bool:
        if len(self._ids) != len(self):  # changed since: look again (identities are unique per item)
            self._ids = {id(member) for member in self}
        return id(item) in self._ids

    def __reduce__(self) -> tuple[type[IdentityMembers[Item]], tuple[list[Item]]]:
        """Copies and pickles are made again from the items: identities are per process."""
        return IdentityMembers, (list(self),)


def members(articles: list[Article]) -> list[Article]:
    """`articles`, as IdentityMembers when it is long enough to gain."""
    return IdentityMembers(articles) if len(articles) >= SHORTEST else articles


def use_identity_members(generator: ArticlesGenerator) -> None:
    """article_generator_finalized: the long tag, category and author lists of the generator and
    its context become IdentityMembers (same items, same order)."""
    for tag, articles in generator.tags.items():
        generator.tags[tag] = members(articles)
    if isinstance(generator.context.get("tags"), list):
        generator.context["tags"][:] = list(generator.tags.items())
    for pairs in (generator.categories, generator.authors):  # lists of (name, articles), also in the context
        pairs[:] = [(name, members(articles)) for name, articles in pairs]
