from transfo_common.markup import DEFAULT_EMBED_HOSTS
from transfo_validation.body_html import (
    MAX_BRACKETS,
    MAX_NESTING,
    body_findings,
    bracket_findings,
    control_findings,
    nesting_findings,
    without_code,
)


def test_code_is_blanked_but_lines_are_kept():
    source = "a `<script>x</script>` b\n```\n<script>\n```\n<script>"
    blanked = without_code(source)
    assert blanked.count("\n") == source.count("\n") and len(blanked) == len(source)
    assert "<script>" not in blanked.splitlines()[0] and blanked.splitlines()[4] == "<script>"
    assert body_findings(source, DEFAULT_EMBED_HOSTS) == [
        (5, "élément <script> ; attendu : aucun script dans le texte "
            "(pour une vidéo, un son ou une carte : l'iframe d'intégration)")]


def test_markdown_link_targets_are_checked_with_their_line():
    source = "Texte.\n\nUn [lien](javascript:alert(1)).\n\n[ref]: vbscript:msgbox\n\n[ok](https://x.be)"
    assert [line for line, _ in body_findings(source, DEFAULT_EMBED_HOSTS)] == [3, 5]


def test_link_targets_are_read_as_the_browser_decodes_their_entities():
    source = "\n".join(["[a](JaVaScRiPt&#58;alert(5))", "[b](&#x6A;avascript:alert(1))",
                        "[c](java&#x0A;script&colon;x())", "[d]: &#106;avascript:y()", "[e](https://x.be/?a=1&amp;b=2)"])
    assert [line for line, _ in body_findings(source, DEFAULT_EMBED_HOSTS)] == [1, 2, 3, 4]


def test_ordinary_text_and_allowed_embeds_pass():
    source = ('3 < 5 & R&D, un écran de 24".\n\n<https://www.economiesociale.be>\n\n'
              '<iframe src="https://player.vimeo.com/video/1" title="x"></iframe>\n'
              '<img src="images/a.jpg" alt="">')
    assert body_findings(source, DEFAULT_EMBED_HOSTS) == []


def test_control_characters_are_found_per_line_but_tabs_are_text():
    assert [line for line, _ in control_findings("a\tb\nc\x0bd\n\ne\x1b[0m")] == [2, 4]


def test_lists_and_quotes_nested_past_the_bound_are_found_once():
    assert nesting_findings("Intro.\n\n" + "- " * 3000 + "profond") == [
        (3, f"3000 niveaux de listes ou de citations imbriquées ; attendu : au plus {MAX_NESTING} niveaux")]
    indented = "\n".join("    " * level + "- point" for level in range(MAX_NESTING + 5))
    assert [line for line, _ in nesting_findings(indented)] == [MAX_NESTING + 1]
    ordinary = ("- a\n    - b\n        1. c\n\n> > cité\n\n```\n" + "- " * 50 + "\n```\n\n"
                + " " * 200 + "texte\n" + "- " * MAX_NESTING + "x")
    assert nesting_findings(ordinary) == []


def test_a_paragraph_of_brackets_markdown_would_take_minutes_to_read_is_found():
    source = "Intro.\n\n\nSuite\n" + "[" * 20000 + "](" * 20000 + "\n\nFin [a](b)."
    assert bracket_findings(source) == [(4, f"20000 crochets « [ » dans un même paragraphe ; attendu : au plus "
                                           f"{MAX_BRACKETS} (au-delà, Markdown met des minutes à le lire)")]
    assert bracket_findings("Un [lien](x) et ![image](y.jpg). " * 200) == []  # 400 in one paragraph
    assert bracket_findings("```\n" + "[" * 2000 + "\n```") == []  # code is not read for links
