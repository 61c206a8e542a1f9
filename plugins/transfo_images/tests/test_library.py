import logging
import os
import shutil
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from transfo_common import files, reads
from transfo_dossiers.api import Dossier, mark_parts
from transfo_images import cache
from transfo_images.cache import DamagedCacheFile, publish_file, store
from transfo_images.cache import state as cache_state
from transfo_images.library import ImageLibrary, card_kicker
from transfo_images.settings import ImagesSettingsError, read_settings
from transfo_validation.problems import ContentError

from .conftest import photo


def article(content, name, image=None, **extra):
    return SimpleNamespace(title=f"Titre {name}", source_path=str(content / "articles" / f"{name}.md"),
                           image=image, image_alt=f"Alt {name}", **extra)


def files_of(plan):
    return {d.cache_file for d in plan.derivatives}


def test_second_library_encodes_nothing_and_a_changed_image_only_its_own(site):
    content = Path(site["PATH"])
    photo_dir = content / "images"
    photo(photo_dir / "a.jpg", size=(1700, 1000))
    photo(photo_dir / "b.jpg", size=(900, 600))
    objects = [article(content, "a", "images/a.jpg"), article(content, "b", "images/b.jpg"),
               article(content, "c")]
    first = ImageLibrary(site)
    first.prepare(objects, home_title="Accueil")
    formats = len(first.cfg.formats)
    # a: 400, 800, 1200, 1600; b: 400, 800, 900; plus two crops and two cards (c, home).
    assert first.encoded == (4 + 3) * formats + 4
    assert first.reused == 0

    second = ImageLibrary(site)
    second.prepare(objects, home_title="Accueil")
    assert second.encoded == 0
    assert second.reused == first.encoded

    photo(photo_dir / "b.jpg", size=(900, 600), box=(0, 0, 50, 50))  # b changes
    third = ImageLibrary(site)
    third.prepare(objects, home_title="Accueil")
    assert third.encoded == 3 * formats + 1  # b's derivatives and its share crop
    assert files_of(third.plan("images/a.jpg")) == files_of(first.plan("images/a.jpg"))


def test_the_next_build_trusts_what_it_kept_of_images_and_cache_files_only_while_they_are_as_they_were(
        site, monkeypatch, caplog):
    monkeypatch.setattr(files, "SETTLED_NS", 0)  # the files below are settled once written
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(1700, 1000))
    photo(content / "images" / "b.jpg", size=(900, 600))
    objects = [article(content, "a", "images/a.jpg"), article(content, "b", "images/b.jpg")]
    time.sleep(0.05)
    first = ImageLibrary(site)
    first.prepare(objects)
    time.sleep(0.05)
    kept = ImageLibrary(site)  # the next build: kept facts, kept intact cache files
    kept.prepare(objects)
    assert kept.encoded == 0 and kept.reused == first.encoded
    assert kept.plan("images/a.jpg") == first.plan("images/a.jpg")

    photo(content / "images" / "a.jpg", size=(1000, 1700))  # replaced by an upright photo
    derivative = first.plan("images/b.jpg").derivatives[0]
    derivative.cache_file.write_bytes(b"abime")  # a cache file damaged
    time.sleep(0.05)
    changed = ImageLibrary(site)
    changed.prepare(objects)
    assert changed.plan("images/a.jpg").source_size == (1000, 1700)
    assert changed.plan("images/a.jpg").sha != first.plan("images/a.jpg").sha
    assert derivative.cache_file.read_bytes() != b"abime"
    assert changed.encoded == 1 + len(changed.plan("images/a.jpg").derivatives) + 1  # b's file, a's and its crop

    time.sleep(0.05)
    ImageLibrary(site).prepare(objects)  # finds the new file intact, and keeps that
    cache.note_of(derivative.cache_file).unlink()  # the file itself untouched: its note lost
    time.sleep(0.05)
    caplog.set_level(logging.INFO, logger="transfo_images")
    noteless = ImageLibrary(site)
    noteless.prepare(objects)  # trusted as intact, as kept, its note not read...
    assert noteless.encoded == 0
    shutil.rmtree(site["OUTPUT_PATH"], ignore_errors=True)
    noteless.publish_plan(noteless.plan("images/b.jpg"))  # ...but never copied without its note
    assert noteless.encoded == 1
    assert any(str(derivative.cache_file) in r.getMessage() for r in caplog.records if "abîmé" in r.getMessage())
    assert (Path(site["OUTPUT_PATH"]) / derivative.output_rel).read_bytes() == derivative.cache_file.read_bytes()
    assert cache_state(derivative.cache_file) == "intact"


def test_parallel_encoding_gives_the_same_files(site):
    content = Path(site["PATH"])
    for name in "abcd":
        photo(content / "images" / f"{name}.jpg", size=(500, 300))
    objects = [article(content, n, f"images/{n}.jpg") for n in "abcd"]
    library = ImageLibrary({**site, "TRANSFO_IMAGES_WORKERS": 2})
    library.prepare(objects)
    for obj in objects:
        for derivative in library.plan(obj.image).derivatives:
            with Image.open(derivative.cache_file) as image:
                assert image.size == (derivative.width, derivative.height)


def test_unreadable_image_is_one_problem_naming_object_and_path(site):
    content = Path(site["PATH"])
    (content / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff garbage")
    library = ImageLibrary(site)
    with pytest.raises(ContentError) as error:
        library.prepare([article(content, "x", "images/broken.jpg"),
                         article(content, "y", "images/absent.jpg")])
    lines = str(error.value).splitlines()
    assert len(error.value.problems) == 2
    assert any("x.md" in line and "images/broken.jpg" in line for line in lines)
    assert any("y.md" in line and "images/absent.jpg" in line and "introuvable" in line
               for line in lines)


def test_responsive_publishes_and_describes_the_picture(site):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(1000, 500))
    library = ImageLibrary(site)
    picture = library.responsive("{static}/images/a.jpg")
    assert (picture.width, picture.height) == (1000, 500)
    assert picture.src.endswith(".1000.jpg")  # the largest JPEG up to 1200 px
    assert picture.srcset.count("w,") == 2  # 400, 800, 1000
    assert [s.type for s in picture.sources][-1] == "image/webp"
    for derivative in picture.derivatives:
        assert (Path(site["OUTPUT_PATH"]) / derivative.output_rel).is_file()
    assert library.responsive(SimpleNamespace(image=None)) is None


def test_share_image_is_absolute_1200_by_630_with_alt(site):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(800, 600))
    library = ImageLibrary(site)
    obj = article(content, "a", "images/a.jpg", image_focus="20% 30%")
    share = library.share_image(obj)
    assert share.url.startswith("https://example.org/media/share/")
    assert (share.width, share.height, share.alt) == (1200, 630, "Alt a")
    with Image.open(Path(site["OUTPUT_PATH"]) / share.output_rel) as image:
        assert image.size == (1200, 630)
    card = library.share_image(None, title="Archives")
    assert card.alt == "Archives" and card.url.endswith(".jpg")


def in_dossier(*parts, announced=0):
    """Mark `parts` as the published parts 1..n of a dossier (transfo_dossiers.api)."""
    dossier = Dossier(slug="textile", title="Textile", url="dossiers/textile/", page=None, summary="",
                      image="images/x.jpg", image_alt="x", image_credit="", start=date(2019, 10, 1),
                      end=None, is_running=True, parts=list(parts), announced=[None] * announced)
    mark_parts(dossier, range(1, len(parts) + 1))
    return dossier


def test_the_card_kicker_names_the_part_from_the_dossiers_accessor():
    first, second = (SimpleNamespace(title=t, category=SimpleNamespace(name="Dossiers")) for t in "ab")
    in_dossier(first, second, announced=1)
    assert card_kicker(second) == "Dossier · partie 2/3"
    # only the dossiers plugin says what a part is: a header field alone is not a part yet
    assert card_kicker(SimpleNamespace(dossier="textile", dossier_part=2,
                                       category=SimpleNamespace(name="Dossiers"))) == "Dossiers"
    assert card_kicker(SimpleNamespace(category=SimpleNamespace(name="Analyses"))) == "Analyses"
    assert card_kicker(SimpleNamespace()) == ""


def test_image_focus_css(site):
    content = Path(site["PATH"])
    photo(content / "images" / "debout.jpg", size=(300, 400))
    photo(content / "images" / "large.jpg", size=(400, 300))
    library = ImageLibrary(site)
    assert library.image_focus(SimpleNamespace(image_focus="30% 40%")) == "focus-x3 focus-y4"
    assert library.image_focus(SimpleNamespace()) == ""
    assert library.image_focus(SimpleNamespace(image="images/large.jpg")) == ""
    assert library.image_focus(SimpleNamespace(image="images/debout.jpg")) == "focus-x5 focus-y3"



def test_every_template_use_of_an_image_is_noted_as_a_read_of_its_file_even_from_the_library_s_memory(site):
    """transfo_perf renders again only the pages that noted a changed image (transfo_common.reads):
    a page showing an image planned or cropped before (another page, the encoding ahead) must note it."""
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(800, 600))
    photo(content / "images" / "b.jpg", size=(300, 400))
    library = ImageLibrary(site)
    obj = article(content, "a", "images/a.jpg")
    library.prepare([obj])  # plans and crops made ahead, outside any page
    uses = [lambda: library.responsive("{static}/images/a.jpg"), lambda: library.share_image(obj),
            lambda: library.published_copy("images/a.jpg"), lambda: library.image_focus(obj)]
    for use in uses:
        with reads.captured() as noted:
            use()
        assert noted == {str(content / "images" / "a.jpg")}
    with reads.captured() as noted:
        library.share_image(None, title="Archives")  # a card drawn from the title reads no image
        library.image_focus(SimpleNamespace(image="images/b.jpg"))
    assert noted == {str(content / "images" / "b.jpg")}

@pytest.mark.parametrize("key, value", [
    ("TRANSFO_IMAGES_WIDTHS", ()),
    ("TRANSFO_IMAGES_WIDTHS", ("grand",)),
    ("TRANSFO_IMAGES_FORMATS", ("webp",)),
    ("TRANSFO_IMAGES_FORMATS", ("gif", "jpeg")),
    ("TRANSFO_IMAGES_QUALITY", {"jpeg": 0}),
    ("TRANSFO_IMAGES_WORKERS", -1),
    ("TRANSFO_IMAGES_CARD_COLOURS", {"teal": "vert"}),
    ("TRANSFO_IMAGES_MAX_PIXELS", 1000),
    ("TRANSFO_IMAGES_MAX_PIXELS", "40 Mpx"),
    ("TRANSFO_IMAGES_PATHS", ("../ailleurs",)),
    ("TRANSFO_IMAGES_PATHS", ()),
])
def test_bad_settings_name_their_key(site, key, value):
    with pytest.raises(ImagesSettingsError, match=key):
        read_settings({**site, key: value})


@pytest.mark.parametrize("static_paths", [["images"], ["images/offres"], [""], ["/images/"]])
def test_an_image_folder_in_static_paths_is_refused(site, static_paths):
    """Pelican would copy the originals, metadata and all, next to the derivatives."""
    with pytest.raises(ImagesSettingsError, match="STATIC_PATHS"):
        read_settings({**site, "STATIC_PATHS": static_paths})
    assert read_settings({**site, "STATIC_PATHS": ["documents"]}).image_folders == ("images",)


def test_settings_defaults(site):
    cfg = read_settings(site)
    assert cfg.max_pixels == 40_000_000
    assert cfg.widths == (400, 800, 1200, 1600)
    assert cfg.formats[-1] == "jpeg"
    assert cfg.cache_path == (Path(site["CACHE_PATH"]) / "images").resolve()


def test_many_images_show_progress_and_a_summary_never_a_warning(site, caplog):
    import logging

    content = Path(site["PATH"])
    for number in range(12):
        photo(content / "images" / f"p{number}.jpg", size=(120, 80), box=(0, 0, number, 5))
    objects = [article(content, f"p{n}", f"images/p{n}.jpg") for n in range(12)]
    with caplog.at_level(logging.INFO, logger="transfo_images"):
        library = ImageLibrary(site)
        library.prepare(objects)  # 12 derivative jobs + 12 share crops
        library.report()
    messages = [record.getMessage() for record in caplog.records]
    assert "Images : 24/24 traitées" in messages
    assert any(m.startswith(f"Images : {library.encoded} fichier(s) encodé(s)") for m in messages)
    assert all(record.levelno == logging.INFO for record in caplog.records)


def test_published_content_leaves_out_drafts_scheduled_and_static_files():
    from copy import deepcopy

    from pelican.contents import Article, Static
    from pelican.settings import DEFAULT_CONFIG
    from transfo_images.plugin import published_content

    settings = deepcopy(DEFAULT_CONFIG)

    def make(cls, title, status="published"):
        return cls("", metadata={"title": title, "status": status}, settings=settings,
                   source_path=f"/tmp/{title}.md")

    public, draft, later = make(Article, "a"), make(Article, "b", "draft"), make(Article, "c")
    static = make(Static, "s")
    generators = [SimpleNamespace(articles=[public, later], dates=[public], drafts=[draft]),
                  SimpleNamespace(staticfiles=[static], other="x")]
    assert published_content(generators, exclude=[later]) == [public]


def test_template_call_on_a_missing_image_is_a_content_error(site):
    content = Path(site["PATH"])
    library = ImageLibrary(site)
    event = article(content, "evenement", "images/absente.jpg")
    with pytest.raises(ContentError) as error:
        library.responsive(event)
    assert len(error.value.problems) == 1
    assert "evenement.md: Image: « images/absente.jpg » : fichier introuvable" in str(error.value)


def test_dossier_part_without_image_gets_a_card_naming_its_part(site):
    content = Path(site["PATH"])
    library = ImageLibrary(site)
    part = article(content, "partie", category=SimpleNamespace(name="Dossiers"))
    in_dossier(article(content, "premiere"), part, announced=1)
    share, job = library._share(part, None)
    assert job.kicker == "Dossier · partie 2/3" and job.title == "Titre partie"
    assert library.share_image(part).url == share.url
    with Image.open(Path(site["OUTPUT_PATH"]) / share.output_rel) as image:
        assert image.size == (1200, 630)


def test_upright_photos_without_focus_keep_their_upper_third(site):
    content = Path(site["PATH"])
    photo(content / "images" / "debout.jpg", size=(900, 1200), box=(0, 300, 900, 420))
    library = ImageLibrary(site)
    _share, job = library._share(article(content, "d", "images/debout.jpg"), None)
    assert job.focus.y == pytest.approx(1 / 3)
    _share, job = library._share(article(content, "e", "images/debout.jpg", image_focus="50% 90%"), None)
    assert job.focus.y == pytest.approx(0.9)


# --- publishing into the output: verified copies, never links, never a write in place ----------


def test_derivatives_are_published_as_copies_of_their_own(site):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(1000, 500))
    picture = ImageLibrary(site).responsive("images/a.jpg")
    for derivative in picture.derivatives:
        published = Path(site["OUTPUT_PATH"]) / derivative.output_rel
        assert published.stat().st_ino != derivative.cache_file.stat().st_ino
        assert published.stat().st_nlink == 1
        assert published.read_bytes() == derivative.cache_file.read_bytes()
    # A second build finds them in place and touches nothing.
    first = {d.output_rel: (Path(site["OUTPUT_PATH"]) / d.output_rel).stat().st_mtime_ns
             for d in picture.derivatives}
    again = ImageLibrary(site).responsive("images/a.jpg")
    assert {d.output_rel: (Path(site["OUTPUT_PATH"]) / d.output_rel).stat().st_mtime_ns
            for d in again.derivatives} == first


def test_publish_copies_an_absent_file_and_then_does_nothing(tmp_path):
    source = tmp_path / "cache" / "a.webp"
    store(source, b"RIFF-a")
    target = tmp_path / "out" / "media" / "a.webp"
    assert publish_file(source, target)
    assert target.read_bytes() == b"RIFF-a" and target.stat().st_ino != source.stat().st_ino
    assert not publish_file(source, target)
    assert [p.name for p in target.parent.iterdir()] == ["a.webp"]


def test_an_output_that_is_a_hard_link_to_the_cache_is_replaced_by_a_copy(tmp_path):
    """Outputs of older builds were hard links into the cache: the next build breaks them."""
    source = tmp_path / "a.webp"
    store(source, b"RIFF-a")
    target = tmp_path / "out.webp"
    os.link(source, target)
    assert publish_file(source, target)
    assert target.stat().st_ino != source.stat().st_ino and source.stat().st_nlink == 1
    assert target.read_bytes() == b"RIFF-a"


def test_a_different_output_file_is_replaced_never_written_in_place(tmp_path):
    old_cache, new_cache = tmp_path / "old.webp", tmp_path / "new.webp"
    store(old_cache, b"RIFF-old")
    store(new_cache, b"RIFF-new!")
    target = tmp_path / "out.webp"
    assert publish_file(old_cache, target)
    kept = tmp_path / "kept.webp"
    os.link(target, kept)  # a rollback release holding the same file
    assert publish_file(new_cache, target)
    assert target.read_bytes() == b"RIFF-new!"
    assert kept.read_bytes() == b"RIFF-old" and old_cache.read_bytes() == b"RIFF-old"


def test_a_damaged_cache_file_is_never_copied(tmp_path):
    source = tmp_path / "a.webp"
    store(source, b"RIFF-good")
    assert cache_state(source) == "intact"
    mtime = source.stat().st_mtime_ns
    source.write_bytes(b"RIFF-evil")  # same size, other bytes
    assert cache_state(source) == "damaged"
    os.utime(source, ns=(mtime, mtime))  # even with its old time back, the copy is checked
    target = tmp_path / "out.webp"
    with pytest.raises(DamagedCacheFile):
        publish_file(source, target)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.webp", "a.webp.sum"]


def test_a_cache_file_without_its_note_is_not_trusted(tmp_path):
    source = tmp_path / "a.webp"
    source.write_bytes(b"RIFF-a")
    assert cache_state(source) == "damaged"
    with pytest.raises(DamagedCacheFile):
        publish_file(source, tmp_path / "out.webp")
    assert cache_state(tmp_path / "absent.webp") == "missing"


def test_a_touched_cache_file_with_its_bytes_is_intact(tmp_path):
    source = tmp_path / "a.webp"
    store(source, b"RIFF-a")
    os.utime(source, ns=(1, 1))
    assert cache_state(source) == "intact"
    assert cache_state(source) == "intact"  # noted again: no second hash needed


def test_a_damaged_cache_entry_is_encoded_again_with_a_line(site, caplog):
    content = Path(site["PATH"])
    photo(content / "images" / "a.jpg", size=(1000, 500))
    first = ImageLibrary(site).responsive("images/a.jpg")
    jpeg = next(d for d in first.derivatives if d.fmt == "jpeg")
    good = jpeg.cache_file.read_bytes()
    jpeg.cache_file.write_bytes(good[: len(good) // 2])
    output = Path(site["OUTPUT_PATH"])
    shutil.rmtree(output)
    caplog.set_level(logging.INFO, logger="transfo_images")
    library = ImageLibrary(site)
    library.responsive("images/a.jpg")
    assert jpeg.cache_file.read_bytes() == good and (output / jpeg.output_rel).read_bytes() == good
    lines = [r.getMessage() for r in caplog.records if "abîmé" in r.getMessage()]
    assert len(lines) == 1 and str(jpeg.cache_file) in lines[0]
    assert library.encoded == 1


def _publish_all(pairs):
    return [publish_file(source, target) for source, target in pairs]


def test_processes_of_one_build_may_publish_the_same_files_at_once(tmp_path):
    """Forked renderers each have their own library: the same file may be published
    by several processes at the same moment, new or replacing an older one."""
    import multiprocessing

    caches = []
    for number in range(40):
        source = tmp_path / "cache" / f"{number}.webp"
        store(source, f"RIFF-{number}".encode() * 50)
        caches.append(source)
    out = tmp_path / "out" / "media"
    for number in range(0, 40, 2):  # half of them hold older bytes
        (out / f"{number}.webp").parent.mkdir(parents=True, exist_ok=True)
        (out / f"{number}.webp").write_bytes(b"old")
    pairs = [(source, out / source.name) for source in caches]
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = pool.map(_publish_all, [pairs] * 8)
    assert all(any(result[i] for result in results) for i in range(len(pairs)))
    for source, target in pairs:
        assert target.read_bytes() == source.read_bytes()
        assert target.stat().st_ino != source.stat().st_ino
    assert sorted(p.name for p in out.iterdir()) == sorted(c.name for c in caches)  # no temporary left
