"""The entry plugin: every plugin of plugins/ registered once, in the order its comments give."""

from importlib import import_module
from pathlib import Path

import transfo
from transfo import PLUGINS, plugin_names

PLUGINS_FOLDER = Path(transfo.__file__).resolve().parents[1]


def test_every_plugin_package_is_registered_once():
    packages = {p.name for p in PLUGINS_FOLDER.glob("transfo_*") if (p / "__init__.py").is_file()}
    assert sorted(PLUGINS) == sorted(packages - {"transfo_common"})  # transfo_common is no plugin
    assert len(set(PLUGINS)) == len(PLUGINS)
    assert all(callable(import_module(name).register) for name in PLUGINS)


def test_the_constraints_the_order_comments_give():
    at = {name: index for index, name in enumerate(PLUGINS)}
    assert PLUGINS[0] == "transfo_config" and PLUGINS[-1] == "transfo_sitemap"
    assert at["transfo_validation"] < at["transfo_perf"]
    assert at["transfo_publication"] < at["transfo_newsletter"]
    assert at["transfo_output"] < at["transfo_search"] < at["transfo_promotions"] < at["transfo_perf"]
    assert at["transfo_images"] < at["transfo_perf"] and at["transfo_newsletter"] < at["transfo_perf"]


def test_plugin_names_expands_the_entry_and_keeps_the_others():
    assert plugin_names({"PLUGINS": ["transfo", "written_probe"]}) == [*PLUGINS, "written_probe"]
    assert plugin_names({"PLUGINS": [transfo]}) == list(PLUGINS)  # Pelican also takes modules
    assert plugin_names({"PLUGINS": ["transfo_config"]}) == ["transfo_config"]
    assert plugin_names({"PLUGINS": None}) == [] and plugin_names({}) == []
