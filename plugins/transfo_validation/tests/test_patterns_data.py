"""patterns_data, committed, is what patterns_scan finds in this Python's Unicode tables."""

from transfo_validation import patterns_data, patterns_scan


def test_the_committed_character_classes_are_this_pythons():
    # A Python upgrade (Unicode tables, re) or a new predicate changes them: the CMS patterns would
    # no longer agree with the check.
    assert patterns_scan.DATA.read_text(encoding="utf-8") == patterns_scan.module_text(), (
        f"patterns_data.py is stale (made with Python {patterns_data.PYTHON}, Unicode {patterns_data.UNICODE}): "
        f"run {patterns_data.REGENERATE}")
