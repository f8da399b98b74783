"""A year of a busy wholesaler, written into a real `Relances.xlsm` (VBA included).

Run: python bench/generate.py OUT.xlsm [--factures 100000] [--seed 7] [--suivi 10000] [--reordered]
Sizes follow `--factures` (defaults: 5,000 customers, 100,000 invoices, 60,000
payments, 2 companies); `--clients` and `--reglements` override the ratios. The
ledger is drawn from a seeded generator, so the same arguments give the same file.

What it holds, in the proportions of a wholesaler's year 2023 (applied at
`BENCH_DATE`, 31/12/2023): invoices spread over the year, 30 days' term, 3 % credit
notes, 1 % disputed, 1 % not posted; payments lettered to one invoice each (a few
partial), 5 % unlettered on account; a reminder history of level 1 to 3 letters for
a share of the older invoices left open; 1 % of customers blocked, 10 % private.
With `--suivi N`, N lines of the `Suivi` sheet besides (drawn from a generator of their
own, so the ledger is the same with or without them): promises, three-instalment plans,
suspensions, disputes, calls and notes, on the invoices left open and their customers.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from relances_xl import layout
from relances_xl.excel.build import build_workbook

BENCH_DATE = date(2023, 12, 31)
COMPANIES: list[list[object]] = [
    ["GROS", "Grossiste Alimentaire SAS", "1 rue du Marché, 94150 RUNGIS",
     "552 100 554 00013", "FR76 3000 6000 0112 3456 7890 189", "compta@gros.example.fr"],
    ["LOGI", "Logistique du Nord SARL", "3 quai de Dunkerque, 59000 LILLE",
     "443 061 841 00025", "FR14 2004 1010 0505 0001 3M02 606", "compta@logi.example.fr"],
]
FAMILIES = ["CHR", "GMS", "DETAIL", "EXPORT", "COLLECTIVITE", "PARTICULIER"]
MODES = ["VIR", "CHQ", "LCR", "PRLV", "CB"]
TOWNS = [("75011", "PARIS"), ("69002", "LYON"), ("13001", "MARSEILLE"), ("33000", "BORDEAUX"),
         ("59000", "LILLE"), ("44000", "NANTES"), ("67000", "STRASBOURG"), ("51100", "REIMS")]
NAMES = ["Brasserie", "Épicerie", "Hôtel", "Cantine", "Supérette", "Traiteur", "Café"]


def ledger_rows(factures: int, clients: int | None = None, reglements: int | None = None,
                seed: int = 7) -> dict[str, list[list[object]]]:
    """Rows of Clients, Factures, Règlements and Historique, in layout column order."""
    rnd = random.Random(seed)
    clients = clients if clients is not None else max(10, factures // 20)
    reglements = reglements if reglements is not None else factures * 3 // 5
    customers = [_customer(rnd, i) for i in range(clients)]
    invoices = []
    for n in range(factures):
        code = customers[rnd.randrange(clients)][0]
        societe = COMPANIES[0][0] if rnd.random() < 0.7 else COMPANIES[1][0]
        day = date(2023, 1, 1) + timedelta(days=rnd.randrange(365))
        avoir = rnd.random() < 0.03
        cents = rnd.randint(2_000, 2_500_000)
        invoices.append([
            societe, f"{'AV' if avoir else 'FA'}23-{n:07d}", "Avoir" if avoir else "Facture",
            code, day, day + timedelta(days=30), Decimal(cents) / 100,
            rnd.choice(MODES) if rnd.random() < 0.3 else "",
            "Non" if rnd.random() < 0.01 else "Oui", "Oui" if rnd.random() < 0.01 else "Non"])
    # Payments: most of the older invoices get paid, one payment each (a few partial)
    payable = [inv for inv in invoices if inv[2] == "Facture"]
    payable.sort(key=lambda inv: inv[5])
    paid_share = min(len(payable), reglements * 95 // 100)
    payments = []
    for n, inv in enumerate(payable[:paid_share]):
        amount = inv[6] if rnd.random() > 0.05 else (inv[6] / 2).quantize(Decimal("0.01"))
        on = min(inv[5] + timedelta(days=rnd.randint(-20, 40)), BENCH_DATE)
        payments.append([inv[0], f"RG23-{n:07d}", inv[3], max(on, inv[4]), amount,
                         inv[7] or "VIR", inv[1]])
    while len(payments) < reglements:  # on account, unlettered
        code = customers[rnd.randrange(clients)][0]
        on = date(2023, 1, 1) + timedelta(days=rnd.randrange(365))
        payments.append([rnd.choice(COMPANIES)[0], f"RG23-{len(payments):07d}", code, on,
                         Decimal(rnd.randint(5_000, 300_000)) / 100, "VIR", ""])
    history = _history(rnd, payable[paid_share:])
    return {layout.CLIENTS: customers, layout.FACTURES: invoices,
            layout.REGLEMENTS: payments, layout.HISTORIQUE: history}


def _customer(rnd: random.Random, i: int) -> list[object]:
    family = rnd.choice(FAMILIES)
    postcode, town = rnd.choice(TOWNS)
    return [f"C{i:05d}", f"{rnd.choice(NAMES)} {i}", f"{rnd.randint(1, 200)} rue du Commerce",
            "", postcode, town, "France", family, f"REP{rnd.randint(1, 12):02d}",
            rnd.choice(MODES), f"compta{i}@client.example.fr", "", "FR",
            "Particulier" if family == "PARTICULIER" else "Professionnel",
            "Oui" if rnd.random() < 0.01 else "Non", 30]


def _history(rnd: random.Random, unpaid: list[list[object]]) -> list[list[object]]:
    """Letters already sent for the open invoices overdue by a month or more."""
    history = []
    for inv in unpaid:
        if inv[8] != "Oui" or inv[5] > BENCH_DATE - timedelta(days=30) or rnd.random() < 0.3:
            continue
        on = inv[5] + timedelta(days=rnd.randint(1, 10))
        for level in range(1, rnd.randint(1, 3) + 1):
            if on > BENCH_DATE:
                break
            history.append([on, inv[0], inv[3], inv[1], level, "pdf"])
            on += timedelta(days=rnd.randint(15, 40))
    return history


def suivi_rows(rows: dict[str, list[list[object]]], lines: int, seed: int = 7
               ) -> list[list[object]]:
    """`lines` Suivi lines on the invoices left open (in layout.SUIVI_COLUMNS order)."""
    rnd = random.Random(seed + 1)
    paid = {row[6] for row in rows[layout.REGLEMENTS] if row[6]}
    open_ = [inv for inv in rows[layout.FACTURES] if inv[2] == "Facture" and inv[1] not in paid]
    found: list[list[object]] = []
    while len(found) < lines:
        inv = rnd.choice(open_)
        societe, piece, tiers = inv[0], inv[1], inv[3]
        on = BENCH_DATE - timedelta(days=rnd.randint(1, 90))
        kind = rnd.random()
        piece = piece if rnd.random() < 0.7 else ""
        if kind < 0.3:
            found.append([on, tiers, societe, piece, "Promesse de règlement",
                          on + timedelta(days=rnd.randint(5, 60)),
                          inv[6] if rnd.random() < 0.5 else None, "promis au téléphone", "B"])
        elif kind < 0.45:
            for n in range(1, 4):
                found.append([on, tiers, societe, piece, "Échéancier",
                              on + timedelta(days=30 * n),
                              (inv[6] / 3).quantize(Decimal("0.01")), "", "B"])
        elif kind < 0.55:
            found.append([on, tiers, societe, piece, "Suspension",
                          on + timedelta(days=rnd.randint(5, 60)), None, "", "B"])
        elif kind < 0.6:
            found.append([on, tiers, societe, inv[1], "Litige", None, None, "contesté", "B"])
        else:
            found.append([on, tiers, societe, piece, rnd.choice(["Appel", "Note",
                                                                 "Réponse reçue"]),
                          None, None, "rappeler la semaine prochaine", "B"])
    return found[:lines]


def generate(out: Path, factures: int, clients: int | None = None,
             reglements: int | None = None, seed: int = 7, suivi: int = 0) -> Path:
    """The workbook at `out` with the generated ledger (the real builder, VBA and all)."""
    rows = ledger_rows(factures, clients, reglements, seed)
    if suivi:
        rows[layout.SUIVI] = suivi_rows(rows, suivi, seed)
    return build_workbook(out, rows=rows, companies=COMPANIES)


EXTRA_COLUMNS = ("Commentaire", "Réf. interne")  # the user's own, beside the ledger's


def reorder_columns(path: Path) -> Path:
    """The ledger sheets' columns in reverse order, two columns of the user's added
    after them: the same ledger as the user may lay it out (the reader finds its
    columns by header). The cells are cleared first: written over the old layout, an
    amount would take the date format of the column that was there, and read back as
    a date (every invoice refused, as the bench's variant was until 2026-12-06)."""
    from relances_xl.excel.headless import close_book, open_book, save_book
    from relances_xl.excel.sheets import read_block

    book = open_book(path)
    for name in (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE):
        block = read_block(book, name)
        laid = [[*reversed(block[0]), *EXTRA_COLUMNS]]
        laid += [[*reversed(row), "vu" if n % 7 == 0 else None, f"R{n:06d}"]
                 for n, row in enumerate(block[1:])]
        sheet = book.sheets[name]
        sheet.used_range.clear()  # as the user moves columns: their formats go with them
        sheet.range("A1").options(ndim=2).value = laid
    save_book(book)
    close_book(book)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--factures", type=int, default=100_000)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--reglements", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--suivi", type=int, default=0, help="lines of the Suivi sheet")
    parser.add_argument("--reordered", action="store_true",
                        help="the ledger's columns reversed, two columns of the user's added")
    args = parser.parse_args()
    path = generate(args.out, args.factures, args.clients, args.reglements, args.seed,
                    args.suivi)
    if args.reordered:
        reorder_columns(path)
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
