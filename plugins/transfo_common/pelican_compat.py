"""Every use of Pelican's private API, in one place.

Pelican's documented surface (signals, generators, readers, writers, settings) is what the
plugins build on. Where a plugin still needs something Pelican does not document, the access
lives here, behind a function whose name says what it does, and `tests/test_pelican_compat.py`
holds one contract test per access: a Pelican upgrade that changes one of them fails that test,
not the site. No other module may touch a private Pelican attribute (a source scan checks it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from pelican.contents import Content
from pelican.utils import memoized
from pelican.writers import FileOverwriteFailedError, Writer

# --- Content objects, readers and generators (content plugins) ---------------------------
# Nothing: dossiers, offers, agenda, validation and images use Pelican's public surface only
# (url/save_as metadata through read_file's context signal, `transfo_common.contents`, whose
# test holds it against the installed Pelican; content_object_init; the MARKDOWN setting).


# --- Build run, writer and rendering (transfo_perf) ---------------------------------------
# Pelican's writer, its content objects' memoized renderings and the instance's `run` are
# used by transfo_perf (rendering queued pages, the resident preview, the no-op build).

_BUILD_TIME_STATE = frozenset({"_content", "settings", "_context"})


def skip_run(pelican: Any, instead: Callable[[], None]) -> None:
    """Make this Pelican instance's `run()` call `instead`: a build with nothing to do stops
    at `initialized`, before any generator (Pelican has no signal to stop a run)."""
    pelican.run = instead


def claimed_output_path(writer: Writer, filename: str, override: bool) -> str:
    """Pelican's rules on writing one file twice (`Writer._open_w`): raise as Pelican does, else
    note the write and return where to write (os.devnull: an earlier override wins)."""
    written, overridden = writer._written_files, writer._overridden_files
    if filename in overridden:
        if override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
        return os.devnull
    if filename in written and not override:
        raise FileOverwriteFailedError(
            f'Failed to overwrite "{filename}" as Pelican has already written to it '
            "previously (set `override=True` if intended)")
    if override:
        overridden.add(filename)
    written.add(filename)
    return filename


class OpeningWriter(Writer):
    """Pelican's writer, with the file each page or feed goes to opened by `open_output`.

    Pelican opens every output file in its private `_open_w`; this is the one override of it.
    `open_output(filename, target, encoding)` returns a text stream whose `close()` leaves
    the file with its final bytes (`target` is os.devnull when Pelican keeps an earlier
    override); Pelican sends `content_written` after that close.
    """

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        return self.open_output(filename, claimed_output_path(self, filename, override), encoding)

    def open_output(self, filename: str, target: str, encoding: str) -> IO[str]:
        return open(target, "w", encoding=encoding)


def body_of(obj: Content) -> str | None:
    """The body as the reader returned it, before links are resolved (None without one)."""
    body = getattr(obj, "_content", None)
    return body if isinstance(body, str) else None


def replace_body(obj: Content, body: str) -> None:
    """Give a content object a new body, as if read so, and drop its memoized renderings."""
    obj._content = body
    forget_memoized(obj)


def take_fields(obj: Content, fresh: Content) -> None:
    """Give `obj` all that `fresh`, its file read again, was read with (fields, body, URLs),
    keeping what generators and plugins added to it since; drop its memoized renderings.
    Pelican keeps a content object's fields as its instance attributes."""
    vars(obj).update(vars(fresh))
    forget_memoized(obj)


def state_of(obj: Content) -> dict:
    """A content object's attributes but its body and the settings and context it shares."""
    return {key: value for key, value in vars(obj).items() if key not in _BUILD_TIME_STATE}


def forget_memoized(obj: Content | None = None) -> None:
    """Drop Pelican's memoized content and summary of `obj` (of every object when None)."""
    for klass in Content.__mro__:
        for value in vars(klass).values():
            if isinstance(value, memoized):
                for args in [a for a in value.cache if obj is None or (a and a[0] is obj)]:
                    del value.cache[args]


@contextmanager
def body_reads_noted(note: Callable[[Content], None]) -> Iterator[None]:
    """Call `note(obj)` whenever a page reads a content object's body: its `content`, or its
    `summary` when cut from the body. Pelican has no signal for it: its two getters are
    wrapped while the context lasts."""
    originals = {name: Content.__dict__[name] for name in ("get_content", "get_summary")}

    def get_content(obj: Content, siteurl: str) -> str:
        note(obj)
        return originals["get_content"].__get__(obj, type(obj))(siteurl)

    def get_summary(obj: Content, siteurl: str) -> str:
        if "summary" not in obj.metadata:
            note(obj)
        return originals["get_summary"].__get__(obj, type(obj))(siteurl)

    Content.get_content, Content.get_summary = get_content, get_summary
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(Content, name, original)


@contextmanager
def object_reads_noted(note: Callable[[Content], None]) -> Iterator[None]:
    """Call `note(obj)` at every read of an attribute of a content object (by a template, a filter,
    Pelican's own properties), while the context lasts. Pelican has no hook for it: the class's
    attribute lookup is wrapped; objects define none of their own."""
    own = Content.__dict__.get("__getattribute__")
    lookup = Content.__getattribute__

    def noting_lookup(obj: Content, name: str) -> Any:
        note(obj)
        return lookup(obj, name)

    Content.__getattribute__ = noting_lookup
    try:
        yield
    finally:
        if own is None:
            del Content.__getattribute__  # the lookup it inherits again
        else:
            Content.__getattribute__ = own


def wrap_read_file(readers: Any, wrapper: Callable[[Callable], Callable]) -> None:
    """Route this `Readers` instance's `read_file` through `wrapper(read_file)`: Pelican gives
    no signal with the arguments a generator read a file with."""
    readers.read_file = wrapper(readers.read_file)


def forget_templates(generator: Any) -> None:
    """Make this generator load its templates again at their next use: Pelican keeps each one its
    `get_template` loaded for good, and Jinja keeps it while its own file is unchanged, even when
    a file added earlier in the search path (THEME_TEMPLATES_OVERRIDES) now shadows it."""
    generator._templates.clear()
    if generator.env.cache is not None:
        generator.env.cache.clear()


def wrap_generate_output(generator: Any, wrapper: Callable[[Callable], Callable]) -> None:
    """Route this generator's `generate_output` through `wrapper(generate_output)`: Pelican
    sends no signal before and after each generator's output phase."""
    generator.generate_output = wrapper(generator.generate_output)


@contextmanager
def urls_kept() -> Iterator[None]:
    """Each content object's URLs computed once while the context lasts.

    Pelican formats `url` and `save_as` from the metadata at every use (a copy of the metadata
    and a relative path each time: 50,000 uses at 2,000 articles); once every generator has
    finished, they no longer change. `Content.get_url_setting` is wrapped meanwhile.
    """
    original = Content.__dict__["get_url_setting"]
    known: dict[tuple[int, str], tuple[Content, str]] = {}  # the object is kept: its id stays its own

    def get_url_setting(obj: Content, key: str) -> str:
        found = known.get((id(obj), key))
        if found is None:
            found = known[(id(obj), key)] = (obj, original(obj, key))
        return found[1]

    Content.get_url_setting = get_url_setting
    try:
        yield
    finally:
        Content.get_url_setting = original
