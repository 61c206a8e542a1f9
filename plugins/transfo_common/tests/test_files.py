"""The one filesystem module: content keys, the content-addressed store, the stat-keyed memo."""

import os
import pickle
import time

from transfo_common import files
from transfo_common.files import (
    PRUNED_MARK,
    ContentStore,
    KeptStatMemo,
    content_key,
    memo_by_stat,
    tree_fingerprint,
)


def test_content_keys_tell_every_split_of_the_parts_apart():
    assert content_key("ab", "c") != content_key("a", "bc") != content_key("abc")
    assert content_key("é", b"x") == content_key("é".encode(), "x")
    assert len(content_key()) == 64


def test_the_store_gives_back_what_was_put_under_its_key_and_nothing_else(tmp_path):
    store = ContentStore(tmp_path / "objects")
    key = content_key("setup", "article.md", b"Title: Un\n\nCorps.")
    assert store.get(key) is None and not store.has(key)
    store.put(key, b"resultat")
    assert store.has(key) and store.get(key) == b"resultat"
    assert store.path(key).parent.name == key[:2]
    assert ContentStore(tmp_path / "objects").get(key) == b"resultat"  # another process, same folder
    assert not list((tmp_path / "objects").rglob("*.tmp"))


def test_prune_drops_only_blobs_unused_for_the_given_age(tmp_path):
    store = ContentStore(tmp_path / "objects")
    old, recent = content_key("old"), content_key("recent")
    store.put(old, b"1")
    store.put(recent, b"2")
    month_ago = time.time() - 31 * 86400
    for key in (old, recent):
        os.utime(store.path(key), (month_ago, month_ago))
    assert store.get(recent) == b"2"  # a read keeps it
    assert store.prune(30 * 86400) == 1
    assert store.get(old) is None and store.get(recent) == b"2"


def test_prune_walks_the_store_at_most_once_in_a_thirtieth_of_the_age(tmp_path):
    store = ContentStore(tmp_path / "objects")
    key = content_key("old")
    store.put(key, b"1")
    month_ago = time.time() - 31 * 86400
    os.utime(store.path(key), (month_ago, month_ago))
    assert store.prune(30 * 86400) == 1
    store.put(key, b"1")
    os.utime(store.path(key), (month_ago, month_ago))
    assert store.prune(30 * 86400) == 0 and store.has(key)  # walked less than a day ago
    two_days_ago = time.time() - 2 * 86400
    os.utime(store.folder / PRUNED_MARK, (two_days_ago, two_days_ago))
    assert store.prune(30 * 86400) == 1 and not store.has(key)


def test_a_damaged_parse_result_in_the_store_is_parsed_again(tmp_path):
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG
    from transfo_perf.reading import Preparser

    content = tmp_path / "content"
    content.mkdir()
    article = content / "a.md"
    article.write_text("Title: Un titre\nDate: 2019-11-01\n\nLe corps.\n", encoding="utf-8")
    settings = {**DEFAULT_CONFIG, "PATH": str(content)}
    first = Preparser(settings, 1, tmp_path / "cache")
    expected = first.wrap(MarkdownReader)(settings).read(str(article))
    first.save()
    [blob] = [path for path in (tmp_path / "cache" / "objects").glob("??/*") if path.is_file()]
    assert pickle.loads(blob.read_bytes())[0] == expected[0]
    blob.write_bytes(b"not a pickle")
    second = Preparser(settings, 1, tmp_path / "cache")
    assert second.wrap(MarkdownReader)(settings).read(str(article))[0] == expected[0]
    assert second.hits == 0


def test_memo_by_stat_reads_a_settled_file_once_and_a_rewritten_one_again(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    page = tmp_path / "page.html"
    page.write_text("un", encoding="utf-8")
    time.sleep(0.01)
    reads = []

    def read(path):
        reads.append(path)
        return open(path, encoding="utf-8").read()

    def memo():
        return memo_by_stat("test", str(tmp_path), [(str(page), os.stat(page))], read)

    assert memo() == {str(page): "un"} and memo() == {str(page): "un"}
    assert len(reads) == 1
    page.write_text("deux", encoding="utf-8")  # same size class, new ctime
    assert memo() == {str(page): "deux"} and len(reads) == 2


def test_a_kept_memo_serves_the_next_process_while_each_file_is_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    kept = tmp_path / "cache" / "memo.json"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("un", encoding="utf-8")
    second.write_text("deux", encoding="utf-8")
    time.sleep(0.05)
    reads = []

    def read(path):
        reads.append(os.path.basename(path))
        return [open(path, encoding="utf-8").read()]

    def lookup(memo, path):
        return memo.get(str(path), os.stat(path), read)

    memo = KeptStatMemo(kept, "v1")
    assert lookup(memo, first) == ["un"] and lookup(memo, second) == ["deux"]
    memo.save()
    later = KeptStatMemo(kept, "v1")  # the next build
    assert lookup(later, first) == ["un"] and lookup(later, second) == ["deux"]
    assert reads == ["a.txt", "b.txt"]
    second.write_text("DEUX", encoding="utf-8")  # same size, new change time
    assert lookup(later, second) == ["DEUX"] and reads[-1] == "b.txt"
    later.save()  # b changed after this process started: its new result is not kept
    time.sleep(0.05)
    again = KeptStatMemo(kept, "v1")
    assert lookup(again, first) == ["un"] and lookup(again, second) == ["DEUX"] and len(reads) == 4
    again.save()
    assert lookup(KeptStatMemo(kept, "v1"), second) == ["DEUX"] and len(reads) == 4
    assert lookup(KeptStatMemo(kept, "v2"), first) == ["un"] and len(reads) == 5  # other code

    only_a = KeptStatMemo(kept, "v1")
    lookup(only_a, first)
    only_a.save()  # b was not looked up: it leaves the memo
    assert lookup(KeptStatMemo(kept, "v1"), second) == ["DEUX"] and len(reads) == 6

    kept.write_text("{pas du json", encoding="utf-8")
    assert lookup(KeptStatMemo(kept, "v1"), first) == ["un"] and len(reads) == 7


def test_a_kept_memo_keeps_neither_a_file_too_new_to_trust_nor_a_result_it_is_told_to_forget(tmp_path):
    kept = tmp_path / "memo.json"
    page = tmp_path / "page.html"
    page.write_text("un", encoding="utf-8")  # written just now: its times cannot be trusted yet
    reads = []
    memo = KeptStatMemo(kept, "v1")
    memo.get(str(page), os.stat(page), reads.append)
    memo.save()
    KeptStatMemo(kept, "v1").get(str(page), os.stat(page), reads.append)
    assert len(reads) == 2

    os.utime(page, ns=(1, 1))  # old times; the change time is still now, so wait it out
    time.sleep(1.1)
    memo = KeptStatMemo(kept, "v1")
    memo.get(str(page), os.stat(page), reads.append)
    memo.forget(str(page))
    memo.save()
    KeptStatMemo(kept, "v1").get(str(page), os.stat(page), reads.append)
    assert len(reads) == 4


def test_a_file_changed_in_the_same_clock_tick_is_not_trusted_by_its_times(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("un", encoding="utf-8")
    stat = os.stat(page)
    assert not files.settled(stat, time.time_ns())  # written just now: read again next time
    assert files.settled(stat, time.time_ns() + 2 * files.SETTLED_NS)


def test_tree_fingerprint_sees_bytes_of_small_files_and_times_of_large_ones(tmp_path):
    (tmp_path / "a.md").write_text("un", encoding="utf-8")
    first = tree_fingerprint(tmp_path)
    (tmp_path / "a.md").write_text("deux", encoding="utf-8")
    assert tree_fingerprint(tmp_path) != first
    assert tree_fingerprint(tmp_path / "absent") == "absent"
