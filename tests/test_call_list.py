"""A level whose canal is Appel: `lettres` makes a call list, never a letter, and records
the call as issued (issue 26). On the real Relances.xlsm, headless."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import openpyxl
import pytest

from relances_xl import layout
from relances_xl.cli import apply_workbook, main
from relances_xl.config import CALL_TERMS, CANAL_APPEL, CANAL_COURRIER, DEFAULT_LEVELS
from relances_xl.letters import pdf
from relances_xl.model import Filters
from relances_xl.parametres import read_settings

ON = date(2022, 7, 27)


def set_canal(path, niveau: int, canal: str) -> None:
    """Type the Canal of a level of the default set in Paramètres, as a user would."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book[layout.PARAMETRES]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Niveau")
    column = next(c.column for c in header if c.value == "Canal")
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        if row[0].value == niveau and not row[header.index(next(
                c for c in header if c.value == "Conditions de relance"))].value:
            sheet.cell(row[0].row, column, canal)
            break
    book.save(path)


def history(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path)[layout.HISTORIQUE]
    return [r for r in sheet.iter_rows(min_row=2, max_col=6, values_only=True) if r[0]]


@pytest.fixture
def simple_pdf(monkeypatch):
    monkeypatch.setenv(pdf.ENV_CONVERTER, "simple")


def test_the_built_levels_read_back_with_their_canal_one_call_before_the_notice(workbook):
    book = openpyxl.load_workbook(workbook)
    block = [list(r) for r in book[layout.PARAMETRES].iter_rows(values_only=True)]
    settings, problems = read_settings(block)
    assert problems == []
    calls = [(lv.conditions, lv.niveau) for lv in settings.levels if lv.canal == CANAL_APPEL]
    assert calls == [(CALL_TERMS, 2)]
    assert {lv.canal for lv in DEFAULT_LEVELS} == {CANAL_COURRIER}


@pytest.mark.parametrize(("typed", "canal"), [("Appel", CANAL_APPEL), ("appel", CANAL_APPEL),
                                              (None, CANAL_COURRIER)])
def test_canal_is_read_whatever_its_case_and_empty_is_a_letter(workbook, typed, canal):
    set_canal(workbook, 2, typed)
    book = openpyxl.load_workbook(workbook)
    block = [list(r) for r in book[layout.PARAMETRES].iter_rows(values_only=True)]
    settings, problems = read_settings(block)
    assert problems == [] and settings.level_set("").level(2).canal == canal


def test_a_bad_canal_is_named(workbook):
    set_canal(workbook, 2, "SMS")
    book = openpyxl.load_workbook(workbook)
    block = [list(r) for r in book[layout.PARAMETRES].iter_rows(values_only=True)]
    _, problems = read_settings(block)
    assert (layout.PARAMETRES, "Canal", "SMS", "Courrier ou Appel attendu") in [
        (p.sheet, p.column, p.value, p.message) for p in problems]  # and the level is left out


def test_rows_at_a_call_level_make_the_call_list_and_are_recorded(workbook, tmp_path,
                                                                   simple_pdf, capsys):
    set_canal(workbook, 2, "Appel")
    applied = apply_workbook(workbook, Filters(date=ON))
    at_two = {(r.tiers, r.societe) for r in applied.rows if r.a_relancer and r.niveau == 2}
    assert at_two == {("1FRNEG", "VIGNE"), ("2FRPAR", "VIGNE")}
    out = tmp_path / "sortie"
    code = main(["lettres", str(workbook), "--sortie", "pdf", "--dossier", str(out)])
    said = capsys.readouterr().out
    assert code == 0
    assert "2 appel(s) à passer : feuille Appels et 2022-07-27_appels.pdf" in said
    letters = sorted(p.name for p in out.glob("2022-07-27_VIGNE_*.pdf"))
    assert not any("1FRNEG" in name or "2FRPAR" in name for name in letters)  # no letter
    assert len(letters) == 6  # with NYWINE's, in dollars
    text = subprocess.run(["pdftotext", "-layout", str(out / "2022-07-27_appels.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for shown in ("MME toulouse amelie (1FRNEG)", "03 26 11 22 33", "FA22-0101",
                  "Particulier Martin (2FRPAR)", "Réponse"):
        assert shown in text, shown
    sheet = openpyxl.load_workbook(workbook)[layout.APPELS]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [(r[0], r[3], r[7]) for r in rows] == [("1FRNEG", "03 26 11 22 33", 2),
                                                  ("2FRPAR", "02 35 44 55 66", 2)]
    calls = [r for r in history(workbook) if r[5] == "Appel"]
    assert {(r[2], r[3], r[4]) for r in calls} == {
        ("1FRNEG", "FA22-0101", 2), ("1FRNEG", "FA22-0115", 1), ("2FRPAR", "FA22-0109", 2)}
    assert all(r[0] == datetime(2022, 7, 27) for r in calls)
    again = apply_workbook(workbook, Filters(date=ON))
    assert {(r.tiers, r.societe) for r in again.rows if r.editee} >= at_two


def test_a_screen_preview_lists_the_calls_and_records_nothing(workbook, tmp_path, simple_pdf,
                                                              capsys):
    set_canal(workbook, 2, "Appel")
    apply_workbook(workbook, Filters(date=ON))
    before = history(workbook)
    code = main(["lettres", str(workbook), "--sortie", "ecran", "--dossier", str(tmp_path)])
    assert code == 0 and "2 appel(s) à passer" in capsys.readouterr().out
    assert history(workbook) == before


def test_the_call_list_is_an_a4_page_in_french(workbook, tmp_path, libreoffice):
    """As every document of the run (python-docx's own would be US Letter, in English)."""
    from pypdf import PdfReader

    set_canal(workbook, 2, "Appel")
    apply_workbook(workbook, Filters(date=ON))
    out = tmp_path / "sortie"
    assert main(["lettres", str(workbook), "--sortie", "pdf", "--dossier", str(out)]) == 0

    calls = PdfReader(out / "2022-07-27_appels.pdf")
    box = calls.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, in points
    assert str(calls.trailer["/Root"]["/Lang"]) == "fr-FR"
