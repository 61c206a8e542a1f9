import re
from pathlib import Path

import markdown
import pytest
from transfo_config.plugin import ConfigError
from transfo_images.markdown_ext import EXTENSION, PictureExtension, PictureMarkdownReader
from transfo_images.planning import plan_image, resolve_source
from transfo_images.settings import read_settings

from .conftest import photo


@pytest.fixture
def render(site):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(1000, 500))
    photo(content / "articles" / "beside.jpg", size=(300, 200))
    cfg = read_settings(site)

    def render(text):
        found, problems = [], []
        ext = PictureExtension(
            resolve=lambda src: resolve_source(src, cfg.content_root, content / "articles"),
            plan=lambda rel: plan_image(cfg, rel), found=found, problems=problems)
        return markdown.markdown(text, extensions=[ext], output_format="html5"), found

    return render


def test_lone_image_becomes_a_figure_with_its_credit(render):
    html, found = render('![Une photo](images/a.jpg "Photo : X")')
    assert html.startswith('<figure class="body-image"><picture>')
    assert '<figcaption class="credit">Photo : X</figcaption>' in html
    assert 'width="1000"' in html and 'height="500"' in html and 'alt="Une photo"' in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert "title=" not in html
    assert found == ["images/a.jpg"]


def test_inline_image_stays_in_its_sentence(render):
    html, found = render("Voici ![un schéma]({static}beside.jpg) au milieu.")
    assert html.startswith("<p>Voici <picture>") and html.endswith("</picture> au milieu.</p>")
    assert 'width="300"' in html
    assert found == ["articles/beside.jpg"]


def test_links_to_an_image_lead_to_its_largest_stripped_copy(render):
    html, found = render("[La photo en grand](images/a.jpg) et [l'autre]({attach}beside.jpg).")
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) == 2 and all(re.fullmatch(r"/media/(a|beside)\.[0-9a-f]{10}\.\d+\.jpg", l) for l in links)
    assert links[0].endswith(".1000.jpg") and links[1].endswith(".300.jpg")  # the largest JPEG
    assert found == ["images/a.jpg", "articles/beside.jpg"]


@pytest.mark.parametrize("src", ["https://example.org/x.jpg", "images/absent.jpg", "doc.pdf"])
def test_other_images_are_left_alone(render, src):
    html, found = render(f"![x]({src})")
    assert "<picture>" not in html and found == []


def reader_settings(site, markdown_extensions):
    from copy import deepcopy

    from pelican.settings import DEFAULT_CONFIG

    return {**deepcopy(DEFAULT_CONFIG), **site, "STATIC_PATHS": [],
            "MARKDOWN": {"extension_configs": dict.fromkeys(markdown_extensions, {})}}


def test_reader_reports_body_images_as_metadata(site):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(500, 400))
    source = content / "articles" / "x.md"
    source.parent.mkdir(exist_ok=True)
    source.write_text("Title: X\n\n![Une photo](images/a.jpg)\n", encoding="utf-8")
    settings = reader_settings(site, [EXTENSION])
    html, metadata = PictureMarkdownReader(settings).read(str(source))
    assert "<picture>" in html and 'width="500"' in html
    assert metadata["title"] == "X"
    assert metadata["transfo_body_images"] == ("images/a.jpg",)
    # The same settings outside a file read: the extension has no file, it adds nothing.
    assert "<picture>" not in markdown.Markdown(**settings["MARKDOWN"]).convert("![Une photo](images/a.jpg)")


def test_reader_refuses_settings_without_the_extension(site):
    with pytest.raises(ConfigError, match=r"^MARKDOWN : l'extension « transfo_images\.markdown_ext » manque"):
        PictureMarkdownReader(reader_settings(site, ["markdown.extensions.extra"]))


def test_attributes_from_attr_list_are_kept(site):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(500, 400))
    cfg = read_settings(site)
    ext = PictureExtension(resolve=lambda src: resolve_source(src, cfg.content_root, content),
                           plan=lambda rel: plan_image(cfg, rel), found=[], problems=[])
    html = markdown.markdown("![Photo](images/a.jpg){: .large }",
                             extensions=["markdown.extensions.attr_list", ext])
    assert html.startswith('<figure class="body-image"><picture>') and 'class="large"' in html
