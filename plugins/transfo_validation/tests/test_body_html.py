import html
import random
import re

import markdown
from transfo_common.markup import DEFAULT_EMBED_HOSTS, unsafe_markup, unsafe_url
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


def rendered_links(source: str) -> list[str]:
    """The addresses of the links and images Python-Markdown makes of `source`, with the site's
    extensions that read links (extra: footnotes, attributes, Markdown in HTML; toc)."""
    rendered = markdown.markdown(source, extensions=["markdown.extensions.extra", "markdown.extensions.toc"])
    return [html.unescape(address) for address in re.findall(r'(?:href|src)="([^"]*)"', rendered)]


def test_an_escaped_bracket_makes_no_link_and_is_not_refused():
    """`\\[lien](javascript:…)` is shown as typed: refusing it refused an article about such links."""
    shown_as_typed = ["\\[lien](javascript:alert(1))", "[lien\\](javascript:alert(1))",
                      "[lien\n\n](javascript:alert(1))", "] (javascript:x) et ](javascript:y)"]
    links = ["[lien](javascript:alert(1))", "\\\\[lien](javascript:alert(1))", "[a [b] c](javascript:x)",
             "[a \\[b](javascript:x)", "![image](javascript:x)", "[a\nb](javascript:x)", "[[a](javascript:x)",
             "\\[x] [lien](javascript:x)"]
    for source in shown_as_typed:
        assert not any(unsafe_url(address) for address in rendered_links(source)), source
        assert body_findings(source, DEFAULT_EMBED_HOSTS) == [], source
    for source in links:
        assert any(unsafe_url(address) for address in rendered_links(source)), source
        assert [line for line, _ in body_findings(source, DEFAULT_EMBED_HOSTS)] == [source.count("\n") + 1], source


def test_what_markdown_makes_of_text_the_source_reading_missed_is_found():
    """Each of these made a hostile link or attribute and passed the check (found by the draw below)."""
    missed = {
        "`a\n\n[x](javascript:y) `": "javascript:y",  # backticks a paragraph apart: no code span
        "- a\n\n    [r]: javascript:z\n\n[r]": "javascript:z",  # a definition in a list item
        "[r]:\n  javascript:z\n\n[r]": "javascript:z",  # its address on the next line
        '[x](https://ok.be){: href="javascript:y"}': "javascript:y",  # attr_list
        'Un paragraphe.\n{: onclick="y()"}': "onclick",
        "[x](https://ok.be){: onmouseover }": "onmouseover",
        "<!--\n\n<b onclick=z()>": "onclick",  # a comment left open hid the rest from the parser
    }
    for source, hostile in missed.items():
        findings = body_findings(source, DEFAULT_EMBED_HOSTS)
        assert findings and hostile in " ".join(message for _, message in findings), source
    assert body_findings("Texte\n\n<![)a", DEFAULT_EMBED_HOSTS) == [  # was a traceback
        (3, "section « <![ » illisible ; attendu : aucune (son contenu est lu autrement par le navigateur, "
            "du code pourrait s'y cacher)")]
    assert body_findings("Voir [la fiche]({filename}/a.md) et {une note}.", DEFAULT_EMBED_HOSTS) == []


def test_whatever_hostile_html_markdown_makes_is_found():
    """Brackets, escapes, breaks, code, attributes and raw HTML in any order: whatever hostile link or
    attribute Python-Markdown makes of them, the check finds (it may also refuse text Markdown
    leaves as text, never the reverse). The random draw is seeded: a failure repeats."""
    pieces = ["[", "]", "\\", "(", ")", "!", "`", " ", "\n", "\n\n", "a", "](javascript:x)", "](https://x.be)",
              "<", ">", "*", "```", "~~~", "\n```\n", "\n    ", "\n  ", "\n> ", "\n- ", "[r]: javascript:z\n", "[r]",
              "](java script:x)", "](&#106;avascript:x)", "](<javascript:x>)", "]:\n", "{: href=\"javascript:y\"}",
              "{: onclick=\"y()\"}", "{", "}", "<b onclick=z()>", "<!--", "-->", "&#58;", ":"]
    draw = random.Random(24)
    for _ in range(6000):
        source = "".join(draw.choice(pieces) for _ in range(draw.randint(1, 14)))
        made = markdown.markdown(source, extensions=["markdown.extensions.extra", "markdown.extensions.toc"])
        if unsafe_markup(made, DEFAULT_EMBED_HOSTS):
            assert body_findings(source, DEFAULT_EMBED_HOSTS), repr(source)
