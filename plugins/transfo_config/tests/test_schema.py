"""The configuration schema: every key declared once, checked all at once, documented."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from pelican.settings import read_settings as pelican_settings
from transfo_common.config import RESOLVED_NOW, unknown_keys, value_problems
from transfo_config.schema import ENVIRONMENT, INTERNAL, SCHEMA, reference

ROOT = Path(__file__).resolve().parents[3]
KEY = re.compile(r"""["'](TRANSFO_[A-Z0-9_]*[A-Z0-9])["']""")


def test_every_key_is_declared_once():
    names = [setting.name for setting in SCHEMA]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_transfo_key_the_code_reads_is_declared():
    declared = {setting.name for setting in SCHEMA} | set(INTERNAL) | set(ENVIRONMENT)
    used = {}
    for source in [*(ROOT / "plugins").rglob("*.py"), ROOT / "pelicanconf.py", ROOT / "publishconf.py"]:
        if "tests" in source.relative_to(ROOT).parts:
            continue
        for key in KEY.findall(source.read_text(encoding="utf-8")):
            used.setdefault(key, source.relative_to(ROOT).as_posix())
    for conf in ("pelicanconf.py", "publishconf.py"):
        for line in (ROOT / conf).read_text(encoding="utf-8").splitlines():
            if match := re.match(r"(TRANSFO_[A-Z0-9_]+)\s*=", line):
                used.setdefault(match[1], conf)
    assert len(used) > 80  # the scan sees the plugins' keys
    assert {key: where for key, where in used.items() if key not in declared} == {}


def test_every_default_passes_its_own_check():
    assert value_problems({setting.name: setting.default for setting in SCHEMA}, SCHEMA) == []


def test_the_project_settings_pass_the_schema():
    for conf in ("pelicanconf.py", "publishconf.py"):
        settings = pelican_settings(str(ROOT / conf))
        assert value_problems(settings, SCHEMA) == [], conf
        assert unknown_keys(settings, SCHEMA, INTERNAL) == [], conf


def test_every_wrong_value_is_reported_at_once_one_french_line_each():
    lines = value_problems({"TRANSFO_RELATED_MAX": -1, "TRANSFO_IMAGES_WIDTHS": "400,800",
                            "TIMEZONE": "Europe/Bruxelles", "TRANSFO_SEARCH_ENABLED": "oui",
                            "TRANSFO_ADMIN_PUBLISH_MODE": "relecture", "TRANSFO_NOW": "30/11/2019"},
                           SCHEMA)
    assert sorted(lines) == sorted([
        "Réglage TIMEZONE : trouvé 'Europe/Bruxelles' ; attendu : un fuseau horaire IANA comme "
        "« Europe/Brussels »",
        "Réglage TRANSFO_NOW : trouvé '30/11/2019' ; attendu : une date AAAA-MM-JJ, AAAA-MM-JJTHH:MM, "
        "ou None (l’heure réelle)",
        "Réglage TRANSFO_RELATED_MAX : trouvé -1 ; attendu : un nombre entier, 0 ou plus",
        "Réglage TRANSFO_SEARCH_ENABLED : trouvé 'oui' ; attendu : True ou False",
        "Réglage TRANSFO_IMAGES_WIDTHS : trouvé '400,800' ; attendu : une liste de largeurs en pixels "
        "(16 à 8000), comme (400, 800, 1200)",
        "Réglage TRANSFO_ADMIN_PUBLISH_MODE : trouvé 'relecture' ; attendu : l’une de ces valeurs : "
        "'', 'editorial_workflow'",
    ])


def test_booleans_are_not_counts_and_none_is_not_a_text():
    lines = value_problems({"TRANSFO_RELATED_MAX": True, "TRANSFO_DOSSIERS_RUBRIC": None}, SCHEMA)
    assert sorted(line.split(" : ")[0] for line in lines) == [
        "Réglage TRANSFO_DOSSIERS_RUBRIC", "Réglage TRANSFO_RELATED_MAX"]


def test_unknown_keys_get_the_closest_name_and_only_transfo_keys_are_judged():
    lines = unknown_keys({"TRANSFO_IMAGES_WIDHTS": (400,), "TRANSFO_FOO": 1, "SITENAME": "x",
                          "MY_PLUGIN_SETTING": 1, "TRANSFO_RELATED_MAX": 3}, SCHEMA)
    assert lines == [
        "TRANSFO_FOO : réglage inconnu",
        "TRANSFO_IMAGES_WIDHTS : réglage inconnu (vouliez-vous dire « TRANSFO_IMAGES_WIDTHS » ?)",
    ]


def test_the_settings_reference_is_up_to_date():
    """docs/reglages.md is what `invoke settings-doc` writes from the schema."""
    committed = (ROOT / "docs" / "reglages.md").read_text(encoding="utf-8")
    assert committed == reference(), "docs/reglages.md is stale: run `invoke settings-doc`"
    for setting in SCHEMA:
        assert f"### `{setting.name}`" in committed


def test_one_build_date_for_every_plugin_with_the_real_clock(tmp_path):
    """With TRANSFO_NOW = None the clock is read once, at initialized; every later reader gets it.

    In a fresh process: Pelican's signals keep the receivers other tests connected."""
    (tmp_path / "content").mkdir()
    script = f"""
import time
from pelican import Pelican
from pelican.settings import read_settings
from transfo_publication.settings import read_settings as publication_settings
settings = read_settings(override={{
    "PATH": {str(tmp_path / "content")!r}, "OUTPUT_PATH": {str(tmp_path / "output")!r},
    "PLUGIN_PATHS": [{str(ROOT / "plugins")!r}], "PLUGINS": ["transfo_config"], "TRANSFO_NOW": None}})
Pelican(settings)
first = publication_settings(settings)
time.sleep(0.01)
print(settings["{RESOLVED_NOW}"].isoformat(), first.now.isoformat(), publication_settings(settings).now.isoformat(),
      first.now_pinned)
"""
    before = datetime.now().astimezone()
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    resolved, first, second, pinned = result.stdout.split()
    assert resolved == first == second and pinned == "False"
    assert datetime.fromisoformat(resolved) >= before
