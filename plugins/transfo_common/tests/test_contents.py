"""A content object read through `read_with_address` has its address from the start, as the
installed Pelican reads `url`/`save_as`/`slug` metadata (a Pelican upgrade that changes it fails here)."""

from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator
from pelican.settings import read_settings
from transfo_common.contents import folder_address, read_with_address


class Notice(Content):
    """A kind with no NOTICE_URL setting: Pelican alone could not give it an address."""

    mandatory_properties = ("title",)


def test_the_address_is_the_objects_from_its_creation(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    (content / "avis").mkdir(parents=True)
    (content / "avis" / "x.md").write_text("Title: Un avis\n\nUn texte.\n", encoding="utf-8")
    settings = read_settings(override={"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_CONTENT": False})
    generator = Generator(context={"generated_content": {}, "static_content": {}}, settings=settings,
                          path=str(content), theme=settings["THEME"], output_path=str(output))
    seen_at_init = []

    def note(instance):
        seen_at_init.append((instance.url, instance.save_as, instance.slug))

    signals.content_object_init.connect(note)
    try:
        notice = read_with_address(generator, "avis/x.md", Notice,
                                   lambda metadata: folder_address(f"avis/{metadata['title'][3:]}/", slug="avis-1"))
    finally:
        signals.content_object_init.disconnect(note)
    assert seen_at_init == [("avis/avis/", "avis/avis/index.html", "avis-1")]
    assert (notice.url, notice.save_as, notice.slug) == ("avis/avis/", "avis/avis/index.html", "avis-1")
    assert notice.title == "Un avis" and notice.is_valid()
