"""The sitemap plugin's one setting, declared in the configuration schema."""

from __future__ import annotations

from transfo_common.config import Check, Setting

EXCLUDE = Setting("TRANSFO_SITEMAP_EXCLUDE", ("404.html",),
                  Check(lambda value: isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value),
                        "une liste de fichiers du site construit"),
                  "Fichiers du site construit jamais listés dans sitemap.xml.")
SETTINGS = (EXCLUDE,)
