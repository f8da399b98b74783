"""A headless save loses nothing the .xlsm had, and never leaves a half-written file.

The fixture is built like the real workbook: XlsxWriter, the VBA project of xlwings'
standalone quickstart, form buttons, drop-downs, an Excel table, a hidden sheet, cell
checkboxes, plus a sheet of the user's own.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import uuid
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import xlsxwriter
import xlwings as xw

from relances_xl.excel import headless
from relances_xl.headless import styles as xf
from relances_xl.layout import CHECKBOX_FORMAT, MONEY_FORMAT

QUICKSTART = Path(xw.__file__).parent / "quickstart_standalone.xlsm"
FPB = "xl/featurePropertyBag/featurePropertyBag.xml"


@pytest.fixture(scope="module")
def vba_project(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("vba") / "vbaProject.bin"
    with zipfile.ZipFile(QUICKSTART) as quickstart:
        path.write_bytes(quickstart.read("xl/vbaProject.bin"))
    return path


def build_xlsm(path: Path, vba_project: Path, checkboxes: bool = True) -> Path:
    wb = xlsxwriter.Workbook(path)
    # a fixed creation time: two builds a second apart give the same docProps/core.xml
    wb.set_properties({"created": datetime(2024, 7, 27, 9, 0, 0)})
    wb.add_vba_project(str(vba_project))
    money = wb.add_format({"num_format": MONEY_FORMAT})
    checkbox = wb.add_format({"num_format": CHECKBOX_FORMAT})
    ws = wb.add_worksheet("Relances")
    ws.write("A1", "Relances clients")
    ws.write("A8", "Sortie")
    ws.data_validation("B8", {"validate": "list", "source": ["PDF", "Fax", "E-mail"]})
    ws.insert_button("G4", {"macro": "Appliquer", "caption": "Appliquer"})
    ws.insert_button("G6", {"macro": "ImprimerLettres", "caption": "Imprimer"})
    ws.write_row("A14", ["Tiers", "Société", "Solde", "", "", "", "A relancer", "Éditée"])
    ws.write_number("C15", 0, money)
    if checkboxes:
        ws.insert_checkbox("G15", False, checkbox)
        ws.insert_checkbox("H15", False, checkbox)
    clients = wb.add_worksheet("Clients")
    clients.add_table("A1:B3", {"name": "tblClients", "data": [["C1", "Dupont"], ["C2", "Durand"]],
                                "columns": [{"header": "Code tiers"}, {"header": "Nom"}]})
    wb.define_name("ListeClients", "=Clients!$A$2:$A$3")
    wb.add_worksheet("Proposition").hide()
    mine = wb.add_worksheet("Mes notes")
    highlight = wb.add_format({"bold": True, "bg_color": "#FFFF00"})
    mine.write("A1", "Penser à appeler Dupont", highlight)
    mine.write_number("B2", 0.125, wb.add_format({"num_format": "0.0%"}))
    wb.close()
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def checkbox_xf_flags(styles: bytes) -> list[tuple[str, bool]]:
    """(numFmtId, has xfComplement) of each cellXfs entry, in order."""
    text = styles.decode()
    section = text[text.index("<cellXfs"):text.index("</cellXfs>")]
    return [(re.search(r'numFmtId="(\d+)"', xf).group(1), "xfpb:xfComplement" in xf)
            for xf in re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", section, re.S)]


def checkbox_format_id(styles: bytes) -> str:
    quoted = CHECKBOX_FORMAT.replace('"', "&quot;")
    return re.search(rf'numFmtId="(\d+)" formatCode="{re.escape(quoted)}"', styles.decode())[1]


@pytest.fixture
def saved(tmp_path, vba_project):
    """The fixture opened headless, written to like the add-in does, saved in place."""
    path = build_xlsm(tmp_path / "Relances.xlsm", vba_project)
    original = parts(path)
    book = headless.open_book(path)
    sheet = xw.Book.caller().sheets["Relances"]
    sheet.range("A15:J15").copy(sheet.range("A15:J17"))
    sheet.range("A15").options(ndim=2).value = [
        ["C1", "S1", 120.5, 100, 3.2, 1, True, False],
        ["C2", "S1", 80, 80, 0, 2, False, True],
        ["C3", "S2", 10, 10, 0, 1, True, True]]
    sheet.range("B10").value = date(2024, 7, 27)
    proposition = xw.Book.caller().sheets["Proposition"]
    proposition.range("A1").value = [["Tiers", "Niveau"], ["C1", 1]]
    headless.save_book(book)
    headless.close_book(book)
    return path, original


def test_vba_project_is_byte_identical(saved):
    path, original = saved
    assert parts(path)["xl/vbaProject.bin"] == original["xl/vbaProject.bin"]
    assert b"macroEnabled" in parts(path)["[Content_Types].xml"]


def test_buttons_are_kept_with_their_macros(saved):
    path, original = saved
    saved_parts = parts(path)
    vml = saved_parts["xl/drawings/vmlDrawing1.vml"].decode()
    assert "<x:FmlaMacro>[0]!Appliquer</x:FmlaMacro>" in vml
    assert "<x:FmlaMacro>[0]!ImprimerLettres</x:FmlaMacro>" in vml
    assert "<legacyDrawing" in saved_parts["xl/worksheets/sheet1.xml"].decode()
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    assert "vmlDrawing1.vml" in saved_parts[rels].decode()
    assert saved_parts[rels] == original[rels]  # nothing touched it


def test_validation_table_names_hidden_sheet_and_user_sheet_are_kept(saved):
    path, _ = saved
    wb = openpyxl.load_workbook(path, keep_vba=True)
    validations = wb["Relances"].data_validations.dataValidation
    assert [(str(v.sqref), v.type, v.formula1) for v in validations] == [
        ("B8", "list", '"PDF,Fax,E-mail"')]
    assert "tblClients" in wb["Clients"].tables
    assert wb["Clients"].tables["tblClients"].ref == "A1:B3"
    assert wb.defined_names["ListeClients"].attr_text == "Clients!$A$2:$A$3"
    assert wb["Proposition"].sheet_state == "hidden"
    assert wb["Proposition"]["A2"].value == "C1"
    assert wb.sheetnames == ["Relances", "Clients", "Proposition", "Mes notes"]
    notes = wb["Mes notes"]
    assert notes["A1"].value == "Penser à appeler Dupont"
    assert notes["A1"].font.b and notes["A1"].fill.fgColor.rgb == "FFFFFF00"
    assert notes["B2"].number_format == "0.0%"
    assert wb["Relances"]["C16"].number_format == MONEY_FORMAT
    assert wb["Relances"]["B10"].number_format == "dd/mm/yyyy"


def test_checkbox_format_is_put_back(saved):
    path, original = saved
    saved_parts = parts(path)
    styles = saved_parts["xl/styles.xml"]
    checkbox_id = checkbox_format_id(styles)
    flags = checkbox_xf_flags(styles)
    assert any(has for _, has in flags)
    assert all(has == (num_fmt == checkbox_id) for num_fmt, has in flags)
    assert '<xfpb:xfComplement i="0"/></ext>' in styles.decode()
    # well-formed, and the extension really is in the featurepropertybag namespace
    for name in ("xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels", FPB):
        ElementTree.fromstring(saved_parts[name])
    tree = ElementTree.fromstring(styles)
    complements = tree.findall(f".//{{{xf.XFPB_NS}}}xfComplement")
    assert len(complements) == sum(has for _, has in flags)
    # every checkbox cell points at an xf that has the extension
    sheet = saved_parts["xl/worksheets/sheet1.xml"].decode()
    for cell in ("G15", "H15", "G16", "H17"):
        style = int(re.search(rf'<c r="{cell}" s="(\d+)"', sheet)[1])
        assert flags[style] == (checkbox_id, True)
    assert saved_parts[FPB] == original[FPB]
    assert (f'<Override PartName="/{FPB}" ContentType="{xf.FPB_CONTENT_TYPE}"/>'
            in saved_parts["[Content_Types].xml"].decode())
    rels = saved_parts["xl/_rels/workbook.xml.rels"].decode()
    target = "featurePropertyBag/featurePropertyBag.xml"
    assert f'Type="{xf.FPB_REL_TYPE}" Target="{target}"' in rels
    assert len(set(re.findall(r'Id="(rId\d+)"', rels))) == rels.count("<Relationship ")


def test_written_true_is_a_boolean_cell(saved):
    path, _ = saved
    sheet = parts(path)["xl/worksheets/sheet1.xml"].decode()
    assert re.search(r'<c r="G15" s="\d+" t="b"><v>1</v></c>', sheet)
    book = headless.open_book(path)
    assert book.sheets["Relances"].range("G15:H17").value == [
        [True, False], [False, True], [True, True]]
    headless.close_book(book)


def stored(path: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each part as the zip stores it: CRC, compression method and compressed bytes."""
    data = path.read_bytes()
    found = {}
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + 30 + name_length + extra_length
            found[info.filename] = (info.CRC, info.compress_type,
                                    data[start:start + info.compress_size])
    return found


def test_parts_nothing_wrote_to_are_stored_byte_for_byte(saved, tmp_path, vba_project):
    """Only the two sheets written to and styles.xml (a date format was added) are
    written again; every other part keeps its compressed bytes and its place."""
    path, _ = saved
    before = stored(build_xlsm(tmp_path / "Avant.xlsm", vba_project))
    after = stored(path)
    assert list(after) == list(before)
    changed = {name for name in before if after[name] != before[name]}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml", "xl/styles.xml"}


def test_a_save_with_nothing_written_gives_the_same_package(tmp_path, vba_project):
    path = build_xlsm(tmp_path / "Relances.xlsm", vba_project)
    before = path.read_bytes()
    book = headless.open_book(path)
    assert book.sheets["Relances"].range("A1:H15").value[0][0] == "Relances clients"
    headless.save_book(book)
    headless.close_book(book)
    assert path.read_bytes() == before


def test_checkbox_part_is_written_when_the_original_had_none(tmp_path, vba_project):
    path = build_xlsm(tmp_path / "Sans.xlsm", vba_project, checkboxes=False)
    assert FPB not in parts(path)
    book = headless.open_book(path)
    sheet = book.sheets["Relances"]
    sheet.range("G15:G16").number_format = CHECKBOX_FORMAT
    sheet.range("G15:G16").value = [[True], [False]]
    headless.save_book(book)
    headless.close_book(book)
    reference = parts(build_xlsm(tmp_path / "Avec.xlsm", vba_project))
    saved_parts = parts(path)
    assert saved_parts[FPB] == reference[FPB]  # exactly what XlsxWriter writes
    styles = saved_parts["xl/styles.xml"]
    assert (checkbox_format_id(styles), True) in checkbox_xf_flags(styles)
    assert xf.FPB_REL_TYPE in saved_parts["xl/_rels/workbook.xml.rels"].decode()


def test_buttons_on_ten_and_more_sheets_survive(tmp_path, vba_project):
    """openpyxl copies vmlDrawing1..9 only; the tenth on must come from the original."""
    path = tmp_path / "Dix.xlsm"
    wb = xlsxwriter.Workbook(path)
    wb.add_vba_project(str(vba_project))
    for i in range(11):
        wb.add_worksheet(f"S{i}").insert_button("B2", {"macro": f"Macro{i}"})
    wb.close()
    book = headless.open_book(path)
    headless.save_book(book, tmp_path / "Copie.xlsm")
    headless.close_book(book)
    saved_parts = parts(tmp_path / "Copie.xlsm")
    for i in (1, 10, 11):
        assert f"[0]!Macro{i - 1}<" in saved_parts[f"xl/drawings/vmlDrawing{i}.vml"].decode()


def test_save_as_keeps_permissions_and_moves_the_book(tmp_path, vba_project):
    path = build_xlsm(tmp_path / "Relances.xlsm", vba_project)
    path.chmod(0o640)
    book = headless.open_book(path)
    headless.save_book(book)
    assert path.stat().st_mode & 0o777 == 0o640
    other = tmp_path / "Autre.xlsm"
    book.save(other)  # xlwings' own Book.save reaches the same code
    assert book.fullname == str(other) and other.exists()
    headless.close_book(book)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~"))


def test_failed_rename_leaves_old_file_and_no_temp_file(tmp_path, vba_project, monkeypatch):
    path = build_xlsm(tmp_path / "Relances.xlsm", vba_project)
    before = path.read_bytes()
    book = headless.open_book(path)
    book.sheets["Relances"].range("A1").value = "modifié"

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        headless.save_book(book)
    monkeypatch.undo()
    headless.close_book(book)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_target_that_cannot_be_replaced_leaves_no_temp_file(tmp_path, vba_project):
    path = build_xlsm(tmp_path / "Relances.xlsm", vba_project)
    book = headless.open_book(path)
    blocker = tmp_path / "Occupé.xlsm"  # a folder where the file should go
    (blocker / "dedans").mkdir(parents=True)
    with pytest.raises(OSError):
        headless.save_book(book, blocker)
    headless.close_book(book)
    assert (blocker / "dedans").is_dir()
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_read_only_folder_leaves_old_file_intact(tmp_path, vba_project):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = build_xlsm(folder / "Relances.xlsm", vba_project)
    before = path.read_bytes()
    book = headless.open_book(path)
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            headless.save_book(book)
    finally:
        folder.chmod(0o755)
        headless.close_book(book)
    assert path.read_bytes() == before
    assert leftovers(folder) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_saved_file(saved, tmp_path):
    path, _ = saved
    out = tmp_path / "ods"
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "ods", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=240)
    with zipfile.ZipFile(out / "Relances.ods") as ods:
        content = ods.read("content.xml").decode()
    for name in ("Relances", "Clients", "Proposition", "Mes notes"):
        assert f'table:name="{name}"' in content
    assert "Penser à appeler Dupont" in content and "Dupont" in content
    assert 'office:boolean-value="true"' in content  # the ticked checkboxes
    assert 'office:date-value="2024-07-27"' in content
