"""bench/instructions.py counts the engine's instructions under valgrind.

Its point is a figure that does not move with the machine's load: the same ledger
counted twice must give the same counts, and a run of the engine must cost more
than the sum of the ledger's amounts it is set beside.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

pytestmark = pytest.mark.skipif(
    shutil.which("valgrind") is None and not os.environ.get("RELANCES_REQUIRE_VALGRIND"),
    reason="valgrind is not installed (.ci/run installs it)")


def _bench():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_instructions", BENCH / "instructions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_same_ledger_counted_twice_gives_the_same_instructions(tmp_path: Path):
    bench = _bench()
    first = bench.measure(200, tmp_path)
    second = bench.measure(200, tmp_path)
    assert first["rows"] == second["rows"] == 19  # the generated ledger's rows at 200
    assert abs(first["engine"] - second["engine"]) <= first["engine"] // 1000, (first, second)
    assert abs(first["yardstick"] - second["yardstick"]) <= first["yardstick"] // 1000
    assert first["engine"] > 2 * first["yardstick"] > 0
