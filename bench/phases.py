"""Where one Appliquer's time goes: CPU seconds of each of its phases, in one process.

Run: python bench/phases.py WORKBOOK [--date 2023-12-31] [--runs 2] [--serial]
                              [--against SMALLER_WORKBOOK]
(a workbook of `bench/generate.py`, e.g. `python bench/generate.py W.xlsm --factures
100000`). Each run applies a fresh copy of WORKBOOK, as `relances-xl appliquer` does,
with the functions below wrapped to add up the CPU seconds spent in them (a phase
called inside another is counted in both; the read-ahead thread's reads count where
they are waited for). Then python-calamine's read of the same sheets, the floor of
`bench/appliquer.py`, in the same process. No profiler: the figures are the run's own.

`--serial`: without the read-ahead thread (`Book.prefetch` does nothing), every sheet
read when asked: the CPU the run needs on one core, python-calamine's parse included,
which the read-ahead can only hide behind the rest on a second core.

Each run also prints the wall time the cyclic garbage collector took (`(collector)`,
from `gc.callbacks`): its passes visit every object not held out of its sight
(relances_xl/long_lived.py), so they grow faster than the ledger.

`--against SMALLER`: the same runs on a second workbook (say 10,000 invoices against
100,000), then each phase's best of the runs on both and how it grew: a phase growing
much faster than the invoices is where the growth target is lost (docs/performance.md).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import shutil
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

PHASES = [  # (module, function): in the order a run meets them
    ("relances_xl.excel.guard", "check_readable"),
    ("relances_xl.excel.guard", "Fingerprint.of"),
    ("relances_xl.excel.session", "_open"),
    ("relances_xl.addin", "_act_on_close_choice"),
    ("relances_xl.addin", "read_inputs"),
    ("relances_xl.buttons", "read_ledger"),
    ("relances_xl.headless.grid", "read_grid"),
    ("relances_xl.headless.grid", "SheetState.errors"),
    ("relances_xl.ledger", "check_references"),
    ("relances_xl.ledger", "overpaid_invoices"),
    ("relances_xl.buttons", "read_settings"),
    ("relances_xl.buttons", "read_followups"),
    ("relances_xl.addin", "table_rows"),
    ("relances_xl.buttons", "compute_reminders"),
    ("relances_xl.excel.sheets", "write_table"),
    ("relances_xl.excel.sheets", "write_lists"),
    ("relances_xl.excel.sheets", "write_controls"),
    ("relances_xl.headless.app", "Book.to_bytes"),
    ("relances_xl.headless.atomic", "write"),
]
NEEDED = ("Clients", "Factures", "Règlements", "Historique", "Paramètres", "Relances")


def timed(spent: dict[str, float], module: str, name: str) -> None:
    """Replace module.name (or module.Class.method) by a wrapper adding its CPU time."""
    owner = importlib.import_module(module)
    *path, attr = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    function = getattr(owner, attr)

    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start

    wrapper.__wrapped__ = getattr(function, "__wrapped__", function)
    setattr(owner, attr, wrapper)


def collector_timed(spent: dict[str, float]) -> None:
    """Add the wall time of each pass of the cyclic collector to spent["(collector)"]."""
    started = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            spent["(collector)"] += time.perf_counter() - started.pop()

    gc.callbacks.append(callback)


def measure(workbook: Path, on: date, runs: int, spent: dict[str, float]
            ) -> dict[str, float]:
    """Apply fresh copies of `workbook` `runs` times, printing each run's phases; the
    best (smallest) figure of each phase over the runs."""
    from relances_xl.cli import apply_workbook
    from relances_xl.model import Filters

    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-phases-") as folder:
        work = Path(folder) / workbook.name
        for run in range(1, runs + 1):
            spent.clear()
            shutil.copyfile(workbook, work)
            wall, cpu = time.perf_counter(), time.process_time()
            apply_workbook(work, Filters(date=on))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"run {run}: appliquer {cpu:.3f} s CPU ({wall:.3f} s wall)")
            spent["appliquer"] = cpu
            for name in [name for _, name in PHASES] + ["(collector)"]:
                if name in spent:
                    print(f"  {name:28s} {spent[name]:7.3f}")
            for name, seconds in spent.items():
                best[name] = min(best.get(name, seconds), seconds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--date", default="2023-12-31")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--serial", action="store_true", help="no read-ahead thread")
    parser.add_argument("--against", type=Path, help="a smaller workbook: each phase's growth")
    args = parser.parse_args()

    from python_calamine import CalamineWorkbook

    if args.serial:
        from relances_xl.headless.app import Book
        Book.prefetch = lambda self, names: None
    spent: dict[str, float] = defaultdict(float)
    for module, name in PHASES:
        timed(spent, module, name)
    collector_timed(spent)
    on = date.fromisoformat(args.date)
    best = measure(args.workbook, on, args.runs, spent)
    if args.against is not None:
        print(f"against {args.against.name}:")
        smaller = measure(args.against, on, args.runs, spent)
        print(f"growth, best of {args.runs} runs: {args.against.name} -> {args.workbook.name}")
        for name in ["appliquer", *(name for _, name in PHASES), "(collector)"]:
            if smaller.get(name) and name in best:
                print(f"  {name:28s} {smaller[name]:7.3f} {best[name]:7.3f}"
                      f"  x{best[name] / smaller[name]:.2f}")
    start = time.process_time()
    reader = CalamineWorkbook.from_path(str(args.workbook))
    for name in NEEDED:
        reader.get_sheet_by_name(name).to_python()
    print(f"floor: calamine read {time.process_time() - start:.3f} s CPU")


if __name__ == "__main__":
    main()
