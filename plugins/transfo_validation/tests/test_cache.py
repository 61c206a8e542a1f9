"""The validation cache: a warm check equals a cold one, and every input it depends on invalidates it."""

from __future__ import annotations

import os
from pathlib import Path
from types import MethodType, SimpleNamespace

import pytest
from pelican import signals
from pelican.settings import read_settings as pelican_settings
from PIL import Image
from transfo_images.fields import image_extensions
from transfo_validation import cache, check, plugin
from transfo_validation.core_schema import article_kind
from transfo_validation.schema import KindExtension, merge
from transfo_validation.settings import ValidationSettingsError, read_settings
from transfo_validation.signals import content_kinds

ARTICLE = """Title: {title}
Date: 2019-11-14 09:30
Category: {category}
Summary: Un chapô.
Featured: oui
Image: images/a.jpg
Image_alt: Une photo
Image_focus: 30% 40%

Un texte.

![Un graphique](images/b.png)
"""


def article(title="Un titre", category="Analyses"):
    return ARTICLE.format(title=title, category=category)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A content tree with two clean articles and one with a problem; settings; a code folder."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    Image.new("RGB", (320, 180), (11, 85, 99)).save(content / "images" / "a.jpg")
    Image.new("RGB", (40, 30), (232, 131, 58)).save(content / "images" / "b.png")
    (content / "articles").mkdir()
    (content / "articles" / "un.md").write_text(article("Un"), encoding="utf-8")
    (content / "articles" / "deux.md").write_text(article("Deux", "Portraits"), encoding="utf-8")
    (content / "articles" / "faux.md").write_text(article("Faux", "Sport"), encoding="utf-8")
    code = tmp_path / "plugins" / "transfo_x"
    code.mkdir(parents=True)
    write_code(code / "__init__.py", "RULE = 1\n")
    return SimpleNamespace(content=content, code=code, settings={
        "PATH": str(content), "CACHE_PATH": str(tmp_path / "cache"),
        "ARTICLE_PATHS": ["articles"], "PLUGIN_PATHS": [str(tmp_path / "plugins")],
    })


def write_code(path: Path, text: str) -> None:
    """A plugin file as it is before the process starts (the code it runs)."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, (cache.LOADED_AT - 60, cache.LOADED_AT - 60))


def kinds_of(settings, extra=()):
    return merge([article_kind(read_settings(settings)),
                  *image_extensions(settings, ("article",)), *extra])


def run(site, settings=None, extra=()):
    """One check of the tree as check_site does it, with the cache; the problems as printed."""
    settings = settings or site.settings
    kinds = kinds_of(settings, extra)
    cfg = read_settings(settings)
    setup = cache.setup_key(settings, kinds, [site.code])
    documents, problems = check.check_files(kinds, cfg.content_root, cfg.cache_file, setup)
    values = {doc.path: doc.values for doc in documents["article"]}
    return sorted(map(str, problems)), values


@pytest.fixture
def checked(monkeypatch):
    """The paths that were really checked (not taken from the cache) in each run."""
    seen: list[str] = []
    real = check.validate

    def counting(text, shown, kind, context):
        seen.append(shown)
        return real(text, shown, kind, context)

    monkeypatch.setattr(check, "validate", counting)
    return seen


def test_warm_check_equals_cold_check_and_skips_clean_files(site, checked):
    cold = run(site)
    assert cold[0] == ["content/articles/faux.md:3: Category: « Sport » inconnu ; attendu : une "
                       "valeur parmi Actualités, Analyses, Portraits, Dossiers"]
    assert cold[1]["content/articles/un.md"]["featured"] is True
    checked.clear()
    warm = run(site)
    assert warm == cold
    assert checked == ["content/articles/faux.md"]  # a file with problems is never stored


def test_editing_a_file_invalidates_its_result(site, checked):
    run(site)
    (site.content / "articles" / "un.md").write_text(article("Un", "Sports"), encoding="utf-8")
    checked.clear()
    problems, values = run(site)
    assert "content/articles/un.md" in checked and "content/articles/deux.md" not in checked
    assert any(p.startswith("content/articles/un.md:3: Category: « Sports » inconnu") for p in problems)
    assert "content/articles/un.md" not in values


def test_a_setting_read_by_a_field_invalidates(site):
    run(site)
    settings = {**site.settings, "TRANSFO_RUBRICS": ["Actualités", "Analyses", "Sport"]}
    problems, _values = run(site, settings)
    assert any(p.startswith("content/articles/deux.md:3: Category: « Portraits » inconnu")
               for p in problems)
    assert not any("faux.md" in p for p in problems)


def test_a_new_build_date_keeps_the_results(site, checked):
    run(site, {**site.settings, "TRANSFO_NOW": "2019-11-30", "TRANSFO_RESOLVED_NOW": "2019-11-30T23:59"})
    checked.clear()
    run(site, {**site.settings, "TRANSFO_NOW": "2019-12-01", "TRANSFO_RESOLVED_NOW": "2019-12-01T23:59"})
    assert checked == ["content/articles/faux.md"]  # the daily publish checks no clean file again


def test_a_plugin_extension_invalidates(site):
    run(site)

    def no_featured(doc):
        if doc.values.get("featured"):
            yield doc.problem("featured", "à la une interdit ; attendu : non")

    problems, _values = run(site, extra=[KindExtension(kind="article", rules=(no_featured,))])
    assert "content/articles/un.md:5: Featured: à la une interdit ; attendu : non" in problems


def test_a_change_of_the_checks_code_invalidates(site):
    settings, kinds = site.settings, kinds_of(site.settings)
    before = cache.setup_key(settings, kinds, [site.code])
    write_code(site.code / "rules.py", "RULE = 2\n")
    assert cache.setup_key(settings, kinds, [site.code]) != before


def test_no_cache_when_the_code_changed_after_the_process_started(site):
    """`invoke regenerate` runs the code it loaded, not the code now on disk."""
    (site.code / "rules.py").write_text("RULE = 3\n", encoding="utf-8")
    with pytest.raises(cache.Unstable, match="rules.py"):
        cache.setup_key(site.settings, kinds_of(site.settings), [site.code])


@pytest.mark.parametrize("image", ["a.jpg", "b.png"])
def test_replacing_an_image_by_an_undecodable_one_invalidates(site, image):
    run(site)
    path = site.content / "images" / image
    stat = path.stat()
    path.write_bytes(b"x" * stat.st_size)  # same size, and the same modification time:
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    problems, _values = run(site)
    expected = {"a.jpg": ": Image: « images/a.jpg » : ",
                "b.png": ": corps: image « images/b.png » : "}[image]
    for name in ("un", "deux"):
        assert any(p.startswith(f"content/articles/{name}.md") and expected in p for p in problems)


def test_an_image_appearing_where_it_is_looked_for_first_invalidates(site):
    """`![](b.png)` is looked for below content/, then beside the file."""
    text = article("Un").replace("images/b.png", "b.png")
    (site.content / "articles" / "un.md").write_text(text, encoding="utf-8")
    Image.new("RGB", (4, 3)).save(site.content / "articles" / "b.png")
    assert not any("un.md" in p for p in run(site)[0])
    (site.content / "b.png").write_bytes(b"not a png")
    assert any(p.startswith("content/articles/un.md:") and ": corps: image « b.png » : " in p for p in run(site)[0])


def test_type_values_uses_the_checked_values(site):
    _problems, values = run(site)
    kinds = kinds_of(site.settings)
    path = site.content / "articles" / "un.md"
    doc = next(d for d in check.check_files(kinds, site.content)[0]["article"] if d.path.endswith("un.md"))
    doc.values["image_focus"] = "from the check"  # proves where the value comes from
    checked = plugin.Checked(kinds, site.content.resolve(), {("article", str(path)): (doc.raw.fields, doc.values)})
    metadata = {"image_focus": "30% 40%", "featured": "oui", "image": "images/a.jpg"}
    instance = SimpleNamespace(settings=site.settings, source_path=str(path), metadata=metadata)
    checked.type_values(instance)
    assert instance.image_focus == "from the check"
    assert instance.featured is values["content/articles/un.md"]["featured"] is True
    metadata["featured"] = "non"  # Pelican's text differs from the checked one: parsed again
    checked.type_values(instance)
    assert instance.featured is False


def test_the_cache_setting(site):
    assert read_settings(site.settings).cache_file.parent == Path(site.settings["CACHE_PATH"],
                                                                   "transfo_validation")
    assert read_settings({**site.settings, "TRANSFO_VALIDATION_CACHE": False}).cache_file is None
    with pytest.raises(ValidationSettingsError, match="TRANSFO_VALIDATION_CACHE"):
        read_settings({**site.settings, "TRANSFO_VALIDATION_CACHE": "non"})


def test_canonical_text_is_stable_or_refused():
    assert cache.canonical({"b": (1, 2), "a": {3}}) == cache.canonical({"a": {3}, "b": (1, 2)})
    assert cache.canonical(lambda x: x + 1) != cache.canonical(lambda x: x + 2)
    with pytest.raises(cache.Unstable):
        cache.canonical(iter(()))


def test_read_text_matches_path_read_text(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes("\ufeffTitle: É\r\nSummary: x\r\r\nCorps\r".encode())
    assert check.read_text(path.read_bytes()) == path.read_text(encoding="utf-8")


def test_only_the_most_recently_used_cache_files_stay(tmp_path):
    for number in range(5):
        cache.save(tmp_path / f"{number}.pickle", "setup", {})
        os.utime(tmp_path / f"{number}.pickle", (number, number))
    cache.touch(tmp_path / "0.pickle")
    cache.prune(tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pickle", "3.pickle", "4.pickle"]


def test_a_builds_check_types_that_builds_objects_and_goes_with_it(site):
    """check_before_build connects the check's receiver to content_object_init; it leaves at the
    build's end (finalized), so nothing is typed afterwards with that build's check."""
    (site.content / "articles" / "faux.md").unlink()
    settings = pelican_settings(override=site.settings)
    generator = SimpleNamespace(settings=settings, context={})
    for declare in (plugin.core_kinds, image_extensions):
        content_kinds.connect(declare)
    try:
        plugin.check_before_build(generator)
    finally:
        for declare in (plugin.core_kinds, image_extensions):
            content_kinds.disconnect(declare)
    checked = generator.context[plugin.CHECKED]
    article = SimpleNamespace(settings=settings, source_path=str(site.content / "articles" / "un.md"),
                              metadata={"featured": "oui"})
    signals.content_object_init.send(article)
    assert article.featured is True
    assert any(receiver() == checked.type_values for receiver in signals.content_object_init.receivers.values())
    signals.finalized.send(SimpleNamespace(settings=settings))
    assert not any(isinstance(receiver(), MethodType) and isinstance(receiver().__self__, plugin.Checked)
                   for receiver in [*signals.content_object_init.receivers.values(),
                                    *signals.finalized.receivers.values()])
    later = SimpleNamespace(settings=settings, source_path=article.source_path, metadata={"featured": "oui"})
    signals.content_object_init.send(later)
    assert not hasattr(later, "featured")


def test_check_paths_finds_in_the_named_files_what_the_whole_check_finds(site, checked):
    """The resident preview's check of the files an edit changed: their header and body
    problems, as check_files words them; the other files are not read; files of no kind are left out."""
    hostile = site.content / "articles" / "hostile.md"
    hostile.write_text(article("Hostile") + "\n[ici](javascript:alert(1))\n", encoding="utf-8")
    settings = pelican_settings(override=site.settings)
    for declare in (plugin.core_kinds, image_extensions):
        content_kinds.connect(declare)
    try:
        whole = sorted(map(str, check.check_site(settings)[1]))
        checked.clear()
        named = [str(site.content / "articles" / name) for name in ("un.md", "faux.md", "hostile.md")]
        found = sorted(map(str, check.check_paths(settings, [*named, str(site.content / "images" / "a.jpg")])))
        read = sorted(checked)
        (site.content.parent / "via").symlink_to(site.content)  # the folder as a link names it (macOS' /tmp)
        through_link = check.check_paths(settings, [str(site.content.parent / "via" / "articles" / "hostile.md")])
        direct = check.check_paths(settings, [named[2]])
    finally:
        for declare in (plugin.core_kinds, image_extensions):
            content_kinds.disconnect(declare)
    assert found == whole and len(found) == 2
    assert any("hostile.md" in line and "javascript:alert(1" in line for line in found)
    assert read == ["content/articles/faux.md", "content/articles/hostile.md", "content/articles/un.md"]
    assert [problem.message for problem in through_link] == [problem.message for problem in direct] != []
