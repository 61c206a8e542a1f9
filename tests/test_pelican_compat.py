"""Contract tests of `transfo_common.pelican_compat`: one per private Pelican access.

Each test exercises the access against the installed Pelican, so an upgrade that renames or
changes what we rely on fails here, with the access's name, before it breaks a build.
"""

from __future__ import annotations

import copy
import io
import os
from datetime import datetime
from pathlib import Path

from transfo_common.pelican_compat import (
    OpeningWriter,
    body_of,
    body_reads_noted,
    claimed_output_path,
    forget_memoized,
    forget_templates,
    object_reads_noted,
    replace_body,
    skip_run,
    state_of,
    take_fields,
    urls_kept,
    wrap_generate_output,
    wrap_read_file,
)

from tests.support import pelican_effects_undone

# --- Content objects, readers and generators (content plugins) ---------------------------


# --- Build run, writer and rendering (transfo_perf) ---------------------------------------

def _settings(tmp_path: Path, **extra) -> dict:
    from pelican.settings import DEFAULT_CONFIG, configure_settings

    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    return configure_settings({**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(content),
                               "OUTPUT_PATH": str(tmp_path / "output"), "CACHE_CONTENT": False,
                               "PLUGINS": [], "TIMEZONE": "Europe/Brussels", **extra})


def _article(settings: dict, body: str = "<p>Le corps.</p>", **metadata):
    from pelican.contents import Article

    return Article(body, {"title": "Un titre", "slug": "un-titre", "date": datetime(2019, 11, 1),
                          **metadata}, settings=settings, source_path=str(Path(settings["PATH"]) / "a.md"))


def test_skip_run_replaces_this_instances_run_only(tmp_path):
    from pelican import Pelican

    called = []
    with pelican_effects_undone():
        pelican = Pelican(_settings(tmp_path))
        skip_run(pelican, lambda: called.append("skipped"))
        pelican.run()
        assert called == ["skipped"]
        assert not (tmp_path / "output").exists()
        assert Pelican(_settings(tmp_path)).run is not pelican.run


def test_claimed_output_path_follows_pelicans_own_rules(tmp_path):
    """The same sequence of writes through Pelican's `_open_w` and through the compat function
    gives the same targets and the same refusals."""
    from pelican.writers import Writer

    settings = _settings(tmp_path)
    target = str(tmp_path / "page.html")
    steps = [False, True, False, True]  # write, override, write again (kept), override twice

    def outcome(claim):
        try:
            return claim()
        except Exception as error:  # the refusal itself is the contract
            return type(error).__name__

    pelican_writer, our_writer = Writer(str(tmp_path), settings), Writer(str(tmp_path), settings)
    theirs, ours = [], []
    for override in steps:
        def through_pelican(override=override):
            with pelican_writer._open_w(target, "utf-8", override) as handle:
                return handle.name
        theirs.append(outcome(through_pelican))
        ours.append(outcome(lambda override=override: claimed_output_path(our_writer, target, override)))
    assert ours == theirs == [target, target, os.devnull, "FileOverwriteFailedError"]


def test_opening_writer_opens_every_output_through_open_output(tmp_path):
    """Pelican's `write_file` opens its file through `open_output`, and sends `content_written`
    once the stream it returned is closed, with the file holding its final bytes."""
    from jinja2 import Template
    from pelican import signals

    opened, seen = [], []

    class Buffered(OpeningWriter):
        def open_output(self, filename, target, encoding):
            opened.append((filename, target))
            return _WrittenOnClose(target)

    def probe(path, context):
        seen.append(Path(path).read_text(encoding="utf-8"))

    settings = _settings(tmp_path)
    writer = Buffered(str(tmp_path / "output"), settings)
    signals.content_written.connect(probe)
    try:
        writer.write_file("page.html", Template("<p>{{ word }}</p>"), {"word": "bonjour"})
    finally:
        signals.content_written.disconnect(probe)
    path = str(tmp_path / "output" / "page.html")
    assert opened == [(path, path)]
    assert seen == ["<p>bonjour</p>"]


class _WrittenOnClose(io.StringIO):
    def __init__(self, target: str):
        super().__init__()
        self.target = target

    def close(self):
        if not self.closed:
            Path(self.target).write_text(self.getvalue(), encoding="utf-8")
        super().close()


def test_body_of_is_the_readers_body_before_links_are_resolved(tmp_path):
    settings = _settings(tmp_path)
    linked = _article(settings, slug="b")
    article = _article(settings, '<a href="{filename}/b.md">b</a>')
    article._context = {"static_content": {}, "generated_content": {"b.md": linked}}  # as generators do
    assert body_of(article) == '<a href="{filename}/b.md">b</a>'
    assert article.content == '<a href="/b.html">b</a>'


def test_replace_body_shows_in_content_and_summary_already_read(tmp_path):
    article = _article(_settings(tmp_path))
    assert "Le corps." in article.content and "Le corps." in article.summary  # memoized by Pelican
    replace_body(article, "<p>Le nouveau corps.</p>")
    assert body_of(article) == "<p>Le nouveau corps.</p>"
    assert "nouveau" in article.content and "nouveau" in article.summary


def test_forget_memoized_drops_what_pelican_memoized(tmp_path):
    article = _article(_settings(tmp_path))
    assert "Le corps." in article.content
    article._content = "<p>Changé.</p>"  # what replace_body does, without forgetting
    assert "Le corps." in article.content, "Pelican no longer memoizes get_content"
    forget_memoized()
    assert "Changé." in article.content


def test_take_fields_gives_the_fields_read_again_and_keeps_what_was_added(tmp_path):
    settings = _settings(tmp_path)
    article = _article(settings)
    assert "Le corps." in article.content and article.url == "un-titre.html"  # memoized by Pelican
    article.related = ["une autre"]  # as a plugin adds after reading
    fresh = _article(settings, "<p>Relu.</p>", title="Un titre corrigé", slug="un-titre-corrige")
    take_fields(article, fresh)
    assert article.title == "Un titre corrigé" and article.url == "un-titre-corrige.html"
    assert "Relu." in article.content and "Relu." in article.summary
    assert article.related == ["une autre"]


def test_state_of_leaves_out_the_body_and_what_objects_share(tmp_path):
    article = _article(_settings(tmp_path))
    state = state_of(article)
    assert state["title"] == "Un titre" and state["slug"] == "un-titre" and "metadata" in state
    assert "Le corps." not in repr(state)
    assert {"settings", "_context", "_content"}.isdisjoint(state)
    assert {"settings", "_context", "_content"} <= set(vars(article))  # what Pelican keeps there


def test_body_reads_noted_sees_content_and_cut_summaries_only_while_active(tmp_path):
    settings = _settings(tmp_path)
    plain = _article(settings, slug="plain")
    summarized = _article(settings, slug="summarized", summary="<p>Un résumé.</p>")
    noted = []
    with body_reads_noted(lambda obj: noted.append(obj.slug)):
        assert summarized.summary == "<p>Un résumé.</p>"  # its own: the body is not read
        assert noted == []
        assert "Le corps." in plain.summary  # cut from the body
        assert set(noted) == {"plain"}
        assert "Le corps." in summarized.content
        assert set(noted) == {"plain", "summarized"}
    noted.clear()
    assert "Le corps." in plain.content
    assert noted == []



def test_object_reads_noted_sees_every_attribute_read_only_while_active(tmp_path):
    from pelican.contents import Article, Content, Page, Static

    settings = _settings(tmp_path)
    first, second = _article(settings, slug="premier"), _article(settings, slug="second")
    assert not any("__getattribute__" in vars(cls) for cls in (Content, Article, Page, Static))
    noted = []
    with object_reads_noted(noted.append):
        assert first.url == "premier.html"  # a property, reading the object's own fields
        assert getattr(second, "missing", None) is None
    assert {id(obj) for obj in noted} == {id(first), id(second)}
    noted.clear()
    assert first.title and second.slug
    assert noted == [] and "__getattribute__" not in vars(Content)

def test_wrap_read_file_sees_every_read_with_its_arguments(tmp_path):
    from pelican.contents import Article
    from pelican.readers import Readers

    settings = _settings(tmp_path)
    (Path(settings["PATH"]) / "a.md").write_text("Title: Un titre\nDate: 2019-11-01\n\nLe corps.\n",
                                                  encoding="utf-8")
    readers, calls = Readers(settings), []

    def wrapper(read_file):
        def noted(*args, **kwargs):
            obj = read_file(*args, **kwargs)
            calls.append((kwargs["path"], obj))
            return obj
        return noted

    wrap_read_file(readers, wrapper)
    article = readers.read_file(base_path=settings["PATH"], path="a.md", content_class=Article)
    assert calls == [("a.md", article)] and article.title == "Un titre"


def test_wrap_generate_output_is_what_pelicans_run_calls(tmp_path):
    from pelican import Pelican, signals

    settings = _settings(tmp_path)
    (Path(settings["PATH"]) / "a.md").write_text("Title: Un titre\nDate: 2019-11-01\n\nLe corps.\n",
                                                  encoding="utf-8")
    calls = []

    def noting(name):
        def wrapper(method):
            def generate_output(writer):
                calls.append((name, type(writer).__name__))
                return method(writer)
            return generate_output
        return wrapper

    def wrap_all(generators):
        for generator in generators:
            wrap_generate_output(generator, noting(type(generator).__name__))

    with pelican_effects_undone():
        signals.all_generators_finalized.connect(wrap_all)
        Pelican(settings).run()
    assert ("ArticlesGenerator", "Writer") in calls
    assert (tmp_path / "output" / "un-titre.html").is_file()


def test_urls_kept_computes_each_url_once_while_active(tmp_path):
    article = _article(_settings(tmp_path))
    with urls_kept():
        assert article.url == "un-titre.html"
        article.slug = "autre"
        assert article.url == "un-titre.html"
    assert article.url == "autre.html"


def test_forget_templates_loads_an_edited_or_shadowed_template_again(tmp_path):
    from pelican.generators import Generator

    theme, overrides = tmp_path / "theme", tmp_path / "overrides"
    (theme / "templates").mkdir(parents=True)
    overrides.mkdir()
    page = theme / "templates" / "page.html"
    page.write_text("avant", encoding="utf-8")
    settings = _settings(tmp_path, THEME=str(theme), THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    generator = Generator({}, settings, settings["PATH"], str(theme), str(tmp_path / "output"))
    assert generator.get_template("page").render() == "avant"
    page.write_text("après", encoding="utf-8")
    forget_templates(generator)
    assert generator.get_template("page").render() == "après"
    (overrides / "page.html").write_text("remplacé", encoding="utf-8")
    forget_templates(generator)
    assert generator.get_template("page").render() == "remplacé"
