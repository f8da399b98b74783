"""Sauver la proposition: kept in the hidden sheet, offered again at the next Appliquer."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from relances_xl import layout
from relances_xl.cli import main


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def appliquer(capsys, path: Path, on: str = "2022-07-27") -> dict[str, dict]:
    code, out, err = cli(capsys, "appliquer", str(path), "--date", on, "--json")
    assert code == 0, err
    return {f"{r['tiers']}/{r['societe']}": r for r in json.loads(out)}


def set_table_cell(path: Path, key: str, column: str, value: object) -> None:
    """What a click on a checkbox of the table does."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book[layout.RELANCES]
    row = next(r for r in range(layout.TABLE_FIRST_ROW, sheet.max_row + 1)
               if f"{sheet[f'A{r}'].value}/{sheet[f'B{r}'].value}" == key)
    sheet[f"{column}{row}"] = value
    book.save(path)


def hidden(path: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(path)[layout.PROPOSITION]


def changed(path: Path) -> bool:
    return hidden(path)[layout.PROPOSAL_CELLS["changed"][1]].value


def message(path: Path) -> str:
    return openpyxl.load_workbook(path)[layout.RELANCES][layout.MESSAGE_CELL].value


def edit(path: Path, sheet: str, rows: list[list[object]] | None = None,
         cell: tuple[str, object] | None = None) -> None:
    book = openpyxl.load_workbook(path, keep_vba=True)
    if rows:
        for row in rows:
            book[sheet].append(row)
    if cell:
        book[sheet][cell[0]] = cell[1]
    book.save(path)


def test_saving_keeps_date_filters_choices_and_invoices_in_the_hidden_sheet(workbook, capsys):
    appliquer(capsys, workbook)
    set_table_cell(workbook, "2FRPAR/VIGNE", "G", False)
    code, out, _ = cli(capsys, "sauver", str(workbook))
    assert code == 0 and "Proposition sauvée le" in out and "9 ligne(s)" in out
    sheet = hidden(workbook)
    assert sheet.sheet_state == "hidden"
    assert sheet[layout.PROPOSAL_CELLS["date"][1]].value == datetime(2022, 7, 27)
    assert isinstance(sheet[layout.PROPOSAL_CELLS["saved_at"][1]].value, datetime)
    header, *rows = [r for r in sheet.iter_rows(min_row=layout.PROPOSAL_HEADER_ROW,
                                                values_only=True) if r[0]]
    assert list(header[:len(layout.PROPOSAL_COLUMNS)]) == [h for h, _ in layout.PROPOSAL_COLUMNS]
    saved = {f"{r[0]}/{r[1]}": dict(zip((f for _, f in layout.PROPOSAL_COLUMNS), r,
                                        strict=False)) for r in rows}
    vigne = saved["2FRPAR/VIGNE"]
    assert (vigne["a_relancer"], vigne["editee"], vigne["niveau"]) == (False, False, 2)
    assert vigne["choisi"] is True  # the rules ticked it: the user's own choice
    assert saved["1FRNEG/VIGNE"]["encours_relance"] == 11063.8
    assert saved["1FRNEG/VIGNE"]["pieces"] == "FA22-0101; FA22-0115"
    assert saved["1FRNEG/VIGNE"]["choisi"] is False
    assert saved["1FRNEG/ZNEG"]["motif"] == (
        "Solde comptable ≤ 0 ; Avoirs non imputés : 11\u202f600,00\u00a0€")
    assert saved["1FRNEG/ZNEG"]["raisons"] == "solde"
    assert changed(workbook) is False


def test_next_appliquer_keeps_the_users_unticked_rows(workbook, capsys):
    appliquer(capsys, workbook)
    set_table_cell(workbook, "2FRPAR/VIGNE", "G", False)
    cli(capsys, "sauver", str(workbook))
    rows = appliquer(capsys, workbook)
    assert rows["2FRPAR/VIGNE"]["a_relancer"] is False
    assert rows["3UENEG/VIGNE"]["a_relancer"] is True
    assert "Proposition du 27/07/2022 sauvée le" in message(workbook)
    assert "1 laissée(s) décochée(s)" in message(workbook)
    assert changed(workbook) is False  # the table is the saved one


def test_paid_rows_are_gone_and_new_rows_come_in_ticked(workbook, capsys):
    appliquer(capsys, workbook)
    set_table_cell(workbook, "BONJE/VIGNE", "G", False)
    cli(capsys, "sauver", str(workbook))
    edit(workbook, layout.REGLEMENTS,
         rows=[["VIGNE", "RG22-0090", "BONJE", datetime(2022, 7, 26), 64.5, "CHQ", "FA22-0121"]])
    edit(workbook, layout.FACTURES,
         rows=[["VIGNE", "FA22-0140", "Facture", "CAVEA", datetime(2022, 6, 1),
                datetime(2022, 7, 1), 300.0, "VIR", "Oui", "Non"]])
    rows = appliquer(capsys, workbook)
    assert "BONJE/VIGNE" not in rows
    assert rows["CAVEA/VIGNE"]["a_relancer"] is True
    assert "1 disparue(s)" in message(workbook)
    assert changed(workbook) is True


def test_a_new_reason_wins_over_the_saved_tick(workbook, capsys):
    appliquer(capsys, workbook)
    set_table_cell(workbook, "1FRNEG/ZNEG", "G", True)  # remind despite a balance of 0
    cli(capsys, "sauver", str(workbook))
    assert appliquer(capsys, workbook)["1FRNEG/ZNEG"]["a_relancer"] is True
    edit(workbook, layout.CLIENTS, cell=("O2", "Oui"))  # 1FRNEG blocked since
    rows = appliquer(capsys, workbook)
    assert rows["1FRNEG/ZNEG"]["a_relancer"] is False
    assert rows["1FRNEG/ZNEG"]["motif"].startswith("Client bloqué en relance")
    assert rows["1FRNEG/VIGNE"]["a_relancer"] is False


def test_a_note_added_to_the_motif_keeps_the_users_choice(workbook, capsys):
    """The choice is kept by the row's identity and the explicit "changed by the user"
    state: a note the findings add to the motif (an e-mail gone since) is no reason
    for the rules to take the row back."""
    appliquer(capsys, workbook)
    set_table_cell(workbook, "2FRPAR/VIGNE", "G", False)
    cli(capsys, "sauver", str(workbook))
    edit(workbook, layout.CLIENTS, cell=("K3", None))  # 2FRPAR's e-mail, emptied
    rows = appliquer(capsys, workbook)
    assert "e-mail manquant" in rows["2FRPAR/VIGNE"]["motif"]
    assert rows["2FRPAR/VIGNE"]["a_relancer"] is False
    assert rows["3UENEG/VIGNE"]["a_relancer"] is True


def test_a_tick_the_user_left_alone_follows_the_rules_of_the_day(workbook, capsys):
    appliquer(capsys, workbook)
    cli(capsys, "sauver", str(workbook))  # nothing changed by the user
    edit(workbook, layout.CLIENTS, cell=("O3", "Oui"))  # 2FRPAR blocked since
    assert appliquer(capsys, workbook)["2FRPAR/VIGNE"]["a_relancer"] is False


def test_a_saved_proposal_of_an_older_version_is_read_by_its_headers(workbook, capsys):
    """Eight columns, no "Choix de l'utilisateur": read, and the rules decide the ticks."""
    appliquer(capsys, workbook)
    set_table_cell(workbook, "2FRPAR/VIGNE", "G", False)
    cli(capsys, "sauver", str(workbook))
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    sheet = book[layout.PROPOSITION]
    for column in ("I", "J"):
        for row in range(layout.PROPOSAL_HEADER_ROW, sheet.max_row + 1):
            sheet[f"{column}{row}"] = None
    book.save(workbook)
    rows = appliquer(capsys, workbook)
    assert rows["2FRPAR/VIGNE"]["a_relancer"] is True
    assert "reprise" in message(workbook)


def test_editee_comes_back_for_the_same_date_only(workbook, capsys):
    appliquer(capsys, workbook)
    set_table_cell(workbook, "4HUE/VIGNE", "H", True)  # printed by hand, say
    cli(capsys, "sauver", str(workbook))
    assert appliquer(capsys, workbook)["4HUE/VIGNE"]["editee"] is True
    assert appliquer(capsys, workbook, "2022-08-20")["4HUE/VIGNE"]["editee"] is False


def test_abandoning_drops_the_saved_proposal(workbook, capsys):
    appliquer(capsys, workbook)
    set_table_cell(workbook, "2FRPAR/VIGNE", "G", False)
    cli(capsys, "sauver", str(workbook))
    code, out, _ = cli(capsys, "sauver", str(workbook), "--abandonner")
    assert code == 0 and "abandonnée" in out
    rows = appliquer(capsys, workbook)
    assert rows["2FRPAR/VIGNE"]["a_relancer"] is True
    assert "reprise" not in message(workbook)
    assert hidden(workbook)[layout.PROPOSAL_CELLS["saved_at"][1]].value is None


def test_the_close_prompt_flag_follows_the_table(workbook, capsys, tmp_path):
    assert changed(workbook) is False  # as built: nothing to save
    appliquer(capsys, workbook)
    assert changed(workbook) is True  # a fresh table, never saved
    cli(capsys, "sauver", str(workbook))
    assert changed(workbook) is False
    cli(capsys, "lettres", str(workbook), "--sortie", "texte", "--dossier", str(tmp_path))
    assert changed(workbook) is True  # "Éditée" ticked since the save
