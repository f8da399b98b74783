"""A 500,000-line FEC imported into an empty Relances.xlsm, headless, then again, beside
the same two imports by today's code, in one run.

Run: python bench/fec.py [--lines N] [--customers C] [--keep DIR] [--before REF|none]
Writes a year of a busy wholesaler as a FEC (tab-separated, UTF-8, the 18 columns):
sales entries of 3 lines (customer, sales, VAT), bank entries of 2 (most payments
lettered to one invoice, some to two, some left unlettered), purchases of 2. Then
it times, each in a process of its own: reading and parsing the FEC alone;
`relances-xl import-fec` on an empty workbook (open, plan, write the sheets and
the report, atomic save); and the same import again, which must add nothing. The two
imports are then timed again on a copy of the same empty workbook with the code of
commit `--before` (default: the last one with the openpyxl engine, bench/before.py).
It prints each step's wall time, its peak resident memory (ru_maxrss of that process,
interpreter included), the import's summary, and each import's time as a ratio to
today's.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from before import BEFORE_HEADLESS, checkout, environment

HEADER = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
          "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
          "ValidDate\tMontantdevise\tIdevise")
NAMES = ["Dupré", "Lefèvre", "Garçon", "Bâtiment Müller", "Hôtel de l'Œuf", "Ébénisterie Noël"]


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux gives KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def line(journal: str, label: str, num: int, day: str, account: str, account_label: str,
         aux: str, aux_label: str, piece: str, text: str, debit: int, credit: int,
         let: str = "") -> str:
    return "\t".join((journal, label, str(num), day, account, account_label, aux, aux_label,
                      piece, day, text, money(debit), money(credit), let, day if let else "",
                      day, "", ""))


def write_year(path: Path, lines: int, customers: int, seed: int = 7) -> int:
    """A FEC of about `lines` lines; returns how many were written.

    Entries are drawn first and written at the end, since an invoice's lettering code
    is known only when a payment settles it: 85 % of invoices get paid, lettered
    (10 % of payments settle two invoices), the others stay open; a few payments are
    recorded unlettered.
    """
    rnd = random.Random(seed)
    entries: list[tuple[str, int, str, list[list]]] = []  # journal, number, day, lines
    unpaid: dict[int, list[list]] = {}  # customer -> its open invoice lines
    count = num = 0
    while count < lines:
        num += 1
        day = f"2023{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
        who = rnd.randrange(customers)
        aux, name = f"C{who:05d}", f"{NAMES[who % len(NAMES)]} {who}"
        kind = rnd.random()
        if kind < 0.48:  # a sale: the customer debited, sales and VAT credited
            ttc = rnd.randint(1_000, 500_000)
            vat = ttc - round(ttc / 1.2)
            piece = f"FA23-{num:07d}"
            customer = ["411000", "Clients", aux, name, piece, ttc, 0, ""]
            unpaid.setdefault(who, []).append(customer)
            rows = [customer, ["707000", "Ventes de marchandises", "", "", piece, 0, ttc - vat, ""],
                    ["445710", "TVA collectée", "", "", piece, 0, vat, ""]]
            entries.append(("VT", num, day, rows))
        elif kind < 0.76 and unpaid.get(who):  # a payment of the oldest open invoice(s)
            settled = [unpaid[who].pop(0)]
            if unpaid[who] and rnd.random() < 0.1:
                settled.append(unpaid[who].pop(0))
            amount = sum(row[5] for row in settled)
            let = "" if rnd.random() < 0.05 else f"L{num:07d}"
            for row in settled:
                row[7] = let
            rows = [["512000", "Banque", "", "", f"RLV{num}", amount, 0, ""],
                    ["411000", "Clients", aux, name, f"RLV{num}", 0, amount, let]]
            entries.append(("BQ", num, day, rows))
        else:  # a purchase
            amount = rnd.randint(1_000, 300_000)
            rows = [["401000", "Fournisseurs", "F0001", "Fournisseur", f"FF{num}", 0, amount, ""],
                    ["607000", "Achats de marchandises", "", "", f"FF{num}", amount, 0, ""]]
            entries.append(("AC", num, day, rows))
        count += len(rows)
    labels = {"VT": "Ventes", "BQ": "Banque", "AC": "Achats"}
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for journal, number, day, rows in entries:
            for account, account_label, aux, aux_label, piece, debit, credit, let in rows:
                out.write(line(journal, labels[journal], number, day, account, account_label,
                               aux, aux_label, piece, f"{labels[journal]} {piece}", debit,
                               credit, let) + "\r\n")
    return count


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def write_inputs(fec: Path, workbook: Path, lines: int, customers: int) -> None:
    """The FEC and the empty workbook the imports start from."""
    from relances_xl import sample
    from relances_xl.excel.build import build_workbook

    seconds, written = timed(lambda: write_year(fec, lines, customers))
    print(f"FEC written: {written} lines, {fec.stat().st_size / 1e6:.1f} MB in {seconds:.1f} s")
    build_workbook(workbook, rows={}, companies=sample.companies())


def phase(name: str, fec: Path, workbook: Path) -> None:
    """One measured step, alone in this process so its peak memory is its own; its
    seconds on the last line, for the driver."""
    from relances_xl.cli import main as cli
    from relances_xl.fec.read import read_fec

    if name == "parse":
        seconds, parsed = timed(lambda: read_fec(fec))
        shown = f"{len(parsed.lines)} customer lines, {len(parsed.issues)} issues"
    else:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            seconds, code = timed(lambda: cli(["import-fec", str(fec), str(workbook)]))
        shown = f"exit {code}\n    {out.getvalue().strip()}"
    print(f"{name:<21} {seconds:7.1f} s   peak {peak_mb():6.0f} MB   {shown}", flush=True)
    print(seconds)


def run_phase(name: str, fec: Path, workbook: Path, earlier: Path | None = None) -> float:
    done = subprocess.run([sys.executable, __file__, "--phase", name, str(fec), str(workbook)],
                          check=True, capture_output=True, text=True, env=environment(earlier))
    *shown, seconds = done.stdout.strip().splitlines()
    print("\n".join(shown), flush=True)
    return float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--customers", type=int, default=3_000)
    parser.add_argument("--keep", type=Path, help="keep the FEC and the workbook here")
    parser.add_argument("--before", default=BEFORE_HEADLESS,
                        help="the commit whose code is 'today' (none: skip it)")
    parser.add_argument("--phase", nargs=3, metavar=("NAME", "FEC", "WORKBOOK"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase and args.phase[0] == "write":
        return write_inputs(Path(args.phase[1]), Path(args.phase[2]), args.lines,
                            args.customers)
    if args.phase:
        return phase(args.phase[0], Path(args.phase[1]), Path(args.phase[2]))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-fec-"))
    folder.mkdir(parents=True, exist_ok=True)
    fec, workbook = folder / "123456789FEC20231231.txt", folder / "Relances.xlsm"
    # in a process of its own: a phase's peak memory (ru_maxrss) counts the memory of the
    # process that started it (Linux keeps the high-water mark across fork and exec)
    subprocess.run([sys.executable, __file__, "--phase", "write", str(fec), str(workbook),
                    "--lines", str(args.lines), "--customers", str(args.customers)], check=True)
    earlier_book = folder / "today" / workbook.name
    earlier_book.parent.mkdir(exist_ok=True)
    shutil.copyfile(workbook, earlier_book)
    print(f"{'step':<21} {'time':>9}   {'peak RSS':>14}")
    seconds = {name: run_phase(name, fec, workbook)
               for name in ("parse", "import", "import again")}
    print(f"workbook: {workbook} ({workbook.stat().st_size / 1e6:.1f} MB)")
    earlier = None if args.before == "none" else checkout(args.before)
    if earlier is None:
        print("(today's code not timed)")
        return None
    print(f"-- today's code ({args.before}), from a copy of the same empty workbook:")
    for name in ("import", "import again"):
        today = run_phase(name, fec, earlier_book, earlier)
        print(f"{name + ' / today':<21} {seconds[name] / today:7.3f}x")
    shutil.rmtree(earlier, ignore_errors=True)
    return None


if __name__ == "__main__":
    main()
