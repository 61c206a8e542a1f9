"""Hostile and awkward content files of every kind, written into a copy of the fixture site.

Each kind has one valid file (`BASE`); a case changes header fields or the body.
All the accepted cases go into one content tree and one build, all the refused
cases into another tree and one `invoke check`: the suite stays fast.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import FIXTURE_CONTENT

# Where each kind lives below content/, and a valid header for it (built on 2019-11-30).
FOLDERS = {"article": "articles", "portrait": "articles", "dossier_part": "articles",
           "dossier": "dossiers", "event": "agenda", "offer": "offres", "page": "pages"}
BASE = {
    "article": {"Title": "Article hostile", "Date": "2019-11-20 10:00", "Category": "Actualités",
                "Tags": "hostile", "Authors": "Claire Delvaux", "Summary": "Résumé.",
                "Image": "images/alpha.jpg", "Image_alt": "Une façade", "Image_credit": "Photo : Transfo"},
    "portrait": {"Title": "Portrait hostile", "Date": "2019-11-19 10:00", "Category": "Portraits",
                 "Person": "Paula Une", "Enterprise": "La Coopérative Une",
                 "Sector": "Alimentation et restauration", "Town": "Ciney", "Region": "Wallonie",
                 "Website": "https://www.example.org/une/",
                 "Annuaire": "https://annuaire.economiesociale.be/entreprise/une",
                 "Authors": "Claire Delvaux", "Summary": "Résumé.", "Image": "images/alpha.jpg",
                 "Image_alt": "Un portrait"},
    "dossier": {"Title": "Dossier hostile", "Start": "2019-10-01",
                "Summary": "Un dossier.", "Image": "images/beta.jpg", "Image_alt": "Couverture",
                "Image_credit": "Photo : Transfo"},
    "dossier_part": {"Title": "Partie hostile", "Date": "2019-11-18 10:00", "Category": "Dossiers",
                     "Dossier": "dossier-hostile", "Dossier_part": "1", "Authors": "Claire Delvaux",
                     "Summary": "Résumé.", "Image": "images/beta.jpg", "Image_alt": "Illustration"},
    "event": {"Title": "Événement hostile", "Date": "2019-11-20 09:00", "Start": "2020-01-14 09:00",
              "End": "2020-01-14 16:30", "Venue": "Palais", "Address": "Place d'Armes 1",
              "Postal_code": "5000", "Town": "Namur", "Online_url": "https://exemple.be/live",
              "Organiser": "SAW-B", "Organiser_url": "https://exemple.be/sawb", "Price": "40",
              "Registration": "https://exemple.be/inscription", "Summary": "Une journée.",
              "Image": "images/alpha.jpg", "Image_alt": "Une salle", "Image_credit": "Photo : Transfo"},
    "offer": {"Title": "Offre hostile", "Kind": "emploi", "Organisation": "Zeta ASBL",
              "Organisation_website": "https://zeta.example.org", "Town": "Charleroi",
              "Postal_code": "6000", "Region": "Wallonie", "Contract": "CDD",
              "Working_time": "Temps plein", "Hours": "38 h", "Pay_scale": "CP 329.02",
              "Funding": "APE", "Date": "2019-11-20 09:00", "Deadline": "2019-12-20",
              "Apply_url": "https://zeta.example.org/postuler", "Apply_email": "emploi@zeta.example.org",
              "Summary": "Une offre."},
    "page": {"Title": "Page hostile", "Summary": "Une page.", "Image": "images/alpha.jpg",
             "Image_alt": "Une image"},
}
BODY = "Un paragraphe ordinaire."


@dataclass(frozen=True)
class Case:
    name: str  # also the file's name: the line naming it is the case's
    kind: str
    fields: dict = field(default_factory=dict)  # header changes; None removes a field
    body: str = BODY

    @property
    def filename(self) -> str:
        return f"{self.name}.md"

    def line_of(self, snippet: str) -> int:
        """The line of the file where `snippet` is."""
        text = self.text()
        return text.count("\n", 0, text.index(snippet)) + 1

    def text(self) -> str:
        header = {**BASE[self.kind], **self.fields}
        header.setdefault("Slug", self.name)  # one address per case, whatever its title
        lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
        return "\n".join(lines) + "\n\n" + self.body + "\n"


def content_tree(destination: Path, cases: list[Case]) -> Path:
    """The fixture site plus one file per case (the dossier its parts need included)."""
    shutil.copytree(FIXTURE_CONTENT, destination)
    wanted = list(cases)
    if any(case.kind == "dossier_part" for case in cases):
        wanted.append(Case(BASE["dossier_part"]["Dossier"], "dossier"))
    for case in wanted:
        folder = destination / FOLDERS[case.kind]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / case.filename).write_text(case.text(), encoding="utf-8")
    return destination
