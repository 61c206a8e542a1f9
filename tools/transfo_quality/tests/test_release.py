"""Releases: atomic switch, rollback, pruning, pre-compression."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import time

import brotli
import pytest
from transfo_quality import release
from transfo_quality.compress import precompress


def make_release(layout, name, text):
    staging = release.new_staging(layout, name)
    (staging / "index.html").write_text(text, encoding="utf-8")
    return release.promote(layout, staging, name)


def live_text(layout):
    return (layout.current / "index.html").read_text(encoding="utf-8")


def test_release_names_sort_in_time_order():
    first = release.release_name(dt.datetime(2019, 11, 30, 9, 5, tzinfo=dt.timezone.utc))
    second = release.release_name(dt.datetime(2019, 11, 30, 10, 0, tzinfo=dt.timezone.utc))
    assert first == "20191130-090500-000000" and first < second


def test_promote_switches_current_and_rollback_goes_back(tmp_path):
    layout = release.Layout(tmp_path)
    assert release.current_release(layout) is None
    make_release(layout, "20191130-090000-000000", "un")
    make_release(layout, "20191130-100000-000000", "deux")
    assert live_text(layout) == "deux"
    assert os.readlink(layout.current) == "releases/20191130-100000-000000"  # relative: the root can move
    before, after = release.rollback(layout)
    assert (before.name, after.name) == ("20191130-100000-000000", "20191130-090000-000000")
    assert live_text(layout) == "un"
    with pytest.raises(release.ReleaseError, match="aucune version précédente"):
        release.rollback(layout)
    assert not list(tmp_path.glob(".current.*"))  # no temporary link left behind


R1, R2, R3 = (f"20191130-{hour}0000-000000" for hour in (10, 11, 12))


def test_rollback_follows_the_order_releases_went_live_and_never_reinstates(tmp_path):
    layout = release.Layout(tmp_path)
    make_release(layout, R1, "un")
    make_release(layout, R2, "deux")
    assert [r.name for r in release.rollback(layout)] == [R2, R1]
    make_release(layout, R3, "trois")
    assert [r.name for r in release.rollback(layout)] == [R3, R1]  # not the withdrawn R2
    assert live_text(layout) == "un"
    with pytest.raises(release.ReleaseError, match="ne revient jamais"):
        release.rollback(layout)
    assert live_text(layout) == "un"
    events = [(r["event"], r["release"]) for r in release.read_history(layout)]
    assert events == [("live", R1), ("live", R2), ("rollback", R1), ("live", R3), ("rollback", R1)]


def test_the_order_is_the_history_not_the_names(tmp_path):
    """A release with an older name published later is rolled back to in publication order."""
    layout = release.Layout(tmp_path)
    make_release(layout, R3, "trois")
    make_release(layout, R1, "un")  # a clock set back
    make_release(layout, R2, "deux")
    assert [r.name for r in release.rollback(layout)] == [R2, R1]
    assert [r.name for r in release.rollback(layout)] == [R1, R3]


def test_history_lives_beside_current_never_in_a_release(tmp_path):
    layout = release.Layout(tmp_path)
    make_release(layout, R1, "un")
    assert layout.history.is_file() and layout.history.parent == tmp_path
    assert not list(layout.releases.rglob("history*"))


def test_a_root_published_before_the_history_rolls_back_one_step(tmp_path):
    layout = release.Layout(tmp_path)
    make_release(layout, R1, "un")
    layout.history.unlink()  # as published by an older Transfo
    make_release(layout, R2, "deux")
    assert [r.name for r in release.rollback(layout)] == [R2, R1]


def test_a_damaged_history_refuses_rollback_and_changes_nothing(tmp_path):
    layout = release.Layout(tmp_path)
    make_release(layout, R1, "un")
    make_release(layout, R2, "deux")
    layout.history.write_bytes(layout.history.read_bytes().replace(R1.encode(), R3.encode(), 1))
    with pytest.raises(release.ReleaseError, match=r"history\.jsonl:1: historique des publications "
                                                   r"endommagé : somme de contrôle fausse"):
        release.rollback(layout)
    assert live_text(layout) == "deux"


def test_prune_never_removes_the_rollback_target(tmp_path):
    layout = release.Layout(tmp_path)
    make_release(layout, R1, "un")
    make_release(layout, R2, "deux")
    release.rollback(layout)  # R2 withdrawn, R1 live
    make_release(layout, R3, "trois")  # rollback would go to R1
    removed = release.prune(layout, keep=1)
    assert [path.name for path in removed] == [R2]
    assert [path.name for path in release.list_releases(layout)] == [R1, R3]


def test_rollback_without_publication_is_refused(tmp_path):
    with pytest.raises(release.ReleaseError, match="rien à annuler"):
        release.rollback(release.Layout(tmp_path))


def test_a_real_folder_in_place_of_current_is_refused(tmp_path):
    (tmp_path / "current").mkdir()
    with pytest.raises(release.ReleaseError, match="pas un lien symbolique"):
        release.current_release(release.Layout(tmp_path))


def test_a_live_release_deleted_by_hand_is_no_release_to_build_on(tmp_path):
    """`current` then leads nowhere: the next publish starts from nothing (and mends the site)
    instead of finding nothing to publish."""
    layout = release.Layout(tmp_path)
    staged = release.new_staging(layout, "20191130-000000-000000")
    live = release.promote(layout, staged, "20191130-000000-000000")
    assert release.current_release(layout) == live
    shutil.rmtree(live)
    assert layout.current.is_symlink() and release.current_release(layout) is None


def test_prune_keeps_the_newest_and_the_live_release(tmp_path):
    layout = release.Layout(tmp_path)
    names = [f"2019113{day}-000000-000000" for day in range(5)]
    for name in names:
        make_release(layout, name, name)
    release.switch(layout, layout.releases / names[0])  # rolled back far
    removed = release.prune(layout, keep=2)
    assert [path.name for path in removed] == names[1:3]
    assert [path.name for path in release.list_releases(layout)] == [names[0], *names[3:]]


def test_pruned_releases_leave_at_once_and_are_deleted_by_a_process_of_their_own(tmp_path):
    layout = release.Layout(tmp_path)
    names = [f"2019113{day}-000000-000000" for day in range(4)]
    for name in names:
        make_release(layout, name, name)
    leftover = layout.releases / f"{release.TRASH_PREFIX}20191120-000000-000000"
    (leftover / "page").mkdir(parents=True)  # a deletion stopped half-way by an earlier prune
    stopped = layout.releases / f"{release.STAGING_PREFIX}20191125-000000-000000"
    (stopped / "page").mkdir(parents=True)  # a publish killed while staging (SIGKILL: no cleanup)
    removed = release.prune(layout, keep=2)
    assert [path.name for path in removed] == names[:2]
    assert [path.name for path in release.list_releases(layout)] == names[2:]  # at once
    deadline = time.monotonic() + 30
    while any(layout.releases.glob(f"{release.TRASH_PREFIX}*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    # Deleted, the leftovers too; the newest taken out is set aside for the next publish.
    assert sorted(path.name for path in layout.releases.iterdir()) == [f"{release.SPARE_PREFIX}{names[1]}",
                                                                        *names[2:]]


def test_the_newest_release_pruned_is_the_next_staging_folder_and_never_a_release(tmp_path):
    layout = release.Layout(tmp_path)
    names = [f"2019113{day}-000000-000000" for day in range(5)]
    for name in names[:3]:
        make_release(layout, name, name)
    release.prune(layout, keep=1)  # names[1] is where rollback goes: only names[0] is taken out
    assert release.spare_names(layout) == {names[0]}
    make_release(layout, names[3], names[3])
    release.prune(layout, keep=1)  # names[1] taken out: the spare now, the older one deleted
    assert release.spare_names(layout) == {names[1]}
    assert [path.name for path in release.list_releases(layout)] == names[2:4]
    release.rollback(layout)
    assert live_text(layout) == names[2]  # never to the spare
    staged = release.new_staging(layout, names[4])
    assert release.take_spare(layout, staged) == names[1]
    assert (staged / "index.html").read_text(encoding="utf-8") == names[1]  # its files, to recycle
    assert release.spare_names(layout) == set()
    assert release.take_spare(layout, release.new_staging(layout, "20191201-000000-000000")) is None


def test_staging_folders_are_not_releases(tmp_path):
    layout = release.Layout(tmp_path)
    staging = release.new_staging(layout, "20191130-000000-000000")
    assert release.list_releases(layout) == []
    release.discard(staging)
    assert not staging.exists()


def test_precompress_writes_identical_gzip_and_brotli_copies(tmp_path):
    html = ("<p>économie sociale</p>\n" * 200).encode("utf-8")
    (tmp_path / "index.html").write_bytes(html)
    (tmp_path / "tiny.css").write_bytes(b"a{}")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8" * 400)
    assert precompress(tmp_path) == 2
    assert gzip.decompress((tmp_path / "index.html.gz").read_bytes()) == html
    assert brotli.decompress((tmp_path / "index.html.br").read_bytes()) == html
    assert not (tmp_path / "tiny.css.gz").exists()  # too small to gain anything
    assert not (tmp_path / "photo.jpg.gz").exists()  # already compressed
    first = (tmp_path / "index.html.gz").read_bytes()
    precompress(tmp_path)
    assert (tmp_path / "index.html.gz").read_bytes() == first  # reproducible: rsync sees no change
