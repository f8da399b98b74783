"""The `Suivi` sheet read: every bad line named (sheet, row, column, value), and the
sheet of the real workbook read by Appliquer, its problems in Contrôles."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from relances_xl import layout
from relances_xl.cli import apply_workbook
from relances_xl.followup_sheet import as_row, read_followups
from relances_xl.model import Customer, Filters, Invoice, Ledger
from relances_xl.rules.followup import PROMESSE, FollowUp

HEADERS = list(layout.SUIVI_COLUMNS)
LEDGER = Ledger(
    customers=(Customer("C1", "Un"), Customer("C2", "Deux")),
    invoices=(Invoice("S1", "F1", "C1", date(2022, 6, 1), date(2022, 6, 15), Decimal("10")),
              Invoice("S1", "F2", "C2", date(2022, 6, 1), date(2022, 6, 15), Decimal("10"))))
GOOD = ["01/08/2022", "C1", "S1", "F1", "Promesse de règlement", "15/08/2022", "500,00",
        "au téléphone", "CD", "", ""]


def read(*rows: list[object], headers: list[str] = HEADERS):
    return read_followups([headers, *rows], LEDGER)


def with_(**cells: object) -> list[object]:
    row = list(GOOD)
    for field, value in cells.items():
        row[list(layout.SUIVI_COLUMNS.values()).index(field)] = value
    return row


def test_a_good_line_is_read_with_its_values():
    (line,), problems = read(GOOD)
    assert problems == []
    assert line == FollowUp(date(2022, 8, 1), "C1", "S1", "F1", PROMESSE, date(2022, 8, 15),
                            Decimal("500.00"), "au téléphone", "CD", row=2)


def test_a_workbook_without_the_sheet_has_no_line_and_no_problem():
    assert read_followups(None, LEDGER) == ([], [])


def test_only_the_header_row_is_no_line():
    assert read() == ([], [])


@pytest.mark.parametrize("typed", ["promesse", "PROMESSE DE REGLEMENT", " Promesse de règlement "])
def test_action_is_read_whatever_its_case_and_accents(typed):
    (line,), _ = read(with_(action=typed))
    assert line.action == PROMESSE


@pytest.mark.parametrize(("cells", "column", "value", "message"), [
    ({"action": "Relance"}, "Action", "Relance", "action attendue"),
    ({"action": None}, "Action", None, "valeur obligatoire manquante"),
    ({"date": "32/08/2022"}, "Date", "32/08/2022", "date attendue"),
    ({"jusqu_au": None}, "Jusqu'au", None, "date obligatoire pour « Promesse de règlement »"),
    ({"jusqu_au": "31/07/2022"}, "Jusqu'au", "31/07/2022", "antérieure à la date de la ligne"),
    ({"montant": "abc"}, "Montant", "abc", "montant attendu"),
    ({"montant": 0}, "Montant", 0, "montant positif attendu"),
    ({"action": "Échéancier", "montant": None}, "Montant", None, "montant de l'échéance"),
    ({"tiers": "C9"}, "Code tiers", "C9", "absent de la feuille Clients"),
    ({"piece": "F9"}, "N° pièce", "F9", "absent de Factures dans la société S1"),
    ({"piece": "F2"}, "N° pièce", "F2", "pièce d'un autre client (C2)"),
    ({"societe": None}, "Société", None, "valeur obligatoire manquante"),
    ({"montant": "#N/A"}, "Montant", "#N/A", "erreur Excel"),
])
def test_each_bad_line_is_named_by_sheet_row_column_value(cells, column, value, message):
    lines, problems = read(GOOD, with_(**cells))
    assert len(lines) == 1  # the good line is kept, the bad one left out
    (problem,) = problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        layout.SUIVI, 3, column, value)
    assert message in problem.message and problem.blocking


def test_jusqu_au_on_the_lines_date_is_accepted_and_amount_optional_for_a_call():
    (line,), problems = read(with_(jusqu_au="01/08/2022"))
    assert problems == [] and line.jusqu_au == line.date
    (call,), problems = read(with_(action="Appel", jusqu_au=None, montant=None, piece=None))
    assert problems == [] and (call.piece, call.montant, call.jusqu_au) == ("", None, None)


def test_missing_required_column_is_reported():
    _, problems = read(GOOD[:4], headers=HEADERS[:4])
    assert [(p.row, p.column) for p in problems] == [(1, "Action")]


def test_as_row_reads_back_as_the_same_line():
    (line,), _ = read(GOOD)
    assert read(as_row(line))[0][0] == line


# --- the real workbook ------------------------------------------------------------------


def add_lines(workbook, *rows):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    sheet = book[layout.SUIVI]
    first = sheet.max_row + 1
    for offset, row in enumerate(rows):
        for col, value in enumerate(row, start=1):
            sheet.cell(first + offset, col, value)
    book.save(workbook)
    return first


def test_the_built_sheet_has_the_columns_the_drop_down_and_the_samples_lines(workbook):
    sheet = openpyxl.load_workbook(workbook)[layout.SUIVI]
    assert [c.value for c in sheet[1]] == HEADERS
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert [v.formula1 for v in lists] == ['"' + ",".join(layout.SUIVI_ACTIONS) + '"']
    assert str(lists[0].sqref).startswith("E2:")
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Litige", "Appel", "Promesse de règlement"]


def test_appliquer_on_the_workbook_holds_a_promised_row(workbook):
    add_lines(workbook, [datetime(2022, 7, 25), "BONSV", "VIGNE", "", "Promesse de règlement",
                         datetime(2022, 8, 5), 1234.56, "", "CD"])
    outcome = apply_workbook(workbook, Filters(date=date(2022, 7, 27)))
    row = next(r for r in outcome.rows if r.tiers == "BONSV")
    assert (row.a_relancer, row.niveau) == (False, 0)  # never reminded: not raised to 1
    assert row.motif == "Promesse de règlement au 05/08/2022 (1\u202f234,56\u00a0€)"


def test_a_bad_line_stops_appliquer_and_is_listed_in_controles(workbook):
    row = add_lines(workbook, [datetime(2022, 7, 25), "BONSV", "VIGNE", "", "Relance",
                               None, None, "", ""])
    outcome = apply_workbook(workbook, Filters(date=date(2022, 7, 27)))
    assert outcome.blocked and outcome.rows == []
    controles = openpyxl.load_workbook(workbook)[layout.CONTROLES]
    found = [list(r) for r in controles.iter_rows(min_row=2, values_only=True)]
    assert [r[1:5] for r in found] == [[layout.SUIVI, row, "Action", "Relance"]]


TYPED = [datetime(2022, 8, 1), "C1", "S1", "F1", "Promesse de règlement",
         datetime(2022, 8, 15), 500.0, "au téléphone", "CD", None, None]  # as Excel gives it


def test_a_line_typed_as_excel_gives_it_reads_as_the_same_line():
    assert read(TYPED) == read(GOOD)


@pytest.mark.parametrize(("at", "value", "column", "message"), [
    (5, datetime(2022, 7, 1), "Jusqu'au", "antérieure à la date de la ligne"),
    (7, "#N/A", "Commentaire", "erreur Excel"),
    (1, 12345.0, "Code tiers", "absent de la feuille Clients"),
    (6, 0.0, "Montant", "montant positif attendu"),
])
def test_a_bad_line_typed_as_excel_gives_it_is_reported_all_the_same(at, value, column,
                                                                       message):
    row = list(TYPED)
    row[at] = value
    lines, problems = read(row)
    assert lines == []
    assert [(p.row, p.column) for p in problems] == [(2, column)]
    assert message in problems[0].message


def test_columns_in_any_order_with_an_extra_one_and_a_blank_row_between():
    order = [*reversed(HEADERS), "Divers"]
    row = [*reversed(TYPED), "à ignorer"]
    blank = [None] * len(order)
    lines, problems = read_followups([order, blank, row], LEDGER)
    assert problems == []
    assert [(line.row, line.action, line.montant) for line in lines] == [
        (3, PROMESSE, Decimal("500.00"))]


def test_a_duplicated_header_is_named():
    _, problems = read(GOOD, headers=[*HEADERS[:-1], "Action"])
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "Action", "en-tête en double")]


# --- Recommandé (issue 29): the registered letter's number and its delivery ---------------

RECOMMANDE = with_(action="Recommandé", jusqu_au="", montant="", commentaire="mise en demeure",
                   numero_recommande="1A 234 567 8901 2", distribue_le="19/08/2022")


def test_a_registered_letter_is_read_with_its_number_and_delivery_date():
    (line,), problems = read(RECOMMANDE)
    assert problems == []
    assert (line.action, line.date, line.numero_recommande, line.distribue_le) == (
        "Recommandé", date(2022, 8, 1), "1A 234 567 8901 2", date(2022, 8, 19))


def test_a_registered_letter_delivered_the_day_it_was_sent_or_not_yet_is_read():
    (same_day,), problems = read(with_(**{**_cells(RECOMMANDE), "distribue_le": "01/08/2022"}))
    assert problems == [] and same_day.distribue_le == date(2022, 8, 1)
    (awaited,), problems = read(with_(**{**_cells(RECOMMANDE), "distribue_le": None}))
    assert problems == [] and awaited.distribue_le is None


def _cells(row: list[object]) -> dict[str, object]:
    return dict(zip(layout.SUIVI_COLUMNS.values(), row, strict=True))


def test_a_registered_letter_without_its_number_is_named():
    lines, problems = read(with_(**{**_cells(RECOMMANDE), "numero_recommande": "  "}))
    assert lines == []
    assert [(p.sheet, p.row, p.column) for p in problems] == [(layout.SUIVI, 2, "N° recommandé")]
    assert "n° du recommandé obligatoire" in problems[0].message


def test_a_delivery_before_the_sending_is_named_with_its_value():
    lines, problems = read(with_(**{**_cells(RECOMMANDE), "distribue_le": "31/07/2022"}))
    assert lines == []
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        (layout.SUIVI, 2, "Distribué le", "31/07/2022")]
    assert "antérieure à la date d'envoi" in problems[0].message


def test_a_sheet_made_before_the_registered_letter_columns_still_reads():
    old = HEADERS[:9]
    assert "N° recommandé" not in old
    (line,), problems = read(GOOD[:9], headers=old)
    assert problems == [] and line.action == PROMESSE and line.numero_recommande == ""
    lines, problems = read([*RECOMMANDE[:9]], headers=old)  # no column for its number
    assert lines == [] and [(p.row, p.column) for p in problems] == [(2, "N° recommandé")]


def test_a_typed_registered_letter_reads_as_the_same_line():
    typed = [datetime(2022, 8, 1), "C1", "S1", "F1", "Recommandé", None, None,
             "mise en demeure", "CD", "1A 234 567 8901 2", datetime(2022, 8, 19)]
    assert read(typed) == read(RECOMMANDE)


def test_a_typed_registered_letter_without_number_or_delivered_before_is_named_too():
    typed = [datetime(2022, 8, 1), "C1", "S1", "F1", "Recommandé", None, None, "", "CD",
             None, datetime(2022, 8, 19)]
    assert [p.column for p in read(typed)[1]] == ["N° recommandé"]
    typed[9:] = ["1A 234", datetime(2022, 7, 30)]
    assert [(p.column, p.value) for p in read(typed)[1]] == [
        ("Distribué le", datetime(2022, 7, 30))]
