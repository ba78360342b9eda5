"""One reading: within a block that builds one page (a report, last year's, the trend, the findings), a value
asked for many times — a scope's sums, a body's section texts, last year's narrative — is computed once.

Outside a block ``once`` computes every time. Nothing may be written in the block that should be seen in it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar, cast

T = TypeVar("T")

_READING: ContextVar[dict[Any, Any] | None] = ContextVar("gongkai_reading", default=None)


@contextlib.contextmanager
def one_reading() -> Iterator[None]:
    """Values asked for in the block are computed once (nested blocks share the outer one's)."""
    outer = _READING.get()
    token = _READING.set({} if outer is None else outer)
    try:
        yield
    finally:
        _READING.reset(token)


def memo() -> dict[Any, Any] | None:
    """The block's memo, or None outside a block."""
    return _READING.get()


def once(key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` in the current block."""
    found = _READING.get()
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    return cast(T, found[key])
