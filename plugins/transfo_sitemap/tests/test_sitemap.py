import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from types import SimpleNamespace as NS

from transfo_sitemap.sitemap import (
    NAMESPACE,
    SitemapEntry,
    is_indexable,
    page_url,
    render_robots,
    render_sitemap,
)


def test_page_urls_are_the_shared_urls():
    assert page_url("https://x.be/transfo", "index.html") == "https://x.be/transfo/"
    assert page_url("https://x.be/transfo/", "2019/11/a/index.html") == "https://x.be/transfo/2019/11/a/"
    assert page_url("https://x.be", "404.html") == "https://x.be/404.html"


def test_noindex_pages_and_non_html_are_not_indexable():
    assert is_indexable("a/index.html", {})
    assert not is_indexable("feed.xml", {})
    assert not is_indexable("a/index.html", {"noindex": True})
    assert not is_indexable("a/index.html", {"article": NS(noindex=True)})


def test_sitemap_is_valid_sorted_and_deduplicated():
    when = datetime(2019, 11, 14, 9, 30, tzinfo=timezone.utc)
    xml = render_sitemap([SitemapEntry("https://x.be/b/"), SitemapEntry("https://x.be/a/", when),
                          SitemapEntry("https://x.be/b/")])
    root = ET.fromstring(xml)
    locs = [el.text for el in root.iter(f"{{{NAMESPACE}}}loc")]
    assert locs == ["https://x.be/a/", "https://x.be/b/"]
    assert root.find(f"{{{NAMESPACE}}}url/{{{NAMESPACE}}}lastmod").text == "2019-11-14T09:30:00+00:00"


def test_robots_points_to_the_sitemap():
    assert "Sitemap: https://x.be/sitemap.xml" in render_robots("https://x.be/").decode()
