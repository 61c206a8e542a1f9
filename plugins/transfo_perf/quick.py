"""Whether anything changed, answered before Pelican and the plugins are imported.

A no-op build used to spend most of its time importing Pelican, docutils,
Jinja and every plugin only to learn, at `initialized`, that the record of
the last build still matches. The launchers (`invoke build`, the
benchmark) ask here first, with only the standard library loaded.

The answer rests on a launch key: the values the settings file defines
(it is executed; what it imports or computes is in its values), the
overrides, the working folder, Python and the installed libraries. Same key,
same resolved settings. The build that wrote the record also wrote, under
the launch key, the plan of its inputs fingerprint (`InputsPlan`): folders,
content path, settings fingerprint, date. Here those folders are
fingerprinted again and compared with the record, and the output folder
with the one the record describes. Any difference, or anything missing,
and the launcher runs Pelican, whose own check decides as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import runpy
import sys
from pathlib import Path

from transfo_common.files import note_owner, write_atomically

from . import incremental
from .fingerprint import canonical, installed_packages

LAUNCH_SETTING = "_TRANSFO_PERF_LAUNCH"  # {"key", "folder"}: set by a launcher, read by end_build
UP_TO_DATE = "Rien n'a changé depuis la dernière construction : le site est à jour."


def launch_key(settings_file: Path, overrides: dict) -> str:
    """Equal only when Pelican would resolve the same settings from this file and these overrides."""
    defined = runpy.run_path(str(settings_file), run_name="transfo_launch_settings")
    values = {name: value for name, value in defined.items() if name.isupper()}
    described = canonical([str(Path(settings_file).resolve()), values, overrides, os.getcwd(),
                           sys.executable, sys.version, installed_packages()])
    return hashlib.sha256(described.encode()).hexdigest()


def pointer_path(folder: Path, key: str) -> Path:
    return Path(folder) / f"launch-{key[:24]}.json"


def launch_setting(settings_file: Path, overrides: dict, folder: Path) -> dict:
    """The private setting a launcher adds to its overrides, so the build leaves a pointer for the
    next launch; {} when the settings file fails (Pelican then reports the error as usual)."""
    try:
        key = launch_key(settings_file, overrides)
    except Exception:
        return {}
    return {LAUNCH_SETTING: {"key": key, "folder": str(folder)}}


def remember(launch: dict, plan: incremental.InputsPlan, record: Path, output: Path) -> None:
    """Note, under the launch key, which record this launch leads to and how its inputs are fingerprinted."""
    pointer = pointer_path(Path(launch["folder"]), launch["key"])
    pointer.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(pointer, json.dumps({"key": launch["key"], "record": str(record), "output": str(output),
                                          "plan": plan.as_json()}).encode("utf-8"))
    note_owner(pointer, output)


def nothing_changed(setting: dict) -> bool:
    """True when the last build of this launch (`launch_setting`) is complete and no input or
    output changed since."""
    launch = setting.get(LAUNCH_SETTING)
    if not launch:
        return False
    pointer = incremental.load(pointer_path(Path(launch["folder"]), launch["key"]))
    if pointer.get("key") != launch["key"]:
        return False
    try:
        plan = incremental.InputsPlan.from_json(pointer["plan"])
        record = incremental.load(Path(pointer["record"]))
        output = Path(pointer["output"])
    except (KeyError, TypeError):
        return False
    if not record or record.get("outputs") != incremental.outputs_fingerprint(output):
        return False
    return record.get("inputs") == incremental.combined(plan, *incremental.inputs_fingerprints(plan))
