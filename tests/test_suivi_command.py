"""`relances-xl suivi`: a customer's story, a line added under the saving commands'
guards, and the Fiche client button, on the real Relances.xlsm."""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl

from relances_xl import addin, layout
from relances_xl.cli import apply_workbook, main, opened
from relances_xl.excel import guard
from relances_xl.model import Filters


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def suivi_rows(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path)[layout.SUIVI]
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def test_the_story_of_a_customer_by_date_with_its_promise_broken(workbook, capsys):
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "4HUE", "--date",
                           "2022-09-15", "--json")
    assert code == 0
    events = json.loads(out)
    assert [(e["date"], e["kind"], e["piece"]) for e in events] == [
        ("2022-06-20", "Facture", "FA22-0105"), ("2022-07-15", "Facture", "FA22-0130"),
        ("2022-07-26", "Suivi", "FA22-0130")]
    assert events[-1]["state"] == "Promesse non tenue du 31/08/2022"
    assert events[-1]["montant"] == "950.00"


def test_the_story_shows_letters_payments_and_the_promise_awaited(workbook, capsys):
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--societe",
                           "VIGNE", "--date", "2022-07-27")
    assert code == 0
    assert "Lettre de relance niveau 1 (pdf) : FA22-0101" in out
    assert "Règlement RG22-0077 de 10\u202f847,80\u00a0€, non lettré" in out
    assert "ZNEG" not in out  # the other company left out
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "4HUE", "--date",
                           "2022-08-31")
    assert "[en cours]" in out


def test_reading_the_story_leaves_the_file_as_it_was(workbook, capsys):
    before = workbook.read_bytes()
    run_cli(capsys, "suivi", str(workbook), "--tiers", "4HUE")
    assert workbook.read_bytes() == before
    assert not workbook.with_name(workbook.name + ".bak").exists()


def test_an_unknown_customer_is_said(workbook, capsys):
    code, _, err = run_cli(capsys, "suivi", str(workbook), "--tiers", "NOBODY")
    assert code == 2 and "code tiers absent de la feuille Clients" in err


def test_ajouter_adds_the_line_and_the_next_appliquer_follows_it(workbook, capsys):
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "BONSV", "--date",
                           "2022-07-26", "--ajouter", "promesse", "--jusqu-au", "2022-08-05",
                           "--montant", "1234,56", "--commentaire", "chèque posté", "--par", "CD")
    assert code == 0, out
    assert suivi_rows(workbook)[-1] == (
        datetime(2022, 7, 26), "BONSV", "VIGNE", None, "Promesse de règlement",
        datetime(2022, 8, 5), 1234.56, "chèque posté", "CD", None, None)
    sheet = openpyxl.load_workbook(workbook)[layout.SUIVI]
    assert sheet.tables[layout.TABLE_NAMES[layout.SUIVI]].ref == "A1:K5"  # the table grew
    outcome = apply_workbook(workbook, Filters(date=date(2022, 7, 27)))
    row = next(r for r in outcome.rows if r.tiers == "BONSV")
    assert row.a_relancer is False and row.motif.startswith("Promesse de règlement au 05/08")


def test_ajouter_a_bad_line_writes_nothing(workbook, capsys):
    before = workbook.read_bytes()
    code, _, err = run_cli(capsys, "suivi", str(workbook), "--tiers", "BONSV", "--date",
                           "2022-07-26", "--ajouter", "suspension", "--jusqu-au", "2022-07-01")
    assert code == 2
    assert "colonne « Jusqu'au »" in err and "antérieure à la date de la ligne" in err
    code, _, err = run_cli(capsys, "suivi", str(workbook), "--tiers", "BONSV", "--ajouter",
                           "promesse", "--jusqu-au", "2030-01-01", "--piece", "FA22-0088")
    assert code == 2 and "pièce d'un autre client (1FRNEG)" in err
    assert workbook.read_bytes() == before


def test_ajouter_names_the_company_when_the_customer_has_two(workbook, capsys):
    code, _, err = run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--ajouter",
                           "note", "--commentaire", "a rappelé")
    assert code == 2 and "plusieurs sociétés (VIGNE, ZNEG)" in err
    assert run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--societe", "ZNEG",
                   "--ajouter", "note", "--commentaire", "a rappelé")[0] == 0
    assert suivi_rows(workbook)[-1][2:5] == ("ZNEG", None, "Note")


def test_ajouter_is_refused_while_libreoffice_has_the_workbook_open(workbook, capsys):
    lock = guard.libreoffice_lock_file(workbook)
    lock.write_text("Claire,claire,poste-3,06.12.2026 10:00,\n", encoding="utf-8")
    before = workbook.read_bytes()
    code, _, err = run_cli(capsys, "suivi", str(workbook), "--tiers", "BONSV", "--ajouter",
                           "appel")
    assert code == 2 and "ouvert dans LibreOffice" in err
    assert workbook.read_bytes() == before


def test_the_fiche_client_button_fills_its_sheet(workbook):
    with opened(workbook) as book:
        sheet = book.sheets[layout.FICHE_CLIENT]  # as built
        sheet.range(layout.FICHE_CELLS["tiers"][1]).value = "4HUE"
        addin.fiche_client(today=date(2022, 9, 15))
    sheet = openpyxl.load_workbook(workbook)[layout.FICHE_CLIENT]
    header = layout.FICHE_HEADER_ROW
    assert [c.value for c in sheet[header]][:7] == list(layout.FICHE_COLUMNS)
    rows = [r for r in sheet.iter_rows(min_row=header + 1, values_only=True) if r[0]]
    assert [r[3] for r in rows] == ["FA22-0105", "FA22-0130", "FA22-0130"]
    assert rows[-1][6] == "Promesse non tenue du 31/08/2022"
    assert "3 événement(s)" in sheet[layout.FICHE_MESSAGE_CELL].value


def test_balance_agee_fills_the_promises_block_of_the_dashboard(workbook, capsys):
    from relances_xl.excel.sheets import write_filters

    for on, kept in ((date(2022, 7, 27), None), (date(2022, 9, 15), 0)):
        with opened(workbook) as book:
            write_filters(book.sheets[layout.RELANCES], None, on)
            addin.balance_agee(today=on)
        sheet = openpyxl.load_workbook(workbook)[layout.TABLEAU_DE_BORD]
        assert sheet[layout.DASHBOARD_KEPT_CELLS[1]].value == kept  # 15/09: 4HUE's broken
    # at 27/07: 4HUE's 950 € promised for 31/08, in the week of Monday 29/08
    with opened(workbook) as book:
        write_filters(book.sheets[layout.RELANCES], None, date(2022, 7, 27))
        addin.balance_agee(today=date(2022, 7, 27))
    sheet = openpyxl.load_workbook(workbook)[layout.TABLEAU_DE_BORD]
    _, header, first, count, _ = layout.DASHBOARD_BLOCKS["promises"]
    weeks = {sheet.cell(first + n, 1).value: sheet.cell(first + n, 2).value
             for n in range(count)}
    assert weeks[datetime(2022, 8, 29)] == 950 and weeks[datetime(2022, 7, 25)] == 0
    assert sheet.cell(header, 1).value == "Semaine du"


def test_ajouter_a_registered_letter_keeps_its_number_and_delivery(workbook, capsys):
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--societe",
                           "VIGNE", "--date", "2022-09-15", "--ajouter", "recommande",
                           "--numero-recommande", "1A 234 567 8901 2", "--distribue-le",
                           "2022-09-17", "--piece", "FA22-0101")
    assert code == 0, out
    assert suivi_rows(workbook)[-1] == (
        datetime(2022, 9, 15), "1FRNEG", "VIGNE", "FA22-0101", "Recommandé", None, None, None,
        None, "1A 234 567 8901 2", datetime(2022, 9, 17))
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--societe",
                           "VIGNE", "--date", "2022-09-20")
    assert "Recommandé FA22-0101 n° 1A 234 567 8901 2, distribué le 17/09/2022" in out


def test_ajouter_a_registered_letter_without_number_writes_nothing(workbook, capsys):
    before = suivi_rows(workbook)
    code, _, err = run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--societe",
                           "VIGNE", "--date", "2022-09-15", "--ajouter", "recommande")
    assert code == 2 and "N° recommandé" in err and "obligatoire" in err
    assert suivi_rows(workbook) == before


def test_a_suivi_sheet_without_the_new_columns_gets_them_when_a_line_fills_them(
        workbook, capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    sheet = book[layout.SUIVI]
    table = sheet.tables[layout.TABLE_NAMES[layout.SUIVI]]
    sheet.delete_cols(10, 2)
    table.ref = table.autoFilter.ref = f"A1:I{sheet.max_row}"
    table.tableColumns = table.tableColumns[:9]
    book.save(workbook)
    outcome = apply_workbook(workbook, Filters(date=date(2022, 7, 27)))
    assert not [p for p in outcome.problems if p.sheet == layout.SUIVI]  # it still reads
    code, out, _ = run_cli(capsys, "suivi", str(workbook), "--tiers", "1FRNEG", "--societe",
                           "VIGNE", "--date", "2022-09-15", "--ajouter", "recommande",
                           "--numero-recommande", "1A 99")
    assert code == 0, out
    sheet = openpyxl.load_workbook(workbook)[layout.SUIVI]
    assert [c.value for c in sheet[1]][9:] == ["N° recommandé"]
    assert suivi_rows(workbook)[-1][9] == "1A 99"
