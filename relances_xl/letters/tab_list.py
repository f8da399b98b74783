"""The letters' lists (invoices, interest periods, credits, charges) as paragraphs on
tab stops, not Word tables.

LibreOffice spends most of a letter's conversion on its tables: 16 of its 19 ms of
CPU went to the 3.6 tables and 36 cells of a letter (docs/performance.md, "Where
LibreOffice's time goes"). A list laid out as one paragraph per line, its columns on
tab stops (left for text, right for amounts at the column's right edge), reads the
same on paper: a shaded header line ruled below, one line per item repeated by a
docxtpl `{%p for %}` loop, a bold totals line ruled above; LibreOffice then spends
0.57-0.69x the CPU on a letter ("Fourth session: letters"). What a table did and this
does not: a header repeated on the following page when a list runs over one, and a
cell that wraps a text too long for its column. The letters' widths (LETTER_LISTS) are
checked against the longest text each column may hold (`collisions`), and the column
of free text, when there is one, comes last and wraps under itself (a hanging indent).
"""

from __future__ import annotations

from itertools import pairwise

from docx.document import Document as DocumentObject
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import page_layout
from .wording import COLUMNS, CREDIT_COLUMNS

HEADER_FILL = "E7E6E6"
ROW_PT, HEADER_PT = 9, 8.5
PAD_CM = 0.12  # between a column's edge and its text, as a table cell's padding
GAP_CM = 0.1  # the least room between two texts of a line
_RULE = {"val": "single", "sz": "4", "space": "1", "color": "808080"}
# what follows w:pBdr and w:shd in a paragraph's properties (the schema's order)
_AFTER_SHADING = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                  "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                  "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                  "w:pPrChange")

Column = tuple[float, str, bool]  # width in cm (before scaling), header, right-aligned
PLAIN_COLUMNS = ["numero", "date", "echeance", "montant", "reste_du", "jours_retard"]

# The letters' lists: their columns, and widths of their own where a
# table's cell would have wrapped: an invoice number of 13 characters, 99 999,99 $US,
# "Tage Verzug" each stay clear of the next column (tests/test_tab_list.py)
LETTER_LISTS: dict[str, tuple[list[str], dict]] = {
    "invoices": (PLAIN_COLUMNS, COLUMNS),
    "invoices_private": ([*PLAIN_COLUMNS, "interets"], COLUMNS),
    "invoices_interest": ([*PLAIN_COLUMNS, "interets", "indemnite"], COLUMNS),
    "periods": (["numero", "du", "au", "principal", "jours", "taux"], COLUMNS),
    # the description last: it wraps under itself
    "credits": (["date", "numero", "montant", "libelle"], CREDIT_COLUMNS),
}
_LIST_WIDTHS = {"numero": 2.4, "date": 1.8, "echeance": 1.8, "du": 1.8, "au": 1.8,
                "montant": 2.25, "reste_du": 2.25, "interets": 2.25, "indemnite": 2.25,
                "jours_retard": 1.9}


def list_columns(name: str, langue: str) -> list[Column]:
    """The columns of the letters' list `name` (LETTER_LISTS) in `langue`."""
    keys, spec = LETTER_LISTS[name]
    widths = _LIST_WIDTHS if spec is COLUMNS else {}
    return [(widths.get(key, spec[key][0]), spec[key][1][langue], spec[key][2])
            for key in keys]


def edges(widths: list[float], total: float = page_layout.TEXT_WIDTH_CM) -> list[float]:
    """The columns' left edges and the last one's right edge, in cm, the widths scaled
    so that the list is as wide as `total`."""
    scale = total / sum(widths)
    found = [0.0]
    for width in widths:
        found.append(found[-1] + width * scale)
    return found


def stops(columns: list[Column]) -> list[tuple[float, bool]]:
    """Each column's tab stop: (position in cm, right-aligned). A text column starts
    PAD_CM after its left edge, an amount ends PAD_CM before its right edge."""
    at = edges([width for width, _, _ in columns])
    return [(at[i + 1] - PAD_CM if right else at[i] + PAD_CM, right)
            for i, (_, _, right) in enumerate(columns)]


def collisions(columns: list[Column], texts: list[str], size: float, bold: bool = False
               ) -> list[tuple[str, str]]:
    """The neighbouring texts of one line (one per column, "" for none) that would run
    into each other at `size` points, measured with Helvetica's widths (Arial's and
    Liberation Sans's): a tab stop the text before it has passed sends the rest of the
    line one column too far, so each text must end GAP_CM before the next begins."""
    font = "Helvetica-Bold" if bold else "Helvetica"
    spans = []
    for (position, right), text in zip(stops(columns), texts, strict=True):
        width = stringWidth(text, font, size) / 72 * 2.54
        if text:
            spans.append((text, position - width if right else position,
                          position if right else position + width))
    return [(before[0], after[0]) for before, after in pairwise(spans)
            if before[2] + GAP_CM > after[1]]


def list_block(doc: DocumentObject, columns: list[Column], loop: str, cells: list[str],
               totals: list[str] | None = None, total_label: str = "",
               wrap_last: bool = False, header: bool = True) -> None:
    """Header line (unless not `header`), `{%p for <loop> %}` one line of `cells` (Jinja
    expressions), and a totals line when `totals` (one expression or "" per column) is
    given: the label at the left, each total under its column. `wrap_last`: the last
    column is free text, its lines wrap under its own left edge."""
    places = stops(columns)
    if header:
        head = _line(doc, places, [title for _, title, _ in columns], size=HEADER_PT,
                     bold=True, wrap_last=wrap_last)
        _shade(head)
        _rule(head, "bottom")
        head.paragraph_format.keep_with_next = True
    _plain(doc, f"{{%p for {loop} %}}")
    at = edges([width for width, _, _ in columns])
    # two columns, a text and an amount (the charges claimed): the text wraps before the
    # amount's column, the amount on the text's last line
    short_of = at[-1] - at[-2] if len(columns) == 2 and columns[-1][2] else 0
    _line(doc, places, [f"{{{{ {cell} }}}}" for cell in cells], size=ROW_PT,
          wrap_last=wrap_last, short_of=short_of)
    _plain(doc, "{%p endfor %}")
    if totals is None:
        return
    kept = [(place, f"{{{{ {total} }}}}") for place, total in zip(places, totals, strict=True)
            if total]
    last = _line(doc, [(PAD_CM, False), *[place for place, _ in kept]],
                 [total_label, *[text for _, text in kept]], size=ROW_PT, bold=True)
    _rule(last, "top")


def _line(doc: DocumentObject, places: list[tuple[float, bool]], texts: list[str], *,
          size: float, bold: bool = False, wrap_last: bool = False, short_of: float = 0
          ) -> Paragraph:
    """One paragraph: each text at its stop (the first at the left edge when its stop
    is 0, else after a tab), in one run so that no Jinja tag straddles two runs."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.line_spacing = Pt(0), 1.0  # single, as in a table's cells
    for position, right in places:
        if position:
            fmt.tab_stops.add_tab_stop(Cm(position), WD_TAB_ALIGNMENT.RIGHT if right
                                       else WD_TAB_ALIGNMENT.LEFT)
    if wrap_last:  # wrapped lines start at the last column's stop
        fmt.left_indent = Cm(places[-1][0])
        fmt.first_line_indent = Cm(-places[-1][0])
    if short_of:  # a text and its amount: the text wraps short of the amount's column,
        fmt.right_indent = Cm(short_of)  # under its own first letter
        fmt.left_indent, fmt.first_line_indent = Cm(PAD_CM), Cm(-PAD_CM)
    text = "".join(("\t" if position else "") + cell
                   for (position, _), cell in zip(places, texts, strict=True))
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold or None
    return paragraph


def _plain(doc: DocumentObject, text: str) -> None:
    doc.add_paragraph().add_run(text)


def _shade(paragraph: Paragraph) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", HEADER_FILL)):
        shading.set(qn(f"w:{key}"), value)
    paragraph._p.get_or_add_pPr().insert_element_before(shading, *_AFTER_SHADING)


def _rule(paragraph: Paragraph, side: str) -> None:
    """A thin grey rule above or below the paragraph."""
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in _RULE.items():
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, "w:shd", *_AFTER_SHADING)
