import datetime
import types

import jinja2
import pytest
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category
from pelican.utils import memoized
from transfo_common.files import ContentStore
from transfo_perf.affected import (
    UNKNOWN_BODY,
    BodyReads,
    BuildReads,
    body_hashes,
    changed_digests,
    changed_views,
    naming,
    needs_render,
    object_state,
    object_states,
    page_views,
    pages_to_render,
    template_reads,
)
from transfo_perf.membership import IdentityMembers
from transfo_perf.rendering import RenderJob


def _article(path: str, body: str = "<p>Texte.</p>", **metadata) -> Article:
    settings = dict(DEFAULT_CONFIG)
    meta = {"title": "Titre", "date": datetime.datetime(2019, 11, 30), **metadata}
    meta["category"] = Category(meta.pop("category", "Actualités"), settings)
    return Article(body, metadata=meta, settings=settings, source_path=path, context={})


def test_object_states_see_metadata_but_not_the_body():
    one = _article("/c/a.md", summary="<p>Chapô</p>")
    same_but_body = _article("/c/a.md", body="<p>Autre texte.</p>", summary="<p>Chapô</p>")
    other_title = _article("/c/a.md", title="Nouveau titre", summary="<p>Chapô</p>")
    other_rubric = _article("/c/a.md", category="Analyses", summary="<p>Chapô</p>")
    assert object_states([one]) == object_states([same_but_body])
    assert object_states([one]) != object_states([other_title])
    assert object_states([one]) != object_states([other_rubric])
    assert set(object_states([one])) == {"/c/a.md"}


def test_object_states_see_what_a_plugin_derived_and_name_the_objects_it_points_to():
    a, b = _article("/c/a.md"), _article("/c/b.md")
    before = object_states([a, b])
    a.related_articles = [b]  # as transfo_related does
    after = object_states([a, b])
    assert before["/c/a.md"] != after["/c/a.md"] and before["/c/b.md"] == after["/c/b.md"]
    assert "<Article /c/b.md>" in object_state(a)  # named, not described again


def test_an_object_whose_text_names_a_changed_file_is_changed_too():
    """Pelican memoizes the body with `{filename}` links made into addresses: a page reading it
    after the first reads no longer the linked object, so the linking object counts as changed."""
    linking = _article("/c/a.md", body='<p><a href="{filename}/articles/b.md">B</a></p>')
    in_summary = _article("/c/c.md", summary='<a href="{filename}b.md">B</a>')
    other = _article("/c/d.md", body="<p>Sans lien.</p>")
    objects = [linking, in_summary, other]
    assert naming(objects, {"/c/articles/b.md"}) == {"/c/a.md", "/c/c.md"}
    assert naming(objects, set()) == set()


def test_changed_digests_and_pages_to_render():
    before = body_hashes([_article("/c/a.md"), _article("/c/b.md")])
    after = body_hashes([_article("/c/a.md", body="<p>Corrigé.</p>"), _article("/c/b.md"),
                         _article("/c/c.md")])
    changed = changed_digests(before, after)
    assert changed == {"/c/a.md", "/c/c.md"}
    pages = {"a.html": ["/c/a.md"], "b.html": ["/c/b.md"], "liste.html": [], "x.html": [UNKNOWN_BODY]}
    assert needs_render("a.html", pages, changed)
    assert not needs_render("b.html", pages, changed)
    assert not needs_render("liste.html", pages, changed)
    assert needs_render("x.html", pages, changed)  # read a body of unknown origin
    assert needs_render("nouvelle.html", pages, changed)  # not rendered by the last build


def test_pages_to_render_from_what_each_page_and_its_generator_read():
    def job(name, asked_with=()):
        return RenderJob(name, name, name, None, {}, {}, {}, 0, frozenset(asked_with))

    jobs = [job("a.html"), job("b.html"), job("offre-1.html", {"/c/o1.md"}),
            job("offre-2.html", {"/c/o1.md", "/c/o2.md"})]
    pages = {"a.html": ["/c/a.md"], "b.html": ["/c/b.md"], "offre-1.html": ["/c/o1.md"],
             "offre-2.html": ["/c/o2.md"]}

    def names(found):
        return [j.name for j in found]

    assert names(pages_to_render(jobs, pages, {"/c/a.md"}, early=set())) == ["a.html"]
    # offer 1's body was read before offer 2's page was asked for (its structured data)
    assert names(pages_to_render(jobs, pages, {"/c/o1.md"}, early=set())) == ["offre-1.html", "offre-2.html"]
    assert names(pages_to_render(jobs, pages, {"/c/o2.md"}, early=set())) == ["offre-2.html"]
    assert pages_to_render(jobs, pages, {"/c/a.md"}, early={"/c/a.md", "/c/z.md"}) is None  # any page may show it
    assert names(pages_to_render(jobs, pages, {"/c/b.md"}, early={"/c/a.md"})) == ["b.html"]


THEME = {
    "base.html": "{% from 'macros.html' import card %}<title>{{ SITENAME }}</title>{% block main %}{% endblock %}",
    "macros.html": "{% macro card(item) %}{{ item.title }} {{ SITEURL }}{% endmacro %}",
    "offers.html": "{% extends 'base.html' %}{% block main %}{% include 'list.html' %}{% endblock %}",
    "list.html": "{% for offer in open_offers %}{{ card(offer) }}{% endfor %}",
    "article.html": "{% extends 'base.html' %}{% block main %}{{ article.title }}{% endblock %}",
    "chosen.html": "{% include other %}",
    "dated.html": "{{ article.title }} {{ article.settings.TRANSFO_RESOLVED_NOW }}",
    "dated-item.html": "{{ article['settings']['TRANSFO_RESOLVED_NOW'] }}",
    "dated-filter.html": "{{ (article|attr('settings')).TRANSFO_RESOLVED_NOW }}",
}


def _pages(context: dict, own: dict[str, dict], settings: dict | None = None,
           theme: dict[str, str] = THEME) -> dict[str, str]:
    env = jinja2.Environment(loader=jinja2.DictLoader(theme))
    jobs = [RenderJob(name, name, name, env.get_template(name.split("/")[0]), context, extra, context)
            for name, extra in own.items()]
    return page_views(jobs, settings)


def template_names(template: jinja2.Template, store: ContentStore | None = None) -> frozenset[str] | None:
    return template_reads(template, store).names


def test_template_names_follow_extends_includes_and_imports():
    env = jinja2.Environment(loader=jinja2.DictLoader(THEME))
    names = template_names(env.get_template("offers.html"))
    assert names is not None and {"SITENAME", "SITEURL", "open_offers"} <= names and "article" not in names
    assert template_names(env.get_template("chosen.html")) is None  # any name may be read


def test_a_page_view_changes_with_the_sources_of_the_templates_it_uses_and_only_those():
    """Templates are not in the site key: an edited template renders again the pages it reaches."""
    own = {name: {"article": _article("/c/a.md")} for name in ("offers.html", "article.html", "chosen.html",
                                                                "optional.html")}
    context = {"SITENAME": "Transfo", "open_offers": ["stage"], "other": "list.html"}
    theme = {**THEME, "optional.html": "{% include 'later.html' ignore missing %}{{ SITENAME }}"}
    before = _pages(context, own, theme=theme)

    def edited(name: str, text: str) -> set[str]:
        return changed_views(before, _pages(context, own, theme={**theme, name: text}))

    assert edited("list.html", theme["list.html"] + " ") == {"offers.html", "chosen.html"}  # included; any
    assert edited("macros.html", theme["macros.html"] + " ") == {"offers.html", "article.html", "chosen.html"}
    assert edited("article.html", theme["article.html"] + " ") == {"article.html", "chosen.html"}
    assert edited("dated.html", theme["dated.html"] + " ") == {"chosen.html"}  # chosen at render time: any
    assert edited("later.html", "Ajouté") == {"optional.html", "chosen.html"}  # a missing include appears


class NotParsing(jinja2.Environment):
    """An environment that cannot parse: what it is asked must come from the store."""

    def parse(self, *args, **kwargs):
        raise AssertionError("parsed again")


def test_a_template_analysed_once_is_not_parsed_again_in_a_new_process(tmp_path):
    store = ContentStore(tmp_path / "objects")
    first = template_names(jinja2.Environment(loader=jinja2.DictLoader(THEME)).get_template("offers.html"), store)
    # A new environment is what a new process has: nothing analysed in memory.
    again = NotParsing(loader=jinja2.DictLoader(THEME))
    assert template_names(again.get_template("offers.html"), store) == first
    edited = {**THEME, "base.html": THEME["base.html"] + "{{ added_name }}"}
    with pytest.raises(AssertionError, match="parsed again"):  # a changed source is analysed again
        template_names(NotParsing(loader=jinja2.DictLoader(edited)).get_template("offers.html"), store)
    assert "added_name" in template_names(jinja2.Environment(loader=jinja2.DictLoader(edited))
                                          .get_template("offers.html"), store)
    for blob in (tmp_path / "objects").glob("??/*"):
        blob.write_bytes(b"damaged")
    assert template_names(jinja2.Environment(loader=jinja2.DictLoader(THEME)).get_template("offers.html"),
                          store) == first
    assert template_names(again.get_template("offers.html"), store) == first  # memo of `again`
    assert template_names(NotParsing(loader=jinja2.DictLoader(THEME)).get_template("offers.html"),
                          store) == first  # the damaged blobs were replaced


def test_a_page_view_changes_only_with_a_value_its_templates_look_up():
    settings = {"SITENAME": "Transfo", "TRANSFO_RESOLVED_NOW": "2019-11-30"}
    own = {"offers.html": {}, "article.html/a": {"article": _article("/c/a.md")}}
    context = {"SITENAME": "Transfo", "open_offers": ["stage", "emploi"], "past_events": ["salon"]}
    before = _pages(context, own)
    # A new day closes an offer and moves an event to the past: the lists change, not the article.
    after = _pages({**context, "open_offers": ["stage"], "past_events": ["salon", "foire"]}, own)
    assert changed_views(before, after) == {"offers.html"}
    assert changed_views(before, _pages({**context, "SITENAME": "Autre"}, own)) == set(own)
    assert changed_views(after, {**after, "nouvelle.html": "x"}) == {"nouvelle.html"}
    # Pelican's paginators hold the settings: named, their date does not make every list new.
    paginated = {"offers.html": {"open_offers": [types.SimpleNamespace(settings=settings, title="stage")]}}
    dated = _pages(context, paginated, settings)
    settings["TRANSFO_RESOLVED_NOW"] = "2019-12-01"
    assert _pages(context, paginated, settings) == dated


def test_a_template_reading_the_settings_through_an_object_sees_each_new_day():
    """The date left the site key: a template that reaches it through `article.settings`
    (not through its context) must still render again when the day changes."""
    settings = {"SITENAME": "Transfo", "TRANSFO_RESOLVED_NOW": "2019-11-30"}
    article = _article("/c/a.md")
    own = {name: {"article": article} for name in ("dated.html", "dated-item.html", "dated-filter.html",
                                                     "article.html")}
    before = _pages({}, own, settings)
    settings["TRANSFO_RESOLVED_NOW"] = "2019-12-01"
    assert changed_views(before, _pages({}, own, settings)) == {"dated.html", "dated-item.html", "dated-filter.html"}


def test_a_list_is_viewed_by_its_items_not_by_what_it_keeps_on_the_side():
    articles = [_article(f"/c/{n}.md") for n in range(70)]
    own = {"offers.html": {}}
    plain = _pages({"open_offers": list(articles)}, own)
    assert _pages({"open_offers": IdentityMembers(articles)}, own) == plain  # its set of addresses aside
    assert _pages({"open_offers": IdentityMembers(articles[1:])}, own) != plain


def test_pages_whose_view_changed_are_rendered_again():
    jobs = [RenderJob(name, name, name, None, {}, {}, {}) for name in ("a.html", "offres.html")]
    pages = {"a.html": ["/c/a.md"], "offres.html": []}
    assert [j.name for j in pages_to_render(jobs, pages, set(), early=set(), viewed={"offres.html"})] == \
        ["offres.html"]


def test_body_reads_note_content_and_summaries_cut_from_the_body():
    with_summary = _article("/c/a.md", summary="<p>Chapô</p>")
    without_summary = _article("/c/b.md", body="<p>" + "mot " * 80 + "</p>")
    reads = BodyReads()
    with reads.recording():
        summary_only, cut_summary, content = set(), set(), set()
        with reads.page(summary_only):
            assert with_summary.summary == "<p>Chapô</p>"
        with reads.page(cut_summary):
            assert without_summary.summary.startswith("<p>mot")
        with reads.page(content):
            assert "Texte" in with_summary.content
    assert summary_only == set()
    assert cut_summary == {"/c/b.md"}
    assert content == {"/c/a.md"}
    after = set()
    with reads.page(after):  # recording is over: Pelican's own methods are back
        assert without_summary.content.startswith("<p>mot")
    assert after == set()
    assert isinstance(Content.__dict__["get_content"], memoized)


def test_no_template_or_plugin_reads_a_body_behind_the_recorded_properties():
    """Rendering only affected pages relies on bodies being read through `content` or `summary`."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    private = re.compile(r"\._content\b|\[['\"]_content['\"]\]")
    sources = [*(root / "theme" / "templates").rglob("*.html"), *(root / "newsletter" / "templates").rglob("*"),
               *(path for path in (root / "plugins").rglob("*.py")
                 if "tests" not in path.parts and path.name != "pelican_compat.py")]
    offenders = [str(path.relative_to(root)) for path in sources
                 if path.is_file() and private.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []


def test_a_shared_object_is_described_once_and_its_changes_still_change_every_state_showing_it():
    class Facet:  # as transfo_portraits hangs one region on every portrait of it
        def __init__(self, portraits):
            self.name, self.portraits = "Wallonie", portraits

    portraits = [_article(f"/c/p{n}.md") for n in range(30)]
    facet = Facet(list(portraits))
    for portrait in portraits:
        portrait.portrait_region = facet
    before = object_states(portraits)
    assert len(object_state(portraits[0])) < 4000  # the facet's 30 names once, not per mention
    facet.name = "Bruxelles"
    renamed = object_states(portraits)
    facet.portraits.pop()
    shorter = object_states(portraits)
    for path in before:  # each portrait shows its region
        assert len({before[path], renamed[path], shorter[path]}) == 3
    assert object_states(portraits) == object_states(reversed(portraits))  # whatever the order of reading


def test_body_reads_made_for_a_declared_derived_value_are_not_noted():
    from transfo_common.derived import set_derived

    article = _article("/c/a.md", body="<p>" + "mot " * 460 + "</p>")
    reads, noted = BodyReads(), set()
    with reads.recording(), reads.page(noted):
        set_derived(article, "words", lambda obj: len(obj.content.split()))
        assert noted == set()
        assert article.content
    assert article.words == 461  # "<p>mot" … "</p>"
    assert noted == {"/c/a.md"}


def test_the_header_a_resident_build_compares_is_what_comes_before_the_first_blank_line(tmp_path):
    from transfo_perf.resident import _header

    source = tmp_path / "a.md"
    source.write_bytes(b"Title: A\r\nDate: 2019-11-30\r\n\r\nTexte.\n\nSuite.\n")
    assert _header(str(source)) == b"Title: A\nDate: 2019-11-30"
    assert _header(str(tmp_path / "absent.md")) == b""


class _Generator:
    """Reads `before`, asks for its pages, then reads `after` (as the agenda writes its .ics)."""

    def __init__(self, names, before=(), after=()):
        self.names, self.before, self.after = names, before, after

    def generate_output(self, writer):
        for name in self.names:
            for article in self.before:
                assert article.content
            writer.queue.append((name, writer.asker[0], frozenset(writer.asker[1])))
        for article in self.after:
            assert article.content


class _Writer:
    """Stands for a QueueingWriter: queues (page, generator, bodies read before it)."""

    def __init__(self):
        self.queue, self.asker = [], None


class _Renderer(_Generator):
    """Stands for transfo_perf's RenderGenerator: its reads are the pages' own."""


def test_a_build_trace_sorts_reads_outside_pages_by_phase_and_generator():
    a, b, c, d = (_article(f"/c/{name}.md") for name in "abcd")
    quiet, offers = _Generator(["a.html"]), _Generator(["offre.html", "offres.html"], before=[b])
    agenda, renderer = _Generator(["agenda.html"], after=[d]), _Renderer([], after=[c])
    trace = BuildReads()
    trace.start()
    try:
        assert a.content  # while contexts are made
        trace.follow_outputs([quiet, offers, agenda, renderer], skip=_Renderer)
        writer = _Writer()
        for generator in (quiet, offers, agenda):
            generator.generate_output(writer)
        renderer.generate_output(writer)
    finally:
        trace.stop()
    assert trace.early == {"/c/a.md"}
    assert trace.outputs == {0: set(), 1: {"/c/b.md"}, 2: {"/c/d.md"}}
    assert writer.queue == [("a.html", 0, frozenset()), ("offre.html", 1, {"/c/b.md"}),
                            ("offres.html", 1, {"/c/b.md"}), ("agenda.html", 2, frozenset())]
    assert writer.asker is None
    assert isinstance(Content.__dict__["get_content"], memoized)  # Pelican's own method is back


def test_starting_a_trace_ends_the_one_a_failed_build_left_running():
    first, second = BuildReads(), BuildReads()
    first.start()  # the build fails: nobody stops it
    second.start()
    assert _article("/c/a.md").content
    second.stop()
    assert first.early == set() and second.early == {"/c/a.md"}
    assert isinstance(Content.__dict__["get_content"], memoized)
