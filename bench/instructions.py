"""The engine's instructions on a year of a busy wholesaler, counted by valgrind.

Run: python bench/instructions.py [--factures 100000] [--from 10000] [--reader]
Needs valgrind (Debian: `apt-get install valgrind`); about two minutes at 100,000
invoices on two cores.

On a shared machine the engine's seconds move by ±30 % from one minute to the next
(docs/performance.md), more than most changes to it. Its instruction count does not:
cachegrind counts the instructions the processor runs, the same from one run to the
next (string hashes made fixed by PYTHONHASHSEED). For each size this bench counts

- engine: one run of `compute_reminders` on the ledger in memory, as Appliquer runs it
  (the ledger frozen, the collector paused): a process running it twice minus one
  running it once, so that the imports, reading the ledger and what the first run
  warms (string hashes, Babel's locale data) stay out, and the freeing of a run's
  rows counts in;
- yardstick: the Decimal sum of the ledger's amounts that bench/appliquer.py times
  beside the engine, a second time in one process against once in the other;

and prints both, their ratio and how they grow. Instructions are not seconds (a cache
miss costs none): compare two versions of the engine here, then confirm with
`bench/appliquer.py --step engine`.

With `--reader` it counts the ledger reader instead: one `read_ledger` on the blocks
of the generated workbook as the headless engine reads them (floats, datetimes, None
for an empty cell), a process reading twice minus one reading once. To compare with
an earlier version, run the bench with that version's `relances_xl` first on
PYTHONPATH (docs/performance.md, issue 30).
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from appliquer import (  # noqa: E402  (the bench's own yardstick and ledger's words)
    decimal_sum,
    describe,
    ledger_amounts,
    sizes,
)

# what each counted process runs after loading the ledger: (engine runs, Decimal sums).
# The three differ only by a digit of their command line: a longer one would lay out
# their memory differently, and the instructions of every dictionary lookup after.
_PROCESSES = {"once": (1, 1), "twice": (2, 1), "yardstick": (1, 2)}
_I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def ledger_file(factures: int, folder: Path) -> tuple[Path, str]:
    """The generated ledger of `factures` invoices, read by the real reader and pickled
    with the settings of a generated workbook; and its description."""
    from generate import BENCH_DATE, generate, ledger_rows

    from relances_xl import layout
    from relances_xl.excel.build import LEDGER_COLUMNS
    from relances_xl.excel.headless import close_book, open_book
    from relances_xl.excel.sheets import read_block
    from relances_xl.ledger import read_ledger
    from relances_xl.parametres import read_settings

    book = open_book(generate(folder / "parametres.xlsm", 10))
    settings, _ = read_settings(read_block(book, layout.PARAMETRES))
    close_book(book)
    rows = ledger_rows(factures)
    ledger, problems = read_ledger({sheet: [list(columns), *rows[sheet]]
                                    for sheet, columns in LEDGER_COLUMNS.items()})
    if any(p.blocking for p in problems):
        raise SystemExit(f"generated ledger refused: {problems[0]}")
    path = folder / f"ledger-{factures}.pickle"
    path.write_bytes(pickle.dumps((ledger, settings, BENCH_DATE)))
    return path, describe(ledger)


def run_counted(path: Path, runs: int, sums: int) -> None:
    """What one counted process does: load the ledger, run the engine and the yardstick."""
    from relances_xl.long_lived import acyclic, long_lived
    from relances_xl.model import Filters
    from relances_xl.rules.engine import compute_reminders

    ledger, settings, on = pickle.loads(path.read_bytes())
    filters = Filters(date=on)
    amounts = ledger_amounts(ledger)
    for _ in range(runs):
        with long_lived(), acyclic():  # as Appliquer runs it (relances_xl/buttons.py)
            rows, _ = compute_reminders(ledger, settings, filters)
    for _ in range(sums):  # the first warms: the one counted is the second
        decimal_sum(amounts)
    print(len(rows))


def blocks_file(factures: int, folder: Path) -> Path:
    """The ledger sheets of the generated workbook as the headless engine reads them."""
    from generate import generate

    from relances_xl.excel.headless import close_book, open_book
    from relances_xl.excel.sheets import read_ledger_blocks

    book = open_book(generate(folder / f"ledger-{factures}.xlsm", factures))
    blocks = dict(read_ledger_blocks(book))  # all read before the book closes
    close_book(book)
    path = folder / f"blocks-{factures}.pickle"
    path.write_bytes(pickle.dumps(blocks))
    return path


def run_reader(path: Path, runs: int) -> None:
    """What one counted process of `--reader` does: read the ledger `runs` times."""
    from relances_xl.ledger import read_ledger

    blocks = pickle.loads(path.read_bytes())
    for _ in range(runs):
        ledger, _ = read_ledger(blocks)
    print(len(ledger.invoices))


def count(path: Path, process: str, reader: bool = False) -> tuple[int, int]:
    """(instructions, rows or invoices) of one process under cachegrind."""
    runs, sums = _PROCESSES[process]
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--branch-sim=no",
               "--cachegrind-out-file=/dev/null", sys.executable, __file__,
               "--counted", str(path), "--runs", str(runs), "--sums", str(sums),
               *(["--reader"] if reader else [])]
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    found = _I_REFS.search(done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(found.group(1).replace(",", "")), int(done.stdout.split()[-1])


def measure(factures: int, folder: Path) -> dict[str, object]:
    path, ledger = ledger_file(factures, folder)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counted = {process: pool.submit(count, path, process) for process in _PROCESSES}
        counted = {process: future.result() for process, future in counted.items()}
    path.unlink()
    return {"ledger": ledger, "rows": counted["once"][1],
            "engine": counted["twice"][0] - counted["once"][0],
            "yardstick": counted["yardstick"][0] - counted["once"][0]}


def measure_reader(factures: int, folder: Path) -> int:
    """Instructions of one read of the ledger: twice minus once."""
    path = blocks_file(factures, folder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        once, twice = pool.map(lambda process: count(path, process, True), ("once", "twice"))
    path.unlink()
    return twice[0] - once[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factures", type=int, default=100_000, help="invoices, largest ledger")
    parser.add_argument("--from", dest="low", type=int, default=10_000,
                        help="invoices of the smallest ledger (sizes grow x10)")
    parser.add_argument("--counted", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--sums", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--reader", action="store_true",
                        help="count the ledger reader (read_ledger) instead of the engine")
    args = parser.parse_args()
    if args.counted:
        if args.reader:
            run_reader(args.counted, args.runs)
        else:
            run_counted(args.counted, args.runs, args.sums)
        return
    if args.reader:
        with tempfile.TemporaryDirectory(prefix="bench-instructions-") as folder:
            for size in sizes(args.low, max(args.factures, 1)):
                found = measure_reader(size, Path(folder))
                print(f"== {size} invoices: read_ledger, one run {found / 1e6:10,.1f} M "
                      "instructions")
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as folder:
        for size in sizes(args.low, max(args.factures, 1)):
            found = measure(size, Path(folder))
            results.append((size, found))
            print(f"== {size} invoices: {found['ledger']}; {found['rows']} rows")
            for label, key in (("engine, one run", "engine"),
                               ("yardstick (Decimal sum)", "yardstick")):
                print(f"  {label:26s} {found[key] / 1e6:10,.1f} M instructions")
            print(f"  {'engine / yardstick':26s} {found['engine'] / found['yardstick']:10.1f}x")
    for (small, before), (large, after) in pairwise(results):
        print(f"== growth {small} -> {large} invoices (x{large / small:g}): engine "
              f"x{after['engine'] / before['engine']:.2f}, yardstick "
              f"x{after['yardstick'] / before['yardstick']:.2f}")


if __name__ == "__main__":
    main()
