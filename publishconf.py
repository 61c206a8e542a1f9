"""Production settings: absolute URLs, the real build date, a clean output."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://www.economiesociale.be/transfo"
PUBLIC_URL = SITEURL
TRANSFO_NOW = None  # the real date: scheduled articles appear on the first rebuild after it
TRANSFO_STRICT_SETTINGS = True  # an unknown TRANSFO_* key (a typo) stops the publication
DELETE_OUTPUT_DIRECTORY = True

# The published editor (docs/publication.md, docs/cms.md): no local backend, the
# Forgejo instance of the newsroom, and the editorial workflow (brouillon →
# relecture → prêt). A publish build without Decap CMS installed fails.
TRANSFO_ADMIN_LOCAL_PORT = None
TRANSFO_ADMIN_REQUIRED = True
TRANSFO_ADMIN_PUBLISH_MODE = "editorial_workflow"
TRANSFO_ADMIN_BACKEND = {
    "name": "forgejo",
    "repo": "transfo/site",  # owner/name of the repository on the forge
    "branch": "main",
    "api_root": "https://forge.economiesociale.be/api/v1",
    "app_id": "",  # the OAuth2 application's client ID (docs/publication.md)
}
