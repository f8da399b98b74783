"""`relances-xl recouvrement` and the Dossier de recouvrement button on a real built
Relances.xlsm, through LibreOffice: a professional under and over 5 000 €, a private
customer and a public buyer. Each décompte's total is checked against a day-by-day
computation written here from the published rates; the exhibits are numbered and in
the folder and its .zip; the refusals write nothing."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from relances_xl import layout, sample
from relances_xl.cli import apply_workbook, main, opened
from relances_xl.excel.build import build_workbook
from relances_xl.letters.demo_copies import write_demo_copies
from relances_xl.model import Filters, Invoice, Ledger

D = Decimal
ON = date(2025, 1, 15)
# the published rates, typed here (Banque de France / arrêtés; docs/taux.md):
# first day, last day, L441-10 (ECB + 10), legal rate "autres cas", public (ECB + 8)
RATES = (
    (date(2024, 1, 1), date(2024, 6, 30), D("0.1450"), D("0.0507"), D("0.1250")),
    (date(2024, 7, 1), date(2024, 12, 31), D("0.1425"), D("0.0492"), D("0.1225")),
    (date(2025, 1, 1), date(2025, 6, 30), D("0.1315"), D("0.0371"), D("0.1115")),
)


def _client(code: str, name: str, town: str, kind: str = "Professionnel",
            conditions: str = "") -> list[object]:
    return [code, name, "2 rue du Test", "", "51100", town, "France", "NEGOCE", "REP01",
            "VIR", f"{code.lower()}@example.fr", "", "FR", kind, "Non", 30, conditions, ""]


def _invoice(piece: str, tiers: str, due: date, amount: str) -> list[object]:
    return ["VIGNE", piece, "Facture", tiers, due - timedelta(days=30), due, D(amount), "VIR",
            "Oui", "Non"]


def _letters(tiers: str, pieces: list[str], *dated: tuple[date, int]) -> list[list[object]]:
    """Historique's lines; PROA's letters name their archived PDF (Lettre archivée)."""
    return [[when, "VIGNE", tiers, piece, niveau, "pdf",
             f"{ARCHIVE}/{when:%Y-%m-%d}_VIGNE_{tiers}_N{niveau}.pdf" if tiers == "PROA" else None]
            for when, niveau in dated for piece in pieces]


ARCHIVE = "Lettres émises"
ARCHIVED = ("2024-02-05_VIGNE_PROA_N1.pdf", "2024-03-10_VIGNE_PROA_N3.pdf")  # not N2's


NOTICE = date(2024, 6, 3)
ROWS = {
    layout.CLIENTS: [
        _client("PROA", "Alpha SARL", "REIMS"), _client("PROB", "Beta SA", "EPERNAY"),
        _client("PART", "Martin Paul", "ROUEN", "Particulier"),
        _client("PUB", "Commune de Test", "TROYES", conditions="Acheteur public"),
        _client("NOMD", "Sans Demeure SARL", "REIMS"), _client("TOT", "Trop Tot SARL", "REIMS"),
    ],
    layout.FACTURES: [
        _invoice("FA-1", "PROA", date(2024, 1, 31), "2400.00"),
        _invoice("FB-1", "PROB", date(2024, 2, 29), "4000.00"),
        _invoice("FB-2", "PROB", date(2024, 4, 30), "2500.00"),
        _invoice("FC-1", "PART", date(2024, 3, 31), "1800.00"),
        _invoice("FD-1", "PUB", date(2024, 3, 31), "9000.00"),
        _invoice("FE-1", "NOMD", date(2024, 3, 31), "900.00"),
        _invoice("FF-1", "TOT", date(2024, 3, 31), "700.00"),
    ],
    layout.REGLEMENTS: [["VIGNE", "RG-1", "PROA", date(2024, 3, 15), D("400.00"), "VIR",
                         "FA-1"]],
    layout.HISTORIQUE: [
        *_letters("PROA", ["FA-1"], (date(2024, 2, 5), 1), (date(2024, 2, 20), 2),
                  (date(2024, 3, 10), 3)),
        *_letters("PROB", ["FB-1", "FB-2"], (date(2024, 5, 6), 1), (date(2024, 5, 21), 2),
                  (NOTICE, 3)),
        *_letters("PART", ["FC-1"], (date(2024, 4, 2), 1), (date(2024, 4, 17), 2), (NOTICE, 3)),
        *_letters("PUB", ["FD-1"], (date(2024, 4, 2), 1), (NOTICE, 2)),
        *_letters("NOMD", ["FE-1"], (date(2024, 4, 2), 1), (date(2024, 4, 17), 2)),
        *_letters("TOT", ["FF-1"], (date(2024, 4, 2), 1), (date(2024, 4, 17), 2),
                  (ON - timedelta(days=3), 3)),
    ],
    layout.SUIVI: [  # the registered letters of the notices (Recommandé)
        [NOTICE, "PROB", "VIGNE", None, "Recommandé", None, None, "mise en demeure", "CD",
         "1A 123 456 7890 1", date(2024, 6, 5)],
        [NOTICE, "PART", "VIGNE", None, "Recommandé", None, None, "", "CD",
         "1A 999 000 1111 2", None],
    ],
}


def _rate(day: date, column: int) -> Decimal:
    return next(row[column] for row in RATES if row[0] <= day <= row[1])


def day_by_day(principal: Decimal, first: date, column: int,
               paid: tuple[tuple[date, Decimal], ...] = (), fixed: bool = False) -> Decimal:
    """Interest from `first` to ON included: each day what was owed at that day's rate
    (or, `fixed`, the rate of the half-year interest began in) / 365; a payment stops
    interest on what it settles from the next day; rounded half up once."""
    total, day = Decimal(0), first
    while day <= ON:
        owed = principal - sum((amount for when, amount in paid if when < day), Decimal(0))
        total += owed * _rate(first if fixed else day, column) / 365
        day += timedelta(days=1)
    return total.quantize(D("0.01"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("recouvrement")
    path = build_workbook(folder / "Relances.xlsm", rows=ROWS, companies=sample.companies())
    invoices = tuple(Invoice(r[0], r[1], r[3], r[4], r[5], r[6]) for r in ROWS[layout.FACTURES]
                     if r[1] in ("FA-1", "FB-1"))
    write_demo_copies(Ledger(invoices=invoices), folder / "factures")
    letters = write_demo_copies(Ledger(invoices=invoices[:1]), folder / ARCHIVE)
    for name in ARCHIVED:  # two of PROA's three letters are in the archive
        (folder / ARCHIVE / name).write_bytes(letters[0].read_bytes())
    letters[0].unlink()
    row = list(layout.PARAMETRES_SETTINGS).index("dossier_factures") + 1
    with opened(path) as book:
        book.sheets[layout.PARAMETRES].range(f"B{row}").value = "factures"
    return path


@pytest.fixture
def workbook(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "Relances.xlsm"
    copy.write_bytes(built.read_bytes())
    for folder in ("factures", ARCHIVE):
        (tmp_path / folder).mkdir()
        for pdf in (built.parent / folder).iterdir():
            (tmp_path / folder / pdf.name).write_bytes(pdf.read_bytes())
    return copy


def run(capsys, workbook: Path, tiers: str, *more: str) -> tuple[int, str, str, Path]:
    out_dir = workbook.parent / "dossiers"
    code = main(["recouvrement", str(workbook), "--tiers", tiers, "--date", ON.isoformat(),
                 "--dossier", str(out_dir), *more])
    out, err = capsys.readouterr()
    return code, out, err, out_dir


def _folder(out_dir: Path, tiers: str) -> Path:
    return out_dir / f"{ON:%Y-%m-%d}_VIGNE_{tiers}_recouvrement"


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _exhibits(folder: Path) -> list[dict]:
    return json.loads((folder / "02_bordereau_de_pieces.json").read_text(encoding="utf-8"))


def _decompte(folder: Path) -> dict:
    return json.loads((folder / "01_decompte.json").read_text(encoding="utf-8"))


def test_professional_under_5000_gets_the_small_claims_request(workbook, capsys, libreoffice):
    code, _, err, out_dir = run(capsys, workbook, "PROA")
    assert code == 0, err
    folder = _folder(out_dir, "PROA")
    interest = day_by_day(D(2400), date(2024, 2, 1), 2, ((date(2024, 3, 15), D(400)),))
    data = _decompte(folder)
    assert D(data["total"]) == D("2000.00") + interest + D("40.00")
    assert data["procedure"] == "petites_creances"
    assert data["lignes"][0]["prescription"] == "2029-01-31"
    request = _text(folder / "03_demande_petites_creances.pdf")
    assert "procédure simplifiée de recouvrement" in request
    assert "commissaire de justice" in request
    assert "Domaine de la Vigne SAS" in request and "Alpha SARL" in request
    # exhibits: the invoice copy numbered 1, the three letters from the archive (the
    # second named in Historique but not there: said), the registered letter (not
    # recorded in Suivi: said), each file numbered as its line
    files = ["Piece_01_Facture_FA-1.pdf", "Piece_02_Relance_2024-02-05.pdf",
             "Piece_04_Mise_en_demeure_2024-03-10.pdf"]
    assert sorted(p.name for p in (folder / "pieces").iterdir()) == files
    bordereau = " ".join(_text(folder / "02_bordereau_de_pieces.pdf").split())
    for number, what in ((1, "Facture n° FA-1"),
                         (2, "Lettre de relance (niveau 1) du 05/02/2024"),
                         (3, "Lettre de relance (niveau 2) du 20/02/2024"),
                         (4, "Mise en demeure du 10/03/2024"),
                         (5, "Preuve de l'envoi recommandé")):
        assert f"{number} {what}" in bordereau, what
    for name in files:  # a long name wraps in its cell
        assert name in bordereau.replace(" ", "")
    assert "fichier archivé introuvable" in bordereau  # the second letter
    assert [(e["numero"], e["fichier"]) for e in _exhibits(folder) if e["fichier"]] == [
        (1, files[0]), (2, files[1]), (4, files[2])]
    assert "envoi recommandé non enregistré" in bordereau
    with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
        names = archive.namelist()
    for name in files:
        assert f"{folder.name}/pieces/{name}" in names
    assert f"{folder.name}/01_decompte.pdf" in names


def test_professional_over_5000_gets_the_injonction_de_payer(workbook, capsys, libreoffice):
    code, _, err, out_dir = run(capsys, workbook, "PROB")
    assert code == 0, err
    folder = _folder(out_dir, "PROB")
    interest = (day_by_day(D(4000), date(2024, 3, 1), 2)
                + day_by_day(D(2500), date(2024, 5, 1), 2))
    data = _decompte(folder)
    assert D(data["total"]) == D("6500.00") + interest + D("80.00")
    assert data["lignes"][0]["prescription"] == "2029-02-28"  # due 29/02/2024
    request = _text(folder / "03_requete_injonction_de_payer.pdf")
    assert "Requête en injonction de payer" in request
    assert "tribunal de commerce" in request and "EPERNAY" in request
    assert "à compléter" in request  # the debtor's legal form is not in the workbook
    assert (folder / "03_requete_injonction_de_payer.docx").exists()  # to sign in Word
    exhibits = _exhibits(folder)
    assert [e["numero"] for e in exhibits] == [1, 2, 3, 4, 5, 6]
    assert exhibits[0]["fichier"] == "Piece_01_Facture_FB-1.pdf"
    assert exhibits[1]["manque"] == "copie à joindre"  # FB-2 has no copy
    assert exhibits[-1]["designation"] == (
        "Lettre recommandée avec avis de réception n° 1A 123 456 7890 1, envoyée le "
        "03/06/2024, distribuée le 05/06/2024")
    assert exhibits[-1]["manque"] == "avis de réception à joindre"
    bordereau = " ".join(_text(folder / "02_bordereau_de_pieces.pdf").split())
    assert "n° 1A 123 456" in bordereau and "distribuée le 05/06/2024" in bordereau


def test_failed_small_claims_go_to_injonction(workbook, capsys, libreoffice):
    code, _, err, out_dir = run(capsys, workbook, "PROA", "--apres-echec")
    assert code == 0, err
    assert _decompte(_folder(out_dir, "PROA"))["procedure"] == "injonction_de_payer"


def test_private_customer_owes_legal_interest_from_the_notice(workbook, capsys, libreoffice):
    code, _, err, out_dir = run(capsys, workbook, "PART")
    assert code == 0, err
    folder = _folder(out_dir, "PART")
    interest = day_by_day(D(1800), NOTICE + timedelta(days=1), 3)
    data = _decompte(folder)
    assert D(data["total"]) == D("1800.00") + interest  # no indemnity
    assert data["lignes"][0]["prescription"] == "2026-03-31"  # two years, L218-2
    assert "art. 1231-6" in _text(folder / "01_decompte.pdf")
    registered = _exhibits(folder)[-1]
    assert "n° 1A 999 000 1111 2, envoyée le 03/06/2024" in registered["designation"]
    assert registered["manque"].startswith("date de distribution non enregistrée dans Suivi")


def test_public_buyer_owes_moratory_interest_before_the_administrative_judge(
        workbook, capsys, libreoffice):
    code, _, err, out_dir = run(capsys, workbook, "PUB")
    assert code == 0, err
    folder = _folder(out_dir, "PUB")
    interest = day_by_day(D(9000), date(2024, 4, 1), 4, fixed=True)
    data = _decompte(folder)
    assert D(data["total"]) == D("9000.00") + interest + D("40.00")
    assert data["lignes"][0]["prescription"] == "2028-12-31"
    assert "tribunal administratif" in _text(folder / "03_requete_refere_provision.pdf")


def test_after_the_file_the_row_says_so_and_is_not_reminded(workbook, capsys, libreoffice):
    assert run(capsys, workbook, "PROA")[0] == 0
    book = openpyxl.load_workbook(workbook)
    suivi = [r for r in book[layout.SUIVI].iter_rows(min_row=2, values_only=True) if any(r)]
    assert suivi[-1][1:5] == ("PROA", "VIGNE", None, "Dossier de recouvrement")
    history = [r for r in book[layout.HISTORIQUE].iter_rows(min_row=2, values_only=True)
               if r[5] == "Dossier de recouvrement"]
    assert [(r[2], r[3], r[4]) for r in history] == [("PROA", "FA-1", 0)]
    assert history[0][6] == f"dossiers/{ON:%Y-%m-%d}_VIGNE_PROA_recouvrement/01_decompte.pdf"
    outcome = apply_workbook(workbook, Filters(date=ON + timedelta(days=20)))
    row = next(r for r in outcome.rows if r.tiers == "PROA")
    assert row.a_relancer is False
    assert "Dossier de recouvrement du 15/01/2025" in row.motif


def test_no_mise_en_demeure_is_refused_and_nothing_is_written(workbook, capsys):
    code, _, err, out_dir = run(capsys, workbook, "NOMD")
    assert code == 2
    assert "aucune mise en demeure (niveau 3" in err and "FE-1" in err
    assert not out_dir.exists()
    book = openpyxl.load_workbook(workbook)
    assert all(r[1] != "NOMD" for r in book[layout.SUIVI].iter_rows(min_row=2, values_only=True))


def test_a_deadline_not_passed_is_refused(workbook, capsys):
    code, _, err, out_dir = run(capsys, workbook, "TOT")
    assert code == 2
    assert "court jusqu'au 20/01/2025 inclus" in err
    assert not out_dir.exists()


def test_without_a_pdf_converter_nothing_is_left_half_made(workbook, capsys, monkeypatch):
    """No Word, no LibreOffice (as on a machine with only Python): the command says what
    to install, and neither the folder, its hidden draft, nor a Suivi line is left."""
    from relances_xl.letters import pdf

    empty = workbook.parent / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv(pdf.ENV_CONVERTER, "")
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)  # LibreOffice "uninstalled"
    code, _, err, out_dir = run(capsys, workbook, "PROA")
    assert code == 2 and "LibreOffice" in err
    assert list(out_dir.iterdir()) == []
    book = openpyxl.load_workbook(workbook)
    assert all(r[1] != "PROA" for r in book[layout.SUIVI].iter_rows(min_row=2, values_only=True))


def test_the_button_takes_the_customer_of_the_selected_row(workbook, libreoffice):
    """The button's own function, headless: the selection on the table's PROB row."""
    from relances_xl import recouvrement

    apply_workbook(workbook, Filters(date=ON))
    with opened(workbook) as book:
        sheet = book.sheets[layout.RELANCES]
        first = layout.TABLE_FIRST_ROW
        codes = sheet.range(f"A{first}:A{first + 10}").value
        row = first + codes.index("PROB")
        # what Excel's App holds when the user clicked a cell of that row
        book.app.impl.selection = sheet.range(f"B{row}").impl
        try:
            outcome = recouvrement.dossier_de_recouvrement(today=ON)
        finally:
            book.app.impl.selection = None
    assert not outcome.blocked, outcome.problems
    assert outcome.message.startswith("Dossier de recouvrement PROB / VIGNE au 15/01/2025")
    assert (workbook.parent / "Dossiers de recouvrement"
            / f"{ON:%Y-%m-%d}_VIGNE_PROB_recouvrement.zip").exists()


def test_the_button_without_a_selected_row_says_what_to_do(workbook):
    from relances_xl import recouvrement

    with opened(workbook):
        outcome = recouvrement.dossier_de_recouvrement(today=ON)
    assert outcome.blocked and "sélectionnez une ligne du tableau" in outcome.message
