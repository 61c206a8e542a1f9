"""Which pages a build must render again, from what changed since the last one.

A page shows four kinds of things: the site as a whole (settings, theme
files other than templates, code, files), the content objects it reads
(each one's fields with all that plugins derived from them), the bodies of
some of them, and what its templates make of its context: their sources and
the values they look up (`page_views`). The first is summed up in one key;
each object's state has its digest (`object_states`); the bodies and the
objects a page read are recorded while it renders (`BodyReads`, and
`rendering`'s object reads). When the site key is the last build's and the
output folder is as that build left it, a page is rendered again only when
a body or an object it read changed (an object gone or new counts), or
its view, or when the last build did not render it. Otherwise every page is
rendered (and written only if its bytes changed).

The build date is not in the site key: it reaches pages through their
context (an offer closed, an event past, the home's next events), so a new
day renders again only the pages whose view it changed. A template that
reaches the settings through an object (`article.settings`) has the date
in its view too.
"""

from __future__ import annotations

import hashlib
import json
import os
import types
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2 import meta, nodes
from pelican.contents import Content
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer
from transfo_common import derived
from transfo_common.config import DATE_SETTINGS
from transfo_common.files import ContentStore, content_key
from transfo_common.pelican_compat import body_of, body_reads_noted, state_of, wrap_generate_output

from .fingerprint import canonical
from .templates import environment_fingerprint

if TYPE_CHECKING:  # rendering imports this module
    from .rendering import RenderJob

UNKNOWN_BODY = "*"  # a body read from an object without a source file: render every time
# Before a source path in a page's reads: the page read fields of that object (not its body).
FIELDS_OF = "@"
# Among a template's names when it reads an object's `settings` (Pelican gives content objects and
# paginators theirs): the date is then in its view. Not an identifier, so never a context name.
SETTINGS_THROUGH_AN_OBJECT = ".settings"


def _reference(value: object) -> str | None:
    """Content objects and URL wrappers by name: each object's own state is in the key once."""
    if isinstance(value, Content):
        return f"<{type(value).__name__} {value.source_path}>"
    if isinstance(value, URLWrapper):
        return f"<{type(value).__name__} {value.name}>"
    return None


class _Names:
    """Names content objects, and describes each other object once: later mentions of it
    are a digest of that description.

    Plugins hang shared objects on many content objects (a portrait region listing
    hundreds of portraits): described in full at every mention, the key would grow
    with the square of the site. `settings`, when given, is named too (Pelican's
    paginators hold it): the site key has it, the build date aside.
    """

    def __init__(self, settings: dict | None = None) -> None:
        self._known: dict[int, str] = {}
        self._kept: list[object] = []  # the described objects stay alive: their ids stay theirs
        self._settings = settings

    def __call__(self, value: object) -> str | None:
        if value is self._settings and value is not None:
            return "<settings>"
        named = _reference(value)
        if named is not None or not hasattr(value, "__dict__") or isinstance(value, _DESCRIBED_BY_CANONICAL):
            return named
        key = id(value)
        if key not in self._known:
            self._known[key] = f"<{type(value).__qualname__} …>"  # a mention inside its own description
            description = canonical(vars(value), reference=self)
            digest = hashlib.sha256(description.encode()).hexdigest()[:20]
            self._known[key] = f"<{type(value).__qualname__}#{digest}>"
            self._kept.append(value)
        return self._known[key]


# Containers are described by their items, even a subclass with attributes of its own: those of
# `membership.IdentityMembers` are its items' memory addresses, new in every process.
_DESCRIBED_BY_CANONICAL = (type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType,
                           list, tuple, dict, set, frozenset)


def object_state(obj: Content, names: _Names | None = None) -> str:
    """What pages may show of a content object, its body aside (compared on its own), and the
    settings and context it shares (in the site key by other means)."""
    return canonical(state_of(obj), reference=names or _Names())


def content_objects(context: dict) -> list[Content]:
    """Every content object of a build: articles, pages, drafts, static files."""
    found = {**context.get("static_content", {}), **context.get("generated_content", {})}
    return [obj for obj in found.values() if isinstance(obj, Content)]


def object_states(objects: Iterable[Content]) -> dict[str, str]:
    """{source path: digest of `object_state`}: a page that read an object whose state changed
    (or that is gone, or new) is rendered again."""
    names = _Names()  # a shared object is described in full at its first mention: in a fixed order
    return {str(obj.source_path): hashlib.sha256(object_state(obj, names).encode()).hexdigest()[:20]
            for obj in sorted(objects, key=lambda o: str(o.source_path))}


def naming(objects: Iterable[Content], changed: Collection[str]) -> set[str]:
    """The objects whose body or fields name the file of a changed object (by its file name, a
    superset of Pelican's `{filename}` links): the text Pelican rendered from them, kept for the
    build (`get_content` is memoized), holds that object's address, while a page reading it after
    the first never reads the linked object itself."""
    names = {os.path.basename(path) for path in changed if path != UNKNOWN_BODY}
    if not names:
        return set()
    found = set()
    for obj in objects:
        texts = (body_of(obj) or "", repr(getattr(obj, "metadata", None)))
        if any(name in text for name in names for text in texts):
            found.add(str(obj.source_path))
    return found


@dataclass(frozen=True)
class TemplateReads:
    """What a template, with the templates it extends, includes or imports, takes from outside."""
    names: frozenset[str] | None  # the context names it may look up; None: any (a template chosen at render time)
    sources: str  # digest of those templates' sources (of all the loader's when one is chosen at render time)


def template_reads(template: jinja2.Template, store: ContentStore | None = None) -> TemplateReads:
    """Every name `template` and the templates it uses may look up in its context (a superset: loop
    variables and macro arguments too), and their sources. `store`: where each source's analysis
    is kept between processes."""
    env, names, sources = template.environment, set[str](), dict[str, str | None]()
    todo: list[str | None] = [template.name]
    while todo:
        name = todo.pop()
        if name is None or env.loader is None:
            return TemplateReads(None, _all_sources(env))
        if name in sources:
            continue
        sources[name] = source = _source(env, name)
        if source is not None:  # a missing template ({% include ... ignore missing %}) reads nothing
            looked_up, referenced = _names_in(env, source, store)
            names.update(looked_up)
            todo.extend(referenced)
    return TemplateReads(frozenset(names), canonical(sources))


def _source(env: jinja2.Environment, name: str) -> str | None:
    assert env.loader is not None
    try:
        return env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return None


def _all_sources(env: jinja2.Environment) -> str:
    """Every template the loader can give: a page whose template is chosen at render time may use any."""
    if env.loader is None:
        return ""
    return canonical({name: _source(env, name) for name in env.loader.list_templates()})


_Analysis = tuple[frozenset[str], tuple[str | None, ...]]
_PARSED: weakref.WeakKeyDictionary[jinja2.Environment, dict[str, _Analysis]] = weakref.WeakKeyDictionary()
# What a stored analysis was computed by: this module's code (with the environment's fingerprint
# and the source, its key in the store).
_ANALYSIS_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _names_in(env: jinja2.Environment, source: str, store: ContentStore | None) -> _Analysis:
    """The names one template's source looks up, and the templates it names (None: chosen at
    render time). Parsing is the cost (the theme's sources took 0.2-0.3 s of each build in a new
    process, a quarter of a small site's build): each source once per environment, and once for
    good with a `store`."""
    known = _PARSED.setdefault(env, {})
    if source not in known:
        known[source] = _parse_names(env, source) if store is None else _stored_names(env, source, store)
    return known[source]


def _stored_names(env: jinja2.Environment, source: str, store: ContentStore) -> _Analysis:
    key = content_key("template names", _ANALYSIS_CODE, environment_fingerprint(env), source)
    blob = store.get(key)
    if blob is not None:
        try:
            looked_up, referenced = json.loads(blob)
            return frozenset(looked_up), tuple(referenced)
        except (ValueError, TypeError):
            pass  # a damaged blob: analysed again and replaced
    analysis = _parse_names(env, source)
    store.put(key, json.dumps([sorted(analysis[0]), list(analysis[1])]).encode())
    return analysis


def _parse_names(env: jinja2.Environment, source: str) -> _Analysis:
    tree = env.parse(source)
    looked_up = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    if _reads_settings(tree):
        looked_up.add(SETTINGS_THROUGH_AN_OBJECT)
    return frozenset(looked_up), tuple(meta.find_referenced_templates(tree))


def _reads_settings(tree: nodes.Template) -> bool:
    """`x.settings`, `x["settings"]` or `x|attr("settings")` anywhere in a template."""
    return (any(node.attr == "settings" for node in tree.find_all(nodes.Getattr))
            or any(isinstance(node.arg, nodes.Const) and node.arg.value == "settings"
                   for node in tree.find_all(nodes.Getitem))
            or any(node.name == "attr" and any(isinstance(arg, nodes.Const) and arg.value == "settings"
                                               for arg in node.args)
                   for node in tree.find_all(nodes.Filter)))


def page_views(jobs: Iterable[RenderJob], settings: dict | None = None,
               store: ContentStore | None = None) -> dict[str, str]:
    """{page: digest of its templates' sources and of the context values they may look up}: a page
    whose view and read bodies are the last build's, in a site whose key is too, renders the same
    bytes. `store`: where the templates' analyses are kept (`template_reads`)."""
    describe = _Names(settings)
    digests: dict[int, str] = {}  # id of a context value -> its digest (values are shared by pages)
    reads_of: dict[tuple[int, str | None], TemplateReads] = {}
    views = {}
    for job in jobs:
        template = job.template
        key = (id(template.environment), template.name)
        if key not in reads_of:
            reads_of[key] = template_reads(template, store)
        context, reads = job.localcontext, reads_of[key]
        sha = hashlib.sha256(reads.sources.encode())
        for name in sorted(context if reads.names is None else reads.names & context.keys()):
            value = context[name]
            digest = digests.get(id(value))
            if digest is None:
                text = canonical(value, reference=describe)
                digest = digests[id(value)] = hashlib.sha256(text.encode()).hexdigest()[:20]
            sha.update(f"{name}\0{digest}\0".encode())
        if reads.names is not None and SETTINGS_THROUGH_AN_OBJECT in reads.names:
            sha.update(canonical({key: (settings or {}).get(key) for key in DATE_SETTINGS}).encode())
        views[job.name] = sha.hexdigest()[:20]
    return views


def changed_views(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Pages whose view differs from the last build's (or that it did not render)."""
    return {name for name, view in after.items() if before.get(name) != view}


def body_hashes(objects: Iterable[Content]) -> dict[str, str]:
    return {str(obj.source_path): hashlib.sha256(body.encode()).hexdigest()
            for obj in objects if (body := body_of(obj)) is not None}


def changed_digests(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The paths whose digest (of a body, an object's state, a file) differs, or is on one side only."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def needs_render(name: str, previous_pages: dict[str, list[str]], changed: set[str]) -> bool:
    """True when page `name` was not rendered by the last build or read something `changed` (a
    body, an object's fields after `FIELDS_OF`, a content file)."""
    read = previous_pages.get(name)
    return read is None or UNKNOWN_BODY in read or not changed.isdisjoint(read)


def pages_to_render(jobs: list[RenderJob], previous_pages: dict[str, list[str]], changed: set[str],
                    early: set[str], viewed: Collection[str] = ()) -> list[RenderJob] | None:
    """The queued pages (`rendering.RenderJob`) to render again when only the bodies `changed`
    and the views of pages `viewed` since the build that rendered `previous_pages`; None when
    every page must be (a changed body was read `early`, before the generators asked for pages:
    any page may show it)."""
    if not changed.isdisjoint(early):
        return None
    return [job for job in jobs if needs_render(job.name, previous_pages, changed)
            or not changed.isdisjoint(job.asked_with) or job.name in viewed]


class BodyReads:
    """The source files whose body each page's rendering read.

    While `recording()` is active, every read of a body (`content`, or
    `summary` when cut from the body) notes the object it was read from for
    the page being rendered (`current`).
    """

    def __init__(self) -> None:
        self.current: set[str] | None = None

    def note(self, obj: Content) -> None:
        if self.current is not None and not derived.is_deriving():
            self.current.add(str(obj.source_path) if getattr(obj, "source_path", None) else UNKNOWN_BODY)

    @contextmanager
    def recording(self) -> Iterator[BodyReads]:
        with body_reads_noted(self.note):
            yield self

    @contextmanager
    def page(self, into: set[str]) -> Iterator[None]:
        """Note the bodies read while rendering one page into `into`."""
        self.current = into
        try:
            yield
        finally:
            self.current = None


class BuildReads:
    """The bodies a build read outside page rendering, and where they may show.

    A page is rendered again only when a body its rendering read changed
    (`BodyReads`). A body read before may show on pages another way: read
    into the shared context before the output phase (`early`: any page may
    show it), or read by a generator before it asked for a page (it may have
    passed the body to that page, as the offers' structured data does: each
    queued page keeps the bodies its generator had read so far, see
    `rendering.RenderJob.asked_with`). `outputs[i]` holds all that generator
    i read in its output phase: what it wrote itself (a feed, .ics files)
    may hold them. Only one build is traced at a time: starting a trace ends
    the one a failed build left running.
    """

    _running: BuildReads | None = None

    def __init__(self) -> None:
        self.reads = BodyReads()
        self.early: set[str] = set()
        self.outputs: dict[int, set[str]] = {}  # generator index -> bodies read by its output phase
        self._stack: ExitStack | None = None

    def start(self) -> None:
        BuildReads.stop_running()
        self.reads.current = self.early
        self._stack = ExitStack()
        self._stack.enter_context(self.reads.recording())
        BuildReads._running = self

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None
        if BuildReads._running is self:
            BuildReads._running = None

    @classmethod
    def stop_running(cls) -> None:
        if cls._running is not None:
            cls._running.stop()

    def follow_outputs(self, generators: Iterable[Generator], skip: type) -> None:
        """all_generators_finalized: from now on, reads are each generator's own (but `skip`'s)."""
        self.reads.current = None
        for index, generator in enumerate(generators):
            if hasattr(generator, "generate_output") and not isinstance(generator, skip):
                wrap_generate_output(generator, partial(self._followed, index))

    def _followed(self, index: int, method: Callable[[Writer], object]) -> Callable[[Writer], object]:
        def generate_output(writer: Writer) -> object:
            read: set[str] = set()
            self.outputs[index] = self.reads.current = read
            if hasattr(writer, "asker"):  # a QueueingWriter: its pages note what was read before them
                writer.asker = (index, read)
            try:
                return method(writer)
            finally:
                self.reads.current = None
                if hasattr(writer, "asker"):
                    writer.asker = None
        return generate_output
