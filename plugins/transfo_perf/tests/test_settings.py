import pytest
from transfo_perf.settings import DEFAULTS, PerfSettingsError, read_settings


def test_defaults_and_cache_below_cache_path(tmp_path):
    cfg = read_settings({"CACHE_PATH": str(tmp_path)})
    assert cfg.write_changed_only and cfg.parallel_read and cfg.parse_cache
    assert cfg.template_cache and cfg.skip_unchanged
    assert cfg.workers >= 1
    assert cfg.cache_path == tmp_path / "transfo_perf"


@pytest.mark.parametrize("key, value", [
    ("TRANSFO_PERF_PARALLEL_READ", "yes"),
    ("TRANSFO_PERF_WORKERS", -1),
    ("TRANSFO_PERF_WORKERS", True),
    ("TRANSFO_PERF_SKIP_UNCHANGED", 1),
])
def test_bad_values_name_the_key(key, value):
    with pytest.raises(PerfSettingsError, match=key):
        read_settings({key: value})


def test_every_switch_has_a_default():
    assert all(key.startswith("TRANSFO_PERF_") for key in DEFAULTS)
