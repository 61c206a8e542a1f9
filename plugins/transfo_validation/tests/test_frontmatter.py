from transfo_validation.frontmatter import parse


def test_header_body_and_continuation_lines():
    doc = parse("\ufeffTitle: Un\nSummary: une ligne\n    qui continue\n\nCorps\n\nsuite")
    assert doc.fields == {"title": "Un", "summary": "une ligne qui continue"}
    assert doc.spelling["summary"] == "Summary"
    assert doc.lines == {"title": 1, "summary": 2}
    assert doc.body == "Corps\n\nsuite"


def test_file_without_header_is_all_body():
    doc = parse("Juste du texte.\n")
    assert doc.fields == {}
    assert doc.body == "Juste du texte.\n"
