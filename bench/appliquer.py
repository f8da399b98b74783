"""Appliquer headless on a year of a busy wholesaler, next to a bare openpyxl load-and-save.

Run: python bench/appliquer.py [--factures 100000] [--from 10000] [--repeat 1]
     python bench/appliquer.py --factures 0 [--repeat 10]   (the guide's sample ledger)

For each size (from `--from` to `--factures`, x10 or the two ends) it writes the
ledger with `bench/generate.py` into a real Relances.xlsm, then measures, each step
in a process of its own so that its peak memory (ru_maxrss, interpreter included)
is that step's alone:

- engine: the reminder computation alone, on the ledger already in memory (kept out
  of the garbage collector's passes, and the collector paused while the engine runs,
  as Appliquer does: relances_xl/long_lived.py),
  best of at least 5 runs, each next to a yardstick timed in the same process (a plain
  loop adding the ledger's amounts as Decimals): engine / yardstick sets machines of
  different speeds side by side;
- appliquer: `relances-xl appliquer` end to end (open, read, compute, write the
  table, the lists and Contrôles, atomic save);
- bare: `openpyxl.load_workbook(keep_vba=True)` then `.save()` of the same file,
  the floor any headless Appliquer stands on.

It prints the wall times (best of `--repeat`), the ratio appliquer / bare measured in
this run, the peak memory of each step, and how each figure grows from one size to
the next (x10 invoices: linear is x10).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relances_xl.model import Ledger

HERE = Path(__file__).resolve().parent
STEPS = ("engine", "appliquer", "bare")
ENGINE_RUNS = 5  # at least: half a second each, beside a minute to read the workbook


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux gives KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


# --- one step, in its own process ------------------------------------------------------


def run_step(step: str, workbook: Path, on: str, repeat: int) -> dict[str, object]:
    from datetime import date

    from relances_xl.model import Filters

    filters = Filters(date=date.fromisoformat(on))
    info: dict[str, object] = {}
    if step == "engine":
        from relances_xl import layout
        from relances_xl.engine import compute_reminders
        from relances_xl.excel.headless import close_book, open_book
        from relances_xl.excel.sheets import read_ledger_blocks
        from relances_xl.ledger import read_ledger
        from relances_xl.long_lived import acyclic, long_lived
        from relances_xl.parametres import read_settings

        book = open_book(workbook)
        blocks = read_ledger_blocks(book)
        close_book(book)
        ledger, _ = read_ledger(blocks)
        settings, _ = read_settings(blocks[layout.PARAMETRES])
        del blocks, book
        amounts = ledger_amounts(ledger)
        info["amounts"] = len(amounts)
        info["ledger"] = describe(ledger)
        baseline_times: list[float] = []
        repeat = max(repeat, ENGINE_RUNS)

        def action() -> float:
            start = time.perf_counter()
            decimal_sum(amounts)
            baseline_times.append(time.perf_counter() - start)
            with long_lived(), acyclic():  # as Appliquer runs it (relances_xl/addin.py)
                rows, _ = compute_reminders(ledger, settings, filters)
            info["rows"] = len(rows)
            return time.perf_counter() - start - baseline_times[-1]
    elif step == "appliquer":
        from relances_xl.cli import apply_workbook

        work = workbook.with_name("appliquer-" + workbook.name)

        def action() -> float:
            shutil.copyfile(workbook, work)  # each run starts from the same file
            start = time.perf_counter()
            outcome = apply_workbook(work, filters)
            info["rows"] = len(outcome.rows)
            return time.perf_counter() - start
    elif step == "bare":
        import openpyxl

        out = workbook.with_name("bare-" + workbook.name)

        def action() -> None:
            openpyxl.load_workbook(workbook, keep_vba=True).save(out)
    else:
        raise SystemExit(f"unknown step {step!r}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        timed = action()
        times.append(timed if timed is not None else time.perf_counter() - start)
    info.update(seconds=min(times), peak_mb=peak_mb())
    if step == "engine":
        info["baseline_seconds"] = min(baseline_times)
    return info


def describe(ledger: Ledger) -> str:
    return (f"{len(ledger.customers)} customers, {len(ledger.invoices)} invoices, "
            f"{len(ledger.payments)} payments, {len(ledger.history)} history lines")


def ledger_amounts(ledger: Ledger) -> list[Decimal]:
    """What the yardstick adds: the amounts of the invoices, then of the payments."""
    return [i.montant for i in ledger.invoices] + [p.montant for p in ledger.payments]


def decimal_sum(amounts: list[Decimal]) -> Decimal:
    """The yardstick timed beside the engine: a plain Python loop adding the ledger's
    amounts as Decimals, so that the engine's figure reads against the speed of the
    machine it ran on. (It does not cancel a shared machine's slow minutes: those slow
    the engine, which walks the whole ledger, more than this small loop.)"""
    total = Decimal(0)
    for amount in amounts:
        total += amount
    return total


def measure(step: str, workbook: Path, on: str, repeat: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--step", step, "--workbook", str(workbook),
               "--date", on, "--repeat", str(repeat)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the driver ---------------------------------------------------------------------------


def sizes(low: int, high: int) -> list[int]:
    if high <= 0:
        return [0]
    found, size = [], max(low, 1)
    while size < high:
        found.append(size)
        size *= 10
    return [*found, high]


def workbook_for(size: int, folder: Path) -> tuple[Path, str]:
    """The workbook of `size` invoices (0: the sample ledger) and its Appliquer date."""
    path = folder / f"Relances-{size}.xlsm"
    if size == 0:
        from relances_xl.excel.build import build_workbook
        from relances_xl.sample import DEMO_DATE

        return build_workbook(path), DEMO_DATE.isoformat()
    sys.path.insert(0, str(HERE))
    from generate import BENCH_DATE, generate

    return generate(path, size), BENCH_DATE.isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factures", type=int, default=100_000,
                        help="invoices of the largest ledger (0: the sample ledger)")
    parser.add_argument("--from", dest="low", type=int, default=10_000,
                        help="invoices of the smallest ledger (sizes grow x10)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step (best kept)")
    parser.add_argument("--keep", type=Path, help="folder for the workbooks (kept)")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--workbook", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--date", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.workbook, args.date, args.repeat)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-appliquer-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: list[tuple[int, dict[str, dict[str, object]]]] = []
    for size in sizes(args.low, args.factures):
        start = time.perf_counter()
        workbook, on = workbook_for(size, folder)
        made = time.perf_counter() - start
        found = {step: measure(step, workbook, on, args.repeat) for step in STEPS}
        results.append((size, found))
        engine, appliquer, bare = (found[s] for s in STEPS)
        print(f"== {size or 'sample'} invoices: {engine['ledger']}; "
              f"{workbook.stat().st_size / 1e6:.1f} MB, generated in {made:.1f} s; "
              f"applied at {on}: {appliquer['rows']} rows")
        for step, label in (("engine", "engine alone"),
                            ("appliquer", "appliquer end to end"),
                            ("bare", "bare openpyxl load+save")):
            print(f"  {label:26s} {found[step]['seconds'] * 1000:10.1f} ms   "
                  f"peak {found[step]['peak_mb']:7.0f} MB")
        yardstick = engine["baseline_seconds"]
        print(f"  {'engine / Decimal sum':26s} {engine['seconds'] / yardstick:9.1f}x"
              f"   (the sum of its {engine['amounts']} amounts: {yardstick * 1000:.3g} ms,"
              " same process)")
        print(f"  {'ratio appliquer / bare':26s} {appliquer['seconds'] / bare['seconds']:9.2f}x")
        if not args.keep:
            for path in folder.glob(f"*Relances-{size}.xlsm"):
                path.unlink()
    for (small, before), (large, after) in pairwise(results):
        print(f"== growth {small} -> {large} invoices (x{large / small:g})")
        for step in STEPS:
            print(f"  {step:10s} time x{after[step]['seconds'] / before[step]['seconds']:6.2f}"
                  f"   peak memory x{after[step]['peak_mb'] / before[step]['peak_mb']:5.2f}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
