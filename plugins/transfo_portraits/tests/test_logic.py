from datetime import datetime
from types import SimpleNamespace as NS

from transfo_portraits.logic import display_name, facets, related_portraits


def portrait(title, month, sector=None, region=None, person=None, enterprise=None):
    return NS(title=title, date=datetime(2019, month, 1), sector=sector, region=region,
              person=person, enterprise=enterprise)


def test_facets_follow_the_configured_order_and_group_portraits():
    a = portrait("a", 1, "Énergie", "Wallonie")
    b = portrait("b", 2, "Alimentation", "Bruxelles")
    c = portrait("c", 3, "Énergie", "Wallonie")
    d = portrait("d", 4)
    slug = {"Énergie": "energie", "Alimentation": "alimentation", "Wallonie": "wallonie",
            "Bruxelles": "bruxelles"}.get
    regions = facets([a, b, c, d], "region", slug, lambda s: f"portraits/region/{s}/",
                     order=("Wallonie", "Bruxelles"))
    assert [(f.name, f.url, [p.title for p in f.portraits]) for f in regions] == [
        ("Wallonie", "portraits/region/wallonie/", ["a", "c"]),
        ("Bruxelles", "portraits/region/bruxelles/", ["b"]),
    ]
    sectors = facets([a, b, c], "sector", slug, lambda s: s)
    assert [f.name for f in sectors] == ["Alimentation", "Énergie"]


def test_related_portraits_same_sector_then_region_then_newest():
    target = portrait("t", 6, "Énergie", "Wallonie")
    same_sector = portrait("s", 1, "Énergie", "Bruxelles")
    same_region = portrait("r", 2, "Culture", "Wallonie")
    newest = portrait("n", 9, "Culture", "Bruxelles")
    excluded = portrait("x", 3, "Énergie", "Wallonie")
    result = related_portraits(target, [target, newest, same_region, same_sector, excluded], 3,
                               exclude=[excluded])
    assert [p.title for p in result] == ["s", "r", "n"]


def test_display_name_prefers_the_person():
    assert display_name(portrait("t", 1, person="Ana", enterprise="Coop")) == "Ana"
    assert display_name(portrait("t", 1, enterprise="Coop")) == "Coop"
    assert display_name(portrait("t", 1)) == "t"


def test_related_portraits_match_a_full_sort_of_every_portrait():
    """The grouped lookup gives exactly what sorting all portraits by the rule gives."""
    import datetime
    import random
    from types import SimpleNamespace

    from transfo_portraits.logic import PortraitNeighbours

    rng = random.Random(7)
    portraits = [SimpleNamespace(sector=rng.choice(["Alimentation", "Énergie", "Culture", None]),
                                 region=rng.choice(["Wallonie", "Bruxelles", None]),
                                 date=datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(40)))
                 for _ in range(120)]
    neighbours = PortraitNeighbours(portraits)
    for target in portraits:
        def rank(p, target=target):
            return (bool(target.sector) and p.sector == target.sector,
                    bool(target.region) and p.region == target.region, p.date)
        exclude = portraits[:3]
        expected = sorted((p for p in portraits if p is not target and all(p is not e for e in exclude)),
                          key=rank, reverse=True)[:5]
        assert [id(p) for p in neighbours.related(target, 5, exclude)] == [id(p) for p in expected]
