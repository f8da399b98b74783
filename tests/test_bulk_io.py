"""In Excel every range call is a round trip: Appliquer must read and write in bulk.

The headless engine's Range impl is the one xlwings calls for every read and write;
counting its calls during one Appliquer on a ledger and on one ten times larger
shows the number of range operations does not grow with the rows.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from relances_xl import addin, layout
from relances_xl.excel import headless, sheets
from relances_xl.headless.range import Range

BENCH = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
BOUND = 40


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _count_range_calls(monkeypatch: pytest.MonkeyPatch, path: Path, on) -> Counter:
    counts: Counter = Counter()
    raw = Range.raw_value

    def counted(name, method):
        def wrapper(self, *args, **kwargs):
            counts[name] += 1
            return method(self, *args, **kwargs)
        return wrapper

    book = headless.open_book(path)
    try:
        sheets.write_filters(book.sheets[layout.RELANCES], None, on)
        with monkeypatch.context() as patch:
            patch.setattr(Range, "raw_value", property(counted("read", raw.fget),
                                                       counted("write", raw.fset)))
            for name in ("clear", "clear_contents", "copy"):
                patch.setattr(Range, name, counted(name, getattr(Range, name)))
            outcome = addin.appliquer(today=on)
    finally:
        headless.close_book(book)
    assert outcome.rows and not outcome.blocked
    return counts


def test_appliquer_makes_the_same_few_range_calls_whatever_the_rows(monkeypatch, tmp_path):
    generate = _generator()
    counts = []
    for invoices in (200, 2_000):
        path = generate.generate(tmp_path / f"Relances-{invoices}.xlsm", invoices)
        counts.append(_count_range_calls(monkeypatch, path, generate.BENCH_DATE))
    small, large = counts
    assert small == large
    assert 0 < sum(large.values()) <= BOUND, large
