import os

import pytest
from transfo_common import files
from transfo_common.files import write_if_changed
from transfo_common.urls import PublicUrlError, absolute, public_url


def test_write_if_changed_keeps_untouched_files(tmp_path):
    target = tmp_path / "a" / "b.txt"
    assert write_if_changed(target, b"un")
    os.utime(target, (1, 1))
    assert not write_if_changed(target, b"un")
    assert target.stat().st_mtime == 1
    assert write_if_changed(target, b"deux")
    assert target.read_bytes() == b"deux"


def test_absolute_urls():
    settings = {"PUBLIC_URL": "https://www.economiesociale.be/transfo/"}
    assert public_url(settings) == "https://www.economiesociale.be/transfo"
    assert absolute(settings, "/2019/11/a/") == "https://www.economiesociale.be/transfo/2019/11/a/"
    assert absolute(settings, "https://autre.be/x") == "https://autre.be/x"
    with pytest.raises(PublicUrlError, match="PUBLIC_URL"):
        public_url({"SITEURL": ""})


def test_files_of_a_folder_that_is_gone_are_pruned(tmp_path):
    cache, kept, gone = tmp_path / "cache", tmp_path / "kept", tmp_path / "gone"
    cache.mkdir()
    kept.mkdir()
    gone.mkdir()
    for name, folder in (("record-a.json", kept), ("record-b.json", gone), ("parsed-c.pickle", gone)):
        (cache / name).write_text("x", encoding="utf-8")
        files.note_owner(cache / name, folder)
    (cache / "record-b.json.123.tmp").write_text("x", encoding="utf-8")  # left by a build that died
    (cache / "unnoted.json").write_text("x", encoding="utf-8")
    assert files.prune_orphans(cache) == []
    gone.rmdir()
    assert {path.name for path in files.prune_orphans(cache)} == {
        "record-b.json", "record-b.for", "record-b.json.123.tmp", "parsed-c.pickle", "parsed-c.for"}
    assert sorted(path.name for path in cache.iterdir()) == ["record-a.for", "record-a.json", "unnoted.json"]


def test_derived_values_are_set_and_can_be_computed_again():
    from types import SimpleNamespace

    from transfo_common import derived

    seen = []

    def length(obj):
        seen.append(derived.is_deriving())
        return len(obj.body)

    obj = SimpleNamespace(body="abc")
    derived.set_derived(obj, "length", length)
    assert obj.length == 3 and seen == [True] and not derived.is_deriving()
    obj.body = "abcdef"
    assert derived.derivers()["length"](obj) == 6


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    import errno
    import resource
    import signal
    import subprocess
    import sys

    from transfo_common.files import remove_leftovers
    from transfo_common.output import write_failure

    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    script = ("from transfo_common.files import write_atomically\n"
              f"write_atomically({str(target)!r}, b'x' * 100000)")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=limit)
    assert "File too large" in result.stderr and str(target) in result.stderr
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".x.jpg.12.tmp").write_bytes(b"half")
    assert remove_leftovers(tmp_path) == 1 and not (tmp_path / "sub" / ".x.jpg.12.tmp").exists()
    line = write_failure(OSError(errno.ENOSPC, "No space left on device", str(target)), tmp_path)
    assert line.startswith(f"{tmp_path}: écriture impossible ({target}) : disque plein")


def test_one_build_at_a_time_per_output_folder(tmp_path):
    import subprocess
    import sys

    from transfo_common.locking import OutputBusy, lock_path, output_lock

    output = tmp_path / "out"
    script = ("from transfo_common.locking import output_lock\n"
              f"with output_lock({str(output)!r}): print('got it')")
    with output_lock(output) as path:
        assert path == lock_path(output) == tmp_path / ".out.lock" and path.exists()
        other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert "OutputBusy" in other.stderr and "une autre construction" in other.stderr
        with pytest.raises(OutputBusy):
            with output_lock(output):
                pass
    assert not lock_path(output).exists()
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert again.stdout.strip() == "got it"


def test_a_template_failure_is_one_line_naming_the_template_its_line_and_the_page(tmp_path):
    import pickle

    import jinja2
    from transfo_common.output import template_failure, template_failures_said

    (tmp_path / "broken.html").write_text("<p>\n{{ oops(</p>", encoding="utf-8")
    (tmp_path / "base.html").write_text("<main>\n{% block content %}{% endblock %}</main>", encoding="utf-8")
    (tmp_path / "tag.html").write_text('{% extends "base.html" %}\n{% block content %}\n\n{{ missing.title }}'
                                       "{% endblock %}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.TemplateSyntaxError) as syntax:
        env.get_template("broken.html")
    line = str(template_failure(syntax.value))
    assert line.startswith(f"{tmp_path / 'broken.html'}, ligne 2 : erreur de gabarit : ") and "\n" not in line
    with pytest.raises(jinja2.UndefinedError) as undefined:
        env.get_template("tag.html").render()
    failure = template_failure(undefined.value, "sujet/climat/index.html")
    expected = f"{tmp_path / 'tag.html'}, ligne 4 : erreur de gabarit (page sujet/climat/index.html) : "
    assert str(failure).startswith(expected)
    assert "'missing' is undefined" in str(failure) and failure.exitcode == 1
    assert str(pickle.loads(pickle.dumps(failure))) == str(failure)  # it crosses back from a render process
    with pytest.raises(type(failure), match="ligne 2 : erreur de gabarit"), template_failures_said():
        env.get_template("broken.html")
