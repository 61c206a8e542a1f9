"""The build-date report: the date, every file held back, the --now that shows them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from transfo_publication.logic import HeldBack, build_date_report, held_back_documents
from transfo_publication.settings import parse_now, read_settings
from transfo_validation.frontmatter import parse
from transfo_validation.schema import ContentKind, Document

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = parse_now("2019-11-30", BRUSSELS)


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def test_a_pinned_date_says_so_and_lists_what_waits_latest_last():
    held = [HeldBack("content/offres/b.md", "offre", at("2019-12-10 08:00")),
            HeldBack("content/articles/2019/a.md", "article", at("2019-12-01 00:30"))]
    assert build_date_report(NOW, True, held, BRUSSELS) == [
        "Date de construction : 30 novembre 2019 (fixée, pas celle du jour : TRANSFO_NOW dans "
        "pelicanconf.py, ou --now AAAA-MM-JJ)",
        "2 fichier(s) daté(s) après cette date, pas encore sur le site :",
        "  content/articles/2019/a.md (article, dimanche 1er décembre 2019, 0 h 30)",
        "  content/offres/b.md (offre, mardi 10 décembre 2019, 8 h)",
        "Pour les voir : invoke build --now 2019-12-10",
    ]


def test_the_real_clock_says_today_and_nothing_held_back_is_said_too():
    lines = build_date_report(at("2026-12-04 18:00"), False, [], BRUSSELS, command="invoke check")
    assert lines == ["Date de construction : 4 décembre 2026 (celle du jour)",
                     "Aucun fichier daté après cette date : tout ce qui est publié est sur le site."]


def test_the_now_given_shows_the_last_held_back_file_in_the_site_timezone():
    """23:30 UTC on 10 December is already the 11th in Brussels: --now must say the 11th."""
    late = datetime(2019, 12, 10, 23, 30, tzinfo=ZoneInfo("UTC"))
    lines = build_date_report(NOW, True, [HeldBack("content/agenda/x.md", "événement", late)], BRUSSELS)
    assert lines[-1] == "Pour les voir : invoke build --now 2019-12-11"
    assert parse_now("2019-12-11", BRUSSELS) >= late


def test_validated_documents_after_the_date_are_held_back_drafts_and_undated_ones_aside():
    kind = ContentKind("event", ("agenda",), {}, label="événement")
    pages = ContentKind("page", ("pages",), {})

    def doc(path, values, of=kind):
        return Document(path, of, parse(""), values)

    documents = {
        "event": [doc("a.md", {"date": datetime(2019, 12, 1, 9, 0)}),
                  doc("b.md", {"date": datetime(2019, 11, 30, 23, 59)}),
                  doc("c.md", {"date": datetime(2019, 12, 2), "status": "draft"})],
        "page": [doc("p.md", {"title": "Sans date"}, pages)],
    }
    assert held_back_documents(documents, NOW, BRUSSELS) == [
        HeldBack("a.md", "événement", at("2019-12-01 09:00"))]


def test_pinned_or_not_follows_the_setting():
    assert read_settings({"TRANSFO_NOW": "2019-11-30"}).now_pinned
    assert not read_settings({"TRANSFO_NOW": None}).now_pinned
    assert not read_settings({}).now_pinned


def test_a_date_fixed_to_today_is_said_to_be_todays():
    """`--now aujourd'hui`, and the date `invoke publish` retains (today's midnight), are today's:
    the report must not say "fixée, pas celle du jour" in the forge's journal."""
    def clock(tz):
        return datetime(2026, 12, 7, 10, 15, tzinfo=ZoneInfo("UTC")).astimezone(tz)

    for value in ("2026-12-07T00:00", "2026-12-07T09:15+00:00", "2026-12-07"):
        assert not read_settings({"TRANSFO_NOW": value}, clock=clock).now_pinned, value
    assert read_settings({"TRANSFO_NOW": "2026-12-06T23:59"}, clock=clock).now_pinned


def test_an_update_after_the_build_date_is_one_problem_held_back_files_and_drafts_aside():
    from transfo_publication.logic import future_modifications

    kind = ContentKind("article", ("articles",), {}, label="article")

    def doc(path, values, header="Title: x\nModified: 2019-12-25\n"):
        return Document(path, kind, parse(header + "\nTexte.\n"), values)

    late = datetime(2019, 12, 25)
    documents = {"article": [
        doc("a.md", {"date": datetime(2019, 11, 1), "modified": late}),
        doc("b.md", {"date": datetime(2019, 11, 1), "modified": datetime(2019, 11, 30, 23, 0)}),
        doc("c.md", {"date": datetime(2019, 12, 20), "modified": late}),  # held back: said so elsewhere
        doc("d.md", {"date": datetime(2019, 11, 1), "modified": late, "status": "draft"}),
    ]}
    assert [str(p) for p in future_modifications(documents, NOW, BRUSSELS)] == [
        "a.md:2: Modified: « 2019-12-25 » : mise à jour datée après la date de construction "
        "(30 novembre 2019) ; attendu : la date d'une mise à jour déjà faite, au plus tard le 30 novembre 2019"]
