"""The built `Relances.xlsm`, read back as Excel, openpyxl, olevba and LibreOffice see it."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import uuid
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pyopenvba
import pytest
import xlwings
from oletools.olevba import VBA_Parser
from openpyxl.utils import get_column_letter
from xlsxwriter.utility import xl_pixel_width

from relances_xl import layout, sample
from relances_xl.cli import apply_workbook
from relances_xl.config import CALL_LEVELS, CALL_TERMS, DEFAULT_LEVELS, PUBLIC_LEVELS
from relances_xl.excel import build
from relances_xl.excel import vba_project as vba
from relances_xl.model import Filters
from relances_xl.rules.rates_table import SHIPPED_RATES

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XFPB = "{http://schemas.microsoft.com/office/spreadsheetml/2022/featurepropertybag}"
VML_X = "{urn:schemas-microsoft-com:office:excel}"
VML_V = "{urn:schemas-microsoft-com:vml}"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_workbook(tmp_path_factory.mktemp("book") / "Relances.xlsm")


@pytest.fixture(scope="module", params=["as built", "after a headless Appliquer"])
def built(request: pytest.FixtureRequest, fresh: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The structure must hold as built and after Appliquer saved the file headless."""
    if request.param == "as built":
        return fresh
    applied = tmp_path_factory.mktemp("applied") / "Relances.xlsm"
    shutil.copyfile(fresh, applied)
    outcome = apply_workbook(applied, Filters(date=sample.DEMO_DATE))
    assert len(outcome.rows) == 9 and not outcome.problems  # NYWINE in USD
    return applied


@pytest.fixture(scope="module")
def book(built: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(built)


@pytest.fixture(scope="module")
def modules(built: Path) -> dict[str, str]:
    parser = VBA_Parser(str(built))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _expected(value: object) -> object:
    """A sample value as openpyxl reads it back."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


def _columns(sheet: str) -> list[str]:
    return list(build.LEDGER_COLUMNS[sheet])


# --- the file ------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(fresh: Path, tmp_path: Path) -> None:
    built = fresh
    again = build.build_workbook(tmp_path / "deeper" / "Relances.xlsm")
    assert again == tmp_path / "deeper" / "Relances.xlsm"
    assert again.read_bytes() == built.read_bytes()
    # no temp left; the sample's signature image, named in Paramètres, beside the workbook
    assert sorted(p.name for p in again.parent.iterdir()) == ["Relances.xlsm",
                                                             sample.SIGNATURE_FILE]
    assert (again.parent / sample.SIGNATURE_FILE).read_bytes() == (
        sample.SIGNATURE_IMAGE.read_bytes())
    with zipfile.ZipFile(built) as package:  # two builds within a second would not show it
        core = package.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in package.infolist()}
    assert build.BUILD_DATE.time() == time(0)  # a fixed day, not the build's clock
    stamp = build.BUILD_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core
    assert len(stamps) == 1 and stamps.pop()[0] < 2000


def test_sheets_in_order_and_visibility(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [
        layout.RELANCES, layout.TABLEAU_DE_BORD, layout.BALANCE_AGEE, layout.CLIENTS,
        layout.FACTURES, layout.REGLEMENTS, layout.HISTORIQUE, layout.SUIVI,
        layout.FICHE_CLIENT, layout.PARAMETRES,
        layout.CONTROLES, layout.LISTES,
        layout.PROPOSITION, layout.XLWINGS_CONF,
    ]
    hidden = {ws.title for ws in book.worksheets if ws.sheet_state != "visible"}
    assert hidden == {layout.LISTES, layout.PROPOSITION, layout.XLWINGS_CONF}
    assert book.active.title == layout.RELANCES


# --- ledger sheets -----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(build.LEDGER_COLUMNS))
def test_ledger_headers_table_and_rows(book: openpyxl.Workbook, name: str) -> None:
    ws = book[name]
    headers = _columns(name)
    assert [c.value for c in ws[1]][: len(headers)] == headers
    rows = sample.sheet_rows()[name]
    assert rows, "the sample must fill every ledger sheet"
    table = ws.tables[layout.TABLE_NAMES[name]]
    assert table.ref == f"A1:{get_column_letter(len(headers))}{1 + len(rows)}"
    assert table.autoFilter is not None
    assert table.tableStyleInfo.name == build.TABLE_STYLE.replace(" ", "")
    written = [list(r)[: len(headers)] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert written == [[_expected(v) for v in row] for row in rows]
    assert ws.freeze_panes == "A2"


def test_ledger_dates_and_money_formatted(book: openpyxl.Workbook) -> None:
    ws = book[layout.FACTURES]
    headers = _columns(layout.FACTURES)
    for header, fmt in (("Date échéance", layout.DATE_FORMAT), ("Montant TTC",
                                                                  layout.MONEY_FORMAT)):
        cell = ws.cell(row=2, column=headers.index(header) + 1)
        assert cell.number_format == fmt, header
    assert ws.column_dimensions["B"].width > 8


def test_custom_rows_give_a_small_book(tmp_path: Path) -> None:
    """The builder takes fixture rows; an empty ledger still has a one-row table."""
    rows: dict[str, list[list[object]]] = {name: [] for name in build.LEDGER_COLUMNS}
    rows[layout.CLIENTS] = [["ZZ", "Zed", *[""] * 5, "FAM", "REP", "VIR", *[""] * 6]]
    rows[layout.FACTURES] = [["SOC", "F1", "Facture", "ZZ", date(2024, 1, 2), date(2024, 2, 1),
                              Decimal("12.34"), "CHQ", "Oui", "Non"]]
    out = build.build_workbook(tmp_path / "small.xlsm", rows=rows, companies=[])
    wb = openpyxl.load_workbook(out)
    assert wb[layout.HISTORIQUE].tables[layout.TABLE_NAMES[layout.HISTORIQUE]].ref == "A1:G2"
    assert wb[layout.FACTURES]["G2"].value == 12.34
    listes = {c[0].value: [x.value for x in c[1:] if x.value is not None]
              for c in wb[layout.LISTES].iter_cols()}
    assert listes["ListeModes"] == ["CHQ", "VIR"]
    assert listes["ListeSocietes"] == ["SOC"]


# --- Relances sheet ----------------------------------------------------------------------


def _validations(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, object]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_filter_cells_drop_down_from_defined_names(book: openpyxl.Workbook) -> None:
    ws = book[layout.RELANCES]
    validations = _validations(ws)
    for label_cell, value_cell, label, list_name in layout.FILTERS.values():
        assert ws[label_cell].value == label
        dv = validations[value_cell]
        assert dv.type == "list" and dv.formula1 == list_name
        assert not dv.showErrorMessage  # several codes "A; B" must be accepted
        assert dv.prompt and ";" in dv.prompt
        defined = book.defined_names[list_name]
        assert defined.attr_text.startswith(f"OFFSET({layout.LISTES}!$")


def test_each_filter_cell_says_its_own_kind(book: openpyxl.Workbook) -> None:
    """The input message of each filter names its kind and an example of it, not the
    customer codes for all five."""
    validations = _validations(book[layout.RELANCES])
    prompts = {key: validations[value_cell].prompt
               for key, (_, value_cell, _, _) in layout.FILTERS.items()}
    assert prompts["familles"].startswith("Famille(s) client(s) : NEGOCE; CHR.")
    assert "plusieurs familles séparées par « ; »" in prompts["familles"]
    assert prompts["clients"].startswith("Client(s) : 1FRNEG; 2FRPAR.")
    assert prompts["societes"].startswith("Société : VIGNE; ZNEG.")
    assert len(set(prompts.values())) == len(prompts)
    assert "1FRNEG" not in prompts["familles"] + prompts["representants"] + prompts["modes"]
    assert all(len(prompt) <= 255 for prompt in prompts.values())  # Excel's limit


def test_listes_hold_sorted_distinct_sample_values(book: openpyxl.Workbook) -> None:
    """Customers and companies show code and name; the others their code."""
    columns = {c[0].value: [x.value for x in c[1:] if x.value is not None]
               for c in book[layout.LISTES].iter_cols()}
    rows = sample.sheet_rows()
    clients, factures = rows[layout.CLIENTS], rows[layout.FACTURES]
    headers_c, headers_f = _columns(layout.CLIENTS), _columns(layout.FACTURES)
    names = {r[headers_c.index("Code tiers")]: r[headers_c.index("Nom")] for r in clients}
    modes = sorted({r[headers_c.index("Mode de règlement")] for r in clients}
                   | {r[headers_f.index("Mode de règlement")] for r in factures})
    assert columns["ListeClients"] == [f"{code} — {names[code]}" for code in sorted(names)]
    assert columns["ListeClients"][0] == "1FRNEG — MME toulouse amelie"
    assert columns["ListeModes"] == modes
    companies = dict(row[:2] for row in sample.companies() if not row[-1])  # not a Devise row
    assert columns["ListeSocietes"] == [f"{code} — {companies[code]}"
                                        for code in sorted({r[0] for r in factures})]
    names = [f[3] for f in layout.FILTERS.values() if f[3]]
    for letter, name in zip("ABCDE", names, strict=False):
        assert f"${letter}$2" in book.defined_names[name].attr_text


def test_date_and_print_options(book: openpyxl.Workbook, built: Path, fresh: Path) -> None:
    ws = book[layout.RELANCES]
    validations = _validations(ws)
    assert ws[layout.DATE_LABEL_CELL].value == layout.DATE_LABEL
    applied_on = None if built == fresh else datetime.combine(sample.DEMO_DATE, time(0))
    assert ws[layout.DATE_CELL].value == applied_on  # empty as built: today
    assert ws[layout.DATE_CELL].number_format == layout.DATE_FORMAT
    assert validations[layout.DATE_CELL].type == "date"
    cells = {key: value for key, (_, value, _) in layout.OPTIONS.items()}
    assert ws[cells["defaut"]].value is True
    assert ws[cells["defaut"]].number_format == layout.CHECKBOX_FORMAT
    assert ws[cells["forme"]].value is None
    assert validations[cells["forme"]].formula1 == '"' + ",".join(layout.FORMES) + '"'
    assert ws[cells["exemplaires"]].value == 1
    whole = validations[cells["exemplaires"]]
    assert (whole.type, whole.formula1, whole.formula2) == ("whole", "1", "99")
    assert ws[cells["sortie"]].value == "PDF"
    labels = ",".join(layout.SORTIE_LABELS.values())
    assert validations[cells["sortie"]].formula1 == f'"{labels}"'
    assert ws[cells["dossier"]].value is None


def test_table_header_and_template_row(fresh: Path) -> None:
    ws = openpyxl.load_workbook(fresh)[layout.RELANCES]
    header = [ws.cell(layout.TABLE_HEADER_ROW, c + 1) for c in range(len(layout.TABLE_COLUMNS))]
    assert [c.value for c in header] == [c.header for c in layout.TABLE_COLUMNS]
    assert all(c.font.bold and c.alignment.wrap_text and c.border.bottom.style for c in header)
    assert get_column_letter(len(layout.TABLE_COLUMNS)) == layout.TABLE_LAST_COLUMN
    first = layout.TABLE_FIRST_ROW
    for letter in layout.MONEY_COLUMNS:
        assert ws[f"{letter}{first}"].number_format == layout.MONEY_FORMAT
    for letter in layout.CHECKBOX_COLUMNS:
        assert ws[f"{letter}{first}"].number_format == layout.CHECKBOX_FORMAT
    assert all(c.value is None for c in ws[first])
    assert ws.max_row == first  # no data: the add-in fills the table
    assert ws.freeze_panes == f"A{first}"
    assert ws[layout.MESSAGE_CELL].value


def _button_anchors(built: Path) -> dict[str, list[int]]:
    """Caption -> the VML anchor: left column, dx, top row, dy, right column, dx,
    bottom row, dy (columns and rows from 0, offsets in pixels)."""
    with zipfile.ZipFile(built) as package:
        vml = [n for n in package.namelist() if n.endswith(".vml")]
        root = ElementTree.fromstring(package.read(vml[0]))
    anchors = {}
    for shape in root.iter(f"{VML_V}shape"):
        data = shape.find(f"{VML_X}ClientData")
        if data is not None and data.get("ObjectType") == "Button":
            caption = "".join(shape.find(f"{VML_V}textbox").itertext()).strip()
            anchors[caption] = [int(x) for x in data.findtext(f"{VML_X}Anchor").split(",")]
    return anchors


def _pixels(ws: openpyxl.worksheet.worksheet.Worksheet, anchor: list[int]
            ) -> tuple[int, int, int, int]:
    """An anchor as a rectangle of sheet pixels (left, top, right, bottom), with the
    widths Excel gives the built columns (7 px a character + 5) and 20 px rows."""
    chars = {}
    for dimension in ws.column_dimensions.values():  # one <col> may span several columns
        for column in range(dimension.min, dimension.max + 1):
            chars[column - 1] = dimension.width
    widths = [int(chars[c] * 7 + 0.5) for c in range(max(anchor[0], anchor[4]) + 1)]
    left = sum(widths[:anchor[0]]) + anchor[1]
    right = sum(widths[:anchor[4]]) + anchor[5]
    return left, anchor[2] * 20 + anchor[3], right, anchor[6] * 20 + anchor[7]


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.parametrize("caption", list(layout.BUTTONS))
def test_button_captions_fit_their_buttons_in_libreoffice(caption: str) -> None:
    """LibreOffice without Carlito draws the buttons' Calibri 11 pt in DejaVu Sans, the
    widest of the fonts it may use: each caption on one line with 8 px on each side
    (they were clipped at 160 px: "Imprimer toutes les lettres" is 200 px)."""
    from PIL import ImageFont

    if not DEJAVU.exists():
        pytest.skip("DejaVu Sans (fonts-dejavu-core) not installed")
    font = ImageFont.truetype(str(DEJAVU), size=round(11 * 96 / 72))  # 11 pt at 96 dpi
    assert font.getlength(caption) + 2 * 8 <= vba.BUTTON_WIDTH


def test_libreoffice_draws_each_caption_on_one_line(fresh: Path, tmp_path: Path) -> None:
    """The Relances sheet drawn by LibreOffice at 100 % with its buttons made printable
    (a copy: the workbook's buttons do not print): each caption's words on one line
    (at 160 px, "Imprimer toutes les lettres" broke in two and lost its last line)."""
    from conftest import soffice_or_skip

    soffice = soffice_or_skip()
    with zipfile.ZipFile(fresh) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts["xl/drawings/vmlDrawing1.vml"] = parts["xl/drawings/vmlDrawing1.vml"].replace(
        b"<x:PrintObject>False</x:PrintObject>", b"<x:PrintObject>True</x:PrintObject>")
    parts[sheet] = re.sub(rb"<pageSetup [^>]*/>", b'<pageSetup paperSize="66" scale="100" '
                          b'orientation="landscape"/>', parts[sheet].replace(
                              b'<pageSetUpPr fitToPage="1"/>', b""))  # A2 at 100 %
    copy = tmp_path / "buttons.xlsm"
    with zipfile.ZipFile(copy, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(copy)],
                   check=True, capture_output=True, timeout=180)
    words = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1",
                            str(tmp_path / "buttons.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout
    tops: dict[str, set[str]] = {}
    for top, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)<', words):
        tops.setdefault(word, set()).add(top)
    for caption in layout.BUTTONS:
        lines = [tops.get(word, set()) for word in caption.split()]
        assert all(lines), caption  # every word drawn
        assert set.intersection(*lines), caption  # and all of them at one height


def test_the_buttons_drawn_in_the_built_workbook_have_their_width(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        vml = package.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
    widths = re.findall(r"width:([\d.]+)pt;height:([\d.]+)pt", vml)
    assert len(widths) == len(layout.BUTTONS)
    assert {(float(w), float(h)) for w, h in widths} == {
        (vba.BUTTON_WIDTH * 0.75, vba.BUTTON_HEIGHT * 0.75)}  # 96 px = 72 pt


def test_buttons_sit_on_a_grid_without_overlap(built: Path) -> None:
    """The buttons, one size, in two columns and five rows (Dossier de recouvrement
    above the others), no two touching (they overlapped by 26 px in three pairs)."""
    anchors = _button_anchors(built)
    assert set(anchors) == set(layout.BUTTONS)
    ws = openpyxl.load_workbook(built)[layout.RELANCES]
    boxes = {caption: _pixels(ws, anchor) for caption, anchor in anchors.items()}
    sizes = {(right - left, bottom - top) for left, top, right, bottom in boxes.values()}
    assert sizes == {(vba.BUTTON_WIDTH, vba.BUTTON_HEIGHT)}
    assert len({box[0] for box in boxes.values()}) == 2  # two grid columns
    assert len({box[1] for box in boxes.values()}) == 5  # five grid rows
    for first, second in itertools.combinations(boxes.values(), 2):
        apart = (first[2] <= second[0] or second[2] <= first[0]
                 or first[3] <= second[1] or second[3] <= first[1])
        assert apart, (first, second)
    table_top = (layout.TABLE_HEADER_ROW - 1) * 20
    assert all(box[3] <= table_top for box in boxes.values())


def test_relances_prints_landscape_one_page_wide(book: openpyxl.Workbook) -> None:
    ws = book[layout.RELANCES]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth in (None, 1)) and ws.page_setup.fitToHeight == 0
    row = layout.TABLE_HEADER_ROW
    assert ws.print_title_rows == f"${row}:${row}"


def test_parametres_columns_fit_the_address_and_the_iban(book: openpyxl.Workbook) -> None:
    """Each column at least as wide as its text in Calibri 11 (measured as Excel does,
    by XlsxWriter's table of character widths)."""
    ws = book[layout.PARAMETRES]

    def pixels(letter: str) -> int:
        return int(ws.column_dimensions[letter].width * 7 + 0.5)

    headers = list(layout.PARAMETRES_COMPANIES_COLUMNS)
    for company in sample.companies():
        for header in ("Adresse", "IBAN", "E-mail expéditeur", "Raison sociale"):
            letter = get_column_letter(headers.index(header) + 1)
            text = company[headers.index(header)]
            assert pixels(letter) >= xl_pixel_width(text), (header, text)
    for label, _, _ in layout.PARAMETRES_SETTINGS.values():
        assert pixels("A") >= xl_pixel_width(label), label


def test_buttons_call_the_macros(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        vml = [n for n in package.namelist() if n.endswith(".vml")]
        assert len(vml) == 1
        root = ElementTree.fromstring(package.read(vml[0]))
    found = {}
    for shape in root.iter(f"{VML_V}shape"):
        data = shape.find(f"{VML_X}ClientData")
        if data is None or data.get("ObjectType") != "Button":
            continue
        caption = "".join(shape.find(f"{VML_V}textbox").itertext()).strip()
        anchor = [int(x) for x in data.findtext(f"{VML_X}Anchor").split(",")]
        cell = f"{get_column_letter(anchor[0] + 1)}{anchor[2] + 1}"
        found[caption] = (data.findtext(f"{VML_X}FmlaMacro"), cell)
    assert found == {caption: (f"[0]!{macro}", cell)
                     for caption, (macro, cell) in layout.BUTTONS.items()}
    assert {macro for macro, _ in layout.BUTTONS.values()} <= set(layout.MACROS)


def test_checkbox_cells_have_the_feature_property_bag(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        bag = package.read("xl/featurePropertyBag/featurePropertyBag.xml").decode()
        styles = ElementTree.fromstring(package.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
        types = package.read("[Content_Types].xml").decode()
    assert 'type="Checkbox"' in bag and "featurepropertybag+xml" in types
    formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
    xfs = list(styles.find(f"{MAIN}cellXfs"))
    cells = {c.get("r"): c for c in sheet.iter(f"{MAIN}c")}
    first = layout.TABLE_FIRST_ROW
    addresses = [layout.OPTIONS["defaut"][1], *(f"{c}{first}" for c in layout.CHECKBOX_COLUMNS)]
    for address in addresses:
        xf = xfs[int(cells[address].get("s"))]
        assert xf.find(f".//{XFPB}xfComplement") is not None, address
        assert formats[xf.get("numFmtId")] == layout.CHECKBOX_FORMAT, address
    default = cells[layout.OPTIONS["defaut"][1]]
    assert default.get("t") == "b" and default.findtext(f"{MAIN}v") == "1"


# --- Paramètres, Contrôles, xlwings.conf ------------------------------------------------


def _label_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, int]:
    return {row[0].value: row[0].row for row in ws.iter_rows() if row[0].value is not None}


def test_parametres_defaults(book: openpyxl.Workbook) -> None:
    ws = book[layout.PARAMETRES]
    rows = _label_rows(ws)
    for label, default, num_format in layout.PARAMETRES_SETTINGS.values():
        cell = ws.cell(rows[label], 2)
        assert cell.value == (None if default == "" else default), label
        if num_format:
            expected = layout.MONEY_FORMAT if num_format == "money" else num_format
            assert cell.number_format == expected, label
    note = ws.cell(rows["Taux annuel"], 3).value
    assert "L441-10" in note and "D441-5" in note
    levels_header = rows[layout.PARAMETRES_LEVELS_TITLE] + 1
    width = len(layout.PARAMETRES_LEVELS_COLUMNS)
    assert [c.value for c in ws[levels_header]][:width] == list(layout.PARAMETRES_LEVELS_COLUMNS)
    shipped = (*build.DEFAULT_LEVELS, *build.PUBLIC_LEVELS, *build.CALL_LEVELS)
    levels = [list(r)[:width] for r in ws.iter_rows(min_row=levels_header + 1,
                                                    max_row=levels_header + len(shipped),
                                                    values_only=True)]
    assert levels == [[_expected(v) for v in level] for level in shipped]
    assert levels[0][2] is None
    # the rates by period beside the levels: headers, then one row per half-year shipped
    rates = [c.value for c in ws[levels_header]][build.RATES_COLUMN:]
    assert rates[:len(layout.PARAMETRES_RATES_COLUMNS)] == list(layout.PARAMETRES_RATES_COLUMNS)
    assert ws.cell(levels_header + 1, build.RATES_COLUMN + 1).value == datetime(2015, 1, 1)
    last = levels_header + len(SHIPPED_RATES)
    assert ws.cell(last, build.RATES_COLUMN + 1).value == datetime(2026, 1, 1)
    assert ws.cell(last + 1, build.RATES_COLUMN + 1).value is None
    companies_header = rows[layout.PARAMETRES_COMPANIES_TITLE] + 1
    width = len(layout.PARAMETRES_COMPANIES_COLUMNS)
    assert [c.value for c in ws[companies_header]][:width] == list(
        layout.PARAMETRES_COMPANIES_COLUMNS)
    companies = [list(r)[:width] for r in ws.iter_rows(min_row=companies_header + 1,
                                                       values_only=True) if r[0]]
    assert companies == [[_expected(v) for v in row] for row in sample.companies()]


def test_parametres_and_ledger_read_back_without_problems(book: openpyxl.Workbook) -> None:
    """The project's own readers accept what the builder wrote."""
    from relances_xl.ledger import read_ledger
    from relances_xl.parametres import read_settings

    blocks = {name: [list(r) for r in book[name].iter_rows(values_only=True)]
              for name in (*build.LEDGER_COLUMNS, layout.PARAMETRES)}
    settings, problems = read_settings(blocks[layout.PARAMETRES])
    assert problems == []
    assert [level.forme for level in settings.levels if level.conditions != CALL_TERMS
            ] == list(layout.FORMES)
    assert settings.levels == (*DEFAULT_LEVELS, *PUBLIC_LEVELS, *CALL_LEVELS)
    assert settings.taux_periodes == SHIPPED_RATES and settings.sortie_defaut == "pdf"
    ledger, problems = read_ledger(blocks)
    assert [p for p in problems if p.blocking] == []
    assert len(ledger.invoices) == len(sample.sheet_rows()[layout.FACTURES])


def test_controles_has_only_its_header(book: openpyxl.Workbook) -> None:
    ws = book[layout.CONTROLES]
    assert [c.value for c in ws[1]] == list(layout.CONTROLES_COLUMNS)
    assert ws.max_row == 1


def test_xlwings_conf_sheet(book: openpyxl.Workbook, modules: dict[str, str]) -> None:
    ws = book[layout.XLWINGS_CONF]
    pairs = []
    for key, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:  # xlwings reads A1 down to the first empty cell
            break
        pairs.append((key, value))
    assert pairs == list(vba.XLWINGS_CONF)
    conf = {k.upper(): v for k, v in pairs}
    assert conf["SHOW CONSOLE"] is False
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"  # installed package; OneDrive
    assert "PYTHONPATH" not in conf  # would hide the user's own setting
    assert conf["INTERPRETER_WIN"] == f"%{vba.PYTHON_VARIABLE}%"
    assert conf["INTERPRETER_MAC"].startswith("$HOME/")
    assert f'StrPtr("{vba.PYTHON_VARIABLE}")' in modules[vba.VBA_MODULE]


# --- VBA ------------------------------------------------------------------------------------


def test_xlwings_module_is_the_pinned_version_untouched(modules: dict[str, str]) -> None:
    code = modules["xlwings"]
    version = xlwings.__version__
    assert f'XLWINGS_VERSION As String = "{version}"' in code
    assert f'"xlwings64-{version}.dll"' in code
    assert set(re.findall(r"xlwings(?:32|64)-([\d.]+)\.dll", code)) == {version}
    quickstart = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    parser = VBA_Parser(str(quickstart))
    try:
        original = {n: c for _, _, n, c in parser.extract_macros()}["xlwings.bas"]
    finally:
        parser.close()
    assert code == original


def test_relances_module_runs_python_for_each_macro(modules: dict[str, str]) -> None:
    code = modules[vba.VBA_MODULE]
    for macro, call in layout.MACROS.items():
        assert re.search(rf"^Public Sub {macro}\(\)\r?$", code, re.MULTILINE), macro
        if macro in layout.FILE_PICKERS:  # the picked file's path goes where {path} is
            call = '{}" & PythonString(CStr(chosen)) & "{}'.format(*call.split("{path}"))
        assert f'RunPython "{call}"' in code
    assert not any("SampleCall" in source for source in modules.values())
    assert "Module1" not in modules


def test_this_workbook_adds_the_context_menu(built: Path, modules: dict[str, str]) -> None:
    code = modules["ThisWorkbook"]
    for caption, macro in layout.CONTEXT_MENU.items():
        assert f'AddMenuEntry "{caption}", "{macro}"' in code
    assert f'"\'" & ThisWorkbook.Name & "\'!{vba.VBA_MODULE}." & macroName' in code
    for event in ("Workbook_SheetActivate", "Workbook_SheetDeactivate", "Workbook_Activate",
                  "Workbook_Deactivate", "Workbook_BeforeClose"):
        assert f"Private Sub {event}(" in code
    assert f'MENU_SHEET As String = "{layout.RELANCES}"' in code
    with pyopenvba.ExcelFile(built) as excel:
        assert excel.get_module("ThisWorkbook").startswith('Attribute VB_Name = "ThisWorkbook"')
        assert excel.validate() == []


def test_vba_sources_are_complete_and_ansi() -> None:
    for source in (vba.relances_module_source(), vba.this_workbook_source()):
        assert "{{" not in source.replace("{{...}}", "")
        assert "\r\n" in source and "\n" not in source.replace("\r\n", "")
        source.encode("cp1252")  # VBA stores modules in the project's code page


# --- LibreOffice ----------------------------------------------------------------------------


def test_libreoffice_opens_the_book_and_its_basic(built: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("RELANCES_REQUIRE_SOFFICE"):  # CI insists, as in conftest.py
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice (soffice) not installed")
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(built)],
        check=True, capture_output=True, timeout=180,
    )
    with zipfile.ZipFile(tmp_path / "Relances.ods") as ods:
        content = ods.read("content.xml").decode()
        basic = [n for n in ods.namelist() if n.startswith("Basic/")]
    names = re.findall(r'<table:table table:name="([^"]+)"', content)
    assert names[: len(build.LEDGER_COLUMNS) + 3] == [
        layout.RELANCES, layout.TABLEAU_DE_BORD, layout.BALANCE_AGEE, *build.LEDGER_COLUMNS]
    assert layout.XLWINGS_CONF in names
    assert any(n.endswith(f"/{vba.VBA_MODULE}.xml") for n in basic)
    assert any(n.endswith("/xlwings.xml") for n in basic)
    assert f"{vba.VBA_MODULE}.{next(iter(layout.MACROS))}?language=Basic" in content


def test_committed_workbook_is_the_build_output(fresh: Path) -> None:
    """`relances-xl build` after any change to the sources: the repository holds its output."""
    committed = Path(__file__).parents[1] / "workbook" / "Relances.xlsm"
    assert committed.read_bytes() == fresh.read_bytes()


def test_this_workbook_asks_to_save_the_proposal_on_close(modules: dict[str, str]) -> None:
    code = modules["ThisWorkbook"]
    assert f'CLOSE_PROMPT As String = "{layout.CLOSE_PROMPT}"' in code
    assert "vbYesNoCancel" in code and "Cancel = True" in code
    assert f'RecordChoice "{layout.CLOSE_SAVE}"' in code
    assert f'RecordChoice "{layout.CLOSE_DROP}"' in code
    choice = layout.PROPOSAL_CELLS["a_la_fermeture"][1]
    assert f'CHOICE_CELL As String = "{choice}"' in code
    assert "Private Sub Workbook_SheetChange" in code
    changed = layout.PROPOSAL_CELLS["changed"][1]
    assert f'CHANGED_CELL As String = "{changed}"' in code
    assert f'PROPOSAL_SHEET As String = "{layout.PROPOSITION}"' in code


def test_reglements_non_lettres_is_a_drop_down_of_its_two_choices(book: openpyxl.Workbook
                                                                  ) -> None:
    ws = book[layout.PARAMETRES]
    label = layout.PARAMETRES_SETTINGS["imputer_non_lettres"][0]
    [row] = [r for r in range(1, 40) if ws.cell(r, 1).value == label]
    assert ws.cell(row, 2).value == "Signaler"
    dv = _validations(ws)[f"B{row}"]
    assert dv.type == "list" and dv.showErrorMessage
    assert dv.formula1 == '"' + ",".join(layout.NON_LETTRES_CHOICES) + '"'


def test_closing_never_saves_behind_the_users_back(modules: dict[str, str]) -> None:
    """Oui and Non only update the proposal: Excel's own "Enregistrer les
    modifications ?" decides whether the file is saved; Annuler keeps it open."""
    code = modules["ThisWorkbook"]
    body = re.search(r"Private Sub Workbook_BeforeClose\(Cancel As Boolean\)(.*?)End Sub",
                     code, re.DOTALL).group(1)
    statements = [line.split("'")[0].strip() for line in body.splitlines()]
    assert not [s for s in statements if re.search(r"\.Save\b|\bSave\b|SaveAs|Saved", s)]
    answers = re.split(r"Case ", body)
    yes = next(a for a in answers if a.startswith("vbYes"))
    no = next(a for a in answers if a.startswith("vbNo"))
    other = next(a for a in answers if a.startswith("Else"))
    assert f'RecordChoice "{layout.CLOSE_SAVE}"' in yes
    assert f'RecordChoice "{layout.CLOSE_DROP}"' in no
    assert "Cancel = True" in other
    # nothing runs Python while Excel closes: on macOS RunPython would not wait
    code_only = "\n".join(statements)
    assert vba.VBA_MODULE + "." not in code_only and "RunPython" not in code_only
    assert "Save" not in "".join(modules[vba.VBA_MODULE].split("SauverProposition"))
