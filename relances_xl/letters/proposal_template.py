"""The proposal's template (PROP01): an overview of the customers, then per customer the
invoices to remind, its credits, its balance and QR code, its disputed invoices apart;
the promises, the rows left unticked and the totals.

Apart from `make_templates.py` because the proposal is no letter: the accountant reads
it to decide and keeps it, so it is made of Word tables whose header repeats on each
page, numbered "page N / M", with none of the letter's page (letterhead, envelope
window, signature). Its fields are those of `context.proposal_context`.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from ..config import PROPOSAL_FORME
from . import page_layout
from .commitment import PROMISE_COLUMNS, PROMISES_TITLE
from .docx_blocks import (
    HEADER_FILL,
    TEXT_WIDTH,
    cell,
    grid,
    loop_table,
    new_document,
    para,
    stable_bytes,
    two_columns,
)
from .letter_template import credits_block
from .wording import OVERVIEW, OVERVIEW_TITLE, PROPOSAL, PROPOSAL_MORE, WORDS


def build_proposal(langue: str) -> bytes:
    """PROP01: per customer its invoices to remind, its disputed ones apart, then totals."""
    words = PROPOSAL[langue]
    doc = new_document(f"{PROPOSAL_FORME} ({langue})", langue)
    _page_numbers(doc, langue)
    para(doc, words["title"], style="Heading 1")
    para(doc, words["due"], after=2)
    para(doc, PROPOSAL_MORE[langue]["printed"], size=9, after=12)
    _overview_table(doc, langue)
    para(doc, "{%p for c in clients %}")
    para(doc, "{{ c.tiers }} – {{ c.adresse }}", style="Heading 2")
    para(doc, words["info"], keep=True)
    loop_table(doc, langue, "l in c.lignes",
               ["numero", "date", "echeance", "montant", "reste_du", "jours_retard", "niveau"],
               {"reste_du": "c.total_reste_du"}, words["lines_total"])
    credits_block(doc, langue, "non_imputes", "c.", WORDS[langue])
    para(doc, words["claimed"], after=6)
    _balance_and_qr(doc, langue)
    para(doc, "{%p if c.litiges %}")
    para(doc, words["disputed"], bold=True, keep=True)
    loop_table(doc, langue, "l in c.litiges",
               ["numero", "date", "echeance", "montant", "reste_du", "jours_retard", "niveau"],
               {"reste_du": "c.total_litiges"}, words["disputed_total"])
    page_layout.spacer(doc)
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if promesses %}")  # the Suivi sheet's promises (letters/commitment.py)
    para(doc, PROMISES_TITLE[langue], style="Heading 2")
    loop_table(doc, langue, "p in promesses", list(PROMISE_COLUMNS), {}, "",
               spec=PROMISE_COLUMNS)
    para(doc, "{%p endif %}")
    _unticked_table(doc, langue)
    para(doc, words["summary"], style="Heading 2")
    two_columns(doc, words["summary_rows"], bold_last=False)
    para(doc, "")
    return stable_bytes(doc)


def _overview_table(doc: DocumentObject, langue: str) -> None:
    """One line per customer before the details: level, template, how its letter goes
    (post, e-mail, registered), its language and what it claims."""
    para(doc, OVERVIEW_TITLE[langue], style="Heading 2")
    table = grid(doc, 5, [spec[0] for spec in OVERVIEW.values()])
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for target, (_, titles, right, _) in zip(header.cells, OVERVIEW.values(), strict=True):
        cell(target, titles[langue], bold=True, right=right, fill=HEADER_FILL)
    cell(table.rows[1].cells[0], "{%tr for c in clients %}")
    for target, (_, _, right, value) in zip(table.rows[2].cells, OVERVIEW.values(),
                                            strict=True):
        cell(target, value[langue] if isinstance(value, dict) else value, right=right)
    cell(table.rows[3].cells[0], "{%tr endfor %}")
    last = table.rows[4].cells
    cell(last[-1], "{{ total_reclame }}", bold=True, right=True)
    cell(last[0].merge(last[-2]), PROPOSAL[langue]["summary_rows"][6][0], bold=True)
    page_layout.spacer(doc, 8)


def _page_numbers(doc: DocumentObject, langue: str) -> None:
    """"page N / M" at the foot of each page of the proposal."""
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page = PROPOSAL_MORE[langue]["page"]
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="16"/></w:rPr>'
        f'<w:t xml:space="preserve">{page} </w:t></w:r>'))
    for field, after in (("PAGE", " / "), ("NUMPAGES", "")):
        paragraph._p.append(parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="{field}"><w:r><w:rPr><w:sz w:val="16"/>'
            f'</w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))
        if after:
            paragraph._p.append(parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="16"/></w:rPr>'
                f'<w:t xml:space="preserve">{after}</w:t></w:r>'))


def _balance_and_qr(doc: DocumentObject, langue: str) -> None:
    """The customer's balance, and beside it the QR code its letter will carry."""
    words = PROPOSAL_MORE[langue]
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    cells = table.rows[0].cells
    for column, target, width in zip(table.columns, cells, (TEXT_WIDTH - 3.8, 3.8),
                                     strict=True):
        column.width = target.width = Cm(width)
    left, right = cells
    left.paragraphs[0].add_run(words["balance"])
    caption = left.add_paragraph()
    caption.add_run("{% if c.virement_qr %}" + words["qr"] + "{% endif %}")
    caption.runs[0].font.size = Pt(8)
    right.paragraphs[0].add_run("{%p if c.virement_qr %}")
    right.add_paragraph().add_run("{{ c.virement_qr }}")
    right.add_paragraph().add_run("{%p endif %}")
    right.add_paragraph()  # a cell keeps one paragraph, as Word requires
    for paragraph in right.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)


def _unticked_table(doc: DocumentObject, langue: str) -> None:
    """The rows left unticked "A relancer", with their motif: who gets no letter, and why."""
    words = PROPOSAL_MORE[langue]
    keys = ["tiers", "nom", "societe", "niveau", "solde_comptable", "encours_relance", "motif"]
    widths = [2.0, 3.2, 1.7, 1.6, 2.3, 2.3, 3.8]
    right = {"niveau", "solde_comptable", "encours_relance"}
    para(doc, "{%p if non_relances %}")
    para(doc, words["unticked"], style="Heading 2")
    table = grid(doc, 4, widths)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for target, key, title in zip(header.cells, keys, words["unticked_columns"], strict=True):
        cell(target, title, bold=True, right=key in right, fill=HEADER_FILL)
    cell(table.rows[1].cells[0], "{%tr for n in non_relances %}")
    for target, key in zip(table.rows[2].cells, keys, strict=True):
        cell(target, f"{{{{ n.{key} }}}}", right=key in right)
    cell(table.rows[3].cells[0], "{%tr endfor %}")
    page_layout.spacer(doc)
    para(doc, "{%p endif %}")
