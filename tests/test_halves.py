"""letters/halves.py: many letters' work in two processes, results in the items' order."""

from __future__ import annotations

import os

import pytest

from relances_xl.letters import halves
from relances_xl.letters.halves import in_halves


def _pids(items: list[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def _fails_on_seven(items: list[int]) -> list[int]:
    if 7 in items:
        raise ValueError("seven")
    return items


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(halves.os, "cpu_count", lambda: 2)


def test_the_second_half_runs_in_another_process_and_comes_back_in_order(two_cores):
    done = in_halves(_pids, list(range(10)))
    assert [item for item, _ in done] == list(range(10))
    assert {pid for _, pid in done[:5]} == {os.getpid()}
    assert {pid for _, pid in done[5:]} != {os.getpid()}


def test_the_halves_are_cut_at_half_the_weight(two_cores):
    # one bundle of 500 letters against four of 500 in all: not two items against three
    done = in_halves(_pids, [0, 1, 2, 3, 4], weights=[500, 100, 100, 100, 200])
    assert [pid == os.getpid() for _, pid in done] == [True, False, False, False, False]
    # 300 + 300 against 200 + 200 is nearer to even than 300 against 700
    done = in_halves(_pids, [0, 1, 2, 3], weights=[300, 300, 200, 200])
    assert [pid == os.getpid() for _, pid in done] == [True, True, False, False]


def test_under_the_threshold_everything_stays_in_this_process(two_cores):
    done = in_halves(_pids, list(range(59)), at_least=60)
    assert {pid for _, pid in done} == {os.getpid()}
    done = in_halves(_pids, list(range(60)), at_least=60)
    assert len({pid for _, pid in done}) == 2


def test_one_core_or_one_item_stays_in_this_process(monkeypatch):
    monkeypatch.setattr(halves.os, "cpu_count", lambda: 1)
    assert {pid for _, pid in in_halves(_pids, list(range(100)))} == {os.getpid()}
    monkeypatch.setattr(halves.os, "cpu_count", lambda: 2)
    assert in_halves(_pids, [5]) == [(5, os.getpid())]
    assert in_halves(_pids, []) == []


def test_an_error_of_the_other_half_is_raised_here(two_cores):
    with pytest.raises(ValueError, match="seven"):
        in_halves(_fails_on_seven, list(range(10)))
