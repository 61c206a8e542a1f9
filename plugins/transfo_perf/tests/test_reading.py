"""The pre-parsing reader returns exactly what Pelican's reader returns, warnings included."""

import logging
import sys
import time
from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category, Tag
from transfo_common.files import SETTLED_NS
from transfo_perf.reading import Preparser, dropped_field_marker

ARTICLE = """Title: Coopérative « alpha »
Date: 2019-11-14 09:30
Category: Analyses
Tags: énergie, coopératives
Summary: Une *coopérative* qui dure.

## Un titre

Texte avec [un lien](https://example.be) ; et une liste :

- un
- deux
"""


def _settings(root):
    settings = dict(DEFAULT_CONFIG)
    settings["PATH"] = str(root)
    settings["MARKDOWN"] = {"extension_configs": {"markdown.extensions.extra": {},
                                                  "markdown.extensions.toc": {}},
                            "output_format": "html5"}
    return settings


def _corpus(root, count=12):
    paths = []
    for number in range(count):
        path = root / "articles" / f"a{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE.replace("alpha", f"alpha {number}"), encoding="utf-8")
        paths.append(path)
    return paths


def _read_all(reader_cls, settings, paths):
    reader = reader_cls(settings)
    return [reader.read(str(path)) for path in paths]


def test_parallel_results_equal_pelicans(tmp_path):
    paths = _corpus(tmp_path)
    settings = _settings(tmp_path)
    expected = _read_all(MarkdownReader, settings, paths)
    preparser = Preparser(settings, workers=2, cache_dir=None)
    got = _read_all(preparser.wrap(MarkdownReader), settings, paths)
    assert got == expected
    content, metadata = got[0]
    assert isinstance(metadata["category"], Category) and metadata["category"].settings is settings
    assert all(isinstance(tag, Tag) for tag in metadata["tags"])
    assert preparser.misses == len(paths)


def test_wrapped_reader_keeps_the_base_name(tmp_path):
    wrapped = Preparser(_settings(tmp_path), 1, None).wrap(MarkdownReader)
    assert wrapped.__name__ == "MarkdownReader" and issubclass(wrapped, MarkdownReader)


def test_cache_serves_unchanged_files_and_reparses_changed_ones(tmp_path):
    paths = _corpus(tmp_path / "content", 6)
    settings = _settings(tmp_path / "content")
    cache = tmp_path / "cache"
    first = Preparser(settings, 2, cache)
    _read_all(first.wrap(MarkdownReader), settings, paths)
    first.save()
    paths[0].write_text(ARTICLE.replace("Un titre", "Un autre titre"), encoding="utf-8")
    second = Preparser(settings, 2, cache)
    got = _read_all(second.wrap(MarkdownReader), settings, paths)
    assert (second.hits, second.misses) == (5, 1)
    assert "Un autre titre" in got[0][0]
    assert got == _read_all(MarkdownReader, settings, paths)


def test_a_changed_setting_misses_the_cache(tmp_path):
    paths = _corpus(tmp_path / "content", 3)
    settings = _settings(tmp_path / "content")
    first = Preparser(settings, 1, tmp_path / "cache")
    _read_all(first.wrap(MarkdownReader), settings, paths)
    first.save()
    changed = {**settings, "MARKDOWN": {**settings["MARKDOWN"], "output_format": "xhtml"}}
    second = Preparser(changed, 1, tmp_path / "cache")
    _read_all(second.wrap(MarkdownReader), changed, paths)
    assert second.hits == 0 and second.misses == 3


def test_a_worker_warning_is_logged_when_pelican_reads_the_file(tmp_path, caplog):
    paths = _corpus(tmp_path, 8)
    paths[3].write_text("Title: Un\nDate: 2019-01-01\nDate: 2019-01-02\n\nTexte.\n", encoding="utf-8")
    settings = _settings(tmp_path)
    preparser = Preparser(settings, 2, None)
    reader = preparser.wrap(MarkdownReader)(settings)
    with caplog.at_level(logging.WARNING):
        for path in paths[:3]:
            reader.read(str(path))
        assert not any("Duplicate definition" in r.getMessage() for r in caplog.records)
        reader.read(str(paths[3]))
    assert any("Duplicate definition of `date`" in r.getMessage() for r in caplog.records)


def test_an_image_named_by_several_files_is_part_of_each_files_key(tmp_path):
    """Each build hashes a named file once, whichever process keys the texts that name it."""
    paths = _corpus(tmp_path / "content", 8)
    image = tmp_path / "content" / "images" / "photo.jpg"
    image.parent.mkdir()
    image.write_bytes(b"first photo")
    for path in paths[:6]:
        path.write_text(path.read_text(encoding="utf-8") + "\n![Une photo]({static}/images/photo.jpg)\n",
                        encoding="utf-8")
    settings = _settings(tmp_path / "content")
    cache = tmp_path / "cache"
    first = Preparser(settings, 2, cache)
    _read_all(first.wrap(MarkdownReader), settings, paths)
    first.save()
    image.write_bytes(b"other photo")
    second = Preparser(settings, 2, cache)
    _read_all(second.wrap(MarkdownReader), settings, paths)
    assert (second.hits, second.misses) == (2, 6)


_opened: list[str] | None = None  # while a test listens: the paths opened in this process


def _note_open(event, args):
    if event == "open" and _opened is not None and isinstance(args[0], str):
        _opened.append(args[0])


sys.addaudithook(_note_open)  # a hook cannot be removed: it listens only while `_opened` is a list


def test_a_named_photo_is_read_again_only_when_it_is_no_longer_as_it_was(tmp_path):
    """Every build keyed each text on the bytes of the photos it names, read again each time: 600
    phone photos (1.5 GB) cost every build, a one-line edit's included, ~0.4 s of processor."""
    paths = _corpus(tmp_path / "content", 4)
    photos = tmp_path / "content" / "images"
    photos.mkdir()
    for number, path in enumerate(paths):
        (photos / f"p{number}.jpg").write_bytes(b"photo %d" % number)
        path.write_text(path.read_text(encoding="utf-8").replace("Summary:", f"Image: images/p{number}.jpg\nSummary:"),
                        encoding="utf-8")
    time.sleep(SETTLED_NS / 1e9 + 0.05)  # a file written within the last second is never trusted
    settings, cache = _settings(tmp_path / "content"), tmp_path / "cache"

    def build():
        global _opened
        _opened = []
        try:
            preparser = Preparser(settings, 1, cache)
            _read_all(preparser.wrap(MarkdownReader), settings, paths)
            preparser.save()
        finally:
            opened, _opened = _opened, None
        return preparser, sorted(Path(name).name for name in opened if "/images/" in name)

    assert build()[1] == ["p0.jpg", "p1.jpg", "p2.jpg", "p3.jpg"]
    assert build()[1] == []
    (photos / "p2.jpg").write_bytes(b"photo 2, retouched")  # same size or not: its change time moves
    preparser, opened = build()
    assert opened == ["p2.jpg"] and (preparser.hits, preparser.misses) == (3, 1)

EMPTY_FIELDS = """Title: Brouillon {number}
Date: 2019-11-14 09:30
Category: Analyses
Tags:
Slug:
Authors:
Status:
Summary: Les lignes vides du modèle de `invoke new`.

Texte {number}.
"""


def _empty_fields_corpus(root, count):
    paths = []
    for number in range(count):
        path = root / "articles" / f"vide-{number:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(EMPTY_FIELDS.format(number=number), encoding="utf-8")
        paths.append(path)
    return paths


def _read_through_pelican(settings, paths, preparser=None):
    """Each file as Pelican's `Readers.read_file` returns it: metadata after Pelican's own filtering."""
    from pelican.readers import Readers

    readers = Readers(settings)
    if preparser is not None:
        readers.readers["md"] = preparser.wrap(MarkdownReader)(settings)
    found = []
    for path in paths:
        page = readers.read_file(str(path.parent), path.name)
        found.append((page.content, {k: v for k, v in page.metadata.items() if k != "reader"}))
    return found


def test_pelican_drops_an_empty_field_with_the_marker_its_reader_returns(tmp_path):
    """Contract with Pelican: an empty Slug comes out of the reader as the marker, and read_file drops it."""
    (path,) = _empty_fields_corpus(tmp_path, 1)
    settings = _settings(tmp_path)
    reader = MarkdownReader(settings)
    _content, raw = reader.read(str(path))
    marker = dropped_field_marker(reader)
    assert raw["slug"] is marker and raw["tags"] is marker and type(marker) is object
    ((_, metadata),) = _read_through_pelican(settings, [path])
    assert not {"slug", "tags", "authors", "status"} & metadata.keys()


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("cached", [False, True])
def test_empty_fields_are_dropped_whichever_process_parses_the_file(tmp_path, workers, cached):
    """Every share of the work (this process and each forked one, and the disk cache) holds such files."""
    paths = _empty_fields_corpus(tmp_path / "content", 4 * max(workers, 2) + 1)
    settings = _settings(tmp_path / "content")
    expected = _read_through_pelican(settings, paths)
    cache = tmp_path / "cache" if cached else None
    first = Preparser(settings, workers=workers, cache_dir=cache)
    assert _read_through_pelican(settings, paths, first) == expected
    first.save()
    if cached:  # a second build takes every result from the disk cache
        again = Preparser(settings, workers=workers, cache_dir=cache)
        assert _read_through_pelican(settings, paths, again) == expected
        assert again.hits == len(paths)
    assert all("tags" not in metadata and "slug" not in metadata for _, metadata in expected)


def test_the_setup_key_follows_the_plugins_bytes_not_their_times(tmp_path):
    """A fresh clone gives every file a new time: parsed texts are still found in the store. A
    large file of the plugins (the share cards' fonts) is read for its bytes, like the code."""
    import os

    from transfo_perf.reading import setup_key

    plugins = tmp_path / "plugins"
    (plugins / "fonts").mkdir(parents=True)
    font = plugins / "fonts" / "lettres.ttf"
    font.write_bytes(bytes(range(256)) * 1024)  # 256 KiB, above HASHED_MAX_BYTES
    (plugins / "code.py").write_text("X = 1\n", encoding="utf-8")
    settings = {**_settings(tmp_path), "PLUGIN_PATHS": [str(plugins)]}
    first = setup_key(settings, MarkdownReader)
    for path in (font, plugins / "code.py"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert setup_key(settings, MarkdownReader) == first
    font.write_bytes(bytes(range(256)) * 1023 + bytes(reversed(range(256))))  # same size, other bytes
    os.utime(font, ns=(1_000_000_000, 1_000_000_000))
    assert setup_key(settings, MarkdownReader) != first
