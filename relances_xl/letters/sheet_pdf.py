"""One sheet of a workbook as PDF without Excel: LibreOffice Calc on a copy that holds it alone.

Excel prints a sheet with `Sheet.to_pdf`; headless, LibreOffice converts a whole
workbook, every visible sheet. So the copy LibreOffice reads keeps the package as it is
(styles, drawings, the charts and their ranges) but hides every other sheet and empties
it: hidden sheets are not exported, and a 100,000-invoice ledger need not be loaded to
print one page. The charts of the sheet kept must read that sheet only, which the
dashboard's do. Calc runs in French so that numbers print as the accountant's Excel
prints them (1 234,56 €).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from . import libreoffice, pdf

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="' + MAIN.encode() + b'"><sheetData/></worksheet>')
CALC_PDF_EXPORT = "pdf:calc_pdf_Export"
LOCALE = "fr_FR.UTF-8"


def sheet_to_pdf(workbook: Path, sheet: str, target: Path, *, timeout: float = 180) -> Path:
    """`sheet` of `workbook` as the PDF `target`; the workbook itself is only read.

    Raises pdf.ConverterMissing without LibreOffice, pdf.ConversionError when it gives
    no PDF (the message names the workbook and the sheet)."""
    soffice = pdf.find_soffice()
    if soffice is None:
        raise pdf.ConverterMissing()
    with tempfile.TemporaryDirectory(prefix="relances-feuille-") as work:
        alone = Path(work) / f"{target.stem}{workbook.suffix}"
        sheet_alone(workbook, sheet, alone)
        command = [soffice, "--headless", "--norestore", "--convert-to", CALC_PDF_EXPORT,
                   "--outdir", work, str(alone)]
        env = {**os.environ, "LC_ALL": LOCALE, "LANG": LOCALE, "LANGUAGE": "fr"}
        libreoffice.run_batch(command, [workbook], time.monotonic() + timeout,
                              threading.Event(), env)
        made = alone.with_suffix(".pdf")
        if not pdf._is_pdf(made):
            raise pdf.ConversionError(
                f"LibreOffice n'a pas produit le PDF de la feuille « {sheet} » de {workbook}.",
                [workbook])
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(made, target)
    return target


def sheet_alone(workbook: Path, sheet: str, copy: Path) -> Path:
    """A copy of `workbook` where `sheet` is the only sheet visible and the only one with
    cells. Raises KeyError when the workbook has no such sheet."""
    with zipfile.ZipFile(workbook) as source:
        book = etree.fromstring(source.read("xl/workbook.xml"))
        parts = _sheet_parts(source, book)
        if sheet not in parts:
            raise KeyError(sheet)
        _show_only(book, sheet)
        emptied = {part for name, part in parts.items() if name != sheet}
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                if info.filename == "xl/workbook.xml":
                    out.writestr(info, etree.tostring(book, xml_declaration=True,
                                                      encoding="UTF-8", standalone=True))
                elif info.filename in emptied:
                    out.writestr(info, EMPTY_SHEET)
                elif info.filename != "xl/calcChain.xml":  # it names the emptied cells
                    out.writestr(info, source.read(info))
    return copy


def _sheet_parts(source: zipfile.ZipFile, book: etree._Element) -> dict[str, str]:
    """Sheet name → its part's name in the package ("xl/worksheets/sheet2.xml")."""
    rels = etree.fromstring(source.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{RELS}}}Relationship")}
    parts = {}
    for entry in book.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(entry.get(f"{{{DOC_RELS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        parts[entry.get("name")] = path
    return parts


def _show_only(book: etree._Element, sheet: str) -> None:
    entries = list(book.iter(f"{{{MAIN}}}sheet"))
    for index, entry in enumerate(entries):
        if entry.get("name") == sheet:
            entry.attrib.pop("state", None)
            shown = index
        else:
            entry.set("state", "hidden")
    for view in book.iter(f"{{{MAIN}}}workbookView"):
        view.set("activeTab", str(shown))
        view.set("firstSheet", str(shown))
