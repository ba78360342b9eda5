"""gongkai.reading: within one page's build a value asked for many times is computed once; outside it, every
time (a staff member who edits a section text sees it on the next page)."""

from __future__ import annotations

from collections.abc import Callable

from gongkai.reading import memo, once, one_reading


def counter() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_outside_a_block_every_ask_computes() -> None:
    _calls, compute = counter()
    assert once("k", compute) == 1
    assert once("k", compute) == 2
    assert memo() is None


def test_within_a_block_each_key_is_computed_once_and_nested_blocks_share_it() -> None:
    calls, compute = counter()
    with one_reading():
        assert once("k", compute) == 1
        with one_reading():
            assert once("k", compute) == 1
        assert once("other", compute) == 2
    assert len(calls) == 2
    with one_reading():  # a new page: computed again
        assert once("k", compute) == 3
