"""The rates by half-year the workbook ships, the `taux` command, old labels (issue 23 §2).

The values typed here are read from the sources docs/taux.md cites, not from the code:
the ECB main refinancing rate in force on the half-year's first day (ECB press releases)
and the legal interest rate "pour tous les autres cas" (the arrêté of each half-year).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from relances_xl import layout
from relances_xl.cli import main, opened
from relances_xl.excel.sheets import read_block
from relances_xl.parametres import read_settings

D = Decimal

# (Début, ECB MRO in force that day %, legal rate "autres cas" %), from the sources
FROM_SOURCES = [
    # ECB: 0,05 % from 10/09/2014 (legifiscal.fr); arrêté of 23/12/2014: 0,93 %
    (date(2015, 1, 1), "0.05", "0.93"),
    # ECB: 0,00 % from 16/03/2016; arrêté of 24/06/2016: 0,93 %
    (date(2016, 7, 1), "0.00", "0.93"),
    # ECB: 0,00 % until the hike effective 27/07/2022; arrêté of 27/06/2022: 0,77 %
    (date(2022, 7, 1), "0.00", "0.77"),
    # ECB: 4,25 % from 12/06/2024; 2nd half 2024: 4,92 %
    (date(2024, 7, 1), "4.25", "4.92"),
    # ECB: 2,15 % from 11/06/2025, unchanged at the meeting of 05/02/2026; arrêté of
    # 15/12/2025: 2,62 %
    (date(2026, 1, 1), "2.15", "2.62"),
]


def test_the_built_workbook_ships_every_half_year_from_2015_to_the_last_sourced(
        built_workbook):
    from relances_xl.excel.headless import close_book, open_book

    book = open_book(built_workbook)
    try:
        settings, problems = read_settings(read_block(book, layout.PARAMETRES))
    finally:
        close_book(book)
    assert [p for p in problems if p.blocking] == []
    starts = [p.debut for p in settings.taux_periodes]
    expected = [date(year, month, 1) for year in range(2015, 2027) for month in (1, 7)]
    assert starts == expected[:-1]  # 2026 S2: no source found yet, never guessed
    by_start = {p.debut: p for p in settings.taux_periodes}
    for debut, ecb, legal in FROM_SOURCES:
        period = by_start[debut]
        assert period.professionnels == pytest.approx(D(ecb) / 100 + D("0.10"))
        assert period.publics == pytest.approx(D(ecb) / 100 + D("0.08"))
        assert period.particuliers == pytest.approx(D(legal) / 100)


def test_taux_adds_only_the_half_years_an_existing_table_lacks_and_says_which(
        workbook, capsys):
    with opened(workbook) as book:  # an older workbook: its table stops at 2025 S1
        sheet = book.sheets[layout.PARAMETRES]
        block = read_block(book, layout.PARAMETRES)
        row = next(i for i, r in enumerate(block) if r and "Début" in r)
        column = block[row].index("Début")
        # sheet row of the k-th row under the header: row + 2 + k (2025 S1 is k = 20)
        for offset in (22, 23):  # 2025 S2 and 2026 S1 cleared
            for col in range(column, column + 4):
                sheet.range((row + 1 + offset, col + 1)).value = None
        # the user's own rate for 2025 S1, different from the shipped one: kept
        sheet.range((row + 1 + 21, column + 2)).value = 0.2
    assert main(["taux", str(workbook)]) == 0
    said = capsys.readouterr().out
    assert "2 semestre(s) ajouté(s)" in said
    assert "2e semestre 2025, 1er semestre 2026" in said
    with opened(workbook) as book:
        settings, _ = read_settings(read_block(book, layout.PARAMETRES))
    by_start = {p.debut: p for p in settings.taux_periodes}
    assert len(by_start) == 23
    assert by_start[date(2025, 1, 1)].professionnels == pytest.approx(D("0.20"))
    assert by_start[date(2025, 7, 1)].professionnels == pytest.approx(D("0.1215"))
    assert main(["taux", str(workbook)]) == 0
    assert "Aucun semestre à ajouter" in capsys.readouterr().out


def test_an_older_workbooks_labels_for_the_legal_rate_are_still_read():
    """"Taux annuel particuliers" and the column "Taux particuliers" of older builds."""
    block = [
        ["Taux annuel particuliers", 0.0077],
        [None],
        [None, "Début", "Taux professionnels", "Taux particuliers", "Taux acheteurs publics"],
        [None, date(2022, 7, 1), 0.10, 0.0077, 0.08],
    ]
    settings, problems = read_settings(block)
    assert settings.taux_particuliers == D("0.0077")
    assert [(p.debut, p.particuliers) for p in settings.taux_periodes] == [
        (date(2022, 7, 1), pytest.approx(D("0.0077")))]
    assert not [p for p in problems if "Taux" in str(p)]
