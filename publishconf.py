"""Production settings: absolute URLs, the real build date, a clean output."""

from pathlib import Path

from pelican.settings import get_settings_from_file

# Every setting of pelicanconf.py, the file beside this one, then what production changes.
globals().update(get_settings_from_file(str(Path(__file__).resolve().with_name("pelicanconf.py"))))

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
