import markdown
from transfo_i18n.typography import NBSP, NNBSP, french_spacing


def test_spaces_before_high_punctuation_and_inside_guillemets():
    assert french_spacing("Pourquoi ? Parce que ! Voilà : « oui » ;") == (
        f"Pourquoi{NNBSP}? Parce que{NNBSP}! Voilà{NBSP}: «{NNBSP}oui{NNBSP}»{NNBSP};"
    )


def test_missing_spaces_are_added_and_straight_quotes_become_french():
    assert french_spacing('Il dit "bonjour"!') == f"Il dit «{NNBSP}bonjour{NNBSP}»{NNBSP}!"
    assert french_spacing("l'économie d'aujourd'hui") == "l’économie d’aujourd’hui"


def test_urls_and_times_are_left_alone():
    text = "Voir https://www.economiesociale.be/agenda à 9:30."
    assert french_spacing(text) == text


def test_idempotent():
    once = french_spacing("Quoi ? « Ça » : oui !")
    assert french_spacing(once) == once


def test_markdown_extension_skips_code():
    html = markdown.markdown("Vrai ? `a ? b` et\n\n    code : brut", extensions=["transfo_i18n.typography"])
    assert f"Vrai{NNBSP}?" in html
    assert "<code>a ? b</code>" in html
    assert "code : brut" in html


def test_titles_as_markup_are_escaped_with_superscript_ordinals():
    from markupsafe import Markup
    from transfo_i18n.typography import french_markup

    assert french_markup("Le 1er mai : un 4/5e temps <script>") == Markup(
        f"Le 1<sup>er</sup> mai{NBSP}: un 4/5<sup>e</sup> temps &lt;script&gt;")
    assert french_markup("L'Assiette du Sud") == "L’Assiette du Sud"
    # capitals are not Roman numerals: Le, Ces, Vers stay as they are
    assert french_markup("Le XIXe siècle, Ces Vers, 2e6") == "Le XIX<sup>e</sup> siècle, Ces Vers, 2e6"
    assert french_markup(Markup("<em>déjà</em> traité")) == Markup("<em>déjà</em> traité")


def test_plain_text_for_titles_share_previews_and_json_ld():
    from transfo_i18n.typography import plain_french

    assert plain_french("<p>L'Assiette  du Sud : « ça »</p>\n") == (
        f"L’Assiette du Sud{NBSP}: «{NNBSP}ça{NNBSP}»")
    # A plain title's < and > are text, not tags (the HTML tokenizer's rule)
    assert plain_french("Les <30 ans et les >50 ans, 3 < 5") == "Les <30 ans et les >50 ans, 3 < 5"
    assert plain_french("<p>Les &lt;30 ans</p><!-- x --><br/>") == "Les <30 ans"


def test_bodies_set_ordinals_in_superscript_but_not_code():
    from transfo_i18n.typography import FrenchTypographyExtension

    html = markdown.markdown("Le 1re fois, un *4/5e* et `1er`, **XXe** siècle ; 2e.",
                             extensions=[FrenchTypographyExtension()])
    assert html == (f"<p>Le 1<sup>re</sup> fois, un <em>4/5<sup>e</sup></em> et <code>1er</code>, "
                    f"<strong>XX<sup>e</sup></strong> siècle{NNBSP}; 2<sup>e</sup>.</p>")


def test_the_interface_catalogue_has_french_spacing():
    """Every translated UI string as French typography wants it (the 468 places of issue 23)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    catalogue = Path(__file__).resolve().parents[3] / "theme" / "translations" / "fr_BE" / "LC_MESSAGES" / "messages.po"
    with catalogue.open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    strings = [s for m in messages for s in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert len(strings) > 200
    assert [s for s in strings if french_spacing(s) != s] == []
