from urllib.parse import parse_qs, urlsplit

from transfo_promotions.articles import closest_slug
from transfo_promotions.links import promotion_link, slug_from_url

SLUG = "ce-que-cachent-nos-vetements-1-le-vrai-prix-de-la-mode-jetable"
URL = f"https://www.economiesociale.be/transfo/2019/04/{SLUG}/"


def test_link_carries_the_utm_parameters():
    link = promotion_link(URL, SLUG)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == URL
    assert parse_qs(parts.query) == {"utm_source": ["facebook"], "utm_medium": ["paid_social"],
                                     "utm_campaign": [SLUG]}
    assert "utm_source=instagram" in promotion_link(URL, SLUG, source="instagram")


def test_the_article_is_found_back_from_the_link():
    slugs = {SLUG, "autre"}
    assert slug_from_url(promotion_link("https://x.be/autre-adresse/", SLUG), slugs) == SLUG
    assert slug_from_url(URL, slugs) == SLUG
    assert slug_from_url("https://x.be/agenda/jours-fous-2020/", slugs) is None


def test_closest_slug_prefers_the_same_beginning():
    slugs = {SLUG, "ce-que-cachent-nos-vetements-3-acheter-moins-acheter-mieux"}
    assert closest_slug("ce-que-cachent-nos-vetement-1", slugs) == SLUG
    assert closest_slug("tout-autre-chose", slugs) is None
