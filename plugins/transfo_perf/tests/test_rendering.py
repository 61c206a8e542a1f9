import os

import jinja2
import pytest
from pelican.writers import FileOverwriteFailedError
from transfo_common import written
from transfo_perf.rendering import QueueingWriter, files_from_record, files_record, relative_files, render_all


def _writer(tmp_path):
    return QueueingWriter(str(tmp_path), settings={"RELATIVE_URLS": False, "PAGINATED_TEMPLATES": {}})


def _template(text="{{ title }}"):
    return jinja2.Environment().from_string(text)


def test_pages_are_queued_then_rendered_on_two_processes(tmp_path):
    writer = _writer(tmp_path)
    seen = []
    for number in range(120):
        writer.write_file(f"p/{number}.html", _template("Page {{ n }} (pid {{ pid() }})"),
                          {"pid": os.getpid}, n=number)
        seen.append(f"p/{number}.html")
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())  # nothing rendered yet
    jobs = writer.take_queue()
    assert [job.name for job in jobs] == seen
    rendered = render_all(jobs, workers=2, changed_only=True)
    assert set(rendered.reads) == set(seen)
    texts = [(tmp_path / name).read_text(encoding="utf-8") for name in seen]
    assert all(text.startswith(f"Page {n} ") for n, text in enumerate(texts))
    assert len({text.split("pid ")[1] for text in texts}) == 2  # both processes wrote pages


def test_files_pages_write_besides_themselves_in_other_processes_reach_the_builds_list(tmp_path):
    """An image a page publishes as it renders, in a forked process, is one of the build's files
    (transfo_output removes what is not)."""
    writer = _writer(tmp_path)

    def publish(name):
        (tmp_path / name).write_bytes(b"image")
        written.note(str(tmp_path / name))
        return os.getpid()

    for number in range(120):
        writer.write_file(f"p/{number}.html", _template("{{ publish(n ~ '.jpg') }}"), {"publish": publish}, n=number)
    written.start(str(tmp_path))
    try:
        rendered = render_all(writer.take_queue(), workers=2, changed_only=True)
    finally:
        listed = written.finish(str(tmp_path))
    pids = {(tmp_path / f"p/{number}.html").read_text(encoding="utf-8") for number in range(120)}
    assert len(pids) == 2  # half of them in a forked process
    assert listed == {f"{number}.jpg" for number in range(120)}
    assert relative_files(str(tmp_path), rendered.files) == {f"p/{n}.html": (f"{n}.jpg",) for n in range(120)}


def test_each_pages_files_are_recorded_once_and_read_back():
    files = {"a/index.html": ("media/a.webp", "media/share/a.jpg"), "index.html": ("media/a.webp",), "b.html": ()}
    record = files_record(files)
    assert record["files"] == ["media/a.webp", "media/share/a.jpg"]  # each name once, whatever shows it
    assert files_from_record(record) == files
    assert files_from_record({"files": record["files"]}) is None  # an older record: pages' files unknown
    assert files_from_record({**record, "page_files": {"a/index.html": [7]}}) is None  # damaged


def test_after_the_queue_is_taken_pages_render_at_once(tmp_path):
    writer = _writer(tmp_path)
    writer.take_queue()
    writer.write_file("late.html", _template(), {}, title="Tard")
    assert (tmp_path / "late.html").read_text(encoding="utf-8") == "Tard"


def test_queueing_keeps_pelicans_rule_against_double_writes(tmp_path):
    writer = _writer(tmp_path)
    writer.write_file("a.html", _template(), {}, title="un")
    with pytest.raises(FileOverwriteFailedError):
        writer.write_file("a.html", _template(), {}, title="deux")


def test_an_override_wins_and_later_writes_are_dropped(tmp_path):
    writer = _writer(tmp_path)
    writer.write_file("b.html", _template(), {}, title="premier")
    writer.write_file("b.html", _template(), {}, title="remplacé", override_output=True)
    writer.write_file("b.html", _template(), {}, title="ignoré")
    render_all(writer.take_queue(), workers=1, changed_only=True)
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == "remplacé"


def test_urls_are_formatted_once_per_object_while_pages_render(monkeypatch):
    import datetime

    from pelican.contents import Article, Content
    from pelican.settings import DEFAULT_CONFIG
    from transfo_perf.rendering import urls_kept

    settings = dict(DEFAULT_CONFIG)
    article = Article("<p>x</p>", metadata={"title": "Un", "date": datetime.datetime(2019, 11, 30)},
                      settings=settings, source_path="/c/un.md", context={})
    other = Article("<p>x</p>", metadata={"title": "Deux", "date": datetime.datetime(2019, 11, 30)},
                    settings=settings, source_path="/c/deux.md", context={})
    calls = []
    original = Content.__dict__["_expand_settings"]
    monkeypatch.setattr(Content, "_expand_settings",
                        lambda obj, key, klass=None: calls.append(key) or original(obj, key, klass))
    with urls_kept():
        urls = {article.url, article.url, other.url}
        assert article.save_as == "un.html"
    assert urls == {"un.html", "deux.html"}
    assert calls == ["url", "url", "save_as"]
    assert article.url == "un.html" and calls[-1] == "url"  # afterwards, Pelican's own method again
    assert len(calls) == 4
