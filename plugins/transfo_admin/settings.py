"""The admin plugin's settings (prefix TRANSFO_ADMIN_), read and checked in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from transfo_common.config import (
    BOOLEAN,
    FOLDER_URL,
    NAME,
    PATH,
    PORT,
    POSITIVE,
    TEXT_LIST,
    TIMEZONE,
    Check,
    Setting,
    checked_values,
    one_of,
    optional,
)

REPOSITORY = Path(__file__).resolve().parents[2]

PUBLISH_MODES = ("", "editorial_workflow")

SETTINGS = (
    Setting("TRANSFO_ADMIN_URL", "admin/", FOLDER_URL, "Adresse de l’éditeur (Decap CMS) dans le site."),
    Setting("TRANSFO_ADMIN_DECAP_DIST", None, optional(PATH, "node_modules/ de ce dépôt"),
            "Dossier de Decap CMS tel que npm l’installe (package.json)."),
    Setting("TRANSFO_ADMIN_REPO_ROOT", None, optional(PATH, "le dossier parent du dossier des contenus"),
            "Le dossier que Git (et decap-server) voient comme le dépôt."),
    Setting("TRANSFO_ADMIN_LOCAL_PORT", 8081, optional(PORT, "pas de serveur local, en production"),
            "Port de decap-server pour `invoke cms`."),
    Setting("TRANSFO_ADMIN_BACKEND",
            {"name": "forgejo", "repo": "transfo/site", "branch": "main",
             "api_root": "https://forge.example.org/api/v1", "app_id": ""},
            Check(lambda value: isinstance(value, dict) and bool(value.get("name")),
                  "un dictionnaire avec au moins « name »"),
            "Le dépôt Git où l’éditeur publié enregistre (docs/publication.md)."),
    Setting("TRANSFO_ADMIN_PUBLISH_MODE", "", one_of(*PUBLISH_MODES),
            "\"\" enregistre directement sur la branche ; « editorial_workflow » : "
            "brouillon → relecture → prêt."),
    Setting("TRANSFO_ADMIN_REQUIRED", False, BOOLEAN,
            "True : une construction sans Decap CMS installé échoue ; False : elle avertit "
            "et laisse /admin/ de côté."),
    Setting("TRANSFO_ADMIN_MEDIA_FOLDER", "images", NAME,
            "Dossier des contenus qui reçoit les images envoyées ; les fichiers les nomment « images/x.jpg »."),
    Setting("TRANSFO_ADMIN_MAX_UPLOAD_BYTES", 8 * 1024 * 1024, POSITIVE,
            "Taille maximale d’un fichier envoyé, en octets."),
    Setting("TRANSFO_ADMIN_PREVIEW_STYLES", ("static/css/site.css",), TEXT_LIST,
            "Feuilles de style du site montrées dans l’aperçu (chemins dans le site construit)."),
)


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
    merged = checked_values(settings, SETTINGS, AdminSettingsError)
    content_root = Path(settings.get("PATH", "content")).resolve()
    return AdminSettings(
        url=merged["TRANSFO_ADMIN_URL"],
        decap_dist=Path(merged["TRANSFO_ADMIN_DECAP_DIST"] or REPOSITORY / "node_modules" / "decap-cms" / "dist"),
        repo_root=Path(merged["TRANSFO_ADMIN_REPO_ROOT"] or content_root.parent).resolve(),
        content_root=content_root,
        local_port=merged["TRANSFO_ADMIN_LOCAL_PORT"],
        backend=dict(merged["TRANSFO_ADMIN_BACKEND"]),
        publish_mode=merged["TRANSFO_ADMIN_PUBLISH_MODE"],
        required=merged["TRANSFO_ADMIN_REQUIRED"],
        media_folder=str(merged["TRANSFO_ADMIN_MEDIA_FOLDER"]).strip("/"),
        max_upload_bytes=merged["TRANSFO_ADMIN_MAX_UPLOAD_BYTES"],
        preview_styles=tuple(merged["TRANSFO_ADMIN_PREVIEW_STYLES"]),
        site_url=settings.get("SITEURL", ""),
        timezone=TIMEZONE.value(settings),
    )
