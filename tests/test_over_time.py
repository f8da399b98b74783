"""One ledger through two months of reminder runs, letters issued as PDF at each.

Levels climb 1 -> 2 -> 3 as the delays of Paramètres are met, never skipping one
and never twice a day; the last level repeats after its delay; payments stop or
lower the reminders; a customer blocked between two runs drops out unticked; and
`Historique` lists every letter really issued, in order, and nothing else.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip

from relances_xl import addin, layout
from relances_xl.cli import main, print_workbook
from relances_xl.config import Sortie
from relances_xl.excel.build import build_workbook

CLIENTS = [
    ["PRO1", "Garage Dupont", "2 rue Haute", "", "51100", "REIMS", "France", "AUTO", "REP01",
     "VIR", "garage@example.fr", "", "FR", "Professionnel", "Non", 30],
    ["PART1", "Mme Durand", "5 rue Basse", "", "80000", "AMIENS", "France", "PART", "REP01",
     "CHQ", "durand@example.fr", "", "FR", "Particulier", "Non", 30],
    ["BLOC", "Bar du Port", "1 quai Sud", "", "44000", "NANTES", "France", "CHR", "REP02",
     "CHQ", "bar@example.fr", "", "FR", "Professionnel", "Non", 30],
]


def invoice(numero: str, tiers: str, due: date, amount: str) -> list[object]:
    """An invoice dated 30 days before it falls due."""
    return ["VIGNE", numero, "Facture", tiers, due - timedelta(days=30), due, Decimal(amount),
            "VIR", "Oui", "Non"]


FACTURES = [
    invoice("F1", "PRO1", date(2024, 1, 1), "1000.00"),
    invoice("F2", "PRO1", date(2024, 1, 11), "500.00"),
    invoice("F5", "PRO1", date(2024, 1, 1), "80.00"),
    invoice("F3", "PART1", date(2024, 1, 1), "300.00"),
    invoice("F4", "BLOC", date(2024, 1, 1), "250.00"),
]
COMPANY = ["VIGNE", "Domaine de la Vigne SAS", "1 chemin des Vignes, 51100 REIMS",
           "123 456 789 00011", "FR76 3000 6000 0112 3456 7890 189", "compta@vigne.example.fr"]


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    soffice_or_skip()
    rows = {layout.CLIENTS: CLIENTS, layout.FACTURES: FACTURES, layout.REGLEMENTS: [],
            layout.HISTORIQUE: []}
    return build_workbook(tmp_path / "Relances.xlsm", rows=rows, companies=[COMPANY])


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def appliquer(capsys, path: Path, on: str) -> dict[str, dict]:
    code, out = run(capsys, "appliquer", str(path), "--date", on, "--json")
    assert code == 0, out
    return {r["tiers"]: r for r in json.loads(out)}


def issue(capsys, path: Path, folder: Path, on: str) -> list[str]:
    """The letters printed on the day the timeline plays (`on`): a formal notice printed
    after its deadline would be refused (issue 23)."""
    outcome = print_workbook(path, lambda: addin.imprimer_lettres(today=date.fromisoformat(on)),
                             Sortie.PDF, folder)
    assert not outcome.blocked and not outcome.refused, outcome.message
    capsys.readouterr()  # the run's own lines, not the next command's JSON
    return sorted(p.name for p in folder.glob("*_N*.pdf")) if folder.exists() else []


def append(path: Path, sheet: str, rows: list[list[object]]) -> None:
    """Type rows under the last one, as a user pastes them."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    ws = book[sheet]
    row = 2
    while ws.cell(row, 1).value not in (None, ""):
        row += 1
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            ws.cell(row + offset, column, value)
    book.save(path)


def block(path: Path, code: str) -> None:
    book = openpyxl.load_workbook(path, keep_vba=True)
    ws = book[layout.CLIENTS]
    column = list(layout.CLIENTS_COLUMNS).index("Bloqué relance") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
    ws.cell(row, column, "Oui")
    book.save(path)


def history(path: Path) -> list[tuple[date, str, int]]:
    ws = openpyxl.load_workbook(path)[layout.HISTORIQUE]
    return [(r[0].date(), r[3], r[4]) for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0] is not None]


def test_two_months_of_reminders(ledger, tmp_path, capsys):
    # 10/01: everything is due at level 1 (F2 falls due only on the 11th)
    rows = appliquer(capsys, ledger, "2024-01-10")
    assert {k: r["niveau"] for k, r in rows.items()} == {"PRO1": 1, "PART1": 1, "BLOC": 1}
    assert rows["PRO1"]["encours_relance"] == "1080.00"
    assert issue(capsys, ledger, tmp_path / "r1", "2024-01-10") == [
        "2024-01-10_VIGNE_BLOC_N1.pdf", "2024-01-10_VIGNE_PART1_N1.pdf",
        "2024-01-10_VIGNE_PRO1_N1.pdf"]
    expected = [(date(2024, 1, 10), p, 1) for p in ("F1", "F5", "F3", "F4")]
    assert sorted(history(ledger)) == sorted(expected)

    # the same day again: no letter, no line, no level gained
    assert issue(capsys, ledger, tmp_path / "r1bis", "2024-01-10") == []
    assert appliquer(capsys, ledger, "2024-01-10")["PRO1"]["niveau"] == 1
    assert sorted(history(ledger)) == sorted(expected)

    # F5 paid in full, F2 partly; BLOC blocked
    append(ledger, layout.REGLEMENTS, [
        ["VIGNE", "R1", "PRO1", datetime(2024, 1, 20), 80.0, "VIR", "F5"],
        ["VIGNE", "R2", "PRO1", datetime(2024, 1, 30), 200.0, "VIR", "F2"],
    ])
    block(ledger, "BLOC")

    # 20/01: ten days after the first letter, too soon for level 2; only F2, due since
    # the 11th, is new: PRO1 shows at level 1 (F5 paid in full is gone). Not printed.
    rows = appliquer(capsys, ledger, "2024-01-20")
    assert list(rows) == ["PRO1"] and rows["PRO1"]["niveau"] == 1
    assert rows["PRO1"]["encours_relance"] == "1500.00"

    # 26/01: 25 days late, 16 since the first letter: level 2; F5 no longer reminded
    rows = appliquer(capsys, ledger, "2024-01-26")
    assert rows["PRO1"]["niveau"] == 2 and rows["PRO1"]["encours_relance"] == "1500.00"
    assert rows["PART1"]["niveau"] == 2
    assert rows["BLOC"]["a_relancer"] is False
    assert rows["BLOC"]["motif"] == "Client bloqué en relance"
    assert issue(capsys, ledger, tmp_path / "r2", "2024-01-26") == [
        "2024-01-26_VIGNE_PART1_N2.pdf", "2024-01-26_VIGNE_PRO1_N2.pdf"]
    expected += [(date(2024, 1, 26), "F1", 2), (date(2024, 1, 26), "F2", 1),
                 (date(2024, 1, 26), "F3", 2)]
    assert sorted(history(ledger)) == sorted(expected)

    # 05/02: ten days after level 2: nothing due but the blocked customer's invoice
    rows = appliquer(capsys, ledger, "2024-02-05")
    assert list(rows) == ["BLOC"] and rows["BLOC"]["a_relancer"] is False

    # 11/02: level 3, with interest and the 40 € indemnity for the professional only
    rows = appliquer(capsys, ledger, "2024-02-11")
    pro, part = rows["PRO1"], rows["PART1"]
    assert pro["niveau"] == 3 and pro["encours_relance"] == "1300.00"  # F2: 500 - 200
    # at the 14,50 % of 2024 S1 (ECB 4,50 % + 10, the shipped table), on what was owed
    # each day (issue 23): F1: 1000 x 0,145 x 41 / 365 = 16,29 ; F2: 500 for 19 days
    # (12/01-30/01, paid 200 on the 30th) then 300 for 12: 13 100 x 0,145 / 365 = 5,20 ;
    # 2 x 40
    assert pro["agios_reclames"] == "101.49"
    # F3: the first mise en demeure of a private customer claims no interest (art. 1231-6
    # Code civil: it runs from this notice), and no indemnity
    assert part["niveau"] == 3 and part["agios_reclames"] == "0.00"
    assert issue(capsys, ledger, tmp_path / "r4", "2024-02-11") == [
        "2024-02-11_VIGNE_PART1_N3.pdf", "2024-02-11_VIGNE_PRO1_N3.pdf"]
    expected += [(date(2024, 2, 11), "F1", 3), (date(2024, 2, 11), "F2", 2),
                 (date(2024, 2, 11), "F3", 3)]

    # 20/02: the formal notice waits its 15 days
    assert "PRO1" not in appliquer(capsys, ledger, "2024-02-20")

    # 27/02: the last level repeats, and never goes beyond
    rows = appliquer(capsys, ledger, "2024-02-27")
    assert rows["PRO1"]["niveau"] == 3 and rows["PART1"]["niveau"] == 3
    # the repeated notice claims the interest since the first, at the legal rate of 2024
    # S1 (5,07 %): 300 x 0,0507 x 16 / 365 = 0,667 -> 0,67
    assert rows["PART1"]["agios_reclames"] == "0.67"
    assert issue(capsys, ledger, tmp_path / "r6", "2024-02-27") == [
        "2024-02-27_VIGNE_PART1_N3.pdf", "2024-02-27_VIGNE_PRO1_N3.pdf"]
    expected += [(date(2024, 2, 27), "F1", 3), (date(2024, 2, 27), "F2", 3),
                 (date(2024, 2, 27), "F3", 3)]

    # every letter issued, in the order issued, and nothing else
    recorded = history(ledger)
    assert [d for d, _, _ in recorded] == sorted(d for d, _, _ in recorded)
    assert sorted(recorded) == sorted(expected)
    assert max(level for _, _, level in recorded) == 3


# --- issue 14's timeline, through the real letters path ------------------------------------

TIMELINE_DUES = [date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 21), date(2024, 1, 31),
                 date(2024, 2, 10)]


@pytest.fixture
def five_invoices(tmp_path: Path) -> Path:
    """One professional, F0…F4 of 100 € falling due ten days apart, default Paramètres."""
    rows = {layout.CLIENTS: CLIENTS[:1],
            layout.FACTURES: [invoice(f"F{n}", "PRO1", due, "100.00")
                              for n, due in enumerate(TIMELINE_DUES)],
            layout.REGLEMENTS: [], layout.HISTORIQUE: []}
    return build_workbook(tmp_path / "Relances.xlsm", rows=rows, companies=[COMPANY])


def test_a_letter_at_each_due_date_never_holds_the_oldest_invoice_back(
        five_invoices, tmp_path, capsys):
    """Each letter lists every échue invoice; F0 still climbs every 15 days from the letter
    that gave it its level, and reaches the mise en demeure 40 days late."""
    levels = []
    for on in TIMELINE_DUES:
        rows = appliquer(capsys, five_invoices, on.isoformat())
        levels.append(rows["PRO1"]["niveau"])
        # printed on the day it plays: the last is a formal notice (issue 23)
        done = print_workbook(five_invoices,
                              lambda day=on: addin.imprimer_lettres(today=day),
                              Sortie.TEXTE, tmp_path / on.isoformat())
        assert not done.blocked and not done.refused, done.message
        capsys.readouterr()
    assert levels == [1, 1, 2, 2, 3]
    # 100,00 x 14,50 % (2024 S1) x 40, 30, 20, 10 and 0 days / 365, each rounded:
    # 1,59 + 1,19 + 0,79 + 0,40 + 0 = 3,97, + 5 x 40,00
    assert rows["PRO1"]["agios_reclames"] == "203.97"
    recorded = {(on, piece): niveau for on, piece, niveau in history(five_invoices)}
    d1, d2, d3, d4, d5 = TIMELINE_DUES
    assert recorded == {
        (d1, "F0"): 1,
        (d2, "F0"): 1, (d2, "F1"): 1,
        (d3, "F0"): 2, (d3, "F1"): 1, (d3, "F2"): 1,
        (d4, "F0"): 2, (d4, "F1"): 2, (d4, "F2"): 1, (d4, "F3"): 1,
        (d5, "F0"): 3, (d5, "F1"): 2, (d5, "F2"): 2, (d5, "F3"): 1, (d5, "F4"): 1,
    }


def test_an_invoice_listed_before_level_one_is_due_is_recorded_at_level_zero(tmp_path, capsys):
    """Level 1 at 5 days late: F2, 2 days late, is listed in F1's letter but not reminded."""
    rows = {layout.CLIENTS: CLIENTS[:1],
            layout.FACTURES: [invoice("F1", "PRO1", date(2024, 1, 1), "100.00"),
                              invoice("F2", "PRO1", date(2024, 1, 8), "100.00")],
            layout.REGLEMENTS: [], layout.HISTORIQUE: []}
    path = build_workbook(tmp_path / "Relances.xlsm", rows=rows, companies=[COMPANY])
    book = openpyxl.load_workbook(path, keep_vba=True)
    ws = book[layout.PARAMETRES]
    level_one = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Niveau") + 1
    ws.cell(level_one, 2, 5)
    book.save(path)
    assert appliquer(capsys, path, "2024-01-10")["PRO1"]["niveau"] == 1
    code, out = run(capsys, "lettres", str(path), "--sortie", "texte", "--dossier",
                    str(tmp_path / "out"))
    assert code == 0, out
    assert sorted(history(path)) == [(date(2024, 1, 10), "F1", 1), (date(2024, 1, 10), "F2", 0)]
