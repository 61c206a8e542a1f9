"""The CMS configuration generated from the site's real schema (every plugin of pelicanconf.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from transfo_admin.plugin import site_admin
from transfo_admin.settings import AdminSettingsError
from transfo_admin.settings import read_settings as admin_settings
from transfo_validation import frontmatter
from transfo_validation.check import collect_kinds, kind_of
from transfo_validation.fields import Choice, DateTime, FieldError, ParseContext, Slug, Text, TextList
from transfo_validation.schema import KindExtension
from transfo_validation.signals import content_kinds

from tests.support import pelican_effects_undone

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def settings():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    with pelican_effects_undone():
        Pelican(settings)  # registers every plugin: their schemas answer content_kinds
        yield settings


@pytest.fixture(scope="module")
def generated(settings):
    return site_admin(settings, admin_settings(settings))


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def field(coll, name):
    return next(f for f in coll["fields"] if f["name"] == name)


def test_one_collection_per_kind_in_the_folders_of_the_schema(generated):
    config, _setup = generated
    by_name = {c["name"]: c for c in config["collections"]}
    assert {"articles-actualites", "articles-analyses", "articles-portraits", "articles-dossiers",
            "pages", "dossiers", "agenda", "offres", "lettre"} <= set(by_name)
    assert by_name["agenda"]["folder"] == "content/agenda"
    assert by_name["offres"]["folder"] == "content/offres"
    assert by_name["lettre"]["folder"] == "newsletter"
    assert by_name["articles-actualites"]["path"] == "{{year}}/{{slug}}"
    # Files named after the Slug, which transfo-cms.js makes from the title of a new entry
    # (Decap's own file name of "L’été" was "l-ete", the site's address "lete").
    assert by_name["articles-actualites"]["slug"] == by_name["agenda"]["slug"] == "{{fields.slug}}"
    assert by_name["dossiers"]["slug"] == "{{fields.slug}}" and by_name["lettre"]["slug"] == "{{fields.edition}}"
    assert _setup["slugFrom"]["articles-actualites"] == _setup["slugFrom"]["pages"] == "title"
    assert "dossiers" not in _setup["slugFrom"] and "lettre" not in _setup["slugFrom"]
    assert config["media_folder"] == "content/images" and config["public_folder"] == "images"
    assert config["locale"] == "fr"
    assert config["local_backend"]["url"] == "http://127.0.0.1:8081/api/v1"


def test_rubric_collections_fix_the_category_and_keep_their_own_fields(generated):
    config, _setup = generated
    portraits = collection(config, "articles-portraits")
    assert portraits["filter"] == {"field": "category", "value": "Portraits"}
    assert field(portraits, "category") == {"name": "category", "label": "Rubrique", "widget": "hidden",
                                            "default": "Portraits"}
    names = [f["name"] for f in portraits["fields"]]
    assert {"person", "enterprise", "sector", "town", "region"} <= set(names)
    assert "dossier" not in names
    news = [f["name"] for f in collection(config, "articles-actualites")["fields"]]
    assert "person" not in news and "dossier" not in news
    parts = collection(config, "articles-dossiers")
    assert field(parts, "dossier")["widget"] == "relation"
    assert field(parts, "dossier")["collection"] == "dossiers"
    assert field(parts, "dossier_part")["widget"] == "number"


def test_widgets_follow_the_field_types(generated, settings):
    config, setup = generated
    article = collection(config, "articles-analyses")
    assert field(article, "date")["widget"] == "datetime"
    assert field(article, "date")["format"] == "YYYY-MM-DD HH:mm" and field(article, "date")["required"]
    assert field(article, "tags")["widget"] == "string"  # typed as in files, "a, b" (decap-cms#4646)
    assert field(article, "tags")["pattern"][0] == TextList().pattern
    assert field(article, "image")["widget"] == "image"
    assert field(article, "status")["widget"] == "select"
    assert field(article, "body")["widget"] == "markdown"
    status = collect_kinds(settings)["article"].fields["status"]
    assert field(article, "status")["options"] == list(status.options)  # the schema's own vocabulary
    assert field(article, "slug")["pattern"][0] == Slug().pattern
    assert field(article, "summary")["hint"] == "Attendu : un texte d'au plus 500 caractères"
    offer = collection(config, "offres")
    assert field(offer, "kind")["options"] == ["Emploi", "Stage", "Bénévolat", "Appel à projets"]
    assert field(offer, "kind")["required"] is True
    newsletter = collection(config, "lettre")
    assert field(newsletter, "une")["widget"] == "relation"
    assert field(newsletter, "une")["collection"] == "articles"
    assert field(newsletter, "ajouter")["multiple"] is True
    assert "pattern" not in field(newsletter, "ajouter")  # a list of entries: no text to match
    assert setup["formats"]["pelican-lettre"]["lists"] == ["ajouter", "retirer"]  # relations to many
    assert setup["formats"]["pelican-articles-actualites"]["lists"] == []
    assert setup["rules"]["agenda"]["end"] == {"not_before": "start"}
    assert setup["rules"]["articles-actualites"]["image_alt"] == {"required_with": "image", "only_with": "image"}
    assert setup["rules"]["articles-actualites"]["image_credit"] == {"required_with": "image", "only_with": "image"}
    assert setup["rules"]["articles-actualites"]["image_focus"] == {"only_with": "image"}
    # Files named after the title must get a name; a dossier's is its Slug field, checked by its pattern.
    assert setup["rules"]["articles-actualites"]["title"] == {"file_name": True}
    assert setup["rules"]["agenda"]["title"] == {"file_name": True}
    assert "title" not in setup["rules"].get("dossiers", {})


def test_a_field_added_to_a_schema_appears_with_no_other_change(settings):
    def accessibility(_settings):
        return [KindExtension(kind="event", fields={
            "accessibility": Choice(choices=("oui", "partielle", "non"), help="accès en fauteuil"),
            "doors": DateTime(required=True),
        })]

    content_kinds.connect(accessibility)
    try:
        config, _setup = site_admin(settings, admin_settings(settings))
    finally:
        content_kinds.disconnect(accessibility)
    events = collection(config, "agenda")
    added = field(events, "accessibility")
    assert added["widget"] == "select" and added["options"] == ["oui", "partielle", "non"]
    assert added["hint"] == "Accès en fauteuil ; attendu : une valeur parmi oui, partielle, non"
    assert field(events, "doors")["widget"] == "datetime" and field(events, "doors")["required"]
    assert "accessibility" not in [f["name"] for f in collection(site_admin(
        settings, admin_settings(settings))[0], "agenda")["fields"]]


def test_every_value_of_the_sample_content_matches_its_cms_pattern(settings, generated):
    """The CMS never refuses a value `invoke check` accepts (on the whole sample corpus)."""
    config, _setup = generated
    kinds = collect_kinds(settings)
    root = Path(settings["PATH"])
    checked = 0
    for path in sorted(root.rglob("*.md")):
        kind = kind_of(str(path), kinds, root)
        if kind is None:
            continue
        raw = frontmatter.parse(path.read_text(encoding="utf-8"))
        for key, value in raw.fields.items():
            spec = kind.fields[key]
            if spec.pattern and value.strip():
                assert re.search(spec.pattern, value.strip()), (path, key, value)
                checked += 1
    assert checked > 300


def test_every_typed_field_has_its_field_types_pattern(settings, generated):
    """Typed or picked text is checked before saving by the pattern of its field type (each type's
    verdicts: test_patterns); fields that had none (focus point, sums, price, time zone) too."""
    config, _setup = generated
    kinds = collect_kinds(settings)
    typed = [f for c in config["collections"] for f in c["fields"] if f["widget"] in ("string", "image")]
    assert typed and all("pattern" in f for f in typed)
    for name, kind, key in (("agenda", "event", "timezone"), ("agenda", "event", "price"),
                            ("offres", "offer", "salary_min"), ("offres", "offer", "apply_url"),
                            ("articles-actualites", "article", "image_focus")):
        spec = kinds[kind].fields[key]
        assert field(collection(config, name), key)["pattern"] == [spec.pattern, f"attendu : {spec.expected}"]
    assert "pattern" not in field(collection(config, "agenda"), "date")  # the date picker writes it


def test_a_text_pattern_refuses_what_the_validator_refuses():
    assert re.search(Text(max_length=5).pattern, "cinq!")
    assert not re.search(Text(max_length=5).pattern, "six !!")


def test_settings_name_the_key_in_errors():
    with pytest.raises(AdminSettingsError, match="TRANSFO_ADMIN_LOCAL_PORT"):
        admin_settings({"TRANSFO_ADMIN_LOCAL_PORT": "8081"})
    with pytest.raises(AdminSettingsError, match="TRANSFO_ADMIN_PUBLISH_MODE"):
        admin_settings({"TRANSFO_ADMIN_PUBLISH_MODE": "workflow"})


def test_datetimes_say_they_are_in_the_sites_timezone(generated):
    config, _setup = generated
    assert field(collection(config, "agenda"), "date")["hint"].endswith("heure locale du site (Europe/Brussels)")


@pytest.mark.parametrize("value", [
    "coopérative", "coopérative, Namur", "Dupont, Jean; Martin, Anne", "a, b; c", "x ,y", " a ",
    "a, , b", "a, b,", ",a", ";", "a;", "a; ;b", "a,,b",
])
def test_list_pattern_accepts_what_the_validator_accepts(value):
    """A list is typed in a text field; the form refuses what TextList refuses (an empty item)."""
    try:
        TextList().convert(value.strip(), ParseContext(ROOT / "content", ROOT / "content" / "x.md"))
        accepted = True
    except FieldError:
        accepted = False
    assert bool(re.match(TextList().pattern, value)) is accepted


def test_editions_kept_outside_the_repository_leave_the_admin_without_a_newsletter(settings, tmp_path):
    """`invoke newsletter --editions /elsewhere`: decap-server edits only the repository, and
    the build goes on (it ended in a ValueError traceback)."""
    config, _setup = site_admin({**settings, "TRANSFO_NEWSLETTER_PATH": str(tmp_path / "editions")},
                                admin_settings(settings))
    names = {c["name"] for c in config["collections"]}
    assert "lettre" not in names and "articles" in names


def test_a_new_edition_is_named_after_the_month_before_its_send_date(generated):
    """Decap's {{year}}-{{month}} named the edition of November, written on 2 December, 2019-12.md:
    `invoke newsletter` then took it for December's. transfo-cms.js now puts the month before the
    send date (Envoi) under a key the slug reads and the format never writes."""
    config, setup = generated
    assert collection(config, "lettre")["slug"] == "{{fields.edition}}"
    assert setup["editionMonth"] == {"lettre": {"key": "edition", "sent": "envoi"}}
    assert setup["formats"]["pelican-lettre"]["transient"] == ["edition"]
    assert all(not options["transient"] for name, options in setup["formats"].items() if name != "pelican-lettre")


def test_the_page_knows_the_key_naming_each_collection_s_files_and_the_backends_saving_them(generated):
    """transfo-cms.js refuses a new entry that Decap would save under a taken name plus "-1": it
    compares the file name with the data key the collection's slug names, for each backend's saves."""
    config, setup = generated
    assert setup["namedBy"]["lettre"] == "edition"
    assert setup["namedBy"]["articles-actualites"] == setup["namedBy"]["agenda"] == "slug"
    assert set(setup["namedBy"]) == {c["name"] for c in config["collections"] if c["slug"].startswith("{{fields.")}
    assert setup["backends"] == [config["backend"]["name"], "proxy"]
