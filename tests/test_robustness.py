"""The rules of docs/robustness.md that no other test file covers: overpayments,
checkbox cells holding text, warnings that keep a row ticked, the backup kept on
save, and a save killed at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from test_ledger import blocks

from relances_xl import layout
from relances_xl.cli import main
from relances_xl.excel.backup import backup_path
from relances_xl.excel.headless import close_book, open_book, save_book
from relances_xl.ledger import read_ledger
from relances_xl.model import Customer, Ledger, ReminderRow
from relances_xl.rules.findings import MOTIF_ADRESSE, MOTIF_EMAIL, annotate_rows
from relances_xl.sample import SIGNATURE_FILE

ROOT = Path(__file__).resolve().parents[1]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- a payment larger than what is open on its invoice --------------------------------


def test_overpayment_is_a_warning_and_lowers_the_balance():
    def overpay(block):
        block.append(["VIGNE", "RG-TROP", "1FRNEG", date(2022, 7, 20), Decimal("7000.00"),
                      "VIR", "FA22-0101"])

    ledger, problems = read_ledger(blocks(reglements=overpay))
    (problem,) = problems
    assert not problem.blocking
    assert problem.sheet == layout.REGLEMENTS and problem.column == "N° pièce lettrée"
    assert problem.value == "FA22-0101" and problem.row == len(blocks()[layout.REGLEMENTS]) + 1
    assert "supérieurs au montant de la pièce" in problem.message
    assert "l'excédent de 1\u202f000,00\u00a0€" in problem.message  # 7 000 paid on 6 000
    assert any(p.numero == "RG-TROP" for p in ledger.payments)  # kept: it lowers the balance


def test_overpaid_invoices_found_by_the_reference_check_are_those_of_their_own_pass():
    """The reference check adds up what is lettered to each invoice in its pass over the
    payments; overpaid_invoices finds the same with its own pass: every kind of
    lettering (overpaid, exactly paid, in another currency, on a credit note, on
    another customer's invoice, on no invoice, over by a second payment)."""
    from relances_xl.ledger import check_references
    from relances_xl.rules.findings import overpaid_invoices

    def letterings(block):
        block.extend([
            ["VIGNE", "RG-TROP", "1FRNEG", date(2022, 7, 20), Decimal("7000.00"), "VIR",
             "FA22-0101"],  # 7 000 on 6 000: over
            ["VIGNE", "RG-USD", "1FRNEG", date(2022, 7, 21), Decimal("9000.00"), "VIR",
             "FA22-0115", "USD"],  # another currency, still lettered: over
            ["VIGNE", "RG-PILE", "1FRNEG", date(2022, 7, 21), Decimal("1000.00"), "VIR",
             "FA22-0088"],  # beside the 1 500 already lettered to it: over, split
            ["ZNEG", "RG-AV", "1FRNEG", date(2022, 7, 22), Decimal("99999.00"), "VIR",
             "ZA22-0003"],  # on a credit note: not an invoice paid over
            ["VIGNE", "RG-AUTRE", "1FRNEG", date(2022, 7, 23), Decimal("99999.00"), "VIR",
             "FA22-0109"],  # another customer's invoice: not counted
            ["VIGNE", "RG-NUL", "1FRNEG", date(2022, 7, 24), Decimal("99999.00"), "VIR",
             "FA22-9999"],  # no such invoice
        ])

    ledger, problems = read_ledger(blocks(reglements=letterings))
    _, lettering = check_references(ledger)
    assert lettering  # each piece once: the check hands its totals over
    pieces, lettered = lettering
    found = overpaid_invoices(ledger, pieces, lettered)
    assert found == overpaid_invoices(ledger)  # its own pass over the payments
    assert {p.value for p in found} == {"FA22-0101", "FA22-0115", "FA22-0088"}
    assert [p for p in problems if not p.blocking] == found


def test_overpayment_end_to_end_invoice_not_reminded(workbook: Path, capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    sheet = book[layout.REGLEMENTS]
    last = max(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value)
    for col, value in enumerate(["VIGNE", "RG-TROP", "1FRNEG", date(2022, 7, 20), 7000.0,
                                 "VIR", "FA22-0101"], start=1):
        sheet.cell(last + 1, col).value = value
    book.save(workbook)
    code, out, err = cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27", "--json")
    assert code == 0
    assert "attention : Règlements, ligne" in err and "l'excédent de 1\u202f000,00\u00a0€" in err
    assert "FA22-0101" not in out  # fully paid: not reminded


# --- warnings that keep a row ticked ----------------------------------------------------


def _row(tiers: str, motif: str = "") -> ReminderRow:
    return ReminderRow(tiers, "VIGNE", Decimal("10"), Decimal("10"), Decimal("0"), 1,
                       not motif, False, "", motif)


def test_missing_address_and_email_warn_and_keep_the_tick():
    ledger = Ledger(customers=(
        Customer("OK", "Complet", "1 rue A", "", "51100", "REIMS", email="a@b.fr", row=2),
        Customer("NOADR", "Sans adresse", "", "", "51100", "", email="c@d.fr", row=3),
        Customer("NOMAIL", "Sans e-mail", "1 rue B", "", "75001", "PARIS", row=4),
    ))
    rows = [_row("OK"), _row("NOADR"), _row("NOMAIL"), _row("NOMAIL", "Client bloqué")]
    annotated, problems = annotate_rows(rows, ledger)
    assert [r.motif for r in annotated] == [
        "", MOTIF_ADRESSE, MOTIF_EMAIL, f"Client bloqué ; {MOTIF_EMAIL}"]
    assert [r.a_relancer for r in annotated] == [True, True, True, False]
    assert [(p.row, p.column, p.blocking) for p in problems] == [
        (3, "Adresse 1", False), (4, "E-mail", False)]  # once per customer
    assert "Adresse 1, Ville vide" in problems[0].message


def test_missing_address_end_to_end(workbook: Path, capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    clients = book[layout.CLIENTS]
    header = [c.value for c in clients[1]]
    row = next(r for r in range(2, clients.max_row + 1) if clients.cell(r, 1).value == "BONJE")
    clients.cell(row, header.index("Adresse 1") + 1).value = None
    clients.cell(row, header.index("E-mail") + 1).value = None
    book.save(workbook)
    code, out, err = cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27", "--json")
    assert code == 0
    assert f"attention : Clients, ligne {row}, colonne « Adresse 1 »" in err
    assert "e-mail manquant" in err
    controls = openpyxl.load_workbook(workbook)[layout.CONTROLES]
    messages = [r[5] for r in controls.iter_rows(min_row=2, values_only=True) if r[0]]
    assert any("adresse incomplète" in m for m in messages)
    import json
    (bonje,) = [r for r in json.loads(out) if r["tiers"] == "BONJE"]
    assert bonje["a_relancer"] is True
    assert bonje["motif"] == f"{MOTIF_ADRESSE} ; {MOTIF_EMAIL}"


# --- a checkbox cell holding text -------------------------------------------------------


def test_text_in_a_checkbox_is_not_ticked_and_warned(workbook: Path, tmp_path: Path, capsys):
    assert cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")[0] == 0
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    sheet = book[layout.RELANCES]
    first = layout.TABLE_FIRST_ROW
    tiers = sheet.cell(first, 1).value
    assert sheet.cell(first, 7).value is True  # "A relancer"
    sheet.cell(first, 7).value = "Oui"  # typed over the checkbox
    book.save(workbook)
    code, _out, err = cli(capsys, "lettres", str(workbook), "--sortie", "texte",
                         "--dossier", str(tmp_path / "t"))
    assert code == 0
    assert (f"attention : Relances, ligne {first}, colonne « A relancer » : valeur « Oui » — "
            "case à cocher contenant autre chose que VRAI/FAUX : lue comme non cochée") in err
    (export,) = (tmp_path / "t").glob("*.csv")
    assert f"\n{tiers};" not in export.read_text(encoding="utf-8-sig")


# --- the backup kept on save ------------------------------------------------------------


def test_headless_save_keeps_the_previous_file_as_bak(workbook: Path, capsys):
    before = workbook.read_bytes()
    assert cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")[0] == 0
    bak = backup_path(workbook)
    assert bak.name == "Relances.xlsm.bak"
    assert bak.read_bytes() == before
    after = workbook.read_bytes()
    assert after != before
    assert cli(capsys, "sauver", str(workbook))[0] == 0
    assert bak.read_bytes() == after  # one generation: the file before the last save
    with open(bak, "rb") as stream:  # a whole workbook: rename it to .xlsm to restore it
        openpyxl.load_workbook(stream, keep_vba=True)
    assert sorted(p.name for p in workbook.parent.iterdir() if p.name != SIGNATURE_FILE) == [
        ".Relances.xlsm.lock", "Relances.xlsm", "Relances.xlsm.bak"]  # no temporary file
    # left; the lock beside the workbook stays on macOS and Linux (see excel/guard.py)


# --- a save killed at random moments ----------------------------------------------------

# The child saves in a loop and says when each save starts and ends, on the monotonic
# clock every process of the machine shares, so that the parent can aim its kill inside
# a save whatever the speed of the machine (a loaded machine makes the save slower).
SAVER = """
import sys, time
from relances_xl.excel.headless import open_book, save_book, close_book
path = sys.argv[1]
n = 0
while True:
    book = open_book(path)
    n += 1
    book.sheets["Relances"].range("Z1").value = n
    print("saving", n, time.monotonic(), flush=True)
    save_book(book)
    print("saved", n, time.monotonic(), flush=True)
    close_book(book)
"""

WARM_SAVES = 2  # whole saves before the one aimed at, to time them
KILLS_DURING_A_SAVE = 12  # kills that must land inside a save
ATTEMPTS = 60  # at most: a kill that lands outside a save (the machine was slow) is retried


def _z1(path: Path) -> object:
    return openpyxl.load_workbook(path, keep_vba=True)["Relances"]["Z1"].value


def _read_line(process: subprocess.Popen) -> tuple[str, int, float]:
    line = process.stdout.readline()
    assert line, process.stderr.read()[-500:]  # the child died before it was killed
    word, number, clock = line.split()
    return word, int(number), float(clock)


def _kill_inside_a_save(process: subprocess.Popen, rng: random.Random) -> tuple[float, int]:
    """Let the child save WARM_SAVES times (the shortest of them is the period to aim in),
    then kill it at a random point of the save that follows; return that point (0 to 1)
    and the number of the last save the child said was done."""
    started, lengths = {}, []
    while len(lengths) < WARM_SAVES:
        word, number, clock = _read_line(process)
        if word == "saving":
            started[number] = clock
        else:
            lengths.append(clock - started[number])
    word, number, clock = _read_line(process)
    assert (word, number) == ("saving", WARM_SAVES + 1)
    point = rng.random()
    time.sleep(max(0.0, clock + point * min(lengths) - time.monotonic()))
    process.send_signal(signal.SIGKILL)
    return point, WARM_SAVES


def test_kill_during_headless_save_leaves_a_whole_workbook(workbook: Path):
    rng = random.Random(20261128)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    last_seen = None
    inside = []
    for attempt in range(ATTEMPTS):
        process = subprocess.Popen([sys.executable, "-c", SAVER, str(workbook)], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        point, done = _kill_inside_a_save(process, rng)
        out, err = process.communicate()
        if not out:  # killed before the child could say that the save it aimed at was done
            inside.append(point)
        value = _z1(workbook)  # loads: the file is whole
        # the last save said done, or the next one (killed between its rename and the line
        # that says so); later ones when the kill came after the save aimed at
        # (a last line the kill cut short says nothing: only whole lines count)
        whole = [line.split() for line in out.splitlines(keepends=True) if line.endswith("\n")]
        saved = [int(words[1]) for words in whole if words[0] == "saved"]
        done = max(saved, default=done)
        assert value in {done, done + 1}, (attempt, value, out[-300:], err[-500:])
        last_seen = value
        # a killed save may leave its temporary file, never a damaged workbook or backup
        if backup_path(workbook).exists():
            with open(backup_path(workbook), "rb") as stream:
                openpyxl.load_workbook(stream, keep_vba=True)
        torn = [t for t in workbook.parent.glob(".~Relances.xlsm.*.tmp")  # the new file,
                if not t.name.startswith(".~Relances.xlsm.bak.")]  # half written
        if len(inside) >= KILLS_DURING_A_SAVE and torn:
            break
    # the kills really fell inside saves, spread over their length, and one at least
    # while the new file was being written
    assert len(inside) >= KILLS_DURING_A_SAVE and torn, (inside, attempt)
    assert min(inside) < 0.35 and max(inside) > 0.65, inside
    # temporary files left by the kills are swept by a later save once they are old
    (workbook.parent / ".~Relances.xlsm.killed.tmp").write_bytes(b"PK half a file")
    for temp in workbook.parent.glob(".~*.tmp"):
        os.utime(temp, (time.time() - 3600, time.time() - 3600))
    fresh = workbook.parent / ".~Relances.xlsm.inprogress.tmp"  # another save, right now
    fresh.write_bytes(b"PK")
    book = open_book(workbook)
    save_book(book)
    close_book(book)
    assert list(workbook.parent.glob(".~*.tmp")) == [fresh]
    assert _z1(workbook) == last_seen


# --- one case per ledger rule not covered elsewhere -------------------------------------


def _avoir_row(block):
    return next(r for r in block[1:] if r[2] == "Avoir")


LEDGER_CASES = {
    "negative invoice": ("factures", lambda b: b[1].__setitem__(6, Decimal("-10")),
                         (layout.FACTURES, 2, "Montant TTC", Decimal("-10"),
                          "montant négatif sur une facture : saisir un Avoir")),
    "negative payment": ("reglements", lambda b: b[1].__setitem__(4, -5.0),
                         (layout.REGLEMENTS, 2, "Montant", -5.0, "règlement négatif")),
    "duplicate customer": ("clients", lambda b: b.append(list(b[1])),
                           (layout.CLIENTS, 11, "Code tiers", "1FRNEG",
                            "code tiers en double (déjà ligne 2)")),
    "unknown customer": ("factures", lambda b: b[1].__setitem__(3, "INCONNU"),
                         (layout.FACTURES, 2, "Code tiers", "INCONNU",
                          "code tiers absent de la feuille Clients")),
    "unknown lettered piece": ("reglements", lambda b: b[1].__setitem__(6, "NOPE"),
                               (layout.REGLEMENTS, 2, "N° pièce lettrée", "NOPE",
                                "pièce lettrée inconnue dans la société VIGNE")),
    "duplicate header": ("factures", lambda b: b[0].append("montant ttc"),
                         (layout.FACTURES, 1, "montant ttc", "montant ttc", "en-tête en double")),
    "empty header row": ("clients", lambda b: b.__setitem__(0, [None] * len(b[0])),
                         (layout.CLIENTS, 1, None, None, "ligne d'en-têtes vide")),
    "required value missing": ("factures", lambda b: b[1].__setitem__(1, None),
                               (layout.FACTURES, 2, "N° pièce", None,
                                "valeur obligatoire manquante")),
    "Excel error value": ("clients", lambda b: b[1].__setitem__(1, "#N/A"),
                          (layout.CLIENTS, 2, "Nom", "#N/A", "erreur Excel dans la cellule")),
    "impossible date": ("factures", lambda b: b[1].__setitem__(4, "31/02/2022"),
                        (layout.FACTURES, 2, "Date pièce", "31/02/2022",
                         "date attendue (ex. 27/07/2022)")),
    "huge amount": ("factures", lambda b: b[1].__setitem__(6, 1e16),
                    (layout.FACTURES, 2, "Montant TTC", 1e16,
                     "montant trop grand (Excel garde 15 chiffres : 9 999 999 999 999,99 "
                     "au plus)")),
}


@pytest.mark.parametrize("case", LEDGER_CASES)
def test_each_ledger_rule_names_sheet_row_column_value(case):
    sheet, edit, expected = LEDGER_CASES[case]
    _, problems = read_ledger(blocks(**{sheet: edit}))
    found = [(p.sheet, p.row, p.column, p.value, p.message) for p in problems]
    assert expected in found
    assert all(p.blocking for p in problems)


def test_payment_lettered_to_a_credit_note_is_refused():
    def letter_to_credit(block):
        factures = blocks()[layout.FACTURES]
        avoir = _avoir_row(factures)
        block[1][0], block[1][2], block[1][6] = avoir[0], avoir[3], avoir[1]

    _, problems = read_ledger(blocks(reglements=letter_to_credit))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "N° pièce lettrée", "règlement lettré sur un avoir")]
