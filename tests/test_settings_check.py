"""The whole configuration is checked as a build starts (transfo_config): every wrong value and
unknown TRANSFO_* key at once, one French line each, no traceback; a typo is a warning while
developing and stops a publish build."""

from __future__ import annotations

import pytest

from tests.support import build_with_settings

TYPO = "TRANSFO_IMAGES_WIDHTS : réglage inconnu (vouliez-vous dire « TRANSFO_IMAGES_WIDTHS » ?)"


@pytest.mark.slow
def test_a_mistyped_setting_is_a_warning_with_the_right_name_while_developing(tmp_path):
    result = build_with_settings(tmp_path, "TRANSFO_IMAGES_WIDHTS = (400, 800)", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    # Pelican's log wraps long lines and puts the source line in between.
    logged = " ".join((result.stdout + result.stderr).split())
    assert "WARNING TRANSFO_IMAGES_WIDHTS : réglage inconnu" in logged
    assert "(vouliez-vous dire « TRANSFO_IMAGES_WIDTHS » ?)" in logged
    assert (tmp_path / "output" / "index.html").is_file()


def test_every_wrong_setting_is_reported_in_one_run_before_anything_is_written(tmp_path):
    result = build_with_settings(tmp_path, "\n".join([
        "TRANSFO_IMAGES_WIDHTS = (400, 800)",
        "TRANSFO_RELATED_MAX = -1",
        "TRANSFO_FEED_MAX_ITEMS = '30'",
        "TIMEZONE = 'Europe/Bruxelles'",
        "TRANSFO_AGENDA_URL = '/agenda'",
    ]), tmp_path / "output")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert sorted(lines) == sorted([
        "Réglage TIMEZONE : trouvé 'Europe/Bruxelles' ; attendu : un fuseau horaire IANA comme « Europe/Brussels »",
        "Réglage TRANSFO_FEED_MAX_ITEMS : trouvé '30' ; attendu : un nombre entier d’au moins 1",
        "Réglage TRANSFO_RELATED_MAX : trouvé -1 ; attendu : un nombre entier, 0 ou plus",
        "Réglage TRANSFO_AGENDA_URL : trouvé '/agenda' ; attendu : un dossier relatif terminé par « / », "
        "comme « agenda/ »",
        TYPO,
    ])
    assert not (tmp_path / "output").exists()


def test_a_mistyped_setting_stops_a_publish_build(tmp_path):
    """publishconf.py sets TRANSFO_STRICT_SETTINGS: a typo there must not reach the public site."""
    result = build_with_settings(tmp_path, "from publishconf import *  # noqa\nTRANSFO_IMAGES_WIDHTS = (400, 800)",
                                 tmp_path / "output")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [TYPO]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()
