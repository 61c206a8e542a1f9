"""Development settings: what `invoke build` and `make site` use.

Publishing uses publishconf.py, which starts from these.
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SITENAME = "Transfo"
SITESUBTITLE = "Le magazine de l’économie sociale en Wallonie et à Bruxelles"
AUTHOR = "Rédaction Transfo"
CONTACT_EMAIL = "transfo@economiesociale.be"

# Links are root-relative while developing; PUBLIC_URL is the address that
# `invoke serve` answers on, used where absolute URLs are required
# (canonical links, feeds, sitemap, share previews).
SITEURL = ""
PUBLIC_URL = "http://127.0.0.1:8000"

PATH = str(HERE / "content")
OUTPUT_PATH = str(HERE / "output")
THEME = str(HERE / "theme")
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Images are never copied as they are (no STATIC_PATHS): transfo_images publishes stripped
# derivatives of the images that published pages show (TRANSFO_IMAGES_PATHS, docs/images.md).
STATIC_PATHS = []
# Hidden files and folders (.DS_Store, editor swap files) and the lock files Word
# and LibreOffice leave beside a document they have open (~$x.md, .~lock.x#) are
# never read; the content checks skip the same ones (transfo_validation.tree).
IGNORE_FILES = [".*", "~$*"]

TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "fr"
TRANSFO_LOCALE = "fr_BE"
TRANSFO_RUBRICS = ["Actualités", "Analyses", "Portraits", "Dossiers"]

# The build date. The sample is a snapshot of the magazine at the end of
# November 2019, so development builds pin it; `invoke build --now` overrides
# it and publishconf.py uses the real date.
TRANSFO_NOW = "2019-11-30"

# Job offers and calls for projects (transfo_offers): files in content/offres/,
# listed at offres/ until their deadline passes (against TRANSFO_NOW);
# "Clôture dans N jours" up to TRANSFO_OFFERS_SOON_DAYS days before it.
TRANSFO_OFFERS_PATH = "offres"
TRANSFO_OFFERS_SOON_DAYS = 7
TRANSFO_OFFERS_HOME_LIMIT = 3

# The plugins are installed (editable, by make): PLUGINS names resolve by import. `transfo`
# registers every plugin of the site in the order that matters (plugins/transfo/__init__.py says
# why). The caches fingerprint PLUGIN_PATHS, the folder of their code, to notice a change in it.
PLUGIN_PATHS = [str(HERE / "plugins")]
PLUGINS = ["transfo"]

# Newsletter (transfo_newsletter, docs/newsletter.md): editor files and sent
# editions in the "newsletter" folder beside the content folder (newsletter/ for
# content/), MJML templates in newsletter/templates/; web versions at
# newsletter/<month>/. The provider addresses are placeholders until the mailing
# provider is set up; SMTP host and credentials come from the environment only.
TRANSFO_NEWSLETTER_TEMPLATES = str(HERE / "newsletter" / "templates")
TRANSFO_NEWSLETTER_FROM = "Transfo <transfo@economiesociale.be>"
TRANSFO_NEWSLETTER_REPLY_TO = "transfo@economiesociale.be"
TRANSFO_NEWSLETTER_SUBSCRIBE_URL = "https://lettre.economiesociale.be/abonnement"
TRANSFO_NEWSLETTER_UNSUBSCRIBE_URL = "https://lettre.economiesociale.be/desinscription"
TRANSFO_NEWSLETTER_UNSUBSCRIBE_MAILTO = "transfo@economiesociale.be"
TRANSFO_NEWSLETTER_AGENDA_URL = "agenda/"
TRANSFO_NEWSLETTER_OFFERS_URL = "offres/"

# Agenda (transfo_agenda): one file per event in content/agenda/, pages and
# .ics under agenda/; upcoming/past is decided against TRANSFO_NOW, so the
# published site must be rebuilt daily (docs/agenda.md).
TRANSFO_AGENDA_PATHS = ["agenda"]
TRANSFO_AGENDA_HOME_COUNT = 3

# Every template escapes what it prints: only Markdown-rendered bodies and
# summaries are printed as HTML (`| safe`, listed in tests/hostile/test_templates.py)
# and JSON-LD goes through `tojson`.
JINJA_ENVIRONMENT = {"autoescape": True}

# Frames editors may paste into a body (docs/integrations.md): TRANSFO_EMBED_HOSTS,
# by default transfo_common.markup.DEFAULT_EMBED_HOSTS (YouTube nocookie, Vimeo,
# SoundCloud, Spotify, Ausha, OpenStreetMap, uMap). The CSP frame-src of
# docs/nginx.conf lists the same hosts (tests/hostile/test_embeds.py checks it).

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "transfo_i18n.typography": {},
        # Body images become <picture> (transfo_images reads every Markdown file with it).
        "transfo_images.markdown_ext": {},
        # A header value continued on indented lines is one value, for every field.
        "transfo_validation.markdown_header": {},
    },
    "output_format": "html5",
}

# Dossiers (transfo_dossiers): declarations in content/dossiers/, pages under
# /dossiers/, whose index replaces the "Dossiers" rubric in the menu.
TRANSFO_DOSSIERS_PATH = "dossiers"
TRANSFO_DOSSIERS_URL = "dossiers/"
TRANSFO_DOSSIERS_RUBRIC = "Dossiers"
# Portraits (transfo_portraits): articles of this rubric, indexed under /portraits/.
TRANSFO_PORTRAITS_RUBRIC = "Portraits"
TRANSFO_PORTRAITS_URL = "portraits/"
# Related reading under every article (transfo_related).
TRANSFO_RELATED_MAX = 3
# Promotions (transfo_promotions): internal records of paid boosts, in a file of
# the content folder that is never published (no STATIC_PATHS entry holds it);
# every build fails if one of their figures is found in the built site
# (docs/promotions.md). The monthly budget, in EUR, is for the internal report.
TRANSFO_PROMOTIONS_FILE = "promotions/promotions.csv"
TRANSFO_PROMOTIONS_MONTHLY_BUDGET = 300

# Responsive images and share cards (transfo_images): derivatives of every
# content image at these widths (never enlarged), AVIF/WebP + JPEG, kept in
# cache/images/ between builds; 1200×630 share images under media/share/.
TRANSFO_IMAGES_WIDTHS = (400, 800, 1200, 1600)
TRANSFO_IMAGES_FORMATS = ("avif", "webp", "jpeg")  # AVIF only when Pillow supports it

# Scheduled articles are held back by transfo_publication against TRANSFO_NOW,
# not by Pelican against the machine's clock.
WITH_FUTURE_DATES = True
DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {"category": None, "tag": None, "author": None, "archives": 24}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
SUMMARY_MAX_LENGTH = None

# Numeric, accent-free URLs.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "rubrique/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "sujet/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "auteur/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
TAGS_URL = "sujets/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
CATEGORIES_URL = "rubriques/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
AUTHORS_URL = "auteurs/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
DIRECT_TEMPLATES = ["index", "archives", "tags", "categories", "authors"]
TEMPLATE_PAGES = {"404.html": "404.html"}

# Drafts are never written, not even under drafts/.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_URL = ""
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Actualités"

# Feeds come from transfo_feeds (feedgen); Pelican's own are off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None

THEME_STATIC_DIR = "static"
RELATIVE_URLS = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

# Build speed (transfo_perf, docs/performance.md): Markdown parsed on every
# core and cached, compiled templates cached, pages written only when their
# bytes change, and a build skipped when no input or output changed (only
# with a pinned TRANSFO_NOW). Each TRANSFO_PERF_* switch defaults to on; the
# output is byte-identical to a build without them.

# Editing in the browser (transfo_admin, docs/cms.md): Decap CMS at /admin/,
# configured from the content schema. `invoke cms` starts decap-server on this
# port (it writes into content/) beside the live preview; `invoke cms --port`
# (or TRANSFO_CMS_PORT in the environment) picks another.
TRANSFO_ADMIN_LOCAL_PORT = int(os.environ.get("TRANSFO_CMS_PORT") or 8081)
