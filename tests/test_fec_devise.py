"""Importer un FEC with Montantdevise and Idevise: invoices and payments in their currency.

Debit and Credit are the euro amounts of the books; the article's fields 17 and 18
(Montantdevise, Idevise, "à blanc si non utilisé") give a line's own currency and
amount. What the rows become is checked on generated FECs, first as planned, then
through the real workbook and the command line.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal as D

import openpyxl
import pytest
from fec_writer import Ln, fec_text, payment, sale, write_fec

from relances_xl import layout
from relances_xl.cli import main
from relances_xl.fec.plan import FecOptions, Prior, plan_targets
from relances_xl.fec.read import parse_fec
from relances_xl.ledger import read_ledger
from relances_xl.texts import money_format

VIGNE_FEC = "123456789FEC20231231.txt"  # the SIREN of VIGNE's SIRET in the sample Paramètres


def parsed(lines: list[Ln]):
    return parse_fec(fec_text(lines).encode("utf-8"), "FEC.txt")


def targets(lines: list[Ln]):
    return plan_targets(parsed(lines), FecOptions("VIGNE"), Prior(), {})


def usd_year(payment_devise: tuple[str, str] = ("USD", "1100,00"),
             payment_euros: str = "980,00") -> list[Ln]:
    """A New York customer's invoice of 1 100 $ (1 000 € in the books), paid in full in
    dollars when the dollar had fallen (980 €), and the exchange loss on its account
    (20 €, 0 $), all lettered together, as a program in several currencies books them."""
    return [
        *sale("1", "20230105", "NYC", "Wine Cellar NYC", "FA23-101", "1000,00", let="US",
              devise=("USD", "1100,00")),
        *payment("2", "20230301", "NYC", "Wine Cellar NYC", payment_euros, let="US",
                 devise=payment_devise),
        Ln("OD", "3", "20230301", "411000", Credit="20,00", CompAuxNum="NYC",
           CompAuxLib="Wine Cellar NYC", PieceRef="ECART", EcritureLet="US",
           Idevise="USD", Montantdevise="0,00"),
        Ln("OD", "3", "20230301", "666000", Debit="20,00", PieceRef="ECART"),
    ]


def issues_of(lines: list[Ln]) -> list[tuple]:
    return [(i.line, i.column, i.value, i.rejected) for i in parsed(lines).issues]


# --- reading the two columns -------------------------------------------------------------


def test_a_usd_invoice_and_its_usd_payment_are_rows_in_dollars_and_settle():
    plan = targets(usd_year())
    invoice = plan.factures["FA23-101"].values
    assert (invoice["montant"], invoice["devise"]) == (D("1100.00"), "USD")
    paid = plan.reglements["BQ-20230301-2-1"].values
    assert (paid["montant"], paid["devise"], paid["piece_lettree"]) == (
        D("1100.00"), "USD", "FA23-101")
    assert len(plan.reglements) == 1  # nothing left over: settled whatever the euros
    notes = [(n.line, n.column, n.action) for n in plan.notes]
    assert notes == [(7, "Montantdevise", "ignorée")]  # the exchange difference, 0 $
    assert "écart de change" in plan.notes[0].message and "0 en USD" in plan.notes[0].message


def test_a_payment_short_in_dollars_leaves_the_rest_open_in_dollars():
    plan = targets(usd_year(payment_devise=("USD", "1000,00")))
    assert plan.reglements["BQ-20230301-2-1"].values["montant"] == D("1000.00")
    [partial] = [n for n in plan.notes if n.column == "EcritureLet"]
    assert "100,00\u00a0$US au débit restent ouverts" in partial.message


@pytest.mark.parametrize(("code", "amount"), [
    ("EUR", "1000,00"),  # the euro amount repeated, code EUR
    ("", "1000,00"),  # the euro amount repeated without code, as some exports write it
    ("", "1000.00"),
    ("eur", "1000,00"),
    ("", "0,00"),
    ("", ""),
])
def test_an_euro_line_with_montantdevise_filled_is_an_euro_row(code, amount):
    lines = sale("1", "20230105", "C1", "Un", "F1", "1000,00", devise=(code, amount))
    assert issues_of(lines) == []
    values = targets(lines).factures["F1"].values
    assert (values["montant"], values["devise"]) == (D("1000.00"), "")


def test_an_euro_payment_with_its_signed_amount_repeated_is_an_euro_row():
    lines = payment("1", "20230105", "C1", "Un", "250,00", devise=("", "-250,00"))
    assert issues_of(lines) == []
    assert targets(lines).reglements["BQ-20230105-1-1"].values["devise"] == ""


def test_an_eur_amount_other_than_the_books_is_remarked_and_the_books_kept():
    lines = sale("1", "20230105", "C1", "Un", "F1", "1000,00", devise=("EUR", "999,00"))
    assert issues_of(lines) == [(2, "Montantdevise", "999,00", False)]
    assert targets(lines).factures["F1"].values["montant"] == D("1000.00")


def test_idevise_in_lower_case_is_the_code():
    lines = sale("1", "20230105", "C1", "Un", "F1", "1000,00", devise=("usd", "1100,00"))
    assert targets(lines).factures["F1"].values["devise"] == "USD"


@pytest.mark.parametrize(("amount", "expected"), [
    ("1100,55", D("1100.55")),  # decimal comma
    ("1100.55", D("1100.55")),
    ("00000001100,55", D("1100.55")),  # zero-padded, fixed-width exports
    ("0,50", D("0.50")),  # under one unit
    ("0,01", D("0.01")),
])
def test_montantdevise_as_exports_write_it(amount, expected):
    lines = sale("1", "20230105", "C1", "Un", "F1", "1000,00", devise=("GBP", amount))
    values = targets(lines).factures["F1"].values
    assert (values["montant"], values["devise"]) == (expected, "GBP")


@pytest.mark.parametrize("amount", ["1100,00", "-1100,00"])
def test_a_payments_amount_is_unsigned_or_signed_as_its_balance(amount):
    lines = payment("1", "20230105", "C1", "Un", "1000,00", devise=("CHF", amount))
    values = targets(lines).reglements["BQ-20230105-1-1"].values
    assert (values["montant"], values["devise"]) == (D("1100.00"), "CHF")


@pytest.mark.parametrize(("code", "amount", "column", "value", "words"), [
    ("USD", "", "Montantdevise", "", "montant en devise manquant pour la devise USD"),
    ("", "1100,00", "Montantdevise", "1100,00", "sans devise (Idevise vide)"),
    ("USD", "11OO,00", "Montantdevise", "11OO,00", "montant attendu"),
    ("USD", "1100,001", "Montantdevise", "1100,001", "montant attendu"),
    ("XYZ", "1100,00", "Idevise", "XYZ", "code de devise ISO 4217 attendu"),
    ("$", "1100,00", "Idevise", "$", "code de devise ISO 4217 attendu"),
    ("USD", "-1100,00", "Montantdevise", "-1100,00", "négatif sur une ligne au débit"),
])
def test_a_currency_half_given_or_unreadable_rejects_the_line_named(code, amount, column,
                                                                    value, words):
    lines = [*sale("1", "20230105", "C1", "Un", "F1", "1000,00", devise=(code, amount)),
             *sale("2", "20230106", "C1", "Un", "F2", "500,00")]
    fec = parsed(lines)
    [issue] = fec.issues
    assert (issue.line, issue.column, issue.value, issue.rejected) == (2, column, value, True)
    assert words in issue.message
    assert str(issue).startswith(f"FEC, ligne 2, colonne « {column} »")
    assert list(targets(lines).factures) == ["F2"]  # the line is not imported at all


def test_odoos_export_signed_zero_padded_and_its_blank_exchange_difference():
    """Odoo writes amount_currency signed with to_char('000000000000000D99'), and an
    exchange difference (0 in the currency) as a blank Montantdevise with its code."""
    lines = usd_year(payment_devise=("USD", "-000000000001100,00"))
    lines[0] = replace(lines[0], Montantdevise="000000000001100,00")
    lines[5] = replace(lines[5], Montantdevise="")  # the exchange difference
    fec = parsed(lines)
    [issue] = fec.issues
    assert (issue.line, issue.column, issue.rejected) == (7, "Montantdevise", True)
    assert "écart de change (0 USD, qu'Odoo exporte vide)" in issue.message
    plan = plan_targets(fec, FecOptions("VIGNE"), Prior(), {})
    assert plan.factures["FA23-101"].values["montant"] == D("1100.00")
    assert list(plan.reglements) == ["BQ-20230301-2-1"]  # settled in dollars
    assert plan.notes == []


def test_lettering_across_currencies_is_named_and_letters_only_within_a_currency():
    lines = [*sale("1", "20230105", "NYC", "Wine Cellar NYC", "FA23-101", "1000,00", let="X",
                   devise=("USD", "1100,00")),
             *payment("2", "20230301", "NYC", "Wine Cellar NYC", "1000,00", let="X")]
    plan = targets(lines)
    paid = plan.reglements["BQ-20230301-2-1"].values
    assert (paid["montant"], paid["devise"], paid["piece_lettree"]) == (D("1000.00"), "", "")
    mixed = [n for n in plan.notes if "devises différentes" in n.message]
    assert [(n.line, n.column, n.value, n.action) for n in mixed] == [
        (2, "EcritureLet", "X", "remarque")]
    assert "(EUR, USD)" in mixed[0].message


def test_a_piece_in_two_currencies_keeps_its_first_lines_and_names_the_other():
    lines = [Ln("VT", "1", "20230105", "411000", Debit="100,00", CompAuxNum="C1",
                PieceRef="F1", Idevise="USD", Montantdevise="110,00"),
             Ln("VT", "1", "20230105", "411000", Debit="50,00", CompAuxNum="C1",
                PieceRef="F1", Idevise="GBP", Montantdevise="45,00", EcritureLet="G"),
             Ln("VT", "1", "20230105", "706000", Credit="150,00", PieceRef="F1"),
             *payment("2", "20230201", "C1", "", "50,00", let="G", devise=("GBP", "45,00"))]
    plan = targets(lines)
    assert (plan.factures["F1"].values["montant"], plan.factures["F1"].values["devise"]) == (
        D("110.00"), "USD")
    assert [(n.line, n.column, n.value) for n in plan.notes] == [
        (3, "Idevise", "GBP"), (6, "EcritureLet", "G")]  # the GBP payment stays open
    paid = plan.reglements["BQ-20230201-2-1"].values  # not lettered to the USD invoice
    assert (paid["montant"], paid["devise"], paid["piece_lettree"]) == (D("45.00"), "GBP", "")


# --- through the workbook ------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def column(sheet: str, field: str) -> int:
    """The 0-based column of `field` in the built sheet."""
    columns = layout.FACTURES_COLUMNS if sheet == layout.FACTURES else layout.REGLEMENTS_COLUMNS
    return list(columns.values()).index(field)


def test_dollar_rows_land_in_the_sheets_shown_in_dollars_and_read_back(empty, tmp_path,
                                                                       capsys):
    fec = write_fec(tmp_path / VIGNE_FEC, [*usd_year(),
                                           *sale("4", "20230110", "C1", "Un", "FA23-001",
                                                 "600,00")])
    code, _, err = cli(capsys, "import-fec", fec, empty)
    assert code == 0, err
    book = openpyxl.load_workbook(empty)
    factures = book[layout.FACTURES]
    assert [(r[1], r[column(layout.FACTURES, "montant")], r[column(layout.FACTURES, "devise")])
            for r in factures.iter_rows(min_row=2, max_row=3, values_only=True)] == [
        ("FA23-101", 1100, "USD"), ("FA23-001", 600, None)]
    montant = column(layout.FACTURES, "montant") + 1
    assert factures.cell(2, montant).number_format == money_format("USD")
    assert factures.cell(3, montant).number_format == layout.MONEY_FORMAT
    reglements = book[layout.REGLEMENTS]
    row = next(reglements.iter_rows(min_row=2, max_row=2, values_only=True))
    assert (row[1], row[column(layout.REGLEMENTS, "montant")],
            row[column(layout.REGLEMENTS, "devise")]) == ("BQ-20230301-2-1", 1100, "USD")
    assert reglements.cell(2, column(layout.REGLEMENTS, "montant") + 1).number_format == (
        money_format("USD"))
    report = [r for r in book[layout.IMPORT_FEC].iter_rows(min_row=4, values_only=True)]
    details = {r[2]: r[6] for r in report if r[0] == "ajoutée"}
    assert details["FA23-101"] == ("facture de 1\u202f100,00\u00a0$US du 05/01/2023, "
                                   "client NYC")
    assert details["BQ-20230301-2-1"].startswith("règlement de 1\u202f100,00\u00a0$US")
    assert details["FA23-001"].startswith("facture de 600,00\u00a0€")
    assert "ignorée : ligne 7, Montantdevise « 0 » — écart de change" in err
    blocks = {name: [list(r) for r in book[name].iter_rows(values_only=True)]
              for name in (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS,
                           layout.HISTORIQUE)}
    ledger, problems = read_ledger(blocks)
    assert [p for p in problems if p.blocking] == []
    assert {(i.piece, i.montant, i.devise) for i in ledger.invoices} == {
        ("FA23-101", D("1100.00"), "USD"), ("FA23-001", D("600.00"), "EUR")}
    assert [(p.montant, p.devise) for p in ledger.payments] == [(D("1100.00"), "USD")]

    code, again, err = cli(capsys, "import-fec", fec, empty)  # the same FEC again
    assert code == 0, err
    assert "Factures : 0 ajout(s), 0 mise(s) à jour, 2 inchangée(s)" in again
    assert "Règlements : 0 ajout(s), 0 mise(s) à jour, 1 inchangée(s)" in again


def test_an_invoice_now_in_dollars_is_updated_and_its_format_follows(empty, tmp_path,
                                                                     capsys):
    first = tmp_path / "first" / VIGNE_FEC
    first.parent.mkdir()
    cli(capsys, "import-fec", write_fec(first, sale("1", "20230105", "NYC", "NYC",
                                                    "FA23-101", "1000,00")), empty)
    fec = write_fec(tmp_path / VIGNE_FEC, sale("1", "20230105", "NYC", "NYC", "FA23-101",
                                               "1000,00", devise=("USD", "1100,00")))
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 0, err
    assert "Factures : 0 ajout(s), 1 mise(s) à jour" in out
    book = openpyxl.load_workbook(empty)
    ws = book[layout.FACTURES]
    assert ws.cell(2, column(layout.FACTURES, "devise") + 1).value == "USD"
    assert ws.cell(2, column(layout.FACTURES, "montant") + 1).number_format == (
        money_format("USD"))
    [detail] = [r[6] for r in book[layout.IMPORT_FEC].iter_rows(min_row=4, values_only=True)
                if r[0] == "mise à jour"]
    assert "1\u202f000,00\u00a0€ → 1\u202f100,00\u00a0$US" in detail
    assert "Devise : (vide) → USD" in detail


def test_a_rejected_currency_line_is_said_and_nothing_of_it_written(empty, tmp_path, capsys):
    lines = [*sale("1", "20230105", "NYC", "NYC", "FA23-101", "1000,00",
                   devise=("USD", "")),
             *sale("2", "20230106", "C1", "Un", "FA23-001", "600,00")]
    code, out, err = cli(capsys, "import-fec", write_fec(tmp_path / VIGNE_FEC, lines), empty)
    assert code == 1
    assert "Lignes rejetées : 1" in out
    assert "rejetée : ligne 2, Montantdevise — montant en devise manquant" in err
    ws = openpyxl.load_workbook(empty)[layout.FACTURES]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]] == ["FA23-001"]


def test_a_workbook_without_devise_column_refuses_dollars_and_stays_as_it_was(
        empty, tmp_path, capsys):
    book = openpyxl.load_workbook(empty, keep_vba=True)
    ws = book[layout.FACTURES]
    ws.cell(1, column(layout.FACTURES, "devise") + 1).value = None  # an older workbook
    book.save(empty)
    before = hashlib.sha256(empty.read_bytes()).hexdigest()
    fec = write_fec(tmp_path / VIGNE_FEC, usd_year())
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 2
    assert "la feuille Factures n'a pas de colonne « Devise »" in err
    assert "FA23-101 en USD, ligne 2" in err
    assert hashlib.sha256(empty.read_bytes()).hexdigest() == before

    (tmp_path / "euros").mkdir()
    euros = write_fec(tmp_path / "euros" / VIGNE_FEC,
                      sale("1", "20230105", "C1", "Un", "FA23-001", "600,00"))
    code, out, err = cli(capsys, "import-fec", euros, empty)
    assert code == 0, err  # euros only: the older workbook imports as before
    assert "Factures : 1 ajout(s)" in out

