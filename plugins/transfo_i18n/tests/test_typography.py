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
