"""Promoted articles: internal records of paid boosts, their figures and report.

Nothing of this reaches the public site: the build validates the records and
fails when any of their figures is found in the built tree.

Other plugins use `transfo_promotions.api` (the month's best promoted slug, never a figure).
"""

from .plugin import register

__all__ = ["register"]
