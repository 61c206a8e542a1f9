import subprocess
import sys

import jinja2
from jinja2 import select_autoescape
from transfo_common.files import tree_fingerprint
from transfo_perf.fingerprint import canonical, settings_fingerprint
from transfo_perf.reading import references_key
from transfo_perf.templates import environment_fingerprint


def test_canonical_is_the_same_in_another_process():
    code = ("from transfo_perf.fingerprint import canonical; "
            "from jinja2 import select_autoescape; "
            "print(canonical({'b': [1, {2}], 'a': select_autoescape(['html']), 'c': object}))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)}
    assert len(runs) == 1
    assert canonical({"b": [1, {2}], "a": select_autoescape(["html"]), "c": object}) == runs.pop().strip()


def test_canonical_sees_what_a_closure_captured():
    assert canonical(select_autoescape(["html"])) != canonical(select_autoescape(["xml"]))


def test_private_state_does_not_change_the_settings_fingerprint():
    base = {"SITENAME": "Transfo"}
    assert settings_fingerprint(base) == settings_fingerprint({**base, "_TRANSFO_PERF_STATE": object()})
    assert settings_fingerprint(base) != settings_fingerprint({"SITENAME": "Transfo 2"})


def test_the_build_date_is_left_to_those_who_need_it():
    base = {"SITENAME": "Transfo", "TRANSFO_NOW": "2019-11-30", "TRANSFO_RESOLVED_NOW": "2019-11-30T23:59"}
    next_day = {**base, "TRANSFO_NOW": "2019-12-01", "TRANSFO_RESOLVED_NOW": "2019-12-01T23:59"}
    assert settings_fingerprint(base) == settings_fingerprint(next_day)


def test_tree_fingerprint_sees_content_and_names(tmp_path):
    (tmp_path / "a.md").write_text("un", encoding="utf-8")
    first = tree_fingerprint(tmp_path)
    (tmp_path / "a.md").write_text("deux", encoding="utf-8")
    second = tree_fingerprint(tmp_path)
    (tmp_path / "b.md").write_text("", encoding="utf-8")
    assert len({first, second, tree_fingerprint(tmp_path)}) == 3


def test_references_key_follows_the_named_image(tmp_path):
    (tmp_path / "images").mkdir()
    text = "Image: images/x.jpg\n\n![alt]({static}/images/y.png)"
    source = tmp_path / "articles" / "a.md"
    absent = references_key(text, source, tmp_path)
    (tmp_path / "images" / "x.jpg").write_bytes(b"1")
    one = references_key(text, source, tmp_path)
    (tmp_path / "images" / "x.jpg").write_bytes(b"2")
    two = references_key(text, source, tmp_path)
    (tmp_path / "images" / "y.png").write_bytes(b"3")
    assert len({absent, one, two, references_key(text, source, tmp_path)}) == 4


def test_environment_fingerprint_sees_compile_options():
    plain = jinja2.Environment()
    i18n = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    newstyle = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    newstyle.install_null_translations(newstyle=True)
    trimmed = jinja2.Environment(trim_blocks=True)
    prints = {environment_fingerprint(e) for e in (plain, i18n, newstyle, trimmed)}
    assert len(prints) == 4
    assert environment_fingerprint(jinja2.Environment()) == environment_fingerprint(plain)


def test_code_modified_after_loading_is_detected(tmp_path, monkeypatch):
    import os
    import types

    from transfo_perf.incremental import code_changed_since

    source = tmp_path / "plug.py"
    source.write_text("x = 1\n", encoding="utf-8")
    module = types.ModuleType("transfo_perf_test_plug")
    module.__file__ = str(source)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    os.utime(source, (1000, 1000))
    assert not code_changed_since(2000, [str(tmp_path)])
    os.utime(source, (3000, 3000))
    assert code_changed_since(2000, [str(tmp_path)])
    assert not code_changed_since(2000, [str(tmp_path / "elsewhere")])
