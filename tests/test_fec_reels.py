"""Real FEC exports of real accounting programs, imported into a new workbook.

The files are other projects' test inputs (see `../shared/fec-reels/SOURCES.md`),
read where CI keeps them, never copied here. What each customer should owe is
computed in this file from the FEC's own lines, by a reader of a few lines that
shares nothing with `relances_xl.fec`: debit − credit of the customer's 411 lines,
and what its lettering leaves open.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from relances_xl import layout, sample
from relances_xl.cli import main

REELS = Path(__file__).resolve().parents[1].parent / "shared" / "fec-reels"
WITH_CUSTOMERS = ("0000000001FEC20220831.txt", "000000000FEC20231231.txt",
                  "111111111FEC20221231.TXT", "123456789FEC20500930.txt")
TRYTON = "tryton_FEC.csv"
ZERO = Decimal("0.00")


def reel(name: str) -> Path:
    """A real FEC; in CI (CI=true) a missing folder fails instead of skipping."""
    path = REELS / name
    if path.is_file():
        return path
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{path} is missing: CI must have ../shared/fec-reels")
    pytest.skip(f"{REELS} not here")


# --- what the FEC says, read independently ------------------------------------------------


def fec_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number as an editor shows it, fields by column name) of each data line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp850")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    separator = "\t" if "\t" in lines[0] else "|"
    header = [name.strip() for name in lines[0].split(separator)]
    return [(number, dict(zip(header, (f.strip() for f in line.split(separator)), strict=False)))
            for number, line in enumerate(lines[1:], start=2) if line.strip()]


def cents(text: str) -> Decimal:
    return Decimal(text.replace(",", ".") or "0").quantize(Decimal("0.01"))


def owed_in_fec(path: Path, prefix: str = "411") -> tuple[dict[str, Decimal],
                                                          dict[str, Decimal]]:
    """Per customer: (debit − credit of its lines, what its invoices leave open).

    Open: an unlettered debit, and what a lettering group's debits exceed its credits by.
    """
    balance: dict[str, Decimal] = defaultdict(lambda: ZERO)
    open_: dict[str, Decimal] = defaultdict(lambda: ZERO)
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for _, row in fec_rows(path):
        if not row["CompteNum"].startswith(prefix):
            continue
        tiers = row["CompAuxNum"] or row["CompteNum"]
        amount = cents(row["Debit"]) - cents(row["Credit"])
        balance[tiers] += amount
        if row["EcritureLet"]:
            groups[(tiers, row["EcritureLet"])][amount < 0] += abs(amount)
        elif amount > 0:
            open_[tiers] += amount
    for (tiers, _), (debits, credits) in groups.items():
        open_[tiers] += max(ZERO, debits - credits)
    return dict(balance), {t: v for t, v in open_.items() if v}


# --- what the workbook says -----------------------------------------------------------------


def sheet_rows(book: openpyxl.Workbook, sheet: str) -> list[tuple]:
    return [row for row in book[sheet].iter_rows(min_row=2, values_only=True)
            if row[0] is not None]


def owed_in_workbook(path: Path) -> tuple[dict[str, Decimal], dict[str, Decimal], set[str]]:
    """Per customer: (balance, open amount of its invoices), and the codes in Clients."""
    book = openpyxl.load_workbook(path, read_only=True)
    balance: dict[str, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    invoices = []
    for _, numero, kind, tiers, _, _, montant, *_ in sheet_rows(book, layout.FACTURES):
        amount = cents(str(montant))
        balance[tiers] += -amount if kind == "Avoir" else amount
        if kind != "Avoir":
            invoices.append((numero, tiers, amount))
    for _, _, tiers, _, montant, _, lettree, *_ in sheet_rows(book, layout.REGLEMENTS):
        balance[tiers] -= cents(str(montant))
        if lettree:
            paid[lettree] += cents(str(montant))
    open_: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for numero, tiers, amount in invoices:
        open_[tiers] += max(ZERO, amount - paid[numero])
    clients = {row[0] for row in sheet_rows(book, layout.CLIENTS)}
    return dict(balance), {t: v for t, v in open_.items() if v}, clients


@pytest.fixture(scope="module")
def empty_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relances_xl.excel.build import build_workbook

    return build_workbook(tmp_path_factory.mktemp("reels") / "Relances.xlsm", rows={},
                          companies=sample.companies())


def imported(empty_book: Path, folder: Path, fec: Path, capsys: pytest.CaptureFixture[str],
             *options: str) -> tuple[Path, int, str, str]:
    book = folder / "Relances.xlsm"
    shutil.copyfile(empty_book, book)
    code = main(["import-fec", str(fec), str(book), "--societe", "VIGNE", *options])
    out, err = capsys.readouterr()
    return book, code, out, err


@pytest.fixture(scope="module")
def first_imports(empty_book: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> dict[str, tuple[Path, int, str, str]]:
    """Each real FEC with customers imported once into a new workbook: (book, exit
    status, stdout, stderr). Tests work on copies."""
    import contextlib
    import io

    done = {}
    for name in WITH_CUSTOMERS:
        path = REELS / name
        if not path.is_file():
            continue
        book = tmp_path_factory.mktemp("first") / "Relances.xlsm"
        shutil.copyfile(empty_book, book)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["import-fec", str(path), str(book), "--societe", "VIGNE"])
        done[name] = (book, code, out.getvalue(), err.getvalue())
    return done


def copy_of(first_imports: dict, name: str, folder: Path) -> Path:
    reel(name)
    book = folder / "Relances.xlsm"
    shutil.copyfile(first_imports[name][0], book)
    return book


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", WITH_CUSTOMERS)
def test_a_real_fec_imports_each_customers_balance_to_the_cent(name, first_imports, tmp_path,
                                                               capsys):
    fec = reel(name)
    book = copy_of(first_imports, name, tmp_path)
    _, code, out, err = first_imports[name]
    assert code == 0, err
    assert "Lignes rejetées : 0" in out
    fec_balance, fec_open = owed_in_fec(fec)
    balance, open_, clients = owed_in_workbook(book)
    assert set(fec_balance) <= clients  # every customer with a 411 line
    assert {t: balance.get(t, ZERO) for t in fec_balance} == fec_balance
    assert set(balance) <= set(fec_balance)
    assert open_ == fec_open  # lettered invoices closed, the others open

    code, again, err = main(["import-fec", str(fec), str(book), "--societe", "VIGNE"]), \
        *capsys.readouterr()
    assert code == 0, err
    for sheet in (layout.FACTURES, layout.REGLEMENTS):
        assert f"{sheet} : 0 ajout(s), 0 mise(s) à jour" in again
        assert f"{sheet} : 0 ajout(s), 0 mise(s) à jour, " in again
    assert "Clients : 0 ajout(s)" in again and "0 suppression(s)" in again
    assert owed_in_workbook(book) == (balance, open_, clients)


@pytest.mark.parametrize("name", WITH_CUSTOMERS)
def test_real_fecs_leave_their_currency_columns_blank_and_import_in_euros(name, first_imports):
    """None of the real exports fills Montantdevise or Idevise (article A47 A-1: "à blanc
    si non utilisé"); their rows are euro rows, Devise empty, as typed rows are."""
    fec = reel(name)
    filled = [(number, row.get("Montantdevise", row.get("MontantDevise")), row["Idevise"])
              for number, row in fec_rows(fec)
              if row.get("Montantdevise", row.get("MontantDevise")) or row["Idevise"]]
    assert filled == []
    book = openpyxl.load_workbook(first_imports[name][0], read_only=True)
    for sheet in (layout.FACTURES, layout.REGLEMENTS):
        devise = list(layout.FACTURES_COLUMNS if sheet == layout.FACTURES
                      else layout.REGLEMENTS_COLUMNS).index("Devise")
        rows = sheet_rows(book, sheet)
        assert rows and {row[devise] for row in rows} == {None}


def test_nothing_is_said_twice_and_the_summary_is_not_on_stderr(first_imports):
    reel(WITH_CUSTOMERS[0])
    _, code, out, err = first_imports[WITH_CUSTOMERS[0]]
    assert code == 0
    lines = err.splitlines()
    assert lines and len(lines) == len(set(lines))  # its lettering remarks, each once
    assert out.count("importé dans la société VIGNE") == 1
    assert "importé dans la société" not in err


def test_line_numbers_are_the_files_own_with_cr_cr_lf_line_ends(first_imports):
    fec = reel("123456789FEC20500930.txt")
    assert b"\r\r\n" in fec.read_bytes()[:2000]
    customer_lines = [n for n, row in fec_rows(fec) if row["CompteNum"].startswith("411")]
    book, code, _, _ = first_imports[fec.name]
    assert code == 0
    report = openpyxl.load_workbook(book, read_only=True)[layout.IMPORT_FEC]
    added = sorted(row[3] for row in report.iter_rows(min_row=4, values_only=True)
                   if row[0] == "ajoutée" and row[1] in (layout.FACTURES, layout.REGLEMENTS))
    assert added == customer_lines == [77, 7635, 8980, 8983]


def test_a_dos_code_page_export_is_read_and_said(first_imports):
    fec = reel("111111111FEC20221231.TXT")
    with pytest.raises(UnicodeDecodeError):
        fec.read_bytes().decode("utf-8")
    _, code, out, _ = first_imports[fec.name]
    assert code == 0
    assert "(DOS CP850, « | ») importé" in out


def test_pieces_shared_by_customers_and_entries_keep_apart_and_readable(first_imports):
    book = first_imports[reel("000000000FEC20231231.txt").name][0]
    factures = {row[1]: row for row in sheet_rows(openpyxl.load_workbook(book, read_only=True),
                                                  layout.FACTURES)}
    assert (factures["01/2023/CCB"][3], factures["01/2023/CCB"][6]) == ("CCB", 26608.35)
    assert (factures["01/2023/CESP"][3], factures["01/2023/CESP"][6]) == ("CESP", 10333.15)
    assert factures["FAE"][3] == "CVIR"  # a PieceRef of one piece stays as it is


def test_a_fec_without_customer_lines_says_so_and_names_its_accounts(empty_book, tmp_path,
                                                                     capsys):
    fec = reel(TRYTON)
    book, code, out, err = imported(empty_book, tmp_path, fec, capsys)
    assert code == 2 and not out
    assert err.count("\n") == 1  # one line
    assert "aucune ligne sur un compte client (411…)" in err
    assert "4967 « Autres comptes débiteurs »" in err and "--comptes 411,4967" in err
    assert "Paramètres, « Comptes clients du FEC » (ex. 411, 4967)" in err
    assert book.read_bytes() == empty_book.read_bytes()

    book, code, out, err = imported(empty_book, tmp_path, fec, capsys, "--comptes", "411,4967")
    assert code == 0, err
    fec_balance, _ = owed_in_fec(fec, prefix="4967")
    assert fec_balance == {"2": Decimal("15.00")}
    assert owed_in_workbook(book)[0] == fec_balance


def closing_date(path: Path) -> date:
    """The FEC's last entry date: the day its reminders are computed at."""
    return max(datetime.strptime(row["EcritureDate"], "%Y%m%d").date()
               for _, row in fec_rows(path))


def choose(book: Path, imputer: bool) -> None:
    """Paramètres' « Règlements non lettrés », typed as a user would."""
    type_setting(book, "imputer_non_lettres", layout.NON_LETTRES_CHOICES[imputer])


def type_setting(book: Path, key: str, value: object) -> int:
    """A setting of Paramètres typed as a user would; returns its row."""
    workbook = openpyxl.load_workbook(book, keep_vba=True)
    label = layout.PARAMETRES_SETTINGS[key][0]
    [row] = [r for r in workbook[layout.PARAMETRES].iter_rows(min_col=1, max_col=2)
             if r[0].value == label]
    row[1].value = value
    workbook.save(book)
    return row[0].row


@pytest.mark.parametrize("typed", ["411; 4967", "411, 4967", 4967])
def test_the_button_reads_the_customer_accounts_from_parametres(typed, empty_book, tmp_path,
                                                                capsys):
    """The Importer button passes no --comptes: Paramètres says where customers are."""
    fec = reel(TRYTON)
    book = tmp_path / "Relances.xlsm"
    shutil.copyfile(empty_book, book)
    type_setting(book, "comptes_fec", typed)
    assert main(["import-fec", str(fec), str(book), "--societe", "VIGNE"]) == 0
    capsys.readouterr()
    assert owed_in_workbook(book)[0] == owed_in_fec(fec, prefix="4967")[0]


@pytest.mark.parametrize("typed", ["41A", "411,, x", "4967.5"])
def test_customer_accounts_that_are_no_numbers_stop_the_import_and_say_where(
        typed, empty_book, tmp_path, capsys):
    book = tmp_path / "Relances.xlsm"
    shutil.copyfile(empty_book, book)
    row = type_setting(book, "comptes_fec", typed)
    before = book.read_bytes()
    assert main(["import-fec", str(reel(TRYTON)), str(book), "--societe", "VIGNE"]) == 2
    err = capsys.readouterr().err
    assert (f"Paramètres, ligne {row}, colonne « Comptes clients du FEC » : valeur « {typed} »"
            in err), err
    assert "débuts de comptes clients attendus, ex. 411 ou 411, 4967" in err
    assert book.read_bytes() == before


@pytest.mark.parametrize("imputer", [False, True], ids=["signaler", "imputer"])
@pytest.mark.parametrize("name", WITH_CUSTOMERS)
def test_no_letter_on_a_real_fec_asks_more_than_the_balance_plus_agios(
        name, imputer, first_imports, tmp_path, capsys):
    fec = reel(name)
    book = copy_of(first_imports, name, tmp_path)
    if imputer:  # "Signaler" is the default
        choose(book, imputer)
        before = sheet_rows(openpyxl.load_workbook(book, read_only=True), layout.REGLEMENTS)
    on = closing_date(fec) + timedelta(days=45)  # the last invoices fall due too
    balance, _ = owed_in_fec(fec)
    code = main(["appliquer", str(book), "--date", on.isoformat(), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = json.loads(out)
    assert rows, "a real ledger with overdue invoices gives rows"
    for row in rows:
        assert Decimal(row["solde_comptable"]) == balance[row["tiers"]]
        if imputer:  # the encours follows the allocated amounts
            assert Decimal(row["encours_relance"]) <= max(balance[row["tiers"]], ZERO)
    code = main(["lettres", str(book), "--sortie", "texte", "--dossier", str(tmp_path / "t")])
    capsys.readouterr()
    assert code == 0
    [export] = (tmp_path / "t").glob("*.csv")
    with export.open(encoding="utf-8-sig", newline="") as stream:
        letters = {(line["Tiers"], line["Société"]): line
                   for line in csv.DictReader(stream, delimiter=";")}
    assert set(letters) == {(r["tiers"], r["societe"]) for r in rows if r["a_relancer"]}
    for (tiers, _), line in letters.items():
        asked = cents(line["Reste à régler"])
        assert asked <= max(balance[tiers], ZERO), (tiers, asked, balance[tiers])
        assert cents(line["Règlements non imputés"]) >= cents(line["Encours relancé"]) - asked
    if imputer:  # allocated in memory: Règlements is as the import wrote it
        assert sheet_rows(openpyxl.load_workbook(book, read_only=True),
                          layout.REGLEMENTS) == before
