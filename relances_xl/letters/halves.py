"""Work on many letters split in two: the second half in a second process.

Cutting a bundle's PDF into its letters and numbering their pages are Python work
done after LibreOffice has finished, while one of the two cores the project is
measured on would otherwise wait (bench/letters.py, docs/performance.md). The work is
a module-level function of a list (it is sent to the other process), and its results
come back in the order of the items.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import accumulate
from typing import TypeVar

# From this many letters a second process renders half of them: on two cores the
# rendering then takes a little over half the time (bench/letters.py); under it, the
# second process's start costs more than it saves. The same for cutting and numbering.
PARALLEL_FROM = 60
Item = TypeVar("Item")
Result = TypeVar("Result")


def in_halves(work: Callable[[list[Item]], list[Result]], items: Sequence[Item], *,
              weights: Sequence[int] | None = None, at_least: int = 2) -> list[Result]:
    """`work(items)`, its second half in another process when the items weigh at least
    `at_least` (each 1 by default) and the machine has two cores; the halves are cut
    at half the weight. An error of either half is raised here."""
    weights = [1] * len(items) if weights is None else list(weights)
    total = sum(weights)
    if len(items) < 2 or total < at_least or (os.cpu_count() or 1) < 2:
        return work(list(items))
    before = list(accumulate(weights))  # the weight of the items before each cut
    half = min(range(1, len(items)), key=lambda cut: abs(2 * before[cut - 1] - total))
    with ProcessPoolExecutor(max_workers=1) as pool:
        other = pool.submit(work, list(items[half:]))
        mine = work(list(items[:half]))
        return mine + other.result()
