"""Hostile and awkward release operations through `invoke rollback`, `publish` and `deploy`.

Releases are put in place with the release module (a full publication takes
a minute; tests/test_publish.py runs real ones), then the commands run as an
operator would. Every refusal is one French line naming the file, and the
live site does not change.
"""

from __future__ import annotations

import os

import pytest
from transfo_quality import release

from tests.hostile.checks import assert_refused
from tests.support import invoke

pytestmark = pytest.mark.publish

R1, R2, R3 = (f"20191130-{hour}0000-000000" for hour in (10, 11, 12))


def publish_release(layout: release.Layout, name: str) -> None:
    staging = release.new_staging(layout, name)
    (staging / "index.html").write_text(f"<!DOCTYPE html><title>{name}</title>", encoding="utf-8")
    release.promote(layout, staging, name)


def live(layout: release.Layout) -> str:
    return os.readlink(layout.current).rsplit("/", 1)[-1]


def rollback(layout: release.Layout, check: bool = True):
    return invoke("rollback", "--root", str(layout.root), check=check)


def test_rollback_after_a_rollback_and_a_new_release_skips_the_withdrawn_one(tmp_path):
    layout = release.Layout(tmp_path / "public")
    publish_release(layout, R1)
    publish_release(layout, R2)
    assert f"la version {R2} est retirée" in rollback(layout).stdout
    publish_release(layout, R3)
    assert f"Retour à la version {R1}" in rollback(layout).stdout
    assert live(layout) == R1


def test_rollback_with_nothing_to_go_back_to_is_one_line(tmp_path):
    layout = release.Layout(tmp_path / "public")
    publish_release(layout, R1)
    refused = rollback(layout, check=False)
    assert_refused(refused, layout.history, "aucune version précédente")
    assert live(layout) == R1


def test_rollback_after_every_older_release_was_withdrawn_is_refused(tmp_path):
    layout = release.Layout(tmp_path / "public")
    for name in (R1, R2, R3):
        publish_release(layout, name)
    rollback(layout)
    rollback(layout)
    refused = rollback(layout, check=False)
    assert_refused(refused, layout.history, "ne revient jamais", f"{R1} reste en ligne")
    assert live(layout) == R1


def test_rollback_before_any_publication_is_one_line(tmp_path):
    layout = release.Layout(tmp_path / "public")
    assert_refused(rollback(layout, check=False), layout.current, "rien à annuler")


def test_a_release_removed_by_hand_is_skipped(tmp_path):
    layout = release.Layout(tmp_path / "public")
    for name in (R1, R2, R3):
        publish_release(layout, name)
    release.discard(layout.releases / R2)
    rollback(layout)
    assert live(layout) == R1


def test_a_bit_flip_in_the_history_stops_rollback(tmp_path):
    layout = release.Layout(tmp_path / "public")
    publish_release(layout, R1)
    publish_release(layout, R2)
    data = bytearray(layout.history.read_bytes())
    data[data.index(R1.encode()) + 3] ^= 0x01  # one bit of the first release's name
    layout.history.write_bytes(bytes(data))
    refused = rollback(layout, check=False)
    assert_refused(refused, layout.history, "history.jsonl:1:", "endommagé", "somme de contrôle")
    assert live(layout) == R2


def test_a_cut_last_history_line_stops_rollback(tmp_path):
    layout = release.Layout(tmp_path / "public")
    publish_release(layout, R1)
    publish_release(layout, R2)
    layout.history.write_bytes(layout.history.read_bytes()[:-20])
    assert_refused(rollback(layout, check=False), layout.history, "history.jsonl:2:", "coupée")
    assert live(layout) == R2


def test_a_damaged_history_stops_publish_before_building(tmp_path):
    layout = release.Layout(tmp_path / "public")
    publish_release(layout, R1)
    layout.history.write_text("pas du JSON\n", encoding="utf-8")
    refused = invoke("publish", "--root", str(layout.root), "--no-lighthouse", check=False)
    assert_refused(refused, layout.history, "history.jsonl:1:", "illisible")
    assert [p.name for p in layout.releases.iterdir()] == [R1]  # no staging folder, nothing built


def test_a_real_folder_in_place_of_current_stops_publish(tmp_path):
    layout = release.Layout(tmp_path / "public")
    layout.current.mkdir(parents=True)
    refused = invoke("publish", "--root", str(layout.root), "--no-lighthouse", check=False)
    assert_refused(refused, layout.current, "pas un lien symbolique")
    assert not layout.releases.exists()


def test_the_history_is_never_deployed(tmp_path):
    layout = release.Layout(tmp_path / "public")
    publish_release(layout, R1)
    publish_release(layout, R2)
    dry = invoke("deploy", "--root", str(layout.root), "--dest", f"{tmp_path / 'server'}/", "--dry-run")
    assert "index.html" in dry.stdout and release.HISTORY not in dry.stdout
