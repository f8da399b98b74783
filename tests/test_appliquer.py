"""Appliquer end to end: the real Relances.xlsm, the button's function, headless."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from relances_xl import layout
from relances_xl.cli import main

GOLDEN = Path(__file__).parent / "golden" / "appliquer_sample_2022-07-27.json"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path)[layout.RELANCES]
    rows = []
    for row in sheet.iter_rows(min_row=layout.TABLE_FIRST_ROW, max_col=len(layout.TABLE_COLUMNS),
                               values_only=True):
        if row[0] is None:
            break
        rows.append(list(row))
    return rows


def test_sample_at_27_07_2022_prints_the_guides_rows(workbook, capsys):
    code, out, _ = run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27", "--json")
    assert code == 0
    assert json.loads(out) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_table_lands_in_the_sheet_with_checkboxes_and_money(workbook, capsys):
    run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")
    rows = table(workbook)
    assert [r[:2] for r in rows][:3] == [["1FRNEG", "VIGNE"], ["1FRNEG", "ZNEG"],
                                          ["2FRPAR", "VIGNE"]]
    first = rows[0]
    assert first[2:6] == [216, 11063.8, 0, 2]
    assert first[6] is True and first[7] is False
    assert rows[1][6] is False and rows[1][9] == (
        "Solde comptable ≤ 0 ; Avoirs non imputés : 11\u202f600,00\u00a0€")
    assert first[9] == "Règlements non lettrés : 10\u202f847,80\u00a0€"  # ticked all the same
    sheet = openpyxl.load_workbook(workbook)[layout.RELANCES]
    last = layout.TABLE_FIRST_ROW + len(rows) - 1  # NYWINE, in dollars: its own symbol
    assert sheet[f"D{last - 1}"].number_format == layout.MONEY_FORMAT
    assert sheet[f"D{last}"].number_format == '#,##0.00 "$US"' and rows[-1][10] == "USD"
    assert sheet[f"G{last}"].number_format == layout.CHECKBOX_FORMAT
    assert sheet[layout.DATE_CELL].value == datetime(2022, 7, 27)
    assert "9 ligne(s), 8 à relancer pour 5\u202f791,46\u00a0€ + 2\u202f000,00\u00a0$US" in (
        sheet[layout.MESSAGE_CELL].value)


def test_each_filter_narrows_the_table(workbook, capsys):
    def tiers(*options: str) -> list[tuple[str, str]]:
        _, out, _ = run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27",
                            "--json", *options)
        return [(r["tiers"], r["societe"]) for r in json.loads(out)]

    assert tiers("--client", "1FRNEG", "--client", "bonje") == [
        ("1FRNEG", "VIGNE"), ("1FRNEG", "ZNEG"), ("BONJE", "VIGNE")]
    assert tiers("--famille", "EXPORT") == [("3UENEG", "VIGNE"), ("4HUE", "VIGNE"),
                                            ("NYWINE", "VIGNE")]
    assert tiers("--representant", "REP02", "--mode", "CHQ") == [
        ("2FRPAR", "VIGNE"), ("BONJE", "VIGNE"), ("BONSV", "VIGNE")]
    assert tiers("--societe", "ZNEG") == [("1FRNEG", "ZNEG")]
    # options replace every filter cell: no filter given, every row again
    assert len(tiers()) == 9


def test_a_shorter_table_leaves_no_old_rows_behind(workbook, capsys):
    run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")
    run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27", "--societe", "ZNEG")
    sheet = openpyxl.load_workbook(workbook)[layout.RELANCES]
    assert table(workbook) == [table(workbook)[0]]
    assert sheet[f"A{layout.TABLE_FIRST_ROW + 1}"].value is None
    assert sheet[f"G{layout.TABLE_FIRST_ROW + 1}"].number_format != layout.CHECKBOX_FORMAT


def test_bad_ledger_exits_2_writes_no_table_and_lists_every_problem(workbook, capsys):
    run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")
    before = table(workbook)
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    factures = book[layout.FACTURES]
    factures["G3"] = "six mille"
    factures["D4"] = "INCONNU"
    book.save(workbook)

    code, out, err = run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-28")
    assert code == 2
    assert out == ""
    assert "Factures, ligne 3, colonne « Montant TTC » : valeur « six mille »" in err
    assert "Factures, ligne 4, colonne « Code tiers » : valeur « INCONNU »" in err
    assert table(workbook) == before
    controles = openpyxl.load_workbook(workbook)[layout.CONTROLES]
    listed = [row for row in controles.iter_rows(min_row=2, values_only=True) if row[0]]
    assert {(r[1], r[2], r[3]) for r in listed} == {
        ("Factures", 3, "Montant TTC"), ("Factures", 4, "Code tiers")}
    assert all(r[0] == "Bloquant" for r in listed)


def test_missing_workbook_is_a_clear_error(tmp_path, capsys):
    code, _, err = run_cli(capsys, "appliquer", str(tmp_path / "absent.xlsm"))
    assert code == 2
    assert "Classeur introuvable" in err


def test_codes_with_leading_zeros_stay_text_in_the_table(tmp_path, capsys):
    from relances_xl import sample
    from relances_xl.excel.build import build_workbook

    rows = sample.sheet_rows()
    for sheet in (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE):
        column = 0 if sheet == layout.CLIENTS else (3 if sheet == layout.FACTURES else 2)
        for row in rows[sheet]:
            if row[column] == "BONJE":
                row[column] = "00123"
    path = build_workbook(tmp_path / "Relances.xlsm", rows=rows)
    _, out, _ = run_cli(capsys, "appliquer", str(path), "--date", "2022-07-27", "--json")
    assert "00123" in [r["tiers"] for r in json.loads(out)]
    assert ["00123", "VIGNE"] in [r[:2] for r in table(path)]


def test_the_users_own_sheet_and_formats_survive_appliquer(workbook, capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    mine = book.create_sheet("Mes notes")
    mine["A1"] = "Appeler Mme Toulouse lundi"
    mine["A1"].font = openpyxl.styles.Font(bold=True, color="FF0000")
    book[layout.CLIENTS]["B2"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    book.save(workbook)
    assert run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27")[0] == 0
    after = openpyxl.load_workbook(workbook)
    note = after["Mes notes"]["A1"]
    assert note.value == "Appeler Mme Toulouse lundi"
    assert note.font.bold and note.font.color.rgb.endswith("FF0000")
    assert after[layout.CLIENTS]["B2"].fill.fgColor.rgb.endswith("FFFF00")
    assert len(table(workbook)) == 9
