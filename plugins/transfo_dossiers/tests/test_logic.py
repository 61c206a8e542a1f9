from datetime import date, datetime
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

from transfo_dossiers.jsonld import breadcrumbs, series
from transfo_dossiers.logic import Declaration, assemble, neighbours

TZ = ZoneInfo("Europe/Brussels")


def art(title, day, dossier, number=None, month=11):
    return NS(title=title, date=datetime(2019, month, day, 9, tzinfo=TZ), dossier=dossier,
              dossier_part=number, url=f"2019/{month:02d}/{title}/")


def decl(slug, start, end=None):
    return Declaration(slug=slug, title=slug.title(), page=NS(content="<p>intro</p>"), start=start,
                       image="images/x.jpg", image_alt="x", end=end)


def landing(slug):
    return f"dossiers/{slug}/"


def test_running_dossiers_first_then_newest_and_future_ones_hidden():
    declarations = [decl("old", date(2019, 3, 1), date(2019, 4, 30)),
                    decl("older", date(2018, 3, 1), date(2018, 4, 30)),
                    decl("running", date(2019, 10, 1)),
                    decl("future", date(2020, 1, 15))]
    dossiers, _ = assemble(declarations, [], [], date(2019, 11, 30), landing,
                           feed=lambda slug: (f"https://x.be/feeds/{slug}.atom.xml", f"feeds/{slug}.atom.xml"))
    assert [d.slug for d in dossiers] == ["running", "old", "older"]
    assert [d.feed_url for d in dossiers] == ["", "", ""]  # no part, no feed
    assert [d.is_running for d in dossiers] == [True, False, False]


def test_parts_follow_their_number_and_announced_parts_count_in_n():
    p2, p1 = art("p2", 2, "d", 2), art("p1", 20, "d", 1)
    later = art("p3", 12, "d", 3, month=12)
    dossiers, numbers = assemble([decl("d", date(2019, 10, 1))], [p2, p1], [later],
                                 date(2019, 11, 30), landing)
    (dossier,) = dossiers
    assert dossier.parts == [p1, p2]
    assert [(a.title, a.number) for a in dossier.announced] == [("p3", 3)]
    assert not hasattr(dossier.announced[0], "summary")
    assert dossier.total == 3
    assert numbers[id(p1)][1] == 1 and numbers[id(p2)][1] == 2
    assert neighbours(dossier, p1) == (None, p2)
    assert neighbours(dossier, p2) == (p1, None)


def test_without_numbers_parts_follow_their_dates():
    b, a, c = art("b", 10, "d"), art("a", 5, "d"), art("c", 20, "d")
    dossiers, numbers = assemble([decl("d", date(2019, 10, 1))], [b, a, c, art("x", 1, "other")], [],
                                 date(2019, 11, 30), landing)
    assert [p.title for p in dossiers[0].parts] == ["a", "b", "c"]
    assert [numbers[id(p)][1] for p in dossiers[0].parts] == [1, 2, 3]


def test_jsonld_series_and_breadcrumbs():
    p1 = art("p1", 2, "d", 1)
    dossiers, numbers = assemble([decl("d", date(2019, 10, 1), date(2019, 12, 31))], [p1], [],
                                 date(2019, 11, 30), landing)
    data = series(dossiers[0], lambda path: "https://x.be/" + path, lambda p: numbers[id(p)][1])
    assert data["@type"] == "CreativeWorkSeries"
    assert data["url"] == "https://x.be/dossiers/d/"
    assert data["endDate"] == "2019-12-31"
    assert data["hasPart"] == [{"@type": "Article", "position": 1, "headline": "p1",
                                "url": "https://x.be/2019/11/p1/",
                                "datePublished": "2019-11-02T09:00:00+01:00"}]
    trail = breadcrumbs([("Transfo", ""), ("Dossiers", "dossiers/")], lambda p: "https://x.be/" + p)
    assert [e["position"] for e in trail["itemListElement"]] == [1, 2]
    assert trail["itemListElement"][1]["item"] == "https://x.be/dossiers/"


def test_the_introduction_is_read_from_the_declaration_when_shown():
    declaration = decl("d", date(2019, 10, 1))
    (dossier,), _ = assemble([declaration], [], [], date(2019, 11, 30), landing)
    assert dossier.intro == "<p>intro</p>"
    declaration.page.content = "<p>corrigée</p>"  # a preview swaps in a new body
    assert dossier.intro == "<p>corrigée</p>"
