"""A watched folder's listing is the walk's, whatever happens on disk between two calls."""

import os
import random
import shutil
import subprocess
import sys
import tempfile

import pytest
from transfo_common import tree


@pytest.fixture
def watched(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    assert tree.watch(root)
    yield root
    tree.unwatch(root)


def comparable(listing: dict, links_counted: bool) -> dict:
    return {name: (found.st_ino, found.st_size, found.st_mtime_ns, found.st_mode)
            + ((found.st_ctime_ns, found.st_nlink) if links_counted else ())
            for name, found in listing.items()}


def assert_as_walked(root, links_counted: bool = True) -> None:
    assert comparable(tree.files(root), links_counted) == comparable(tree.walk(root), links_counted)


def write(path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_walk_enters_folders_but_not_links_to_folders_and_skips_broken_links(tmp_path):
    write(tmp_path / "a" / "b" / "page.html")
    write(tmp_path / "__pycache__" / "x.pyc")
    (tmp_path / "to-a").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "broken").symlink_to(tmp_path / "nowhere")
    links = set()
    listing = tree.walk(tmp_path, links=links)
    assert set(listing) == {"a/b/page.html", "__pycache__/x.pyc", "to-a"}
    assert listing["to-a"].st_ino == (tmp_path / "a").stat().st_ino
    assert links == {"to-a", "broken"}
    assert set(tree.walk(tmp_path, skipped_dirs={"__pycache__"})) == {"a/b/page.html", "to-a"}
    assert tree.walk(tmp_path / "missing") == {}


def test_a_watch_follows_writes_moves_and_deletions(watched):
    write(watched / "index.html")
    write(watched / "2019" / "a" / "index.html")
    assert_as_walked(watched)
    (watched / "index.html").write_text("y", encoding="utf-8")  # same size, another time
    os.utime(watched / "2019" / "a" / "index.html", ns=(1, 1))
    assert_as_walked(watched)
    (watched / "2019" / "a").rename(watched / "2019" / "b")
    assert_as_walked(watched)
    shutil.rmtree(watched / "2019")
    write(watched / "2019", "a file where a folder was")
    assert_as_walked(watched)
    assert set(tree.files(watched)) == {"index.html", "2019"}


def test_a_folder_created_and_filled_between_two_calls_is_listed_whole(watched):
    tree.files(watched)
    for number in range(30):
        write(watched / "pagefind" / "0" / "fragment" / f"{number}.pf_fragment")
    assert len([name for name in tree.files(watched) if name.startswith("pagefind/0/fragment/")]) == 30
    assert_as_walked(watched)


def test_a_folder_moved_into_a_new_one_is_followed_by_a_new_watcher(watched):
    """The watcher may drop a folder moved into one it does not watch yet, and events cannot tell
    whether it did: the watch starts again, and what is written in the folder later is listed."""
    write(watched / "old" / "sub" / "a.html")
    tree.files(watched)
    kept = tree._watches[str(watched)]
    watcher = kept._notify
    write(watched / "new" / "b.html")
    (watched / "old" / "sub").rename(watched / "new" / "sub")
    assert_as_walked(watched)
    assert kept._notify is not watcher
    write(watched / "new" / "sub" / "c.html")
    assert_as_walked(watched)


def test_a_file_written_through_another_of_its_names_is_seen_under_both(watched):
    write(watched / "a" / "one.html")
    write(watched / "b" / "keep.html")
    tree.files(watched)
    os.link(watched / "a" / "one.html", watched / "b" / "two.html")
    assert_as_walked(watched)
    with open(watched / "b" / "two.html", "a", encoding="utf-8") as stream:
        stream.write("more")
    assert tree.files(watched)["a/one.html"].st_size == 5
    assert_as_walked(watched)
    # a name that comes, is written through, and goes between two calls
    os.link(watched / "a" / "one.html", watched / "b" / "three.html")
    with open(watched / "b" / "three.html", "a", encoding="utf-8") as stream:
        stream.write("!")
    (watched / "b" / "three.html").unlink()
    (watched / "b" / "two.html").unlink()
    assert tree.files(watched)["a/one.html"].st_size == 6
    assert_as_walked(watched)


def test_a_link_is_looked_at_again_at_each_call(watched, tmp_path):
    target = tmp_path / "elsewhere.html"
    write(target)
    (watched / "link.html").symlink_to(target)
    (watched / "gone.html").symlink_to(tmp_path / "not-yet.html")
    assert_as_walked(watched)
    target.write_text("longer", encoding="utf-8")  # no event in the watched folder
    write(tmp_path / "not-yet.html")
    assert tree.files(watched)["link.html"].st_size == 6
    assert "gone.html" in tree.files(watched)
    assert_as_walked(watched)


def test_a_watcher_that_stops_means_a_walk_from_then_on(watched):
    write(watched / "a.html")
    tree.files(watched)
    tree._watches[str(watched)]._notify.close()  # as if its thread had died
    write(watched / "b.html")
    assert set(tree.files(watched)) == {"a.html", "b.html"}
    assert not tree.watching(watched)
    write(watched / "c.html")
    assert set(tree.files(watched)) == {"a.html", "b.html", "c.html"}


def test_a_root_deleted_and_made_again_is_followed(watched):
    write(watched / "a.html")
    tree.files(watched)
    shutil.rmtree(watched)
    assert tree.files(watched) == {}
    write(watched / "b.html")
    assert set(tree.files(watched)) == {"b.html"}
    write(watched / "c" / "d.html")
    assert_as_walked(watched)


def test_without_inotify_or_past_the_systems_limit_the_folder_is_walked(tmp_path, monkeypatch):
    write(tmp_path / "a.html")

    def refused(*_args):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(tree, "RustNotify", refused)
    assert not tree.watch(tmp_path)
    assert set(tree.files(tmp_path)) == {"a.html"}
    monkeypatch.undo()
    assert tree.watch(tmp_path)
    try:
        monkeypatch.setattr(tree.Watch, "_read_changes", refused)
        write(tmp_path / "new" / "b.html")
        assert set(tree.files(tmp_path)) == {"a.html", "new/b.html"}
        assert str(tmp_path) not in tree._watches  # walked from now on
    finally:
        tree.unwatch(tmp_path)


def test_a_page_replaced_by_an_atomic_write_is_followed_without_a_full_listing(watched):
    from transfo_common.files import write_atomically

    write(watched / "a" / "index.html")
    write(watched / "b" / "index.html")
    tree.files(watched)
    kept = tree._watches[str(watched)]
    relisted = []
    original = kept._relist
    kept._relist = lambda folder: relisted.append(folder) or original(folder)
    write_atomically(watched / "a" / "index.html", b"une page plus longue")
    assert tree.files(watched)["a/index.html"].st_size == 20
    assert relisted == []  # the temporary name came and went, renamed over the page
    assert_as_walked(watched)


def test_the_token_folder_is_removed_with_the_watch(tmp_path):
    assert tree.watch(tmp_path)
    tokens = tree._watches[str(tmp_path)]._tokens
    assert os.path.isdir(tokens) and os.listdir(tokens) == []
    tree.unwatch(tmp_path)
    assert not os.path.exists(tokens)


def watch_in_a_process_that_ends(root, temp, ending: str) -> None:
    code = f"from transfo_common import tree; import os, signal; assert tree.watch({str(root)!r}); {ending}"
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "TMPDIR": str(temp)}, check=False)


def test_a_process_that_ends_without_closing_its_watch_leaves_no_token_folder(tmp_path):
    temp, root = tmp_path / "temp", tmp_path / "site"
    temp.mkdir()
    root.mkdir()
    watch_in_a_process_that_ends(root, temp, "pass")
    assert os.listdir(temp) == []


def test_token_folders_of_killed_processes_are_removed_by_the_next_watch(tmp_path, monkeypatch):
    temp, root = tmp_path / "temp", tmp_path / "site"
    temp.mkdir()
    root.mkdir()
    watch_in_a_process_that_ends(root, temp, "os.kill(os.getpid(), signal.SIGKILL)")
    [left] = os.listdir(temp)
    assert left.startswith("transfo-watch-")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert tree.watch(root)
    try:
        [own] = os.listdir(temp)
        assert own.startswith(f"transfo-watch-{os.getpid()}-")
    finally:
        tree.unwatch(root)
    assert os.listdir(temp) == []


@pytest.mark.parametrize("seed", range(8))
def test_random_changes_give_the_walks_listing(watched, seed):
    """Files and folders written, touched, moved, linked and deleted at random; the listing is
    compared with a walk now and then (odd seeds also link folders, which ends the watch: the
    rest is walked). Files are written in place only through their one name, and
    link counts are not compared: a hard link made in a folder not yet listed, then written
    through or removed, is the documented limit."""
    rng = random.Random(seed)

    def folders():
        return [top for top, _subfolders, _files in os.walk(watched)]

    def files_in(folder, single=False):
        return [e.path for e in os.scandir(folder) if e.is_file() and not (single and e.stat().st_nlink > 1)]

    for _step in range(400):
        folder, draw = rng.choice(folders()), rng.random()
        try:
            if draw < 0.3:
                write(type(watched)(folder) / f"f{rng.randrange(40)}.html", "x" * rng.randrange(60))
            elif draw < 0.4:
                write(type(watched)(folder) / f"d{rng.randrange(6)}" / f"e{rng.randrange(3)}" / "g.txt")
            elif draw < 0.5 and files_in(folder):
                os.unlink(rng.choice(files_in(folder)))
            elif draw < 0.55 and folder != str(watched):
                shutil.rmtree(folder)
            elif draw < 0.65 and folder != str(watched):
                os.rename(folder, os.path.join(rng.choice(folders()), f"m{rng.randrange(60)}"))
            elif draw < 0.75 and files_in(folder, single=True):
                os.utime(rng.choice(files_in(folder, single=True)), ns=(rng.randrange(10**18),) * 2)
            elif draw < 0.8 and files_in(folder):
                os.rename(rng.choice(files_in(folder)), os.path.join(rng.choice(folders()), f"r{rng.randrange(20)}"))
            elif draw < 0.85 and files_in(folder):
                os.link(rng.choice(files_in(folder)), os.path.join(rng.choice(folders()), f"l{rng.randrange(20)}"))
            elif draw < 0.88 and seed % 2:  # a link to a folder ends the watch: odd seeds only
                os.symlink(rng.choice(folders()), os.path.join(folder, f"s{rng.randrange(20)}"))
            elif files_in(folder, single=True):
                with open(rng.choice(files_in(folder, single=True)), "a", encoding="utf-8") as stream:
                    stream.write("z")
        except OSError:  # a name taken, a folder moved into itself: skipped, as an editor's tool would
            pass
        if rng.random() < 0.2:
            assert_as_walked(watched, links_counted=False)
    assert_as_walked(watched, links_counted=False)
    assert tree.watching(watched) == (seed % 2 == 0)  # even seeds: watched all along


def test_the_version_changes_with_the_listing_only(watched, tmp_path):
    write(watched / "a.html")
    tree.files(watched)
    first = tree.version(watched)
    tree.files(watched)
    assert tree.version(watched) == first  # nothing happened
    write(watched / "a.html", "changed")
    tree.files(watched)
    assert tree.version(watched) != first
    assert tree.version(tmp_path) is None  # not watched


def test_names_in_skipped_folders_are_left_out_watched_or_not(tmp_path):
    write(tmp_path / "a" / "__pycache__" / "x.pyc")
    write(tmp_path / "a" / "x.py")
    write(tmp_path / "b.git" / "y.py")  # a name that only contains a skipped one
    walked = tree.files(tmp_path, {".git", "__pycache__"})
    assert set(walked) == {"a/x.py", "b.git/y.py"}
    assert tree.watch(tmp_path)
    try:
        assert set(tree.files(tmp_path, {".git", "__pycache__"})) == set(walked)
        write(tmp_path / "a" / "__pycache__" / "z.pyc")
        write(tmp_path / "a" / "z.py")
        assert set(tree.files(tmp_path, {".git", "__pycache__"})) == {"a/x.py", "a/z.py", "b.git/y.py"}
    finally:
        tree.unwatch(tmp_path)


def test_each_call_gets_a_listing_of_its_own(watched):
    """A thread may go through one listing while another asks for the next (background work)."""
    write(watched / "a.html")
    first = tree.files(watched)
    write(watched / "b.html")
    second = tree.files(watched)
    assert set(first) == {"a.html"} and set(second) == {"a.html", "b.html"}
    first.clear()
    assert set(tree.files(watched)) == {"a.html", "b.html"}


def test_a_change_no_event_reported_is_found_by_verify_which_lists_the_folder_again(watched, tmp_path):
    """A write through a name outside the tree gives no event, as a kernel queue that overflowed
    gives none for what it dropped (watchfiles drops that signal)."""
    write(watched / "a" / "page.html")
    os.link(watched / "a" / "page.html", tmp_path / "outside.html")
    assert tree.verify(watched)
    with open(tmp_path / "outside.html", "a", encoding="utf-8") as stream:
        stream.write("more")
    assert tree.files(watched)["a/page.html"].st_size == 1  # the watch did not see it
    assert not tree.verify(watched)
    assert tree.watching(watched) and tree.files(watched)["a/page.html"].st_size == 5
    assert tree.verify(watched)
    tree.unwatch(watched)
    assert tree.verify(watched)  # nothing watched: nothing to disagree
