"""The dashboard page at the end of the proposal's PDF: LibreOffice draws its charts.

The README's picture of the dashboard is this test's page: `RELANCES_UPDATE_DOCS=1 pytest
tests/test_dashboard_pdf.py` writes it to docs/, and the test checks the committed one
still has the rendered page's size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from relances_xl import layout
from relances_xl.cli import main
from relances_xl.excel.dashboard_sheets import DASHBOARD_TITLE
from relances_xl.letters.sheet_pdf import EMPTY_SHEET, MAIN, sheet_alone

README_PICTURE = Path(__file__).parents[1] / "docs" / "tableau-de-bord.png"
TOP_RED = (0xC0, 0x00, 0x00)  # the fill of "Les dix plus gros retards"
CHART_TITLES = ("DSO (jours) par société", "Part payée après une lettre, par niveau")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    return out + err


def proposal_pdf(capsys, workbook: Path, folder: Path) -> tuple[Path, str]:
    said = run(capsys, "proposition", str(workbook), "--sortie", "pdf", "--dossier", str(folder))
    [made] = folder.glob("*_proposition_de_relance.pdf")
    return made, said


def page_text(pdf: Path, page: int) -> str:
    return PdfReader(pdf).pages[page - 1].extract_text()


def rendered_page(pdf: Path, page: int, dpi: int, fmt: str, out: Path) -> Path:
    kind = [] if fmt == "ppm" else [f"-{fmt}"]  # PPM is pdftoppm's own format
    subprocess.run(["pdftoppm", "-r", str(dpi), *kind, "-singlefile", "-f", str(page),
                    "-l", str(page), str(pdf), str(out)], check=True, capture_output=True)
    return out.with_suffix(f".{fmt}")


def pixels(ppm: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (what pdftoppm writes by default)."""
    data = ppm.read_bytes()
    fields = data.split(maxsplit=4)  # P6, width, height, max value, then the pixels
    assert fields[0] == b"P6" and fields[3] == b"255"
    return int(fields[1]), int(fields[2]), fields[4]


def colour_counts(ppm: Path, left: float) -> tuple[int, int]:
    """Strongly coloured pixels right of `left` (a fraction of the width), and how many
    of them are the top-ten chart's red."""
    width, height, rgb = pixels(ppm)
    coloured = red = 0
    for y in range(height):
        row = rgb[y * width * 3:(y + 1) * width * 3]
        for x in range(int(width * left), width):
            r, g, b = row[3 * x:3 * x + 3]
            if max(r, g, b) - min(r, g, b) > 80:
                coloured += 1
                red += abs(r - TOP_RED[0]) < 30 and g < 40 and b < 40
    return coloured, red


@pytest.fixture
def aged(applied: Path, capsys) -> Path:
    run(capsys, "balance-agee", str(applied), "--date", "2022-07-27")
    return applied


def test_the_proposal_pdf_ends_with_the_dashboard_and_its_charts(aged, tmp_path, capsys):
    made, said = proposal_pdf(capsys, aged, tmp_path / "out")
    assert "Tableau de bord joint en dernière page." in said
    pages = len(PdfReader(made).pages)
    assert pages >= 2
    last = page_text(made, pages)
    assert DASHBOARD_TITLE in last and "Chiffres au 27/07/2022." in last
    assert all(title in last for title in CHART_TITLES)
    assert "1 234,56 €" in last.replace("\u202f", " ").replace("\xa0", " ")  # BONSV, French
    assert DASHBOARD_TITLE not in page_text(made, pages - 1)
    ppm = rendered_page(made, pages, 40, "ppm", tmp_path / "page")
    coloured, red = colour_counts(ppm, 0.55)
    width, height, _ = pixels(ppm)
    assert coloured > width * height * 0.002, "no chart drawn right of the tables"
    assert red > 20, "the top-ten chart's bars are missing"
    picture = rendered_page(made, pages, 100, "png", tmp_path / "tableau-de-bord")
    if os.environ.get("RELANCES_UPDATE_DOCS") == "1":
        shutil.copyfile(picture, README_PICTURE)
    assert png_size(README_PICTURE) == png_size(picture)


def png_size(png: Path) -> tuple[int, int]:
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", png
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_a_dashboard_never_computed_is_left_out_and_the_user_told(applied, tmp_path, capsys):
    made, said = proposal_pdf(capsys, applied, tmp_path / "out")
    assert "Tableau de bord non joint : cliquez d'abord sur « Balance âgée »" in said
    assert all(DASHBOARD_TITLE not in page.extract_text() for page in PdfReader(made).pages)


def test_a_dashboard_of_other_filters_is_joined_with_a_warning(aged, tmp_path, capsys):
    run(capsys, "appliquer", str(aged), "--date", "2022-07-27", "--societe", "VIGNE")
    made, said = proposal_pdf(capsys, aged, tmp_path / "out")
    assert "Tableau de bord joint tel que calculé (Chiffres au 27/07/2022)" in said
    assert "pour le mettre à la date et aux filtres de la proposition" in said
    assert DASHBOARD_TITLE in page_text(made, len(PdfReader(made).pages))


def test_the_copy_for_libreoffice_shows_and_fills_the_one_sheet(built_workbook, tmp_path):
    copy = sheet_alone(built_workbook, layout.TABLEAU_DE_BORD, tmp_path / "seul.xlsm")
    with zipfile.ZipFile(built_workbook) as before, zipfile.ZipFile(copy) as after:
        book = etree.fromstring(after.read("xl/workbook.xml"))
        states = {s.get("name"): s.get("state") for s in book.iter(f"{{{MAIN}}}sheet")}
        assert states.pop(layout.TABLEAU_DE_BORD) is None
        assert set(states.values()) == {"hidden"} and layout.RELANCES in states
        shown = [s.get("name") for s in book.iter(f"{{{MAIN}}}sheet")].index(
            layout.TABLEAU_DE_BORD)
        assert book.find(f".//{{{MAIN}}}workbookView").get("activeTab") == str(shown)
        sizes = {i.filename: i.file_size for i in after.infolist()}
        for info in before.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                expected = before.read(name) if _is_dashboard(before, name) else EMPTY_SHEET
                assert after.read(name) == expected, name
            elif name != "xl/workbook.xml":
                assert sizes[name] == info.file_size and before.read(name) == after.read(name)
    with pytest.raises(KeyError):
        sheet_alone(built_workbook, "Pas de feuille", tmp_path / "non.xlsm")


def _is_dashboard(package: zipfile.ZipFile, part: str) -> bool:
    """Whether `part` is the dashboard's sheet, by the workbook's own relationships."""
    rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    book = etree.fromstring(package.read("xl/workbook.xml"))
    ids = {r.get("Target").split("/")[-1]: r.get("Id") for r in rels}
    doc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    names = {s.get(f"{{{doc}}}id"): s.get("name") for s in book.iter(f"{{{MAIN}}}sheet")}
    return names.get(ids.get(part.split("/")[-1])) == layout.TABLEAU_DE_BORD
