"""The user guide's pictures, made from the demo's own workbook and documents.

    python docs/guide/make_pictures.py

Builds the workbook with its sample ledger, then does what the guide tells a user to
do, through the same commands the buttons run (`relances-xl appliquer`, `lettres`…):
Appliquer at 27/07/2022, Balance âgée, the proposal and the letters as PDF, then a
second round at 15/09/2022 (formal notices), and a small FEC imported into another
copy. Each sheet shown is printed by LibreOffice from a copy of the workbook where it
is the only sheet (letters/sheet_pdf.py), with a print area, one page, the row and
column headings; the letters' and the proposal's pages are rendered by pdftoppm.
Then `images/manifest.json` records, for each picture, the hash of what it was made
from (the built workbook, the Word templates, the sample ledger, this script) and its
size: tests/test_guide.py recomputes them, so a picture older than its inputs fails.

The same inputs give the same pictures: the proposal's print date is set to the
round's date, and the folders the runs wrote to are cleared from the sheet shown.
What needs Excel itself (the ribbon, the macro warning, the buttons and the cell
checkboxes, which LibreOffice draws as VRAI/FAUX) is described in the text instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from lxml import etree
from openpyxl.utils import get_column_letter
from PIL import Image, ImageChops

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
IMAGES = HERE / "images"
MANIFEST = IMAGES / "manifest.json"
sys.path.insert(0, str(ROOT))

from relances_xl import impression, layout  # noqa: E402
from relances_xl.cli import main as cli  # noqa: E402
from relances_xl.letters import context as letter_context  # noqa: E402
from relances_xl.letters import pdf as pdf_tools  # noqa: E402
from relances_xl.letters.sheet_pdf import LOCALE, MAIN, _sheet_parts, sheet_alone  # noqa: E402
from relances_xl.sample import DEMO_DATE, DEMO_NEXT_DATE  # noqa: E402

SHEET_DPI = 130
PAGE_DPI = 100
SCALE = 65  # every sheet at the same scale, Relances A:J on one A3 page
NS = {"m": MAIN}
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"

# --- what each picture was made from ---------------------------------------------------


def input_files() -> dict[str, list[Path]]:
    """The inputs a picture may depend on, by name: what the manifest hashes."""
    return {
        "classeur": [ROOT / "workbook" / "Relances.xlsm"],
        "modeles": sorted((ROOT / "templates").glob("*.docx")),
        "exemple": [ROOT / "relances_xl" / "sample.py"],
        "script": [Path(__file__).resolve()],
    }


SHEET_INPUTS = ("classeur", "exemple", "script")
PAGE_INPUTS = ("classeur", "modeles", "exemple", "script")


def digest(names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """SHA-256 of each named input (its files' names and bytes, in order)."""
    files = input_files()
    found = {}
    for name in names:
        sha = hashlib.sha256()
        for path in files[name]:
            sha.update(path.name.encode() + b"\0" + path.read_bytes())
        found[name] = sha.hexdigest()
    return found


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} n'est pas une image PNG")
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


# --- running the workbook as a user would ----------------------------------------------


class _NextRound(date):
    """`date` whose today() is the second round's date (the formal notices)."""

    @classmethod
    def today(cls) -> date:
        return DEMO_NEXT_DATE



class _PrintedOn(date):
    """`date` whose today() is the round's date: the proposal says "Imprimée le" it."""

    day = DEMO_DATE

    @classmethod
    def today(cls) -> date:
        return cls.day


def run(*argv: str) -> str:
    """One `relances-xl` command, quietly; its output is returned, a failure raised."""
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = cli(list(argv))
    if code != 0:
        raise RuntimeError(f"relances-xl {' '.join(argv)} : code {code}\n{said.getvalue()}")
    return said.getvalue()


def clear_cells(workbook: Path, sheet: str, cells: list[str], folder: str) -> None:
    """Empty `cells`, and take `folder` (this run's temporary one) out of the message
    line, so that the picture is the same on every machine."""
    from relances_xl.cli import opened

    with opened(workbook) as book:
        for cell in cells:
            book.sheets[sheet].range(cell).value = None
        message = book.sheets[layout.RELANCES].range(layout.MESSAGE_CELL)
        message.value = str(message.value or "").replace(folder, "")


FEC_LINES = [
    # JournalCode, EcritureNum, EcritureDate, CompteNum, CompteLib, CompAuxNum, CompAuxLib,
    # PieceRef, PieceDate, EcritureLib, Debit, Credit, EcritureLet
    ("VT", "1", "20220610", "411000", "Clients", "DUPONT", "Dupont SARL", "F0610",
     "20220610", "Facture F0610", "1200,00", "0,00", "A"),
    ("VT", "1", "20220610", "706000", "Ventes", "", "", "F0610", "20220610",
     "Facture F0610", "0,00", "1000,00", ""),
    ("VT", "1", "20220610", "445710", "TVA collectée", "", "", "F0610", "20220610",
     "Facture F0610", "0,00", "200,00", ""),
    ("VT", "2", "20220701", "411000", "Clients", "MARTIN", "Martin et fils", "F0701",
     "20220701", "Facture F0701", "480,00", "0,00", ""),
    ("VT", "2", "20220701", "706000", "Ventes", "", "", "F0701", "20220701",
     "Facture F0701", "0,00", "400,00", ""),
    ("VT", "2", "20220701", "445710", "TVA collectée", "", "", "F0701", "20220701",
     "Facture F0701", "0,00", "80,00", ""),
    ("BQ", "3", "20220715", "411000", "Clients", "DUPONT", "Dupont SARL", "VIR0715",
     "20220715", "Virement Dupont", "0,00", "1200,00", "A"),
    ("BQ", "3", "20220715", "512000", "Banque", "", "", "VIR0715", "20220715",
     "Virement Dupont", "1200,00", "0,00", ""),
]
FEC_HEADER = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum",
              "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib",
              "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise",
              "Idevise")


def write_fec(path: Path) -> Path:
    """A small FEC (article A47 A-1 du LPF): two invoices, one payment lettered."""
    journals = {"VT": "Ventes", "BQ": "Banque"}
    rows = ["\t".join(FEC_HEADER)]
    for (journal, num, day, account, label, aux, aux_label, piece, piece_day, text, debit,
         credit, letter) in FEC_LINES:
        rows.append("\t".join((journal, journals[journal], num, day, account, label, aux,
                               aux_label, piece, piece_day, text, debit, credit, letter,
                               "20220715" if letter else "", day, "", "")))
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


# --- a sheet alone, framed for one page ---------------------------------------------------


def used_area(workbook: Path, sheet: str) -> tuple[int, int]:
    """Rows and columns the sheet's values use (as calamine reads them)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(sheet).to_python()
    return len(rows), max((len(r) for r in rows), default=1)


def drawing_extent(workbook: Path, sheet: str) -> tuple[int, int]:
    """Rows and columns the sheet's charts reach (0, 0 without any): a print area of the
    values alone would cut the dashboard's charts off."""
    with zipfile.ZipFile(workbook) as source:
        part = _sheet_parts(source, etree.fromstring(source.read("xl/workbook.xml")))[sheet]
        rels = f"{posixpath.dirname(part)}/_rels/{posixpath.basename(part)}.rels"
        if rels not in source.namelist():
            return 0, 0
        rows = cols = 0
        for rel in etree.fromstring(source.read(rels)):
            if not rel.get("Type", "").endswith("/drawing"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(part),
                                                       rel.get("Target")))
            drawing = etree.fromstring(source.read(target))
            for end in drawing.iter(f"{{{XDR}}}to"):
                cols = max(cols, int(end.findtext(f"{{{XDR}}}col")) + 1)
                rows = max(rows, int(end.findtext(f"{{{XDR}}}row")) + 1)
    return rows, cols


def find_cell(workbook: Path, sheet: str, text: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of the first cell holding `text`."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(sheet).to_python()
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value == text:
                return r, c
    return None


def area(top: int, left: int, bottom: int, right: int) -> str:
    return f"${get_column_letter(left)}${top}:${get_column_letter(right)}${bottom}"


def framed_copy(workbook: Path, sheet: str, where: str, copy: Path) -> Path:
    """`sheet` alone in `copy`, printed at SCALE % on a landscape A3 page (every picture
    at one scale): print area `where`, the row and column headings Excel shows on
    screen, small margins, no header."""
    sheet_alone(workbook, sheet, copy)
    with zipfile.ZipFile(copy) as source:
        infos = source.infolist()
        data = {info.filename: source.read(info) for info in infos}
        book = etree.fromstring(data["xl/workbook.xml"])
        part = _sheet_parts(source, book)[sheet]
    index = [s.get("name") for s in book.iter(f"{{{MAIN}}}sheet")].index(sheet)
    names = book.find("m:definedNames", NS)
    if names is None:  # before calcPr, where the schema wants it
        names = etree.Element(f"{{{MAIN}}}definedNames")
        book.find("m:sheets", NS).addnext(names)
    for name in list(names):
        if name.get("localSheetId") == str(index):
            names.remove(name)
    etree.SubElement(names, f"{{{MAIN}}}definedName", name="_xlnm.Print_Area",
                     localSheetId=str(index)).text = f"'{sheet}'!{where}"
    data["xl/workbook.xml"] = etree.tostring(book, xml_declaration=True, encoding="UTF-8",
                                             standalone=True)
    data[part] = _one_page(etree.fromstring(data[part]))
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, data[info.filename])
    return copy


def _one_page(sheet: etree._Element) -> bytes:
    props = sheet.find("m:sheetPr", NS)
    if props is None:
        props = etree.Element(f"{{{MAIN}}}sheetPr")
        sheet.insert(0, props)
    for old in props.findall("m:pageSetUpPr", NS):  # no "fit to": one scale for all
        props.remove(old)
    for tag in ("printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
                "colBreaks"):
        for old in sheet.findall(f"m:{tag}", NS):
            sheet.remove(old)
    anchor = sheet.find("m:sheetData", NS)
    for tag in ("sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios",
                "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
                "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks"):
        for found in sheet.findall(f"m:{tag}", NS):
            anchor = found
    at = list(sheet).index(anchor) + 1
    for offset, (tag, attrs) in enumerate((
            ("printOptions", {"headings": "1"}),
            ("pageMargins", {"left": "0.2", "right": "0.2", "top": "0.2", "bottom": "0.2",
                             "header": "0", "footer": "0"}),
            ("pageSetup", {"paperSize": "8", "orientation": "landscape", "scale": str(SCALE)}))):
        sheet.insert(at + offset, etree.Element(f"{{{MAIN}}}{tag}", attrs))
    return etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- PDF pages to pictures -------------------------------------------------------------------


def page_png(pdf: Path, page: int, dpi: int, target: Path, trim: bool) -> Path:
    """Page `page` of `pdf` as the PNG `target`, white margins trimmed if asked."""
    with tempfile.TemporaryDirectory() as work:
        stem = Path(work) / "page"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page),
                        "-l", str(page), str(pdf), str(stem)], check=True, capture_output=True)
        image = Image.open(stem.with_suffix(".png")).convert("RGB")
        if trim:
            box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
            if box:
                margin = 6
                image = image.crop((max(box[0] - margin, 0), max(box[1] - margin, 0),
                                    min(box[2] + margin, image.width),
                                    min(box[3] + margin, image.height)))
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, format="PNG", optimize=True)
    return target


def sheets_to_pdf(copies: list[Path], work: Path) -> None:
    """Every framed copy to PDF in one LibreOffice run, in French."""
    soffice = pdf_tools.find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) est nécessaire pour dessiner les feuilles.")
    profile = (work / "profil").as_uri()
    env = {**os.environ, "LC_ALL": LOCALE, "LANG": LOCALE, "LANGUAGE": "fr"}
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                    "--convert-to", "pdf:calc_pdf_Export", "--outdir", str(work),
                    *map(str, copies)], check=True, capture_output=True, env=env, timeout=600)


# --- the pictures ------------------------------------------------------------------------------


def make(out: Path = IMAGES) -> dict[str, dict[str, object]]:
    """Every picture into `out`, and the manifest; returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="relances-guide-") as tmp:
        work = Path(tmp)
        made: dict[str, dict[str, object]] = {}
        sheets: list[tuple[str, Path, str, str]] = []  # picture, workbook, sheet, area

        def sheet(picture: str, workbook: Path, name: str, where: str | None = None) -> None:
            snapshot = work / f"{picture}-classeur.xlsm"
            shutil.copyfile(workbook, snapshot)
            if where is None:
                rows, cols = used_area(snapshot, name)
                chart_rows, chart_cols = drawing_extent(snapshot, name)
                where = area(1, 1, max(rows + 1, chart_rows), max(cols, chart_cols))
            sheets.append((picture, snapshot, name, where))

        book = work / "Relances.xlsm"
        run("build", "--out", str(book))
        _built_as_committed(book)
        fresh = work / "neuf.xlsm"
        shutil.copyfile(book, fresh)
        for name, picture in ((layout.CLIENTS, "clients"), (layout.FACTURES, "factures"),
                              (layout.REGLEMENTS, "reglements")):
            sheet(picture, fresh, name)
        _parametres(fresh, sheet)
        sheet("relances-vide", fresh, layout.RELANCES)

        run("appliquer", str(book), "--date", DEMO_DATE.isoformat())
        sheet("relances-appliquer", book, layout.RELANCES)
        run("balance-agee", str(book), "--date", DEMO_DATE.isoformat())
        sheet("balance-agee", book, layout.BALANCE_AGEE)
        sheet("tableau-de-bord", book, layout.TABLEAU_DE_BORD)
        documents = work / "Lettres"
        original = letter_context.date
        letter_context.date = _PrintedOn  # "Imprimée le 27 juillet 2022", every run
        try:
            run("proposition", str(book), "--sortie", "pdf", "--dossier", str(documents))
            run("lettres", str(book), "--sortie", "pdf", "--dossier", str(documents))
        finally:
            letter_context.date = original
        clear_cells(book, layout.RELANCES, [layout.OPTIONS["dossier"][1]], str(work) + os.sep)
        sheet("relances-editees", book, layout.RELANCES)
        sheet("historique", book, layout.HISTORIQUE)
        run("appliquer", str(book), "--date", DEMO_NEXT_DATE.isoformat())
        # the formal notices go out on their own day, 15/09/2022: printed at today's real
        # date their eight days would have passed, and they would be refused (the clock
        # of the module that prints the letters, impression.py)
        clock = impression.date
        impression.date = _NextRound
        try:
            run("lettres", str(book), "--sortie", "pdf", "--dossier", str(documents))
        finally:
            impression.date = clock

        imported = work / "fec.xlsm"
        shutil.copyfile(fresh, imported)
        run("import-fec", str(write_fec(work / "FEC-exemple.txt")), str(imported),
            "--societe", "VIGNE")
        sheet("import-fec", imported, layout.IMPORT_FEC)

        copies = [framed_copy(snapshot, name, where, work / f"{picture}.xlsm")
                  for picture, snapshot, name, where in sheets]
        sheets_to_pdf(copies, work)
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):
            old.unlink()
        for picture, *_ in sheets:
            made[picture] = _entry(page_png(work / f"{picture}.pdf", 1, SHEET_DPI,
                                            out / f"{picture}.png", trim=True), SHEET_INPUTS)
        pages = {
            "proposition": (f"{DEMO_DATE}_proposition_de_relance.pdf", 1),
            "lettre-relance": (f"{DEMO_DATE}_VIGNE_1FRNEG_N2.pdf", 1),
            "lettre-mise-en-demeure": (f"{DEMO_NEXT_DATE}_VIGNE_1FRNEG_N3.pdf", 1),
        }
        for picture, (name, page) in pages.items():
            made[picture] = _entry(page_png(documents / name, page, PAGE_DPI,
                                            out / f"{picture}.png", trim=False), PAGE_INPUTS)
    manifest = {name: made[name] for name in sorted(made)}
    (out / MANIFEST.name).write_text(json.dumps(manifest, indent=2, ensure_ascii=False)
                                     + "\n", encoding="utf-8")
    return manifest


def _built_as_committed(book: Path) -> None:
    committed = ROOT / "workbook" / "Relances.xlsm"
    if book.read_bytes() != committed.read_bytes():
        raise SystemExit(f"{committed} n'est pas ce que le constructeur écrit : lancez "
                         "`relances-xl build` d'abord, puis ce script.")


def _parametres(workbook: Path, sheet) -> None:
    """Paramètres in four pictures: settings, levels, rates by period, companies."""
    name = layout.PARAMETRES
    rows, cols = used_area(workbook, name)
    levels = find_cell(workbook, name, layout.PARAMETRES_LEVELS_TITLE)
    companies = find_cell(workbook, name, layout.PARAMETRES_COMPANIES_TITLE)
    rates = find_cell(workbook, name, layout.PARAMETRES_RATES_TITLE)
    if not (levels and companies and rates):
        sheet("parametres", workbook, name)
        return
    rates_right = rates[1] + len(layout.PARAMETRES_RATES_COLUMNS) - 1
    sheet("parametres-reglages", workbook, name, area(1, 1, levels[0] - 1, 3))
    sheet("parametres-niveaux", workbook, name,
          area(levels[0], 1, companies[0] - 1, min(rates[1] - 1, cols)))
    sheet("parametres-taux", workbook, name, area(rates[0], rates[1], rates[0] + 12,
                                                  rates_right))
    sheet("parametres-societes", workbook, name, area(companies[0], 1, rows + 1, cols))


def _entry(png: Path, inputs: tuple[str, ...]) -> dict[str, object]:
    width, height = png_size(png)
    return {"entrées": digest(inputs), "largeur": width, "hauteur": height}


if __name__ == "__main__":
    manifest = make()
    print(f"{len(manifest)} images écrites dans {IMAGES}")
