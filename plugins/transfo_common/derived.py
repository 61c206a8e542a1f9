"""Values a plugin computes from a content object's body, declared as such.

A reading time shown on a page depends on the body it was counted from.
Setting it through `set_derived` says so: a build that later swaps a new
body into the same object (transfo_perf's resident previews) can compute the
value again from the new body and see whether it changed, and the body read
made for it is not mistaken for an unknown use of the body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_derivers: dict[str, Callable[[object], object]] = {}
_deriving = False


def set_derived(obj: object, name: str, compute: Callable[[object], object]) -> None:
    """`obj.<name> = compute(obj)`; `compute` reads only `obj`'s own body and metadata."""
    _derivers[name] = compute
    with deriving():
        setattr(obj, name, compute(obj))


def derivers() -> dict[str, Callable[[object], object]]:
    """Every derived value declared so far: {attribute: how to compute it}."""
    return dict(_derivers)


@contextmanager
def deriving() -> Iterator[None]:
    """Body reads made inside are for a declared derived value."""
    global _deriving
    outer, _deriving = _deriving, True
    try:
        yield
    finally:
        _deriving = outer


def is_deriving() -> bool:
    return _deriving
