"""The admin plugin's settings (prefix TRANSFO_ADMIN_), read and checked in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]

DEFAULTS = {
    # Where the editor is published in the site.
    "TRANSFO_ADMIN_URL": "admin/",
    # Decap CMS as npm installs it (package.json); None: node_modules/ of this repository.
    "TRANSFO_ADMIN_DECAP_DIST": None,
    # The folder Git (and decap-server) see as the repository; None: the content folder's parent.
    "TRANSFO_ADMIN_REPO_ROOT": None,
    # Port of decap-server for `invoke cms`; None: no local backend (production).
    "TRANSFO_ADMIN_LOCAL_PORT": 8081,
    # The Git backend of the published editor (docs/publication.md).
    "TRANSFO_ADMIN_BACKEND": {
        "name": "forgejo",
        "repo": "transfo/site",
        "branch": "main",
        "api_root": "https://forge.example.org/api/v1",
        "app_id": "",
    },
    # "" saves straight to the branch; "editorial_workflow": brouillon → relecture → prêt.
    "TRANSFO_ADMIN_PUBLISH_MODE": "",
    # True: a build without Decap CMS installed fails; False: it warns and leaves out /admin/.
    "TRANSFO_ADMIN_REQUIRED": False,
    # Folder of content/ that receives uploads; files refer to them as "images/x.jpg".
    "TRANSFO_ADMIN_MEDIA_FOLDER": "images",
    # Largest upload the media library accepts, in bytes.
    "TRANSFO_ADMIN_MAX_UPLOAD_BYTES": 8 * 1024 * 1024,
    # Site stylesheets shown in the preview pane (paths in the output).
    "TRANSFO_ADMIN_PREVIEW_STYLES": ("static/css/site.css",),
}

PUBLISH_MODES = ("", "editorial_workflow")


class AdminSettingsError(ValueError):
    """A TRANSFO_ADMIN_* setting has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class AdminSettings:
    url: str  # "admin/"
    decap_dist: Path
    repo_root: Path
    content_root: Path
    local_port: int | None
    backend: dict
    publish_mode: str
    required: bool
    media_folder: str
    max_upload_bytes: int
    preview_styles: tuple[str, ...]
    site_url: str
    timezone: str  # the site's: Pelican reads naive dates in it

    @property
    def folder(self) -> str:
        """The admin's folder in the output (`admin`)."""
        return self.url.strip("/")

    def in_repo(self, path: Path) -> str:
        """`path` relative to the repository root, as Decap and decap-server name it."""
        return Path(path).resolve().relative_to(self.repo_root).as_posix()


def read_settings(settings: dict) -> AdminSettings:
    merged = {**DEFAULTS, **{key: settings[key] for key in DEFAULTS if key in settings}}
    url = merged["TRANSFO_ADMIN_URL"]
    if not isinstance(url, str) or not url.strip("/") or not url.endswith("/"):
        raise AdminSettingsError(f"TRANSFO_ADMIN_URL: expected a folder ending with '/', got {url!r}")
    port = merged["TRANSFO_ADMIN_LOCAL_PORT"]
    if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
        raise AdminSettingsError(f"TRANSFO_ADMIN_LOCAL_PORT: expected a port number or None, got {port!r}")
    backend = merged["TRANSFO_ADMIN_BACKEND"]
    if not isinstance(backend, dict) or not backend.get("name"):
        raise AdminSettingsError(f"TRANSFO_ADMIN_BACKEND: expected a dict with a 'name', got {backend!r}")
    mode = merged["TRANSFO_ADMIN_PUBLISH_MODE"]
    if mode not in PUBLISH_MODES:
        raise AdminSettingsError(f"TRANSFO_ADMIN_PUBLISH_MODE: expected one of {PUBLISH_MODES}, got {mode!r}")
    size = merged["TRANSFO_ADMIN_MAX_UPLOAD_BYTES"]
    if not isinstance(size, int) or size <= 0:
        raise AdminSettingsError(f"TRANSFO_ADMIN_MAX_UPLOAD_BYTES: expected a positive integer, got {size!r}")
    content_root = Path(settings.get("PATH", "content")).resolve()
    return AdminSettings(
        url=url,
        decap_dist=Path(merged["TRANSFO_ADMIN_DECAP_DIST"] or REPOSITORY / "node_modules" / "decap-cms" / "dist"),
        repo_root=Path(merged["TRANSFO_ADMIN_REPO_ROOT"] or content_root.parent).resolve(),
        content_root=content_root,
        local_port=port,
        backend=dict(backend),
        publish_mode=mode,
        required=bool(merged["TRANSFO_ADMIN_REQUIRED"]),
        media_folder=str(merged["TRANSFO_ADMIN_MEDIA_FOLDER"]).strip("/"),
        max_upload_bytes=size,
        preview_styles=tuple(merged["TRANSFO_ADMIN_PREVIEW_STYLES"]),
        site_url=settings.get("SITEURL", ""),
        timezone=settings.get("TIMEZONE", "Europe/Brussels"),
    )
