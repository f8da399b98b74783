"""Appliquer headless on the sample workbook, next to a bare openpyxl load-and-save.

Run: python bench/appliquer.py [--repeat N]
Prints the mean wall time of each and their ratio, measured in the same run, so the
figure means the same on any machine. (Issue 7 grows this to a year of a busy
wholesaler; this is the baseline on the guide's ledger.)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import openpyxl

from relances_xl.cli import apply_workbook
from relances_xl.engine import compute_reminders
from relances_xl.excel import layout
from relances_xl.excel.build import build_workbook
from relances_xl.excel.headless import close_book, open_book
from relances_xl.excel.sheets import read_ledger_blocks
from relances_xl.ledger import read_ledger
from relances_xl.model import Filters
from relances_xl.parametres import read_settings
from relances_xl.sample import DEMO_DATE


def mean_seconds(action, repeat: int) -> float:
    action()  # warm-up: imports, caches
    start = time.perf_counter()
    for _ in range(repeat):
        action()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-appliquer-"))
    workbook = build_workbook(folder / "Relances.xlsm")
    filters = Filters(date=DEMO_DATE)

    book = open_book(workbook)
    blocks = read_ledger_blocks(book)
    close_book(book)
    ledger, _ = read_ledger(blocks)
    settings, _ = read_settings(blocks[layout.PARAMETRES])

    engine = mean_seconds(lambda: compute_reminders(ledger, settings, filters), args.repeat)
    appliquer = mean_seconds(lambda: apply_workbook(workbook, filters), args.repeat)
    bare = mean_seconds(
        lambda: openpyxl.load_workbook(workbook, keep_vba=True).save(folder / "bare.xlsm"),
        args.repeat)
    print(f"ledger: {len(ledger.customers)} customers, {len(ledger.invoices)} invoices, "
          f"{len(ledger.payments)} payments")
    print(f"engine alone            {engine * 1000:8.2f} ms")
    print(f"appliquer end to end    {appliquer * 1000:8.2f} ms")
    print(f"bare openpyxl load+save {bare * 1000:8.2f} ms")
    print(f"ratio appliquer / bare  {appliquer / bare:8.2f}x")


if __name__ == "__main__":
    main()
