"""Assembling a release: taken from the previous release where the bytes are the same, prefilled
with it while the site builds, and either way the same release."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from transfo_common import files
from transfo_quality import staging
from transfo_quality.compress import precompress

LONG = "Une phrase de l'économie sociale, assez longue pour être compressée. " * 20


def write(folder: Path, files: dict[str, str]) -> dict[str, str]:
    """Write `files` below `folder`; their digests, as `staging.folder_digests` gives them."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return {name: hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(files.items())}


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) below `folder`."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
            for path in sorted(folder.rglob("*"))}


def previous_release(tmp_path: Path) -> tuple[Path, staging.Manifest]:
    release = tmp_path / "previous"
    files = write(release, {
        "index.html": LONG + "accueil",
        "kept/index.html": LONG + "inchangée",
        "edited/index.html": LONG + "avant",
        "gone/deep/index.html": LONG + "retirée",
        "becomes-a-folder": LONG + "un fichier",
        "shrinks.css": LONG + "grande",
        "style.css": LONG + "body {}",
        "photo.jpg": "octets d'une photo",
        "pagefind/fragment/a.pf_fragment": "fragment a",
    })
    precompress(release)
    return release, staging.Manifest(files, sealed=time.time_ns(), copies=copies_in(release))


def copies_in(folder: Path) -> dict[str, str]:
    """{name: SHA-256} of the .gz/.br copies below `folder`, as a manifest records them."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.suffix in (".gz", ".br")}


def edited_by_hand(path: Path, data: bytes, sealed: int) -> None:
    """What an edit on the server does to a published file: other bytes, and its modification time
    put back. Written again until the file system's clock, coarser than time_ns, is past the seal."""
    published = path.stat()
    for _ in range(100_000):
        path.write_bytes(data)
        os.utime(path, ns=(published.st_atime_ns, published.st_mtime_ns))
        if path.stat().st_ctime_ns > sealed:
            return
    raise AssertionError("the file system's clock did not move")


def build_after_edits(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    build = tmp_path / "build"
    return build, write(build, {
        "index.html": LONG + "accueil",
        "kept/index.html": LONG + "inchangée",
        "edited/index.html": LONG + "après",
        "becomes-a-folder/index.html": LONG + "un dossier",
        "shrinks.css": "a{}",  # too small for compressed copies now
        "style.css": LONG + "body {}",
        "photo.jpg": "octets d'une photo",
        "new/index.html": LONG + "nouvelle",
    })


def index_after_edits(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    index = tmp_path / "search-index"
    return index, write(index, {"pagefind/fragment/b.pf_fragment": "fragment b"})


def assemble_both(tmp_path: Path, into: Path, previous: Path, manifest: staging.Manifest,
                  prefilled: frozenset[str]) -> list[staging.Assembly]:
    """The site, then the search index beside it, as `invoke publish` assembles a release."""
    build, digests = build_after_edits(tmp_path)
    index, index_digests = index_after_edits(tmp_path)
    return [staging.assemble(build, digests, into, previous, manifest, lambda path: not path.startswith("pagefind/"),
                             prefilled),
            staging.assemble(index, index_digests, into, previous, manifest, lambda path: path.startswith("pagefind/"),
                             prefilled)]


def both_ways(tmp_path: Path, previous: Path, manifest: staging.Manifest) -> Iterator[tuple[Path, staging.Assembly,
                                                                                     frozenset[str]]]:
    """(staging folder, the site's assembly, paths prefilled): prefilled while the site builds, then not."""
    for prefill in (True, False):
        into = tmp_path / f"staging-{prefill}"
        into.mkdir()
        fill = staging.prefill(previous, manifest, into) if prefill else None
        copied = fill.wait() if fill is not None else frozenset[str]()
        yield into, assemble_both(tmp_path, into, previous, manifest, copied)[0], copied


def test_a_release_prefilled_while_the_site_builds_is_the_one_assembled_from_an_empty_folder(tmp_path):
    previous, manifest = previous_release(tmp_path)
    plain = tmp_path / "plain"
    plain.mkdir()
    expected = assemble_both(tmp_path, plain, previous, manifest, frozenset())
    prefilled_folder = tmp_path / "prefilled"
    prefilled_folder.mkdir()
    fill = staging.prefill(previous, manifest, prefilled_folder)
    assert fill is not None
    copied = fill.wait()
    assert copied == frozenset(manifest.files)
    assert tree(prefilled_folder) == tree(previous)  # the previous release, compressed copies included
    found = assemble_both(tmp_path, prefilled_folder, previous, manifest, copied)

    assert tree(prefilled_folder) == tree(plain)  # same files, same bytes, no folder left empty
    assert "gone" not in tree(plain) and "shrinks.css.gz" not in tree(plain) and "new/index.html.br" in tree(plain)
    assert [(a.changed, a.reused, a.removed) for a in found] == [(a.changed, a.reused, a.removed) for a in expected]
    assert sorted(found[0].changed) == ["becomes-a-folder/index.html", "edited/index.html", "new/index.html",
                                        "shrinks.css"]
    assert found[0].removed == ["becomes-a-folder", "gone/deep/index.html"]
    assert found[1].removed == ["pagefind/fragment/a.pf_fragment"]
    assert found[0].compressed == 6  # .gz and .br of the three pages; shrinks.css is below the minimum
    assert found[0].reused == 4 and found[1].reused == 0
    assert found[0].plus(found[1]).copies == copies_in(prefilled_folder)  # for the next manifest


def test_a_release_restored_from_an_archive_is_taken_by_its_bytes(tmp_path):
    """Restored (the forge's cache), every file has a change time past the seal: each is hashed
    and taken if its bytes are the manifest's; a page edited, or a copy gone, is not."""
    previous, manifest = previous_release(tmp_path)
    restored = tmp_path / "restored"
    shutil.copytree(previous, restored)
    page, packed = restored / "kept" / "index.html", restored / "style.css.gz"
    page.write_bytes(page.read_bytes().replace("inchangée".encode(), "INCHANGÉE".encode()))
    packed.unlink()
    for into, site, copied in both_ways(tmp_path, restored, manifest):
        prefilled = into.name == "staging-True"
        assert copied == (frozenset(manifest.files) - {"kept/index.html", "style.css"} if prefilled else frozenset())
        assert site.reused == 2  # index.html and photo.jpg: the others changed in the build or since the seal
        assert sorted(site.changed) == ["becomes-a-folder/index.html", "edited/index.html", "kept/index.html",
                                        "new/index.html", "shrinks.css", "style.css"]
        assert (into / "kept" / "index.html").read_text(encoding="utf-8") == LONG + "inchangée"
        assert gzip.decompress((into / "style.css.gz").read_bytes()).decode() == LONG + "body {}"
    older = staging.Manifest(manifest.files, sealed=manifest.sealed)  # copies not recorded: not taken
    fill = staging.prefill(restored, older, tmp_path / "staging-older")
    assert fill is not None and not {"index.html", "style.css"} & fill.wait()


def spare_release(tmp_path: Path, previous: Path) -> tuple[Path, staging.Manifest]:
    """A release older than `previous`, as `prune` sets it aside: most files the same, some with
    older bytes, one gone since; sealed once written."""
    spare = tmp_path / "spare"
    files = write(spare, {
        **{path: (previous / path).read_text(encoding="utf-8")
           for path in ("index.html", "kept/index.html", "style.css", "photo.jpg", "gone/deep/index.html")},
        "edited/index.html": LONG + "bien avant",
        "shrinks.css": LONG + "plus grande encore",
        "old/index.html": LONG + "retirée depuis longtemps",
    })
    precompress(spare)
    return spare, staging.Manifest(files, sealed=time.time_ns())


def test_a_spare_release_becomes_the_previous_one_copying_only_what_differs(tmp_path):
    previous, manifest = previous_release(tmp_path)
    spare, spare_manifest = spare_release(tmp_path, previous)
    kept = {path: (spare / path).stat().st_ino for path in ("index.html", "kept/index.html", "kept/index.html.br")}
    fill = staging.prefill(previous, manifest, spare, spare_manifest)
    assert fill is not None
    copied = fill.wait()

    assert copied == frozenset(manifest.files) and fill.recycled == 5
    assert tree(spare) == tree(previous)  # its other files gone, the previous release's copied
    assert {path: (spare / path).stat().st_ino for path in kept} == kept  # found in place, not copied
    plain = tmp_path / "plain"
    plain.mkdir()
    expected = assemble_both(tmp_path, plain, previous, manifest, frozenset())
    found = assemble_both(tmp_path, spare, previous, manifest, copied)
    assert tree(spare) == tree(plain)
    assert [(a.changed, a.reused, a.removed) for a in found] == [(a.changed, a.reused, a.removed) for a in expected]


def test_what_was_added_or_changed_in_a_spare_release_after_its_seal_never_stays(tmp_path):
    """A file added by hand, links (to a file, to a folder), a pipe, a page edited at the same
    size: removed, and the previous release's bytes copied in their place."""
    previous, manifest = previous_release(tmp_path)
    spare, spare_manifest = spare_release(tmp_path, previous)
    (spare / "ajout.html").write_text("ajouté à la main", encoding="utf-8")
    (spare / "style.css.gz").unlink()
    (spare / "style.css.gz").symlink_to(previous / "style.css.gz")
    (spare / "dossier").symlink_to(previous / "kept", target_is_directory=True)
    os.mkfifo(spare / "kept" / "tube")
    page = spare / "kept" / "index.html"
    edited_by_hand(page, page.read_bytes().replace("inchangée".encode(), "INCHANGÉE".encode()), spare_manifest.sealed)
    fill = staging.prefill(previous, manifest, spare, spare_manifest)
    assert fill is not None
    assert fill.wait() == frozenset(manifest.files) and fill.recycled == 3  # index.html, photo.jpg, gone/…
    assert tree(spare) == tree(previous)
    assert not any(path.is_symlink() for path in spare.rglob("*"))


def test_a_spare_release_compressed_another_way_unsealed_or_without_manifest_is_emptied(tmp_path):
    previous, manifest = previous_release(tmp_path)
    for number, unusable in enumerate((staging.Manifest({}), None)):
        spare, spare_manifest = spare_release(tmp_path / str(number), previous)
        for described in (staging.Manifest(spare_manifest.files, compression="gzip-6"),
                          staging.Manifest(spare_manifest.files), unusable):
            fill = staging.prefill(previous, manifest, spare, described or staging.Manifest({}))
            assert fill is not None
            assert fill.wait() == frozenset(manifest.files) and fill.recycled == 0
            assert tree(spare) == tree(previous)
    spare, _ = spare_release(tmp_path / "alone", previous)
    fill = staging.prefill(None, None, spare, staging.Manifest({}))  # no release to take files from
    assert fill is not None and fill.wait() == frozenset() and tree(spare) == {}


def test_a_file_of_the_manifest_missing_from_the_previous_release_comes_from_the_build(tmp_path):
    previous, manifest = previous_release(tmp_path)
    (previous / "kept" / "index.html").unlink()
    into = tmp_path / "staging"
    into.mkdir()
    fill = staging.prefill(previous, manifest, into)
    assert fill is not None
    copied = fill.wait()
    assert "kept/index.html" not in copied
    site = assemble_both(tmp_path, into, previous, manifest, copied)[0]
    assert "kept/index.html" in site.changed
    assert (into / "kept" / "index.html").read_text(encoding="utf-8") == LONG + "inchangée"


def test_a_file_damaged_in_the_live_release_is_not_carried_into_the_next(tmp_path):
    """Its manifest still vouches for the old bytes: its size, unlike the build's, gives it away."""
    previous, manifest = previous_release(tmp_path)
    damaged = previous / "kept" / "index.html"
    damaged.write_bytes(damaged.read_bytes()[:100])
    for into, site, _copied in both_ways(tmp_path, previous, manifest):
        assert "kept/index.html" in site.changed
        assert (into / "kept" / "index.html").read_text(encoding="utf-8") == LONG + "inchangée"
        assert (into / "kept" / "index.html.gz").is_file()  # compressed again from the good bytes


def test_a_file_edited_by_hand_in_the_live_release_at_the_same_size_is_not_carried_into_the_next(tmp_path):
    """A page, or only its .gz, given other bytes of the same size and its old modification time:
    its change time, later than the release's seal, gives it away."""
    previous, manifest = previous_release(tmp_path)
    page, packed = previous / "kept" / "index.html", previous / "style.css.gz"
    edited_by_hand(page, page.read_bytes().replace("inchangée".encode(), "INCHANGÉE".encode()), manifest.sealed)
    edited_by_hand(packed, bytes(len(packed.read_bytes())), manifest.sealed)
    plain = tmp_path / "plain"
    plain.mkdir()
    assemble_both(tmp_path, plain, previous, staging.Manifest(manifest.files), frozenset())  # trusted as before
    for into, site, _copied in both_ways(tmp_path, previous, manifest):
        assert {"kept/index.html", "style.css"} <= set(site.changed)
        assert (into / "kept" / "index.html").read_text(encoding="utf-8") == LONG + "inchangée"
        assert (into / "style.css.gz").read_bytes() != (plain / "style.css.gz").read_bytes()
        assert gzip.decompress((into / "style.css.gz").read_bytes()).decode() == LONG + "body {}"


def test_a_link_put_into_the_live_release_is_never_followed(tmp_path):
    """Even to a file of the same bytes: a link in a release is no file the publish wrote."""
    previous, manifest = previous_release(tmp_path)
    outside = tmp_path / "outside.html"
    page = previous / "kept" / "index.html"
    outside.write_bytes(page.read_bytes())
    page.unlink()
    page.symlink_to(outside)
    for into, site, copied in both_ways(tmp_path, previous, manifest):
        assert "kept/index.html" not in copied
        assert "kept/index.html" in site.changed and not (into / "kept" / "index.html").is_symlink()


def test_the_same_site_is_nothing_to_publish_unless_the_live_release_was_damaged(tmp_path):
    previous, manifest = previous_release(tmp_path)
    build = tmp_path / "build"
    digests = write(build, {path: (previous / path).read_text(encoding="utf-8") for path in manifest.files})

    def apart(_path: str) -> bool:  # no file is the search index's here
        return False

    assert staging.same_site(digests, manifest, "", apart, build, previous)
    page = previous / "kept" / "index.html"
    edited_by_hand(page, page.read_bytes().upper(), manifest.sealed)  # the same size
    assert not staging.same_site(digests, manifest, "", apart, build, previous)
    assert staging.same_site(digests, staging.Manifest(manifest.files), "", apart, build, previous)  # unsealed
    page.write_text("abîmée", encoding="utf-8")
    assert not staging.same_site(digests, staging.Manifest(manifest.files), "", apart, build, previous)
    assert not staging.same_site(digests, manifest, "", apart, build, None)


def test_nothing_is_prefilled_from_a_release_compressed_another_way_or_without_a_manifest(tmp_path):
    previous, manifest = previous_release(tmp_path)
    other = staging.Manifest(manifest.files, compression="gzip-6")
    assert staging.prefill(previous, other, tmp_path) is None
    assert staging.prefill(previous, None, tmp_path) is None
    assert staging.prefill(None, manifest, tmp_path) is None


def test_a_cancelled_prefill_writes_nothing_more_once_cancel_returns(tmp_path):
    previous = tmp_path / "previous"
    files = write(previous, {f"page-{number:04d}/index.html": LONG + str(number) for number in range(2000)})
    into = tmp_path / "staging"
    into.mkdir()
    fill = staging.prefill(previous, staging.Manifest(files), into)
    assert fill is not None
    fill.cancel()
    written = tree(into)
    assert len([name for name, data in written.items() if data is not None]) < len(files)  # it stopped early
    fill.cancel()  # twice is harmless (a failure after the no-op path)
    assert tree(into) == written


def test_folder_digests_kept_between_calls_see_a_same_size_rewrite_with_its_old_time(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    build, memo = tmp_path / "build", tmp_path / "build-digests.json"
    expected = write(build, {"index.html": "<p>un</p>", "feeds/all.atom.xml": "<feed/>"})
    (build / "lien").symlink_to(build / "feeds")  # a link to a folder: not a file to hash
    time.sleep(0.05)
    assert staging.folder_digests(build, memo) == expected
    assert staging.folder_digests(build, memo) == expected  # from the memo
    page = build / "index.html"
    before = os.stat(page)
    page.write_text("<p>UN</p>", encoding="utf-8")  # same size...
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # ...and the time it had
    assert staging.folder_digests(build, memo)["index.html"] == hashlib.sha256(b"<p>UN</p>").hexdigest()


def test_a_live_file_that_can_no_longer_be_read_is_taken_from_the_build_instead(tmp_path):
    """A file of the live release made unreadable on the server (chmod 000: its change time moves
    past the seal) failed the publish with a misleading « écriture impossible ». It is now not
    reused, as any file no longer as published. Run as a process that file permissions bind (as
    root: without the capabilities that override them), as the web server's user would be."""
    previous, manifest = previous_release(tmp_path)
    page = previous / "kept" / "index.html"
    page.chmod(0)
    while page.stat().st_ctime_ns <= manifest.sealed:  # the file system's clock is coarser than time_ns
        time.sleep(0.001)
        page.chmod(0)
    staging.write_manifest(tmp_path / "root", "previous", manifest)
    reduced = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    script = ("import json, sys; from pathlib import Path; from transfo_quality import staging; "
              "tmp = Path(sys.argv[1]); manifest = staging.read_manifest(tmp / 'root', 'previous'); "
              "fill = staging.prefill(tmp / 'previous', manifest, tmp / 'staging'); "
              "print(json.dumps(sorted(fill.wait())))")
    run = subprocess.run([*reduced, sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == sorted(set(manifest.files) - {"kept/index.html"})
    assert not (tmp_path / "staging" / "kept" / "index.html").exists()
