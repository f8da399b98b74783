"""Sheets' cells parsed by python-calamine in two threads, while this one works.

python-calamine parses a sheet's XML without holding Python's lock (only turning the
parsed cells into Python objects holds it): asked for the ledger's sheets at once,
two threads parse them side by side while the caller turns the first ones into rows,
so an Appliquer's read takes about the time of its largest sheet instead of the sum
(docs/performance.md). Each thread has its own reader (a reader is not shared between
threads); the sheets are dealt to the threads largest first, by the size of their part,
and each thread parses its own in the order they were named (the order of the reads).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import Future
from io import BytesIO

import python_calamine

THREADS = 2  # the machines the project is measured on have two cores


class Prefetch:
    """Sheets being parsed in the background; `take` waits for one of them."""

    def __init__(self, data: bytes, sizes: Mapping[str, int], threads: int = THREADS) -> None:
        """`sizes`: the sheets to parse, by name in the order they will be read, and
        the size of each one's part."""
        self._sheets: dict[str, Future[python_calamine.CalamineSheet]] = {
            name: Future() for name in sizes}
        lanes: list[list[str]] = [[] for _ in range(max(1, threads))]
        loads = [0] * len(lanes)
        for name in sorted(sizes, key=sizes.__getitem__, reverse=True):
            lightest = loads.index(min(loads))
            lanes[lightest].append(name)
            loads[lightest] += sizes[name]
        for lane in lanes:  # each thread's sheets in the order they will be asked for
            lane.sort(key=list(sizes).index)
            if lane:
                threading.Thread(target=_parse, daemon=True, name="relances-prefetch",
                                 args=(data, [(n, self._sheets[n]) for n in lane])).start()

    def take(self, name: str) -> python_calamine.CalamineSheet | None:
        """The sheet parsed (waiting for it if need be), once; None if not prefetched.
        An error of the parse is raised here, as a read in this thread would."""
        found = self._sheets.pop(name, None)
        return None if found is None else found.result()


Parsed = Future  # a sheet being parsed: python_calamine.CalamineSheet, or the error


def _parse(data: bytes, sheets: list[tuple[str, Parsed]]) -> None:
    """One thread's sheets, one after the other, each given to its future."""
    try:
        reader = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
    except BaseException as error:  # every sheet of the lane fails the same way
        for _, parsed in sheets:
            parsed.set_exception(error)
        return
    for name, parsed in sheets:
        try:
            parsed.set_result(reader.get_sheet_by_name(name))
        except BaseException as error:  # raised to whoever takes the sheet
            parsed.set_exception(error)
