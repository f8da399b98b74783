"""The objects of an action kept out of the garbage collector, and given back after."""

from __future__ import annotations

import gc
import weakref

import pytest

from relances_xl.long_lived import long_lived


def test_nested_actions_give_everything_back_at_the_outermost_end() -> None:
    assert gc.get_freeze_count() == 0
    outer = [object() for _ in range(10)]
    with long_lived():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        inner = [[] for _ in range(10)]
        with long_lived():
            assert gc.get_freeze_count() > frozen
        assert gc.get_freeze_count() > frozen  # the inner end leaves the outer's frozen
    assert gc.get_freeze_count() == 0
    assert outer and inner


def test_a_failed_action_gives_its_objects_back() -> None:
    with pytest.raises(ValueError, match="stop"), long_lived():
        raise ValueError("stop")
    assert gc.get_freeze_count() == 0


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_a_cycle_dropped_during_an_action_is_freed_after_it() -> None:
    node = Node()
    alive = weakref.ref(node)
    with long_lived():
        del node
        gc.collect()
        assert alive() is not None  # frozen: out of the collector's sight
    gc.collect()
    assert alive() is None


def test_an_appliquer_leaves_nothing_frozen(workbook) -> None:
    from relances_xl.cli import apply_workbook
    from relances_xl.model import Filters
    from relances_xl.sample import DEMO_DATE

    outcome = apply_workbook(workbook, Filters(date=DEMO_DATE))

    assert outcome.rows and not outcome.blocked
    assert gc.get_freeze_count() == 0
