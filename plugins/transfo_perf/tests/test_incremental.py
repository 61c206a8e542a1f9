"""The last build's record made to hold an output that a preview wrote into outside a build."""

from transfo_perf import incremental


def test_a_vouched_record_holds_the_output_as_it_is_and_drops_the_pages_written_outside_a_build(tmp_path):
    output, record = tmp_path / "output", tmp_path / "cache" / "record.json"
    output.mkdir()
    (output / "a.html").write_text("a", encoding="utf-8")
    incremental.remember(record, {"inputs": "x", "pages": {"a.html": ["@a.md"], "b.html": ["@b.md"]}}, output)
    (output / "b.html").write_text("b, shown first", encoding="utf-8")  # a preview's page shown first
    assert incremental.load(record)["outputs"] != incremental.outputs_fingerprint(output)  # not trusted as is

    fingerprint = incremental.vouch(record, output, ["b.html"])
    stored = incremental.load(record)
    assert stored["outputs"] == fingerprint == incremental.outputs_fingerprint(output)
    # The next build renders b.html whatever it finds changed: no reads of it are on record.
    assert stored["pages"] == {"a.html": ["@a.md"]} and stored["inputs"] == "x"


def test_vouching_without_a_record_leaves_one_that_holds_no_page(tmp_path):
    output, record = tmp_path / "output", tmp_path / "record.json"
    output.mkdir()
    fingerprint = incremental.vouch(record, output, ["b.html"])
    assert incremental.load(record) == {"outputs": fingerprint}  # nothing to reuse: every page is rendered
