"""The Balance âgée button end to end: the real Relances.xlsm, headless, through the CLI."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from relances_xl import layout
from relances_xl.cli import main
from relances_xl.excel.dashboard_sheets import block_range


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def aged_json(capsys, workbook: Path, *options: str) -> list[dict[str, str]]:
    code, out, _ = run_cli(capsys, "balance-agee", str(workbook), "--date", "2022-07-27",
                           "--json", *options)
    assert code == 0
    return json.loads(out)


def test_totals_are_the_solde_comptable_of_appliquer(workbook, capsys):
    aged = {(r["tiers"], r["societe"]): r for r in aged_json(capsys, workbook)}
    code, out, _ = run_cli(capsys, "appliquer", str(workbook), "--date", "2022-07-27", "--json")
    assert code == 0
    table = json.loads(out)
    assert len(table) == 9  # with NYWINE, in dollars
    for row in table:
        assert aged[row["tiers"], row["societe"]]["total"] == row["solde_comptable"]
    vigne = aged["1FRNEG", "VIGNE"]  # the guide's 216,00 € balance, its buckets spelled out
    assert (vigne["j1_30"], vigne["j31_60"], vigne["non_impute"], vigne["total"]) == (
        "5063.80", "6000.00", "-10847.80", "216.00")
    assert set(vigne) == {"tiers", "nom", "societe", "non_echu", "j1_30", "j31_60", "j61_90",
                          "plus_90", "non_impute", "total", "devise"}


def test_filters_are_appliquers(workbook, capsys):
    rows = aged_json(capsys, workbook, "--societe", "ZNEG")
    assert [(r["tiers"], r["societe"]) for r in rows] == [("1FRNEG", "ZNEG")]
    assert aged_json(capsys, workbook, "--client", "NOBODY") == []


def sheet_rows(path: Path, name: str, first: int, width: int) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path, data_only=True)[name]
    return [list(row) for row in sheet.iter_rows(min_row=first, max_col=width,
                                                 values_only=True) if row[0] is not None]


def test_the_sheet_holds_the_rows_and_a_total_row_per_currency_that_sums_them(workbook,
                                                                              capsys):
    rows = aged_json(capsys, workbook)
    written = sheet_rows(workbook, layout.BALANCE_AGEE, layout.AGED_FIRST_ROW, 12)
    body, totals = written[:-2], written[-2:]  # the sample: euros, and NYWINE's dollars
    assert [r[:3] for r in body] == [[r["tiers"], r["nom"], r["societe"]] for r in rows]
    assert [(t[0], t[11]) for t in totals] == [("Total", "EUR"), ("Total", "USD")]
    for total in totals:
        mine = [r for r in body if r[11] == total[11]]
        for column in range(3, 10):
            assert D(str(total[column])).quantize(D("0.01")) == sum(
                (D(str(r[column])) for r in mine), D(0)).quantize(D("0.01"))
        assert D(str(total[9])).quantize(D("0.01")) == sum(
            D(r["total"]) for r in rows if r["devise"] == total[11])


def test_a_second_run_with_fewer_rows_leaves_none_of_the_first(workbook, capsys):
    aged_json(capsys, workbook)
    aged_json(capsys, workbook, "--client", "2FRPAR")
    written = sheet_rows(workbook, layout.BALANCE_AGEE, layout.AGED_FIRST_ROW, 11)
    assert [r[0] for r in written] == ["2FRPAR", "Total"]


def test_the_dashboard_blocks_are_filled(workbook, capsys):
    aged_json(capsys, workbook)
    book = openpyxl.load_workbook(workbook, data_only=True)
    sheet = book[layout.TABLEAU_DE_BORD]
    first = layout.DASHBOARD_BLOCKS["aged"][2]
    companies = [sheet.cell(first + i, 1).value for i in range(3)]
    assert companies == ["VIGNE", "ZNEG", None]
    top = layout.DASHBOARD_BLOCKS["top"][2]
    # net of what is lettered to no invoice: 3UENEG owes 2 450 - 450 = 2 000 € overdue;
    # 1FRNEG 11 063,80 - 10 847,80 unlettered = 216 € with VIGNE, 11 600 - the 11 600
    # credit note = 0 with ZNEG (it showed 22 663,80 € before)
    assert sheet.cell(top, 1).value == "3UENEG"
    assert sheet.cell(top, 3).value == pytest.approx(2000.00)
    listed = {sheet.cell(top + i, 1).value: sheet.cell(top + i, 3).value for i in range(10)}
    assert listed["1FRNEG"] == pytest.approx(216.00)
    dso = layout.DASHBOARD_BLOCKS["dso"][2]
    assert sheet.cell(dso, 1).value == "VIGNE" and sheet.cell(dso, 4).value > 0


def chart_references(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        charts = [n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        text = "".join(package.read(n).decode() for n in charts)
    return re.findall(r"<(?:\w+:)?f>([^<]+)</(?:\w+:)?f>", text)  # c:f, or f by default


def test_the_charts_survive_a_refresh_and_read_the_filled_blocks(workbook, capsys):
    aged_json(capsys, workbook)

    def column(key: str, letter: str) -> str:
        _, _, first, count, _ = layout.DASHBOARD_BLOCKS[key]
        return f"'{layout.TABLEAU_DE_BORD}'!${letter}${first}:${letter}${first + count - 1}"

    # the five buckets and Non imputé (G), which the chart shows too
    expected = {column("aged", c) for c in "ABCDEFG"} | {column("top", c) for c in "BC"}
    expected |= {column("dso", c) for c in "AD"} | {column("effect", c) for c in "ADG"}
    assert expected <= set(chart_references(workbook))
    assert block_range("aged") == "A6:H15"


@pytest.mark.parametrize(("day", "echus"), [("2022-07-27", "6 771,46"),
                                            ("2022-09-15", "7 721,46")])
def test_the_message_line_counts_the_unlettered_payments(workbook, capsys, day, echus):
    """7 721,46 € in all (the solde comptable). Overdue, net of what is lettered to no
    invoice, worked by hand from the sample: on 27/07/2022 1FRNEG 216,00 (VIGNE:
    11 063,80 - 10 847,80; ZNEG: 11 600 - the 11 600 credit note), 2FRPAR 120,00,
    3UENEG 2 000,00, 4HUE 1 800,00, 5REST 980,00 + 356,40, BONJE 64,50 (due that very
    day: échu), BONSV 1 234,56 = 6 771,46; on 15/09/2022 also 4HUE's 950,00: 7 721,46
    (it said 30 169,26 € before)."""
    code, out, _ = run_cli(capsys, "balance-agee", str(workbook), "--date", day)
    assert code == 0
    said = re.sub(r"\s", " ", out)
    # NYWINE owes dollars: said apart, never added to the euros
    assert f"7 721,46 € + 2 000,00 $US au total dont {echus} € + 2 000,00 $US échus" in said
