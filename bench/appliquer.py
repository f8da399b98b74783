"""The headless commands on a year of a busy wholesaler, beside a bare openpyxl
load-and-save of the same file and beside today's code, in one run.

Run: python bench/appliquer.py [--factures 100000] [--from 10000] [--repeat 1] [--rounds 1]
                              [--suivi 10000]
     python bench/appliquer.py --factures 0 [--repeat 10]   (the guide's sample ledger)
     python bench/appliquer.py --before none               (skip the earlier code)
     python bench/appliquer.py --steps calamine,appliquer,bare  (only these steps)

For each size (from `--from` to `--factures`, x10 or the two ends) it writes the
ledger with `bench/generate.py` into a real Relances.xlsm, then measures, each step
in a process of its own so that its peak memory (ru_maxrss, interpreter included)
is that step's alone:

- calamine (the floor): python-calamine reads the sheets Appliquer needs (the four of
  the ledger, Paramètres, Relances) into Python lists, nothing more;
- engine: the reminder computation alone, on the ledger already in memory (kept out
  of the garbage collector's passes, and the collector paused while the engine runs,
  as Appliquer does: relances_xl/long_lived.py), best of at least 5 runs, each next
  to a yardstick timed in the same process (a plain loop adding the ledger's amounts
  as Decimals): engine / yardstick sets machines of different speeds side by side;
- appliquer: `relances-xl appliquer` end to end (open, read, compute, write the
  table, the lists and Contrôles, atomic save);
- today: the same with the code of commit `--before` (default: the last one with the
  openpyxl engine, see bench/before.py), fetched by `git archive`: today's path,
  timed in this run on this machine;
- bare: `openpyxl.load_workbook(keep_vba=True)` then `.save()` of the same file;
- reordered: appliquer on the same ledger with its columns in reverse order and two
  columns of the user's added (`generate.py --reordered`), beside that file's own floor;
- suivi: appliquer on the same ledger with `--suivi` lines in its `Suivi` sheet
  (promises, plans, suspensions, disputes, calls: `generate.py --suivi`), its ratio to
  appliquer without them printed (`--suivi 0` skips it);
- balance (balance-agee), sauver, proposition (to a text file), lettres (100 letters
  to PDF: the applied table with its first 100 rows ticked "A relancer"): the other
  commands on the workbook Appliquer left.

With `--rounds N` every step runs N times, the steps alternated (round after round),
so that a loaded machine's slow minutes fall on all of them.

It prints the wall and CPU times (best of `--repeat` and of the rounds), each step's
ratio to the floor and to the bare load-and-save measured in this run, with the ratio
of each round (the spread), appliquer / today, the peak memory of each step, and how
each figure grows from one size to the next (x10 invoices: linear is x10). CPU
seconds are the step's process alone: on a machine shared with other work, its
ratios move less than wall time's.
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
sys.path.insert(0, str(HERE))

from before import BEFORE_HEADLESS, checkout, environment  # noqa: E402

STEPS = ("engine", "calamine", "appliquer", "floor_reordered", "reordered", "suivi", "today",
         "bare",
         "balance", "sauver", "proposition", "lettres")
LABELS = {"engine": "engine alone", "calamine": "floor: calamine read",
          "appliquer": "appliquer end to end", "reordered": "appliquer, columns reordered",
          "floor_reordered": "floor, columns reordered", "suivi": "appliquer + Suivi lines",
          "today": "appliquer, today's code", "bare": "bare openpyxl load+save",
          "balance": "balance-agee", "sauver": "sauver", "proposition": "proposition to text",
          "lettres": "lettres, 100 to PDF"}
# the sheets an Appliquer reads (the ledger, Paramètres, the filters of Relances)
NEEDED = ("Clients", "Factures", "Règlements", "Historique", "Paramètres", "Relances")
ENGINE_RUNS = 5  # at least: half a second each, beside the time to read the workbook
LETTERS = 100  # rows ticked "A relancer" for the letters step


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux gives KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


# --- one step, in its own process ------------------------------------------------------


def run_step(step: str, workbook: Path, on: str, repeat: int) -> dict[str, object]:
    import relances_xl

    info: dict[str, object] = {"code": str(Path(relances_xl.__file__).parent)}
    if step == "engine":
        action = _engine_action(workbook, on, info)
        repeat = max(repeat, ENGINE_RUNS)
    elif step in ("appliquer", "today", "reordered", "suivi"):
        action = _apply_action(workbook, on, info, step)
    elif step == "calamine":
        action = _calamine_action(workbook)
    elif step == "bare":
        import openpyxl

        out = workbook.with_name("bare-" + workbook.name)

        def action() -> None:
            openpyxl.load_workbook(workbook, keep_vba=True).save(out)
    elif step == "prepare":
        return _tick_first_rows(workbook)
    else:
        action = _command_action(step, workbook, on, info)
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        timed = action()
        cpu.append(time.process_time() - start_cpu)
        times.append(timed if timed is not None else time.perf_counter() - start)
    info.update(seconds=min(times), cpu_seconds=min(cpu), peak_mb=peak_mb())
    if step == "engine":
        info["baseline_seconds"] = min(info.pop("baselines"))
    return info


def _engine_action(workbook: Path, on: str, info: dict[str, object]):
    from datetime import date

    from relances_xl import layout
    from relances_xl.excel.headless import close_book, open_book
    from relances_xl.excel.sheets import read_ledger_blocks
    from relances_xl.ledger import read_ledger
    from relances_xl.long_lived import acyclic, long_lived
    from relances_xl.model import Filters
    from relances_xl.parametres import read_settings
    from relances_xl.rules.engine import compute_reminders

    filters = Filters(date=date.fromisoformat(on))
    book = open_book(workbook)
    blocks = dict(read_ledger_blocks(book))  # all read before the book closes
    close_book(book)
    ledger, _ = read_ledger(blocks)
    settings, _ = read_settings(blocks[layout.PARAMETRES])
    del blocks, book
    amounts = ledger_amounts(ledger)
    info.update(amounts=len(amounts), ledger=describe(ledger), baselines=[])

    def action() -> float:
        start = time.perf_counter()
        decimal_sum(amounts)
        info["baselines"].append(time.perf_counter() - start)
        with long_lived(), acyclic():  # as Appliquer runs it (relances_xl/buttons.py)
            rows, _ = compute_reminders(ledger, settings, filters)
        info["rows"] = len(rows)
        return time.perf_counter() - start - info["baselines"][-1]

    return action


def _apply_action(workbook: Path, on: str, info: dict[str, object], step: str):
    from datetime import date

    from relances_xl.cli import apply_workbook
    from relances_xl.model import Filters

    filters = Filters(date=date.fromisoformat(on))
    work = workbook.with_name(f"{step}-{workbook.name}")
    info["applied"] = str(work)

    def action() -> float:
        shutil.copyfile(workbook, work)  # each run starts from the same file
        start = time.perf_counter()
        outcome = apply_workbook(work, filters)
        info["rows"] = len(outcome.rows)
        return time.perf_counter() - start

    return action


def _calamine_action(workbook: Path):
    """The floor: python-calamine reads the sheets Appliquer needs, into Python lists."""
    from python_calamine import CalamineWorkbook

    def action() -> None:
        book = CalamineWorkbook.from_path(str(workbook))
        for name in NEEDED:
            book.get_sheet_by_name(name).to_python()

    return action


def _command_action(step: str, workbook: Path, on: str, info: dict[str, object]):
    """balance-agee, sauver, proposition or lettres on a copy of the workbook Appliquer
    left."""
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    from relances_xl.cli import main

    work = workbook.with_name(f"{step}-{workbook.name}")
    out = workbook.parent / f"out-{step}"
    arguments = {
        "balance": ["balance-agee", str(work), "--date", on],
        "sauver": ["sauver", str(work)],
        "proposition": ["proposition", str(work), "--sortie", "texte", "--dossier", str(out)],
        "lettres": ["lettres", str(work), "--sortie", "pdf", "--dossier", str(out)],
    }[step]

    def action() -> float:
        shutil.copyfile(workbook, work)
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        with redirect_stdout(StringIO()) as said, redirect_stderr(StringIO()) as err:
            code = main(arguments)
        seconds = time.perf_counter() - start
        if code != 0:
            raise SystemExit(f"{step}: exit {code}\n{said.getvalue()}{err.getvalue()}")
        info["files"] = len(list(out.glob("*"))) if out.exists() else 0
        return seconds

    return action


def _tick_first_rows(applied: Path) -> dict[str, object]:
    """The applied workbook with only its first LETTERS rows ticked "A relancer"."""
    from relances_xl import layout
    from relances_xl.excel.headless import close_book, open_book, save_book
    from relances_xl.excel.sheets import read_table

    ticked = applied.with_name("ticked-" + applied.name)
    shutil.copyfile(applied, ticked)
    book = open_book(ticked)
    sheet = book.sheets[layout.RELANCES]
    rows = len(read_table(sheet))
    column = layout.TABLE_FIELDS.index("a_relancer")
    letter = chr(ord("A") + column)
    sheet.range(f"{letter}{layout.TABLE_FIRST_ROW}").options(ndim=2).value = [
        [index < LETTERS] for index in range(rows)]
    save_book(book)
    close_book(book)
    return {"ticked": str(ticked), "rows": rows}


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


def measure(step: str, workbook: Path, on: str, repeat: int,
            earlier: Path | None = None) -> dict[str, object]:
    command = [sys.executable, __file__, "--step", step, "--workbook", str(workbook),
               "--date", on, "--repeat", str(repeat)]
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          env=environment(earlier))
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


def workbook_for(size: int, folder: Path, reordered: bool = False, suivi: int = 0
                 ) -> tuple[Path, str]:
    """The workbook of `size` invoices (0: the sample ledger) and its Appliquer date;
    `reordered`: the same ledger with its columns reversed and two of the user's added;
    `suivi`: the same ledger with that many lines in its Suivi sheet."""
    variant = "-reordered" if reordered else f"-suivi{suivi}" if suivi else ""
    path = folder / f"Relances-{size}{variant}.xlsm"
    if size == 0:
        from relances_xl.excel.build import build_workbook
        from relances_xl.sample import DEMO_DATE

        build_workbook(path)
        if reordered:
            from generate import reorder_columns

            reorder_columns(path)
        return path, DEMO_DATE.isoformat()
    from generate import BENCH_DATE

    if path.exists():  # made by an earlier run into the same --keep folder
        return path, BENCH_DATE.isoformat()
    # in a process of its own: a step's peak memory (ru_maxrss) counts the memory of the
    # process that started it (Linux keeps the high-water mark across fork and exec)
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(path), "--factures",
                    str(size), *(["--reordered"] if reordered else []),
                    *(["--suivi", str(suivi)] if suivi else [])],
                   check=True, capture_output=True)
    return path, BENCH_DATE.isoformat()


def measure_round(workbook: Path, variants: dict[str, Path], on: str, repeat: int,
                  earlier: Path | None, steps: set[str]) -> dict[str, dict[str, object]]:
    """Every step once (each best of `repeat`), one after the other; `variants`: the
    reordered and the followed (Suivi) workbooks, where timed."""
    found = {step: measure(step, workbook, on, repeat)
             for step in ("engine", "calamine", "appliquer", "bare") if step in steps}
    if "reordered" in variants:
        found["reordered"] = measure("reordered", variants["reordered"], on, repeat)
        found["floor_reordered"] = measure("calamine", variants["reordered"], on, repeat)
    if "suivi" in variants:
        found["suivi"] = measure("suivi", variants["suivi"], on, repeat)
    if earlier is not None:
        found["today"] = measure("today", workbook, on, repeat, earlier)
        assert found["today"]["code"].startswith(str(earlier)), found["today"]["code"]
    applied = Path(found["appliquer"]["applied"])
    for step in ("balance", "sauver", "proposition"):
        if step in steps:
            found[step] = measure(step, applied, on, repeat)
    if "lettres" in steps:
        ticked = Path(measure("prepare", applied, on, 1)["ticked"])
        found["lettres"] = measure("lettres", ticked, on, repeat)
    return found


def measure_size(workbook: Path, variants: dict[str, Path], on: str, repeat: int,
                 earlier: Path | None, steps: set[str], rounds: int
                 ) -> tuple[dict[str, dict[str, object]], list[dict[str, dict[str, object]]]]:
    """`rounds` rounds of every step, alternated; the best of each step, and the rounds."""
    done = [measure_round(workbook, variants, on, repeat, earlier, steps)
            for _ in range(rounds)]
    best = {step: dict(min((r[step] for r in done), key=lambda f: f["seconds"]),
                       peak_mb=max(r[step]["peak_mb"] for r in done))
            for step in done[0]}
    return best, done


def _ratio(found: dict[str, dict[str, object]], step: str, base: str,
           clock: str = "seconds") -> float:
    return found[step][clock] / found[base][clock]


def report(size: int, workbook: Path, made: float, on: str,
           found: dict[str, dict[str, object]],
           rounds: list[dict[str, dict[str, object]]]) -> None:
    appliquer = found["appliquer"]
    print(f"== {size or 'sample'} invoices: {found.get('engine', {}).get('ledger', '')}; "
          f"{workbook.stat().st_size / 1e6:.1f} MB, generated in {made:.1f} s; "
          f"applied at {on}: {appliquer['rows']} rows; best of {len(rounds)} rounds")
    for step in STEPS:
        if step not in found:
            continue
        figures = found[step]
        ratios = ""
        floor = "floor_reordered" if step == "reordered" else "calamine"
        for base, name in ((floor, "floor"), ("bare", "bare")):
            if base in found and step not in ("engine", "calamine", "floor_reordered", "bare"):
                ratios += f"   {_ratio(found, step, base):6.3f}x {name}"
        print(f"  {LABELS[step]:29s} {figures['seconds'] * 1000:10.1f} ms "
              f"(CPU {figures['cpu_seconds'] * 1000:8.1f})  "
              f"peak {figures['peak_mb']:5.0f} MB{ratios}")
    if "engine" in found:
        engine = found["engine"]
        yardstick = engine["baseline_seconds"]
        print(f"  {'engine / Decimal sum':29s} {engine['seconds'] / yardstick:9.1f}x"
              f"   (the sum of its {engine['amounts']} amounts: {yardstick * 1000:.3g} ms,"
              " same process)")
    for step, base in (("appliquer", "calamine"), ("reordered", "floor_reordered"),
                       ("balance", "calamine"), ("sauver", "calamine"), ("appliquer", "bare"),
                       ("balance", "bare"), ("sauver", "bare"), ("appliquer", "today"),
                       ("suivi", "appliquer")):
        if step in found and base in found:
            for clock, name in (("seconds", "wall"), ("cpu_seconds", "CPU")):
                each = sorted(_ratio(r, step, base, clock) for r in rounds)
                print(f"  {step + ' / ' + base + ', ' + name:34s} "
                      f"{_ratio(found, step, base, clock):7.3f}x best/best   each round: "
                      f"{' '.join(f'{x:.3f}' for x in each)}")
    if "lettres" in found:
        print(f"  (lettres: {found['lettres']['files']} files written)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factures", type=int, default=100_000,
                        help="invoices of the largest ledger (0: the sample ledger)")
    parser.add_argument("--from", dest="low", type=int, default=10_000,
                        help="invoices of the smallest ledger (sizes grow x10)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step (best kept)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="rounds of all the steps, alternated (best kept, each printed)")
    parser.add_argument("--steps", default=",".join(s for s in STEPS if s != "today"),
                        help="comma-separated steps to time (appliquer is always timed)")
    parser.add_argument("--before", default=BEFORE_HEADLESS,
                        help="the commit whose code is 'today' (none: skip it)")
    parser.add_argument("--keep", type=Path,
                        help="folder for the workbooks (kept, and used again by the next run)")
    parser.add_argument("--suivi", type=int, default=10_000,
                        help="Suivi lines of the variant timed beside appliquer (0: none)")
    parser.add_argument("--step", choices=(*STEPS, "prepare"), help=argparse.SUPPRESS)
    parser.add_argument("--workbook", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--date", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.workbook, args.date, args.repeat)))
        return
    earlier = None if args.before == "none" else checkout(args.before)
    if args.before != "none" and earlier is None:
        print(f"(no git clone here: today's code, {args.before}, is not timed)")
    steps = {*args.steps.split(","), "appliquer"}
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        steps.discard("lettres")
        print("(no LibreOffice: the letters to PDF are not timed)")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-appliquer-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: list[tuple[int, dict[str, dict[str, object]]]] = []
    for size in sizes(args.low, args.factures):
        start = time.perf_counter()
        workbook, on = workbook_for(size, folder)
        made = time.perf_counter() - start
        variants = {}
        if "reordered" in steps:
            variants["reordered"] = workbook_for(size, folder, reordered=True)[0]
        if "suivi" in steps and size and args.suivi:
            variants["suivi"] = workbook_for(size, folder, suivi=args.suivi)[0]
        found, rounds = measure_size(workbook, variants, on, args.repeat, earlier, steps,
                                     args.rounds)
        results.append((size, found))
        report(size, workbook, made, on, found, rounds)
        if not args.keep:
            for path in folder.glob(f"*Relances-{size}[.-]*"):
                path.unlink()
    for (small, before), (large, after) in pairwise(results):
        print(f"== growth {small} -> {large} invoices (x{large / small:g})")
        for step in STEPS:
            if step in before and step in after:
                wall = after[step]["seconds"] / before[step]["seconds"]
                cpu = after[step]["cpu_seconds"] / before[step]["cpu_seconds"]
                memory = after[step]["peak_mb"] / before[step]["peak_mb"]
                print(f"  {step:16s} time x{wall:6.2f}   CPU x{cpu:6.2f}"
                      f"   peak memory x{memory:5.2f}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if earlier is not None:
        shutil.rmtree(earlier, ignore_errors=True)


if __name__ == "__main__":
    main()
