"""The python-docx building blocks of the generated templates: the page, a paragraph,
a bordered table, a docxtpl row loop, and the reproducible bytes of the .docx.

Apart from `make_templates.py` because every generator builds on them: the letters
(`letter_template.py`), the proposal (`proposal_template.py`), the statement
(`make_statement.py`) and the recovery file (`make_recovery.py`). Nothing here knows
what a template says (wording.py); what is fixed here (Arial 10, A4 with 2 cm margins,
the core-property dates, the zip timestamps) is what makes two runs write the same
bytes, so a test can check the committed templates.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from ..texts import LOCALES
from . import page_layout, tab_list
from .docx_lean import lean_parts
from .wording import COLUMNS

FONT = "Arial"
_FIXED = datetime(2022, 1, 1, tzinfo=UTC)
_ZIP_TIME = (2022, 1, 1, 0, 0, 0)
HEADER_FILL = tab_list.HEADER_FILL  # the tables' header rows, as the letters' lists
TEXT_WIDTH = page_layout.TEXT_WIDTH_CM


# --- documents -------------------------------------------------------------------------


def new_document(title: str, langue: str = "FR") -> DocumentObject:
    """A4, 2 cm margins, Arial everywhere (Liberation Sans where Arial is absent), its
    text in the document's language: python-docx's template says English (en-US),
    which Word spell-checks a French letter in and a PDF tells a screen reader."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    for language in doc.styles.element.iter(qn("w:lang")):  # the document's defaults
        language.set(qn("w:val"), LOCALES[langue].replace("_", "-"))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(3)
    for name, size in (("Heading 1", 16), ("Heading 2", 12)):
        style = doc.styles[name]
        style.font.size, style.font.color.rgb = Pt(size), RGBColor(0x1F, 0x1F, 0x1F)
    fixed_properties(doc, title)
    return doc


def fixed_properties(doc: DocumentObject, title: str) -> None:
    """Same metadata on every run, and no stray python-docx thumbnail in Word's preview."""
    props = doc.core_properties
    props.title, props.subject = title, "relances_xl"
    props.author = props.last_modified_by = "relances_xl"
    props.created = props.modified = props.last_printed = _FIXED
    props.revision = 1
    rels = doc.part.package.rels
    for key in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[key]


def para(doc: DocumentObject, text: str = "", *, bold: bool = False, size: float | None = None,
         align: int | None = None, indent: Cm | None = None, after: float | None = None,
         style: str | None = None, keep: bool = False) -> None:
    """One paragraph, one run: a Jinja tag never straddles two runs."""
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        fmt.left_indent = indent
    if after is not None:
        fmt.space_after = Pt(after)
    if keep:
        fmt.keep_with_next = True


def stable_bytes(doc: DocumentObject) -> bytes:
    """The lean .docx with fixed zip timestamps, so two runs give the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src:
        parts = lean_parts({item.filename: src.read(item) for item in src.infolist()})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()


# --- tables ----------------------------------------------------------------------------


def cell(target: _Cell, text: str, *, bold: bool = False, right: bool = False,
         fill: str | None = None) -> None:
    """`text` in the cell's first paragraph, one run, 9 pt (8.5 pt on a header row, shaded
    `fill`, so the headers stay on one line); `right`: aligned right (an amount)."""
    paragraph = target.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(8.5 if fill else 9), bold or None  # headers on one line
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        target._tc.get_or_add_tcPr().append(shading)


def grid(doc: DocumentObject, rows: int, widths: list[float]) -> Table:
    """A bordered table as wide as the text, its columns in the proportions given."""
    widths = [w * TEXT_WIDTH / sum(widths) for w in widths]
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for target, width in zip(row.cells, widths, strict=True):
            target.width = Cm(width)
    return table


def loop_table(doc: DocumentObject, langue: str, loop: str, columns: list[str],
               totals: dict[str, str], total_label: str, spec: dict = COLUMNS) -> None:
    """Header, a docxtpl row loop over `loop` ("l in lignes"), and a bold totals row
    (none when `totals` is empty); `spec` gives the columns' widths and headers."""
    widths = [spec[key][0] for key in columns]
    table = grid(doc, 5 if totals else 4, widths)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
    for target, key in zip(header.cells, columns, strict=True):
        cell(target, spec[key][1][langue], bold=True, right=spec[key][2], fill=HEADER_FILL)
    cell(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    item = loop.split()[0]
    for target, key in zip(table.rows[2].cells, columns, strict=True):
        cell(target, f"{{{{ {item}.{key} }}}}", right=spec[key][2])
    cell(table.rows[3].cells[0], "{%tr endfor %}")
    if not totals:
        return
    last = table.rows[4].cells
    first = min(columns.index(key) for key in totals)
    for index, key in enumerate(columns):
        if key in totals:
            cell(last[index], f"{{{{ {totals[key]} }}}}", bold=True, right=True)
    label = last[0].merge(last[first - 1]) if first > 1 else last[0]
    cell(label, total_label, bold=True)


def two_columns(doc: DocumentObject, rows: list[tuple[str, str]], *, loop: str = "",
                bold_last: bool = False) -> None:
    """A label | amount table; with `loop` ("t in tranches") its one data row repeats."""
    widths = [14.4, 2.5]
    body = [(f"{{%tr for {loop} %}}", ""), *rows[:1], ("{%tr endfor %}", ""),
            *rows[1:]] if loop else rows
    table = grid(doc, len(body), widths)
    for number, (row, (label, value)) in enumerate(zip(table.rows, body, strict=True)):
        bold = bold_last and number == len(body) - 1
        cell(row.cells[0], label, bold=bold)
        cell(row.cells[1], value, bold=bold, right=True)
