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


def test_a_space_before_the_colon_as_french_is_typed_is_read():
    doc = parse("Title : Un\nTags\u00a0: a, b\n  Authors\u202f: Moi\n\nCorps")
    assert doc.fields == {"title": "Un", "tags": "a, b", "authors": "Moi"} and doc.stray == []


def test_fields_after_a_blank_line_are_body_and_noted():
    doc = parse("Title: Un\nSummary: s\n  \nImage: a.jpg\n    suite\nImage_alt : b\nTexte : ordinaire\n\nCorps")
    assert doc.fields == {"title": "Un", "summary": "s"}
    assert doc.stray == [(4, "Image"), (6, "Image_alt"), (7, "Texte")] and doc.header_end == 3
    assert doc.body.startswith("Image: a.jpg")
    opened = parse("\nTitle: Un\n\nCorps")
    assert opened.fields == {} and opened.stray == [(2, "Title")] and opened.header_end == 1
    assert parse("Title: Un\n\nUne phrase.\nDate: texte").stray == []  # only lines opening the body
