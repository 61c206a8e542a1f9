"""The Pelican format of the CMS (static/pelican-format.js), run by Node as the browser runs it.

Round-trip: every content file of the repository, and awkward ones, read and
written back without changes gives the same bytes; an edit changes only the
edited line; what the JS reads is what the validator's reader reads.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from transfo_validation import frontmatter

ROOT = Path(__file__).resolve().parents[3]
FORMAT = ROOT / "plugins" / "transfo_admin" / "static" / "pelican-format.js"

# Reads {"lists": [...], "cases": [{"text", "edit"?, "order"?}]} on stdin; for each case
# answers the data read (as Decap stores it: through JSON) and the text written back.
RUNNER = """
const {pelicanFormat, RAW_KEY} = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const format = pelicanFormat({lists: input.lists, transient: input.transient});
const out = input.cases.map(c => {
  const data = JSON.parse(JSON.stringify(format.fromFile(c.text)));
  const shown = Object.assign({}, data); delete shown[RAW_KEY];
  if (c.fresh) delete data[RAW_KEY];
  Object.assign(data, c.edit || {});
  return {data: shown, text: format.toFile(data, c.order || [])};
});
process.stdout.write(JSON.stringify(out));
"""


def run_format(cases: list[dict], lists=("tags", "authors", "ajouter", "retirer", "ordre"),
               transient: tuple[str, ...] = ()) -> list[dict]:
    result = subprocess.run(["node", "-e", RUNNER, str(FORMAT)], input=json.dumps(
        {"lists": list(lists), "transient": list(transient), "cases": cases}), capture_output=True, text=True,
        check=True, timeout=60)
    return json.loads(result.stdout)


def content_files() -> list[Path]:
    files = sorted([*(ROOT / "content").rglob("*.md"), *(ROOT / "newsletter").glob("*.md")])
    assert len(files) > 40  # the sample corpus is there
    return files


def test_every_content_file_round_trips_byte_for_byte():
    files = content_files()
    texts = [path.read_bytes().decode("utf-8") for path in files]
    results = run_format([{"text": text} for text in texts])
    changed = [str(path) for path, text, result in zip(files, texts, results, strict=True) if result["text"] != text]
    assert changed == []


def test_values_read_are_the_validators():
    """The CMS shows the values `invoke check` checks: same keys, same text, lists split."""
    files = content_files()
    texts = [path.read_text(encoding="utf-8") for path in files]
    for path, text, result in zip(files, texts, run_format([{"text": t} for t in texts]), strict=True):
        raw = frontmatter.parse(text)
        data = result["data"]
        assert data.pop("body") == raw.body + ("\n" if text.endswith("\n") else ""), path
        expected = {key: [item.strip() for item in value.split(";" if ";" in value else ",")]
                    if key in ("tags", "authors", "ordre") and value else value
                    for key, value in raw.fields.items()}
        assert data == expected, path


AWKWARD = {
    "crlf": "Title: Un titre\r\nTags: a, b\r\nSummary: Résumé\r\n\r\nCorps\r\nsur deux lignes\r\n",
    "bom": "\ufeffTitle: Avec BOM\nDate: 2019-11-14\n\nCorps.\n",
    "continuation": ("Title: Long\nSummary: une première ligne\n    et sa suite indentée\n"
                     "\tpuis une tabulation\n\nCorps\n"),
    "empty fields": "Title: Vide\nImage:\nImage_alt: \nTags:\n\nCorps\n",
    "unknown field": "Title: Inconnu\nMon_champ: valeur libre\nx-autre: 2\n\nCorps\n",
    "no final newline": "Title: Sans fin\n\nDernière ligne sans retour",
    "header only": "Title: Rien d'autre\n",
    "header only without newline": "Title: Rien d'autre",
    "body only": "Pas d'en-tête : tout est corps.\n\nDeuxième paragraphe.\n",
    "duplicate key": "Title: Un\nTitle: Deux\n\nCorps\n",
    "malformed line": "Title: Un\nceci n'est pas un champ\nDate: 2019-01-01\n\nCorps\n",
    "spaces in separator": "Title: Un\n   \nCorps après une ligne d'espaces\n",
    "old mac endings": "Title: CR\rSummary: seul\r\rCorps\r",
    "semicolons": "Title: Listes\nAuthors: Dupont, Jean; Martin, Anne\n\nCorps\n",
    "spelling": "TITLE:   Espaces et majuscules  \nimage_ALT : alt\n\nCorps\n",
    "empty file": "",
    "blank first line": "\nTitle: pas un en-tête\n",
}


@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_awkward_files_round_trip(name):
    [result] = run_format([{"text": AWKWARD[name]}])
    assert result["text"] == AWKWARD[name]


def test_an_edit_changes_only_its_line_and_keeps_the_rest():
    text = AWKWARD["crlf"].replace("Summary", "Mon_champ: gardé\r\nSummary")
    [result] = run_format([{"text": text, "edit": {"title": "Nouveau titre", "tags": ["a", "b", "c"]}}])
    assert result["text"] == ("Title: Nouveau titre\r\nTags: a, b, c\r\nMon_champ: gardé\r\n"
                              "Summary: Résumé\r\n\r\nCorps\r\nsur deux lignes\r\n")


def test_cleared_field_is_removed_and_new_field_added_in_field_order():
    text = "Title: Un\nImage_credit: Photo X\n\nCorps\n"
    [result] = run_format([{"text": text, "edit": {"image_credit": "", "summary": "Chapeau",
                                                   "image_alt": "Alt"},
                            "order": ["title", "summary", "image_alt", "image_credit"]}])
    assert result["text"] == "Title: Un\nSummary: Chapeau\nImage_alt: Alt\n\nCorps\n"


def test_edited_continuation_field_is_written_on_one_line():
    [result] = run_format([{"text": AWKWARD["continuation"], "edit": {"summary": "court"}}])
    assert result["text"] == "Title: Long\nSummary: court\n\nCorps\n"


def test_edited_body_keeps_crlf_and_final_newline():
    [result] = run_format([{"text": AWKWARD["crlf"], "edit": {"body": "Nouveau\ncorps"}}])
    assert result["text"].endswith("\r\n\r\nNouveau\r\ncorps\r\n")


def test_new_entry_is_read_back_by_the_validator():
    """An entry created in the CMS (no source text) is a header, a blank line, the body."""
    data = {"title": "Un titre : avec deux-points", "date": "2019-11-14 09:30", "tags": ["a, b", "c"],
            "summary": "Sur\nplusieurs lignes", "image": "", "body": "Le texte."}
    [result] = run_format([{"text": "", "fresh": True, "edit": data,
                            "order": ["title", "date", "tags", "summary", "image", "body"]}])
    raw = frontmatter.parse(result["text"])
    assert raw.fields == {"title": "Un titre : avec deux-points", "date": "2019-11-14 09:30",
                          "tags": "a, b; c", "summary": "Sur plusieurs lignes"}
    assert raw.body == "Le texte." and result["text"].endswith("Le texte.\n")


def test_a_key_that_only_names_the_file_is_never_written():
    """A new newsletter edition carries its month under `edition` (the collection's slug): the
    editor file has no such field, and `invoke newsletter` would refuse one."""
    data = {"objet": "Transfo de novembre", "edition": "2019-11", "body": "Chères lectrices,"}
    [new] = run_format([{"text": "", "fresh": True, "edit": data, "order": ["objet", "edition", "body"]}],
                       transient=("edition",))
    assert new["text"] == "Objet: Transfo de novembre\n\nChères lectrices,\n"


# Headers that Markdown, Pelican and `invoke check` read as headers, typed unusually.
AS_THE_VALIDATOR_READS = {
    "indented keys": " Title: Indenté d'un espace\n   Date: 2019-11-20 09:00\nSummary: S\n\nCorps.\n",
    "spaces then a tab": "Title: Suite\nSummary: un\n  \tdeux\n \t trois\nAuthors: A\n\nCorps.\n",
    # Pasted text: U+2028 ends "." in JavaScript, not in Python; U+FEFF is JavaScript's space only.
    "line separator": "Title: Un titre\u2028collé de Word\nSummary: S\n\nCorps.\n",
    "byte order mark in a value": "Title: \ufeffCollé\nSummary: S\n\ufeff\nCorps.\n",
}


@pytest.mark.parametrize("name", sorted(AS_THE_VALIDATOR_READS))
def test_unusual_headers_are_read_as_the_validator_reads_them(name):
    """The form shows what `invoke check` reads; saving it neither repeats the header nor
    leaves a continuation line to glue itself to the edited value."""
    text = AS_THE_VALIDATOR_READS[name]
    raw = frontmatter.parse(text)
    [read, edited] = run_format([{"text": text}, {"text": text, "edit": {"summary": "nouveau"}}])
    assert {key: value for key, value in read["data"].items() if key != "body"} == {
        key: [value] if key == "authors" else value for key, value in raw.fields.items()}
    assert read["text"] == text
    assert frontmatter.parse(edited["text"]).fields == {**raw.fields, "summary": "nouveau"}


def test_a_file_misread_as_utf8_is_not_saved():
    """A Windows-1252 file reaches the CMS with U+FFFD for each accented letter: saving it would
    write them for good, so the format refuses, with the way out; a UTF-8 file saves."""
    script = """
const {pelicanFormat} = require(process.argv[1]);
const format = pelicanFormat({lists: []});
const out = JSON.parse(require('fs').readFileSync(0, 'utf8')).map(text => {
  const data = JSON.parse(JSON.stringify(format.fromFile(text)));
  data.summary = 'Nouveau résumé';
  try { return format.toFile(data, []); } catch (error) { return 'refusé : ' + error.message; }
});
process.stdout.write(JSON.stringify(out));
"""
    latin1 = "Title: Économie\nCategory: Actualités\nSummary: Résumé\n\nCorps à lire.\n".encode("cp1252")
    texts = [latin1.decode("utf-8", errors="replace"), "Title: Économie\nSummary: Résumé\n\nCorps.\n"]
    result = subprocess.run(["node", "-e", script, str(FORMAT)], input=json.dumps(texts), capture_output=True,
                            text=True, check=True, timeout=60)
    misread, fine = json.loads(result.stdout)
    assert misread.startswith("refusé : ce fichier n'est pas enregistré en UTF-8")
    assert "attendu : le fichier converti en UTF-8" in misread
    assert fine == "Title: Économie\nSummary: Nouveau résumé\n\nCorps.\n"
