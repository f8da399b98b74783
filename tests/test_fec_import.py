"""Importer un FEC end to end: the real workbook, the button's function, headless."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from fec_writer import Ln, credit_note, payment, purchase, sale, write_fec

from relances_xl import addin, layout
from relances_xl.cli import main
from relances_xl.excel import headless
from relances_xl.excel import vba_project as vba

VIGNE_FEC = "123456789FEC20231231.txt"  # the SIREN of VIGNE's SIRET in the sample Paramètres
ZNEG_FEC = "987654321FEC20231231.txt"


def year_2023(later: bool = False) -> list[Ln]:
    """A small wine merchant's year: invoices, a credit note, payments, purchases.

    `later`: the same year exported in April: FA23-002 corrected to 650,00, FA23-003
    paid (lettered EE), the lettering of FA23-006 undone, a new unlettered credit note.
    """
    return [
        *sale("1", "20230105", "DUPONT", "Dupont SARL", "FA23-001", "1200,00", let="AA"),
        *sale("2", "20230110", "MARTIN", "Martin Élise", "FA23-002",
              "650,00" if later else "600,00", let="BB"),
        *sale("3", "20230201", "DUPONT", "Dupont SARL", "FA23-003", "2400,00",
              let="EE" if later else ""),
        Ln("VT", "4", "20230210", "411DIV", Debit="300,00", CompteLib="Clients divers",
           PieceRef="FA23-004", EcritureLet="CC"),
        Ln("VT", "4", "20230210", "706000", Credit="300,00", PieceRef="FA23-004"),
        Ln("VT", "5", "20230215", "411DIV", Credit="240,00", CompteLib="Clients divers",
           PieceRef="AV23-001", EcritureLet="CC"),
        Ln("VT", "5", "20230215", "706000", Debit="240,00", PieceRef="AV23-001"),
        *sale("6", "20230305", "MARTIN", "Martin Élise", "FA23-005", "100,00", let="DD"),
        *sale("7", "20230306", "MARTIN", "Martin Élise", "FA23-006", "200,00",
              let="" if later else "DD"),
        *payment("1", "20230204", "DUPONT", "Dupont SARL", "1200,00", let="AA"),
        *payment("2", "20230301", "MARTIN", "Martin Élise", "250,00", let="BB"),
        *payment("3", "20230320", "DUPONT", "Dupont SARL", "500,00", let="EE" if later else ""),
        *payment("4", "20230325", "MARTIN", "Martin Élise", "300,00", let="DD"),
        *purchase("1", "20230110", "1000,00"),
    ] + ([*payment("9", "20230410", "DUPONT", "Dupont SARL", "1900,00", let="EE"),
           *credit_note("10", "20230412", "MARTIN", "Martin Élise", "AV23-002", "50,00")]
          if later else [])


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path, sheet: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    found = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        found.append(tuple(v.date() if isinstance(v, datetime) else v for v in row))
    return found


def report(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[layout.IMPORT_FEC]
    return [row for row in ws.iter_rows(min_row=4, values_only=True) if row[0] is not None]


def d(text: str):
    return datetime.strptime(text, "%d/%m/%Y").date()


FACTURES_2023 = [
    ("VIGNE", "FA23-001", "Facture", "DUPONT", d("05/01/2023"), d("04/02/2023"), 1200, None,
     "Oui", None, None),
    ("VIGNE", "FA23-002", "Facture", "MARTIN", d("10/01/2023"), d("09/02/2023"), 600, None,
     "Oui", None, None),
    ("VIGNE", "FA23-003", "Facture", "DUPONT", d("01/02/2023"), d("03/03/2023"), 2400, None,
     "Oui", None, None),
    ("VIGNE", "FA23-004", "Facture", "411DIV", d("10/02/2023"), d("12/03/2023"), 300, None,
     "Oui", None, None),
    ("VIGNE", "FA23-005", "Facture", "MARTIN", d("05/03/2023"), d("04/04/2023"), 100, None,
     "Oui", None, None),
    ("VIGNE", "FA23-006", "Facture", "MARTIN", d("06/03/2023"), d("05/04/2023"), 200, None,
     "Oui", None, None),
]
REGLEMENTS_2023 = [
    ("VIGNE", "AV23-001/FA23-004", "411DIV", d("15/02/2023"), 240, "Avoir", "FA23-004", None),
    ("VIGNE", "BQ-20230204-1-1", "DUPONT", d("04/02/2023"), 1200, None, "FA23-001", None),
    ("VIGNE", "BQ-20230301-2-1", "MARTIN", d("01/03/2023"), 250, None, "FA23-002", None),
    ("VIGNE", "BQ-20230320-3-1", "DUPONT", d("20/03/2023"), 500, None, None, None),
    ("VIGNE", "BQ-20230325-4-1", "MARTIN", d("25/03/2023"), 100, None, "FA23-005", None),
    ("VIGNE", "BQ-20230325-4-1/FA23-006", "MARTIN", d("25/03/2023"), 200, None, "FA23-006", None),
]


def test_a_year_lands_in_the_ledger_and_appliquer_reminds_what_is_open(empty, tmp_path, capsys):
    fec = write_fec(tmp_path / VIGNE_FEC, year_2023())
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 0, err
    assert "société VIGNE : 29 ligne(s), dont 11 sur des comptes clients" in out
    assert "Factures : 6 ajout(s), 0 mise(s) à jour" in out
    assert [r[:2] for r in rows(empty, layout.CLIENTS)] == [
        ("DUPONT", "Dupont SARL"), ("MARTIN", "Martin Élise"), ("411DIV", "Clients divers")]
    assert rows(empty, layout.FACTURES) == FACTURES_2023
    assert rows(empty, layout.REGLEMENTS) == REGLEMENTS_2023
    book = openpyxl.load_workbook(empty)
    assert book[layout.FACTURES].tables["tblFactures"].ref == "A1:K7"  # with Devise
    assert book[layout.REGLEMENTS].tables["tblReglements"].ref == "A1:H7"
    assert book[layout.FACTURES]["G7"].number_format == layout.MONEY_FORMAT
    assert book[layout.CLIENTS]["A4"].number_format == "@"
    entries = report(empty)
    assert sum(1 for e in entries if e[0] == "ajoutée") == 3 + 6 + 6
    assert [e[:6] for e in entries if e[0] == "remarque"] == [
        ("remarque", "FEC", None, 5, "EcritureLet", "BB"),
        ("remarque", "FEC", None, 11, "EcritureLet", "CC")]
    assert ("ajoutée", "Règlements", "AV23-001/FA23-004", 13, None, None,
            "avoir imputé de 240,00\u00a0€ du 15/02/2023 sur FA23-004") in entries
    assert ("ajoutée", "Règlements", "BQ-20230325-4-1/FA23-006", 28, None, None,
            "règlement de 200,00\u00a0€ du 25/03/2023, lettré sur FA23-006") in entries

    code, out, _ = cli(capsys, "appliquer", empty, "--date", "2023-06-30", "--json")
    assert code == 0
    table = [(r["tiers"], r["solde_comptable"], r["encours_relance"], r["niveau"],
              r["a_relancer"], r["adresse"]) for r in json.loads(out)]
    assert table == [("411DIV", "60.00", "60.00", 1, True, "Clients divers"),
                     ("DUPONT", "1900.00", "2400.00", 1, True, "Dupont SARL"),
                     ("MARTIN", "350.00", "350.00", 1, True, "Martin Élise")]


def test_importing_the_same_fec_again_changes_nothing(empty, tmp_path, capsys):
    fec = write_fec(tmp_path / VIGNE_FEC, year_2023())
    cli(capsys, "import-fec", fec, empty)
    code, out, _ = cli(capsys, "import-fec", fec, empty)
    assert code == 0
    assert "Clients : 0 ajout(s). Factures : 0 ajout(s), 0 mise(s) à jour, 6 inchangée(s), " \
           "0 suppression(s). Règlements : 0 ajout(s), 0 mise(s) à jour, 6 inchangée(s)" in out
    assert rows(empty, layout.FACTURES) == FACTURES_2023
    assert rows(empty, layout.REGLEMENTS) == REGLEMENTS_2023
    assert len(rows(empty, layout.CLIENTS)) == 3
    assert not [e for e in report(empty) if e[0] != "remarque"]


def test_a_later_export_updates_adds_and_removes_only_its_own_rows(empty, tmp_path, capsys):
    cli(capsys, "import-fec", write_fec(tmp_path / VIGNE_FEC, year_2023()), empty)
    book = openpyxl.load_workbook(empty, keep_vba=True)  # what the user typed meanwhile
    book[layout.FACTURES]["J4"] = "Oui"  # FA23-003 disputed
    book[layout.REGLEMENTS]["F5"] = "VIR"  # mode of BQ 3
    book[layout.REGLEMENTS].append(["VIGNE", "RG-MANUEL", "MARTIN", datetime(2023, 4, 2), 10])
    book[layout.REGLEMENTS].tables["tblReglements"].ref = "A1:H8"
    book[layout.CLIENTS]["C2"] = "3 rue des Caves"
    book.save(empty)
    later = tmp_path / "later" / VIGNE_FEC
    later.parent.mkdir()
    code, out, err = cli(capsys, "import-fec", write_fec(later, year_2023(later=True)), empty)
    assert code == 0, err
    assert "Factures : 1 ajout(s), 1 mise(s) à jour, 5 inchangée(s), 0 suppression(s)" in out
    assert "Règlements : 2 ajout(s), 1 mise(s) à jour, 4 inchangée(s), 1 suppression(s)" in out
    factures = {r[1]: r for r in rows(empty, layout.FACTURES)}
    assert factures["FA23-002"][6] == 650 and factures["FA23-003"][9] == "Oui"
    assert factures["AV23-002"][2:7] == ("Avoir", "MARTIN", d("12/04/2023"), d("12/04/2023"), 50)
    reglements = {r[1]: r for r in rows(empty, layout.REGLEMENTS)}
    assert reglements["BQ-20230320-3-1"][4:7] == (500, "VIR", "FA23-003")
    assert reglements["BQ-20230410-9-1"][4:7] == (1900, None, "FA23-003")
    assert reglements["BQ-20230325-4-1/reste"][4:7] == (200, None, None)
    assert "BQ-20230325-4-1/FA23-006" not in reglements
    assert "RG-MANUEL" in reglements  # typed by the user: never touched
    assert len(reglements) == 8
    ws = openpyxl.load_workbook(empty)[layout.REGLEMENTS]
    assert ws.tables["tblReglements"].ref == "A1:H9"
    assert rows(empty, layout.CLIENTS)[0][2] == "3 rue des Caves"
    details = {(e[0], e[2]): e[6] for e in report(empty)}
    assert details[("mise à jour", "FA23-002")] == (
        "Montant TTC : 600,00\u00a0€ → 650,00\u00a0€")
    assert details[("mise à jour", "BQ-20230320-3-1")] == "N° pièce lettrée : (vide) → FA23-003"
    assert "ne donne plus" in details[("supprimée", "BQ-20230325-4-1/FA23-006")]

    code, out, _ = cli(capsys, "appliquer", empty, "--date", "2023-06-30", "--json")
    table = {r["tiers"]: (r["solde_comptable"], r["encours_relance"]) for r in json.loads(out)}
    # DUPONT is paid; MARTIN owes 650 + 100 + 200 − 250 − 300 − 50 (credit note) − 10 (typed),
    # and FA23-002 (400 left) and FA23-006 (200, its lettering undone) are open
    assert table == {"411DIV": ("60.00", "60.00"), "MARTIN": ("340.00", "600.00")}


def test_next_years_fec_skips_its_opening_entries_and_letters_to_last_years_invoices(
        empty, tmp_path, capsys):
    cli(capsys, "import-fec", write_fec(tmp_path / VIGNE_FEC, year_2023()), empty)
    opening = [Ln("AN", "1", "20240101", "411000", Debit="2400,00", CompAuxNum="DUPONT",
                  CompAuxLib="Dupont SARL", PieceRef="FA23-003", PieceDate="20230201",
                  EcritureLet="A1"),
               Ln("AN", "1", "20240101", "411000", Credit="500,00", CompAuxNum="DUPONT",
                  CompAuxLib="Dupont SARL", PieceRef="RLV"),
               Ln("AN", "1", "20240101", "411000", Debit="350,00", CompAuxNum="MARTIN",
                  CompAuxLib="Martin Élise", PieceRef="FA23-002", PieceDate="20230110",
                  EcritureLet="M1"),
               Ln("AN", "1", "20240101", "411DIV", Debit="60,00", PieceRef="FA23-004"),
               Ln("AN", "1", "20240101", "890000", Credit="2310,00", PieceRef="AN")]
    year_2024 = [*opening,
                 *payment("1", "20240115", "DUPONT", "Dupont SARL", "2400,00", let="A1"),
                 *payment("2", "20240120", "MARTIN", "Martin Élise", "350,00", let="M1")]
    fec = write_fec(tmp_path / "123456789FEC20241231.txt", year_2024)
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 0, err
    assert "Factures : 0 ajout(s)" in out and "Règlements : 2 ajout(s)" in out
    assert "Lignes rejetées : 0, ignorées : 4." in out
    assert "ignorée : ligne 2, JournalCode « AN » — à-nouveau non repris" in err
    assert rows(empty, layout.FACTURES) == FACTURES_2023
    assert rows(empty, layout.REGLEMENTS)[len(REGLEMENTS_2023):] == [
        ("VIGNE", "BQ-20240115-1-1", "DUPONT", d("15/01/2024"), 2400, None, "FA23-003", None),
        ("VIGNE", "BQ-20240120-2-1", "MARTIN", d("20/01/2024"), 350, None, "FA23-002", None)]
    _, out, _ = cli(capsys, "appliquer", empty, "--date", "2024-03-31", "--json")
    assert [(r["tiers"], r["encours_relance"]) for r in json.loads(out)] == [("411DIV", "60.00")]


def test_existing_customers_keep_what_the_user_typed_and_give_their_term(workbook, tmp_path,
                                                                        capsys):
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    book[layout.CLIENTS]["P2"] = 45  # 1FRNEG: 45 days
    book.save(workbook)
    before = rows(workbook, layout.CLIENTS)
    lines = [*sale("1", "20230105", "1FRNEG", "Autre nom", "FA23-001", "100,00"),
             *sale("2", "20230105", "NOUVEAU", "Nouveau client", "FA23-002", "100,00")]
    code, _, _ = cli(capsys, "import-fec", write_fec(tmp_path / VIGNE_FEC, lines), workbook)
    assert code == 0
    after = rows(workbook, layout.CLIENTS)
    assert after[: len(before)] == before
    assert after[len(before)][:2] == ("NOUVEAU", "Nouveau client")
    factures = {r[1]: r for r in rows(workbook, layout.FACTURES)}
    assert factures["FA23-001"][5] == d("19/02/2023")  # 5 January + 45 days
    assert factures["FA23-002"][5] == d("04/02/2023")  # the default 30 days
    assert "FA22-0088" in factures  # the sample's own rows stay


def test_two_companies_share_customers_and_keep_their_numbers_apart(empty, tmp_path, capsys):
    vigne = write_fec(tmp_path / VIGNE_FEC, sale("1", "20230105", "DUPONT", "Dupont SARL",
                                                  "FA23-001", "100,00"))
    zneg = write_fec(tmp_path / ZNEG_FEC, [
        *sale("1", "20230107", "DUPONT", "Dupont SARL", "FA23-001", "70,00", let="A"),
        *payment("1", "20230120", "DUPONT", "Dupont SARL", "70,00", let="A")],
        sep="|", encoding="iso-8859-15")
    assert cli(capsys, "import-fec", vigne, empty)[0] == 0
    code, out, _ = cli(capsys, "import-fec", zneg, empty)
    assert code == 0 and "(ISO-8859-15, « | ») importé dans la société ZNEG" in out
    assert [(r[0], r[1], r[6]) for r in rows(empty, layout.FACTURES)] == [
        ("VIGNE", "FA23-001", 100), ("ZNEG", "FA23-001", 70)]
    assert [r[0] for r in rows(empty, layout.CLIENTS)] == ["DUPONT"]
    _, out, _ = cli(capsys, "appliquer", empty, "--date", "2023-06-30", "--json")
    assert [(r["tiers"], r["societe"], r["encours_relance"]) for r in json.loads(out)] == [
        ("DUPONT", "VIGNE", "100.00")]


def test_codes_with_leading_zeros_stay_text_and_match_again(empty, tmp_path, capsys):
    lines = [*sale("1", "20230105", "007", "Bond", "000045", "10,00", let="Z"),
             *sale("2", "20230106", "007", "Bond", "000046", "20,00", let="Z"),
             *sale("3", "20230107", "007", "Bond", "000047", "5,00"),
             *payment("4", "20230201", "007", "Bond", "30,00", let="Z")]
    fec = write_fec(tmp_path / VIGNE_FEC, lines)
    cli(capsys, "import-fec", fec, empty)
    assert [r[1] for r in rows(empty, layout.FACTURES)] == ["000045", "000046", "000047"]
    assert [r[6] for r in rows(empty, layout.REGLEMENTS)] == ["000045", "000046"]
    assert rows(empty, layout.CLIENTS)[0][0] == "007"
    _, out, _ = cli(capsys, "import-fec", fec, empty)
    assert "Factures : 0 ajout(s), 0 mise(s) à jour, 3 inchangée(s)" in out

    amounts = {"10,00": "11,00", "5,00": "6,00"}  # first and last invoices corrected
    fec = write_fec(fec, [Ln(**{**ln.__dict__, "Debit": amounts.get(ln.Debit, ln.Debit)})
                          if ln.CompteNum == "411000" else ln for ln in lines])
    _, out, _ = cli(capsys, "import-fec", fec, empty)
    assert "Factures : 0 ajout(s), 2 mise(s) à jour, 1 inchangée(s)" in out
    assert [r[:7] for r in rows(empty, layout.FACTURES)] == [
        ("VIGNE", "000045", "Facture", "007", d("05/01/2023"), d("04/02/2023"), 11),
        ("VIGNE", "000046", "Facture", "007", d("06/01/2023"), d("05/02/2023"), 20),
        ("VIGNE", "000047", "Facture", "007", d("07/01/2023"), d("06/02/2023"), 6)]
    assert [(r[1], r[4], r[6]) for r in rows(empty, layout.REGLEMENTS)] == [
        ("BQ-20230201-4-1", 11, "000045"), ("BQ-20230201-4-1/000046", 19, "000046")]


def test_malformed_lines_are_reported_and_the_rest_imported(empty, tmp_path, capsys):
    good = year_2023()
    broken = "\t".join(["VT", "Ventes", "8", "20230230", "411000", "Clients", "X", "X", "F8",
                        "20230230", "lib", "10,00", "0,00", "", "", "", "", ""])
    fec = write_fec(tmp_path / VIGNE_FEC, good, extra=[broken, "VT\tcoupée"])
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 1
    assert "Lignes rejetées : 2" in out
    assert "rejetée : ligne 31, EcritureDate « 20230230 »" in err
    assert "rejetée : ligne 32 « 2 » — 2 champ(s) au lieu de 18" in err
    assert rows(empty, layout.FACTURES) == FACTURES_2023
    rejected = [e[:6] for e in report(empty) if e[0] == "rejetée"]
    assert rejected == [("rejetée", "FEC", None, 31, "EcritureDate", "20230230"),
                        ("rejetée", "FEC", None, 31, "PieceDate", "20230230"),
                        ("rejetée", "FEC", None, 32, None, "2")]


def test_a_file_that_cannot_be_read_changes_nothing(empty, tmp_path, capsys):
    fec = tmp_path / VIGNE_FEC
    fec.write_text("JournalCode\tEcritureNum\tDebit\n", encoding="utf-8")
    before = empty.read_bytes()
    code, _, err = cli(capsys, "import-fec", fec, empty)
    assert code == 2
    assert "colonne(s) du FEC absente(s)" in err and "EcritureDate" in err
    assert empty.read_bytes() == before


def test_without_siren_nor_option_the_import_asks_for_the_company(empty, tmp_path, capsys):
    fec = write_fec(tmp_path / "export.txt", year_2023())
    before = empty.read_bytes()
    code, _, err = cli(capsys, "import-fec", fec, empty)
    assert code == 2 and "--societe" in err
    assert empty.read_bytes() == before
    code, _, _ = cli(capsys, "import-fec", fec, empty, "--societe", "ZNEG",
                       "--delai-jours", "60", "--journaux", "OD")
    assert code == 0
    factures = rows(empty, layout.FACTURES)
    assert factures[0][:2] == ("ZNEG", "FA23-001")
    assert factures[0][5] == d("06/03/2023")  # 5 January + 60 days
    assert rows(empty, layout.REGLEMENTS)[0][1] == "VT-20230215-5-1"  # VT is not a sales journal


def python_literal(text: str) -> str:
    """What the macro's PythonString does in VBA: letters and digits kept, the rest \\uXXXX."""
    units = text.encode("utf-16-le")
    out = []
    for i in range(0, len(units), 2):
        code = int.from_bytes(units[i:i + 2], "little")
        char = chr(code)
        out.append(char if char.isascii() and char.isalnum() else f"\\u{code:04X}")
    return "'" + "".join(out) + "'"


def test_the_button_passes_any_path_to_python(empty, tmp_path):
    folder = tmp_path / "Clients d'Anne & Co 100% \\ [été] 🍷"
    folder.mkdir()
    fec = write_fec(folder / VIGNE_FEC, year_2023())
    code = vba.relances_module_source()
    assert ('chosen = Application.GetOpenFilename("Fichiers FEC (*.txt;*.csv),*.txt;*.csv", , '
            '"Importer un FEC")') in code
    assert 'If VarType(chosen) = vbBoolean Then Exit Sub' in code
    command = layout.MACROS["ImporterFec"].replace("{path}", python_literal(str(fec)))
    assert all(ch.isascii() and ch not in "\"%&|" for ch in command)
    book = headless.open_book(empty)
    try:
        scope: dict[str, object] = {}
        exec(command.replace("a.importer_fec(", "outcome = a.importer_fec("), scope)
        assert scope["outcome"].plan.count("ajoutée", layout.FACTURES) == 6
        assert book.sheets[layout.RELANCES].range(layout.MESSAGE_CELL).value.startswith(
            f"FEC {VIGNE_FEC} (UTF-8, tabulation)")
    finally:
        headless.close_book(book)
    assert layout.BUTTONS["Importer un FEC"] == ("ImporterFec", "I6")


def test_cancelled_picker_or_no_file_imports_nothing(empty):
    book = headless.open_book(empty)
    try:
        outcome = addin.importer_fec(None)
        assert outcome.plan is None and "Aucun fichier FEC" in outcome.message
        outcome = addin.importer_fec(str(empty.parent / "absent.txt"))
        assert outcome.plan is None and "FEC illisible" in outcome.error
        assert book.app.impl.alerts[-1].mode == "critical"
    finally:
        headless.close_book(book)


def test_a_workbook_picked_instead_of_the_fec_gets_one_clear_line(empty, tmp_path, capsys):
    picked = tmp_path / "Relances copie.xlsm"
    shutil.copyfile(empty, picked)
    before = empty.read_bytes()
    code, out, err = cli(capsys, "import-fec", picked, empty)
    assert code == 2 and not out
    assert err.count("\n") == 1
    assert err.startswith("ERREUR : Relances copie.xlsm n'est pas un FEC : c'est une archive "
                          "ZIP : un classeur Excel (.xlsx, .xlsm)")
    assert empty.read_bytes() == before


def test_rejected_lines_are_said_once_on_stderr_and_the_summary_once_on_stdout(
        empty, tmp_path, capsys):
    broken = "\t".join(["VT", "Ventes", "8", "20230230", "411000", "Clients", "X", "X", "F8",
                        "20230230", "lib", "10,00", "0,00", "", "", "", "", ""])
    fec = write_fec(tmp_path / VIGNE_FEC, year_2023(), extra=[broken])
    code, out, err = cli(capsys, "import-fec", fec, empty)
    assert code == 1
    assert out.count("importé dans la société VIGNE") == 1
    assert "importé dans la société" not in err
    lines = err.splitlines()
    assert len(lines) == len(set(lines)) == 4  # two lettering remarks, two bad dates
    assert all("importez à nouveau" in line for line in lines if line.startswith("rejetée"))


def test_the_import_makes_no_cycle_so_runs_with_the_collector_paused(empty, tmp_path):
    """`fec.importer` reads, plans and writes with the cyclic collector paused (a big FEC
    makes millions of objects): safe only because nothing it leaves needs the collector."""
    import gc

    from relances_xl.fec.importer import import_fec
    from relances_xl.fec.plan import FecOptions

    for later in (False, True):  # adds, then updates and removes
        fec = write_fec(tmp_path / VIGNE_FEC, year_2023(later=later))
        book = headless.open_book(empty)
        gc.collect()
        gc.disable()
        try:
            outcome = import_fec(book, fec, FecOptions(), alert=False)
            left = gc.collect()
        finally:
            gc.enable()
        assert outcome.plan is not None and outcome.plan.count("ajoutée") > 0
        assert left == 0
        headless.save_book(book)
        headless.close_book(book)
