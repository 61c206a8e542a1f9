"""Every UI string used by a template (site or newsletter email) has a French translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from transfo_i18n.translations import catalogue_path, load_translations

ROOT = Path(__file__).resolve().parents[3]
THEME = ROOT / "theme"
# Where UI strings are, as in babel.cfg: folder -> (method_map, options_map).
SOURCES = {
    THEME / "templates": ([("**.html", "jinja2")], {"**.html": {"extensions": "jinja2.ext.i18n"}}),
    ROOT / "newsletter" / "templates": ([("**.j2", "jinja2")],
                                        {"**.j2": {"extensions": "jinja2.ext.i18n"}}),
    # The newsletter's Python-side labels: N_("...") and gettext("...").
    ROOT / "plugins" / "transfo_newsletter": ([("**/tests/**", "ignore"), ("**.py", "python")], {}),
}


def template_msgids():
    for folder, (method_map, options) in SOURCES.items():
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map, options_map=options
        ):
            yield message[0] if isinstance(message, tuple) else message


def test_newsletter_strings_are_extracted():
    msgids = set(template_msgids())
    assert {"Unsubscribe", "The %(month)s newsletter", "Events in the next %(weeks)s weeks",
            "six"} <= msgids


def test_every_template_string_is_translated_in_french():
    with catalogue_path(THEME / "translations", "fr_BE").open("rb") as handle:
        catalog = read_po(handle)
    missing = sorted({
        msgid for msgid in template_msgids()
        if msgid not in catalog or not all(catalog[msgid].string if isinstance(catalog[msgid].string, tuple)
                                           else [catalog[msgid].string])
    })
    assert missing == [], f"translate these in theme/translations/fr_BE/LC_MESSAGES/messages.po: {missing}"


def test_catalogue_translates_and_plurals():
    translations = load_translations(THEME / "translations", "fr_BE")
    assert translations.gettext("Featured") == "À la une"
    assert translations.ngettext("%(num)d min read", "%(num)d min read", 2) == "%(num)d min de lecture"


def test_a_catalogue_is_compiled_once_and_again_after_an_edit(tmp_path):
    po = catalogue_path(tmp_path, "fr_BE")
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Search"\nmsgstr "Rechercher"\n', encoding="utf-8")
    first = load_translations(tmp_path, "fr_BE")
    assert load_translations(tmp_path, "fr_BE") is first
    po.write_text(po.read_text(encoding="utf-8").replace("Rechercher", "Chercher"), encoding="utf-8")
    assert load_translations(tmp_path, "fr_BE").gettext("Search") == "Chercher"
