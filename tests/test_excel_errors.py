"""Excel error values are named wherever they are: sheet, row, column, and the error.

Cells are set to errors the way Excel holds them (error cells, not text), through the
headless engine, which reads them as xlwings reads Excel's: their text with
`err_to_str=True`, empty without it. A `#N/A` amount used to be reported as missing,
and an error in an optional column silently read as empty.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from relances_xl import addin, layout
from relances_xl.cli import main, opened
from relances_xl.ledger import read_ledger

ON = date(2022, 7, 27)
ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!")


def column(sheet: str, header: str) -> str:
    columns = {layout.CLIENTS: layout.CLIENTS_COLUMNS, layout.FACTURES: layout.FACTURES_COLUMNS,
               layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS}[sheet]
    return openpyxl.utils.get_column_letter(list(columns).index(header) + 1)


def label_row(path: Path, label: str) -> int:
    sheet = openpyxl.load_workbook(path)[layout.PARAMETRES]
    return next(row[0].row for row in sheet.iter_rows(max_col=1) if row[0].value == label)


def plant(path: Path, cells: dict[tuple[str, str], str]) -> None:
    """Put error values in cells, as Excel holds them (cell type "e")."""
    with opened(path) as book:
        for (sheet, address), error in cells.items():
            cell = book.sheets[sheet].range(address)
            cell.number_format = "General"  # a text cell ("@") would keep "#N/A" as text
            cell.value = error
    stored = openpyxl.load_workbook(path)
    for (sheet, address), error in cells.items():
        cell = stored[sheet][address]
        assert (cell.data_type, cell.value) == ("e", error), (sheet, address)


def test_every_error_value_is_named_with_its_cell_required_or_optional(workbook, capsys):
    frais = label_row(workbook, "Niveau") + 2  # level 2's row of the levels table
    planted = {
        (layout.FACTURES, f"{column(layout.FACTURES, 'Montant TTC')}3"): "#N/A",
        (layout.FACTURES, f"{column(layout.FACTURES, 'Litige')}4"): "#VALUE!",
        (layout.CLIENTS, f"{column(layout.CLIENTS, 'E-mail')}2"): "#REF!",
        (layout.REGLEMENTS, f"{column(layout.REGLEMENTS, 'Montant')}2"): "#DIV/0!",
        (layout.PARAMETRES, f"B{label_row(workbook, 'Montant minimum')}"): "#NAME?",
        (layout.PARAMETRES, f"E{frais}"): "#NUM!",
        (layout.REGLEMENTS, f"{column(layout.REGLEMENTS, 'N° pièce lettrée')}3"): "#NULL!",
    }
    plant(workbook, planted)
    assert main(["appliquer", str(workbook), "--date", "2022-07-27"]) == 2
    err = capsys.readouterr().err
    expected = [
        "Factures, ligne 3, colonne « Montant TTC » : valeur « #N/A »",
        "Factures, ligne 4, colonne « Litige » : valeur « #VALUE! »",
        "Clients, ligne 2, colonne « E-mail » : valeur « #REF! »",
        "Règlements, ligne 2, colonne « Montant » : valeur « #DIV/0! »",
        f"Paramètres, ligne {label_row(workbook, 'Montant minimum')}, colonne « Montant "
        "minimum » : valeur « #NAME? »",
        f"Paramètres, ligne {frais}, colonne « Frais » : valeur « #NUM! »",
        "Règlements, ligne 3, colonne « N° pièce lettrée » : valeur « #NULL! »",
    ]
    reported = [line for line in err.splitlines() if line.startswith("ERREUR : ")]
    for text in expected:
        assert f"ERREUR : {text} — erreur Excel dans la cellule" in reported, (text, err)
    assert "valeur obligatoire manquante" not in err
    assert sorted(error for error in ERRORS if f"« {error} »" in err) == sorted(ERRORS)
    controles = openpyxl.load_workbook(workbook)[layout.CONTROLES]
    listed = {row[4] for row in controles.iter_rows(min_row=2, values_only=True)}
    assert set(ERRORS) <= listed


def test_an_error_in_a_filter_is_not_read_as_no_filter(workbook):
    """An empty filter means every customer: an error there must stop Appliquer."""
    plant(workbook, {(layout.RELANCES, layout.FILTERS["familles"][1]): "#N/A",
                     (layout.RELANCES, layout.DATE_CELL): "#VALUE!"})
    with opened(workbook):
        outcome = addin.appliquer()
    assert outcome.blocked and outcome.rows == []
    assert [str(p) for p in outcome.problems if p.blocking] == [
        "Relances, ligne 10, colonne « Échéances échues au » : valeur « #VALUE! » — erreur "
        "Excel dans la cellule",
        "Relances, ligne 6, colonne « Famille(s) client(s) » : valeur « #N/A » — erreur "
        "Excel dans la cellule"]


def test_without_err_to_str_an_error_would_read_as_empty(workbook):
    """What the reads guard against: the engine answers as Excel does."""
    plant(workbook, {(layout.FACTURES, "G3"): "#N/A"})
    with opened(workbook) as book:
        cell = book.sheets[layout.FACTURES].range("G3")
        assert cell.value is None
        assert cell.options(err_to_str=True).value == "#N/A"


def pressed_with_sortie_in_error(workbook, button):
    """The table applied, the print options typed with "#N/A" as Sortie, `button` pressed."""
    with opened(workbook) as book:
        addin.appliquer(today=ON)
        relances = book.sheets[layout.RELANCES]
        relances.range(layout.OPTIONS["defaut"][1]).value = False
        relances.range(layout.OPTIONS["sortie"][1]).value = "#N/A"
        return button(today=ON)


def test_an_error_in_a_print_option_stops_the_letters(workbook, capsys, tmp_path):
    outcome = pressed_with_sortie_in_error(workbook, addin.imprimer_lettres)
    assert outcome.blocked and outcome.report is None
    (problem,) = [p for p in outcome.problems if p.blocking]
    assert str(problem) == ("Relances, ligne 8, colonne « Sortie » : valeur « #N/A » — "
                            "erreur Excel dans la cellule")


def test_an_error_in_a_print_option_stops_the_proposal_and_says_which_button(workbook):
    outcome = pressed_with_sortie_in_error(workbook, addin.imprimer_proposition)
    assert outcome.blocked and outcome.files == []
    assert outcome.message.startswith("Impression de la proposition impossible : 1 problème")
    (problem,) = [p for p in outcome.problems if p.blocking]
    assert problem.column == "Sortie" and problem.value == "#N/A"


def test_an_error_in_a_checkbox_reads_as_unticked_and_is_named(workbook, tmp_path):
    with opened(workbook) as book:
        addin.appliquer(today=ON)
        book.sheets[layout.RELANCES].range(f"G{layout.TABLE_FIRST_ROW}").value = "#N/A"
        relances = book.sheets[layout.RELANCES]
        relances.range(layout.OPTIONS["defaut"][1]).value = False
        relances.range(layout.OPTIONS["sortie"][1]).value = "Fichier texte"
        relances.range(layout.OPTIONS["dossier"][1]).value = str(tmp_path / "txt")
        outcome = addin.imprimer_lettres(today=ON)
    warning = [str(p) for p in outcome.problems if not p.blocking]
    assert (f"Relances, ligne {layout.TABLE_FIRST_ROW}, colonne « A relancer » : valeur "
            "« #N/A » — case à cocher contenant autre chose que VRAI/FAUX : lue comme non "
            "cochée") in warning
    assert "1FRNEG" not in {r.row.tiers for r in outcome.report.results}


@pytest.mark.parametrize(("number", "text"), [(2042, "#N/A"), (2007, "#DIV/0!"),
                                              (2045, "#SPILL!"), (2050, "#CALC!")])
def test_excel_on_windows_error_numbers_never_pass_for_an_amount(number, text):
    """Through COM, xlwings names the first seven errors; the newer ones (#SPILL!,
    #CALC!) come as ints such as -2146826243, which must not read as an amount."""
    com_value = -2146828288 + number
    blocks = {
        layout.CLIENTS: [list(layout.CLIENTS_COLUMNS), ["C1", "Client", *[None] * 14]],
        layout.FACTURES: [list(layout.FACTURES_COLUMNS),
                          ["S", "F1", "Avoir", "C1", 44000.0, 44030.0, com_value, None, "Oui",
                           "Non"]],
        layout.REGLEMENTS: [list(layout.REGLEMENTS_COLUMNS)],
        layout.HISTORIQUE: [list(layout.HISTORIQUE_COLUMNS)],
    }
    ledger, problems = read_ledger(blocks)
    assert not ledger.invoices
    assert [str(p) for p in problems if p.blocking] == [
        f"Factures, ligne 2, colonne « Montant TTC » : valeur « {text} » — erreur Excel "
        "dans la cellule"]
