"""The page of a letter: letterhead, address in the envelope's window, signature, footer.

A letter goes out folded in three in a French DL window envelope (110 × 220 mm, window
100 × 45 mm, 20 mm from the right edge and 15 mm from the bottom). The folded sheet
(210 × 99 mm) has some play in it: up to 10 mm sideways and 11 mm up or down. The
address block is placed where the window shows it wherever the sheet sits: from 106
to 188 mm across and from 53 mm down, so that a name on two lines and five lines end
above 84 mm (`ADDRESS_AREA_MM`, the part of the page every position of the sheet
shows); nothing else prints where the window is (`WINDOW_MIDDLE_MM`): the letter's
text starts below 91 mm. The letterhead sits above the address in a row of fixed
height, so what the letterhead holds (a logo added in Word) never moves the address.

The closing, the QR code and the signature never sit alone on a page: the two
paragraphs before the closing keep with it, and the signature is one table row that
cannot break. Each page's footer gives the sender's legal mentions; a letter of
several pages gets "page 1/2" and who it is for stamped on each page of its PDF
(page_numbers.py). Nothing here knows what the letters say (wording.py).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

# --- the envelope's window, in mm on the A4 sheet ---------------------------------------
ENVELOPE_MM = (220.0, 110.0)  # width, height (DL)
WINDOW_MM = (100.0, 45.0)  # width, height
WINDOW_RIGHT_MM, WINDOW_BOTTOM_MM = 20.0, 15.0
FOLD_MM = 297.0 / 3  # the top third of the sheet faces the window
SHEET_WIDTH_MM = 210.0


def address_area_mm() -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the part of the sheet the window shows wherever
    the folded sheet sits in the envelope (pushed to any corner)."""
    env_w, env_h = ENVELOPE_MM
    win_w, win_h = WINDOW_MM
    win_left, win_top = env_w - WINDOW_RIGHT_MM - win_w, env_h - WINDOW_BOTTOM_MM - win_h
    play_x, play_y = env_w - SHEET_WIDTH_MM, env_h - FOLD_MM
    return (win_left, win_top, win_left + win_w - play_x, win_top + win_h - play_y)


def window_mm() -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the window on the sheet when the folded sheet sits
    in the middle of the envelope: nothing but the address may print there."""
    env_w, env_h = ENVELOPE_MM
    win_w, win_h = WINDOW_MM
    shift_x, shift_y = (env_w - SHEET_WIDTH_MM) / 2, (env_h - FOLD_MM) / 2
    left = env_w - WINDOW_RIGHT_MM - win_w - shift_x
    top = env_h - WINDOW_BOTTOM_MM - win_h - shift_y
    return (left, top, left + win_w, top + win_h)


ADDRESS_AREA_MM = address_area_mm()  # (100, 50, 190, 84)
WINDOW_MIDDLE_MM = window_mm()  # (95, 44.5, 195, 89.5)

# --- the page ----------------------------------------------------------------------------
TOP_MARGIN_CM, BOTTOM_MARGIN_CM, SIDE_MARGIN_CM = 1.2, 1.9, 2.0
HEADER_CM, FOOTER_CM = 0.6, 0.6  # distance of header and footer from the edge
BODY_PT = 9.5  # the text of a letter; its tables are in 9 pt, their headers in 8.5 pt
TEXT_WIDTH_CM = 16.9  # A4 less the side margins, less a hair for the cells' padding
ADDRESS_TOP_CM = 5.3  # the address row's top: its first line's letters start near 53 mm
LEFT_COLUMN_CM = 8.6  # the address's text then starts near 106 mm (cell padding added)
LEFT_GAP_CM = 1.2  # the left column's text ends before the window (near 92 mm)
ADDRESS_ROW_CM = 9.1 - ADDRESS_TOP_CM  # the letter's text starts below the window
_GREY = RGBColor(0x59, 0x59, 0x59)


def letter_page(doc: DocumentObject) -> None:
    """A4, narrow top and bottom margins: a usual letter holds on one page."""
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Cm(TOP_MARGIN_CM), Cm(BOTTOM_MARGIN_CM)
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN_CM)
    section.header_distance, section.footer_distance = Cm(HEADER_CM), Cm(FOOTER_CM)
    normal = doc.styles["Normal"]
    normal.font.size, normal.paragraph_format.space_after = Pt(BODY_PT), Pt(2.5)


def _borderless(doc: DocumentObject, rows: int, widths: list[float], *,
                whole_rows: bool = True) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        if whole_rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _fill(cell, paragraphs: list[tuple[str, dict]]) -> None:
    """The cell's paragraphs, one run each: (text, look) with look's bold, size, after,
    align, keep. A cell keeps its first paragraph, as Word requires."""
    for number, (text, look) in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = look.get("bold")
        if "size" in look:
            run.font.size = Pt(look["size"])
        if "grey" in look:
            run.font.color.rgb = _GREY
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(look.get("after", 0))
        if "align" in look:
            paragraph.alignment = look["align"]
        if look.get("keep"):
            fmt.keep_with_next = True
        if look.get("thin"):  # an empty paragraph a cell keeps: as thin as can be
            fmt.line_spacing = run.font.size = Pt(1)


def head_and_address(doc: DocumentObject, phone: str, registered: str, subject: str) -> None:
    """Letterhead in a row of fixed height, then the place and date, "registered letter"
    and the subject on the left (the references' place in a French business letter),
    the customer's address on the right, in the window. A thin paragraph opens the
    letter: letters that start with a paragraph go into LibreOffice's bundle one after
    the other in a single section, a tenth faster to convert (compose.py)."""
    spacer(doc, 1)
    table = _borderless(doc, 2, [LEFT_COLUMN_CM, TEXT_WIDTH_CM - LEFT_COLUMN_CM],
                        whole_rows=False)
    head = table.rows[0]
    head.height = Cm(ADDRESS_TOP_CM - TOP_MARGIN_CM)
    head.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    _fill(head.cells[0], [
        ("{{ societe_raison_sociale }}", {"bold": True, "size": 14, "after": 1}),
        ("{{ societe_adresse }}", {"size": 9}),
        (f"{{% if societe_telephone %}}{phone}\u00a0{{{{ societe_telephone }}}}{{% endif %}}"
         "{% if societe_telephone and societe_email %} · {% endif %}{{ societe_email }}",
         {"size": 9})])
    address = table.rows[1]
    address.height = Cm(ADDRESS_ROW_CM)
    address.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    left, right = address.cells
    _fill(left, [("{{ lieu_date }}", {"after": 8}), ("{%p if recommande %}", {}),
                 (registered, {"bold": True, "after": 4}), ("{%p endif %}", {}),
                 (subject, {"bold": True, "after": 6})])
    for paragraph in left.paragraphs:
        paragraph.paragraph_format.right_indent = Cm(LEFT_GAP_CM)
    _fill(right, [("{{ client_nom }}", {"bold": True}),
                  ("{%p for ligne in client_adresse_lignes %}", {}), ("{{ ligne }}", {}),
                  ("{%p endfor %}", {}), ("", {"after": 8})])


def signature_block(doc: DocumentObject, closing: str, qr_caption: str,
                    department: str) -> None:
    """The closing, then in one row that cannot break: the transfer's QR code and what
    it does (when the letter asks for a transfer), and the company, the signature (its
    image, or room to sign by hand), the signatory's name and title, or the department."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(closing)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_together = True
    table = _borderless(doc, 1, [3.6, 4.9, TEXT_WIDTH_CM - 8.5])  # QR: 3.2 cm + padding
    qr, caption, signed = table.rows[0].cells
    _fill(qr, [("{%p if virement_qr %}", {}), ("{{ virement_qr }}", {}),
               ("{%p endif %}", {}), ("", {"thin": True})])
    _fill(caption, [("{%p if virement_qr %}", {}),
                    (qr_caption, {"size": 7.5, "grey": True}),
                    ("{%p endif %}", {}), ("", {"thin": True})])
    _fill(signed, [("{{ societe_raison_sociale }}", {"bold": True, "after": 2}),
                   ("{%p if signature %}", {}), ("{{ signature }}", {"after": 1}),
                   ("{%p else %}", {}), ("", {"after": 34}), ("{%p endif %}", {}),
                   ("{%p if signataire %}", {}), ("{{ signataire }}", {}),
                   ("{{ signataire_titre }}", {}), ("{%p else %}", {}),
                   (department, {}), ("{%p endif %}", {})])
    spacer(doc, 1)  # the body ends with a paragraph: a thin one, not a line of text


def footer(doc: DocumentObject) -> None:
    """The sender's legal mentions (art. R123-237 Code de commerce) at the foot of every
    page, a line only when one of its mentions is filled. The page numbers of a letter
    of several pages are stamped on its PDF (page_numbers.py): a field counting the
    pages would keep LibreOffice from converting the letters together (bundle.py)."""
    part = doc.sections[0].footer
    part.is_linked_to_previous = False
    lines = ["{%p for m in societe_mentions %}", "{{ m }}", "{%p endfor %}"]
    for paragraph, text in zip([part.paragraphs[0], part.add_paragraph(),
                                part.add_paragraph()], lines, strict=True):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.font.size, run.font.color.rgb = Pt(7), _GREY


def spacer(doc: DocumentObject, points: float = 5) -> None:
    """A thin empty paragraph between two blocks (after a table, Word needs one)."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(0), Pt(0)
    fmt.line_spacing = Pt(points)
    paragraph.add_run("").font.size = Pt(points)
