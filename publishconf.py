"""Production settings: absolute URLs, the real build date, a clean output."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://www.economiesociale.be/transfo"
PUBLIC_URL = SITEURL
TRANSFO_NOW = None  # the real date: scheduled articles appear on the first rebuild after it
DELETE_OUTPUT_DIRECTORY = True
