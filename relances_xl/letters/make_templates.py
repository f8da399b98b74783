"""Writes the Word templates of the top-level `templates/` and their README, reproducibly.

The .docx files are committed and edited by users in Word, yet they are generated
here so that a wording fix reaches the nine letters and the proposals at once,
and so that a test can check the committed files are exactly what this module
writes (fixed core-property dates and zip timestamps). Run
`python -m relances_xl.letters.make_templates` after changing it.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from .. import layout, sample
from ..config import (
    CALL_LEVELS,
    DEFAULT_LEVELS,
    LANGUES,
    PROPOSAL_FORME,
    TEMPLATES,
    Company,
    ExchangeRate,
    Settings,
)
from ..ledger import read_ledger
from ..model import Filters, HistoryEntry, Ledger
from ..rules.engine import compute_reminders
from ..rules.rates_table import SHIPPED_RATES
from ..texts import money
from . import page_layout, tab_list
from .commitment import PROMISE_COLUMNS, PROMISES_TITLE
from .context import letter_context, proposal_context
from .docx_lean import lean_parts
from .epc import Picture, TransferQr
from .fields import LETTER_FIELDS, PROPOSAL_FIELDS
from .render import TEMPLATES_DIR
from .wording import (
    COLUMNS,
    CREDIT_COLUMNS,
    LETTERS,
    OVERVIEW,
    OVERVIEW_TITLE,
    PROPOSAL,
    PROPOSAL_MORE,
    PUBLIC,
    README_HEAD,
    SIGNING,
    WORDS,
)

# the letters and their flags are declared once, `config.TEMPLATES`
_TEMPLATES = {template.forme: template for template in TEMPLATES}
LETTER_FORMES = tuple(_TEMPLATES)
FONT = "Arial"
_FIXED = datetime(2022, 1, 1, tzinfo=UTC)
_ZIP_TIME = (2022, 1, 1, 0, 0, 0)
_HEADER_FILL = tab_list.HEADER_FILL  # the tables' header rows, as the letters' lists
_TEXT_WIDTH = page_layout.TEXT_WIDTH_CM


# --- documents -------------------------------------------------------------------------


def _new_document(title: str) -> DocumentObject:
    """A4, 2 cm margins, Arial everywhere (Liberation Sans where Arial is absent)."""
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
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(3)
    for name, size in (("Heading 1", 16), ("Heading 2", 12)):
        style = doc.styles[name]
        style.font.size, style.font.color.rgb = Pt(size), RGBColor(0x1F, 0x1F, 0x1F)
    _fixed_properties(doc, title)
    return doc


def _fixed_properties(doc: DocumentObject, title: str) -> None:
    """Same metadata on every run, and no stray python-docx thumbnail in Word's preview."""
    props = doc.core_properties
    props.title, props.subject = title, "relances_xl"
    props.author = props.last_modified_by = "relances_xl"
    props.created = props.modified = props.last_printed = _FIXED
    props.revision = 1
    rels = doc.part.package.rels
    for key in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[key]


def _para(doc: DocumentObject, text: str = "", *, bold: bool = False, size: float | None = None,
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


def _stable_bytes(doc: DocumentObject) -> bytes:
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


def _cell(cell: _Cell, text: str, *, bold: bool = False, right: bool = False,
          fill: str | None = None) -> None:
    paragraph = cell.paragraphs[0]
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
        cell._tc.get_or_add_tcPr().append(shading)


def _grid(doc: DocumentObject, rows: int, widths: list[float]) -> Table:
    """A bordered table as wide as the text, its columns in the proportions given."""
    widths = [w * _TEXT_WIDTH / sum(widths) for w in widths]
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _loop_table(doc: DocumentObject, langue: str, loop: str, columns: list[str],
                totals: dict[str, str], total_label: str, spec: dict = COLUMNS) -> None:
    """Header, a docxtpl row loop over `loop` ("l in lignes"), and a bold totals row
    (none when `totals` is empty); `spec` gives the columns' widths and headers."""
    widths = [spec[key][0] for key in columns]
    table = _grid(doc, 5 if totals else 4, widths)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
    for cell, key in zip(header.cells, columns, strict=True):
        _cell(cell, spec[key][1][langue], bold=True, right=spec[key][2], fill=_HEADER_FILL)
    _cell(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    item = loop.split()[0]
    for cell, key in zip(table.rows[2].cells, columns, strict=True):
        _cell(cell, f"{{{{ {item}.{key} }}}}", right=spec[key][2])
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    if not totals:
        return
    last = table.rows[4].cells
    first = min(columns.index(key) for key in totals)
    for index, key in enumerate(columns):
        if key in totals:
            _cell(last[index], f"{{{{ {totals[key]} }}}}", bold=True, right=True)
    label = last[0].merge(last[first - 1]) if first > 1 else last[0]
    _cell(label, total_label, bold=True)


def _two_columns(doc: DocumentObject, rows: list[tuple[str, str]], *, loop: str = "",
                 bold_last: bool = False) -> None:
    """A label | amount table; with `loop` ("t in tranches") its one data row repeats."""
    widths = [14.4, 2.5]
    body = [(f"{{%tr for {loop} %}}", ""), *rows[:1], ("{%tr endfor %}", ""),
            *rows[1:]] if loop else rows
    table = _grid(doc, len(body), widths)
    for number, (row, (label, value)) in enumerate(zip(table.rows, body, strict=True)):
        bold = bold_last and number == len(body) - 1
        _cell(row.cells[0], label, bold=bold)
        _cell(row.cells[1], value, bold=bold, right=True)


# --- letters ---------------------------------------------------------------------------


def build_letter(forme: str, langue: str) -> bytes:
    """LET01/LET02/LET03/ADM01/ADM02 in one language, as .docx bytes: one page for a
    usual letter (page_layout.py says where each part sits, and why)."""
    words, text, signing = WORDS[langue], LETTERS[forme][langue], SIGNING[langue]
    template = _TEMPLATES[forme]
    doc = _new_document(f"{forme} ({langue})")
    page_layout.letter_page(doc)
    page_layout.footer(doc)
    page_layout.head_and_address(doc, signing["phone"], signing["registered"],
                                 words["subject"])
    _para(doc, words["salutation"])
    _by_count(doc, text, "intro")
    if template.private_columns:  # a private customer owes no indemnity: no column for it
        _para(doc, "{%p if particulier %}")
        _invoice_table(doc, langue, "invoices_private")
        _para(doc, "{%p else %}")
        _invoice_table(doc, langue, "invoices_interest")
        _para(doc, "{%p endif %}")
    elif template.interest:
        _invoice_table(doc, langue, "invoices_interest")
    else:
        _invoice_table(doc, langue, "invoices")
    if template.interest:
        _periods_block(doc, langue, words)
    _credits_block(doc, langue, "non_imputes", "", words, as_list=True)
    _para(doc, "{%p if engagement %}")  # a broken promise, a missed instalment (Suivi)
    _para(doc, "{{ engagement }}")
    _para(doc, "{%p endif %}")
    _agios_block(doc, langue, words)
    _para(doc, words["total_due"], bold=True, after=6)
    if template.interest:  # a letter in dollars: the D441-5 indemnity, in euros, beside
        _para(doc, "{%p if mention_indemnite_euros %}")
        _para(doc, "{{ mention_indemnite_euros }}", after=6)
        _para(doc, "{%p endif %}")
    # from the demand on, every paragraph keeps with the next down to the signature: a
    # letter that runs over a page carries its demand to the page of its closing, never
    # the closing and the signature alone
    _by_count(doc, text, "after", keep=True)
    if "pro" in text:
        _para(doc, "{%p if particulier %}")
        _para(doc, text["particulier"], keep=True)
        _para(doc, "{%p else %}")
        _para(doc, text["pro"], keep=True)
        _para(doc, "{%p endif %}")
        _para(doc, text["consequence"], keep=True)
    if template.public:
        _public_payment_block(doc, langue)
    else:
        _payment_block(doc, langue)
    _by_count(doc, text, "disregard", keep=True)
    _para(doc, "{%p if societe_email %}")
    _para(doc, words["contact"], keep=True)
    _para(doc, "{%p endif %}")
    page_layout.signature_block(doc, words["closing"], signing["qr"], words["department"])
    return _stable_bytes(doc)


def _by_count(doc: DocumentObject, text: dict, key: str, *, keep: bool = False) -> None:
    """The paragraphs of `key`, in the singular for a letter of one invoice when the
    wording has a `<key>_1` ("la facture ci-dessous n'est pas réglée"), else as they are;
    `keep`: each keeps with the next (the closing)."""
    singular = text.get(f"{key}_1")
    if singular is None:
        for paragraph in text.get(key, []):
            _para(doc, paragraph, keep=keep)
        return
    _para(doc, "{%p if nb_factures == 1 %}")
    for paragraph in singular:
        _para(doc, paragraph, keep=keep)
    _para(doc, "{%p else %}")
    for paragraph in text[key]:
        _para(doc, paragraph, keep=keep)
    _para(doc, "{%p endif %}")


def _payment_block(doc: DocumentObject, langue: str) -> None:
    """How to pay, by the letter's payment mode (the QR code goes by the signature)."""
    words = SIGNING[langue]
    _para(doc, '{%p if mode_reglement == "cheque" %}')
    _para(doc, words["pay_cheque"], keep=True)
    _para(doc, "{%p elif societe_iban %}")
    _para(doc, '{%p if mode_reglement == "lcr" %}')
    _para(doc, words["pay_lcr"], keep=True)
    _para(doc, '{%p elif mode_reglement == "prelevement" %}')
    _para(doc, words["pay_prelevement"], keep=True)
    _para(doc, "{%p else %}")
    _para(doc, WORDS[langue]["pay"], keep=True)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endif %}")


def _public_payment_block(doc: DocumentObject, langue: str) -> None:
    """A public buyer pays by transfer, through its public accountant, once the invoice
    is received on Chorus Pro: never a cheque, whatever the customer's payment mode."""
    _para(doc, PUBLIC[langue]["chorus"], keep=True)
    _para(doc, "{%p if societe_iban %}")
    _para(doc, PUBLIC[langue]["pay"], keep=True)
    _para(doc, "{%p endif %}")


def _invoice_table(doc: DocumentObject, langue: str, name: str) -> None:
    """The invoices reminded, one line each, and their totals: the list `name` of
    tab_list.LETTER_LISTS."""
    totals = {"montant": "total_montant", "reste_du": "total_reste_du",
              "interets": "total_interets", "indemnite": "total_indemnites"}
    columns = tab_list.LETTER_LISTS[name][0]
    _list(langue, doc, "l in lignes", name, [totals.get(key, "") for key in columns],
          WORDS[langue]["total"])
    page_layout.spacer(doc)


def _list(langue: str, doc: DocumentObject, loop: str, name: str,
          totals: list[str] | None = None, total_label: str = "") -> None:
    """A letter's list on tab stops (tab_list.py), one line per item of `loop`."""
    item = loop.split()[0]
    tab_list.list_block(doc, tab_list.list_columns(name, langue), loop,
                        [f"{item}.{key}" for key in tab_list.LETTER_LISTS[name][0]], totals,
                        total_label, wrap_last=name == "credits")


def _periods_block(doc: DocumentObject, langue: str, words: dict[str, str]) -> None:
    """Each invoice's interest, one line per period: its days, the principal still owed
    on them and the annual rate (a payment or a new rate starts a new period)."""
    _para(doc, "{%p if periodes %}")
    _para(doc, words["periods_title"], bold=True, keep=True)
    _list(langue, doc, "p in periodes", "periods")
    page_layout.spacer(doc)
    _para(doc, "{%p endif %}")


def _credits_block(doc: DocumentObject, langue: str, field: str, prefix: str,
                   words: dict[str, str], *, as_list: bool = False) -> None:
    """The payments and credit notes no invoice took, deducted, and what is left to pay;
    absent when there are none (`prefix` "c." inside the proposal's loop). `as_list`: on
    tab stops (a letter), the amount before the description, which wraps under itself."""
    _para(doc, f"{{%p if {prefix}{field} %}}")
    _para(doc, words["credits_title"], bold=True, keep=True)
    if as_list:
        _list(langue, doc, f"n in {prefix}{field}", "credits",
              ["", "", f"{prefix}total_non_impute", ""], words["credits_total"])
    else:
        _loop_table(doc, langue, f"n in {prefix}{field}", list(CREDIT_COLUMNS),
                    {"montant": f"{prefix}total_non_impute"}, words["credits_total"],
                    spec=CREDIT_COLUMNS)
    page_layout.spacer(doc, 3)
    _para(doc, words["left_to_pay"].replace("{{ ", "{{ " + prefix), bold=True, after=6)
    _para(doc, "{%p endif %}")


def _agios_block(doc: DocumentObject, langue: str, words: dict[str, str]) -> None:
    """The charges claimed, one line each with its legal basis; absent when none."""
    _para(doc, "{%p if agios %}")
    _para(doc, words["agios_title"], bold=True, keep=True)
    tab_list.list_block(doc, [(14.4, "", False), (2.5, "", True)], "a in agios",
                        ["a.libelle", "a.montant"], ["", "total_agios"],
                        words["agios_total"], header=False)
    page_layout.spacer(doc)
    _para(doc, "{%p endif %}")


# --- the proposal ----------------------------------------------------------------------


def build_proposal(langue: str) -> bytes:
    """PROP01: per customer its invoices to remind, its disputed ones apart, then totals."""
    words = PROPOSAL[langue]
    doc = _new_document(f"{PROPOSAL_FORME} ({langue})")
    _page_numbers(doc, langue)
    _para(doc, words["title"], style="Heading 1")
    _para(doc, words["due"], after=2)
    _para(doc, PROPOSAL_MORE[langue]["printed"], size=9, after=12)
    _overview_table(doc, langue)
    _para(doc, "{%p for c in clients %}")
    _para(doc, "{{ c.tiers }} – {{ c.adresse }}", style="Heading 2")
    _para(doc, words["info"], keep=True)
    _loop_table(doc, langue, "l in c.lignes",
                ["numero", "date", "echeance", "montant", "reste_du", "jours_retard", "niveau"],
                {"reste_du": "c.total_reste_du"}, words["lines_total"])
    _credits_block(doc, langue, "non_imputes", "c.", WORDS[langue])
    _para(doc, words["claimed"], after=6)
    _balance_and_qr(doc, langue)
    _para(doc, "{%p if c.litiges %}")
    _para(doc, words["disputed"], bold=True, keep=True)
    _loop_table(doc, langue, "l in c.litiges",
                ["numero", "date", "echeance", "montant", "reste_du", "jours_retard", "niveau"],
                {"reste_du": "c.total_litiges"}, words["disputed_total"])
    page_layout.spacer(doc)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if promesses %}")  # the Suivi sheet's promises (letters/commitment.py)
    _para(doc, PROMISES_TITLE[langue], style="Heading 2")
    _loop_table(doc, langue, "p in promesses", list(PROMISE_COLUMNS), {}, "",
                spec=PROMISE_COLUMNS)
    _para(doc, "{%p endif %}")
    _unticked_table(doc, langue)
    _para(doc, words["summary"], style="Heading 2")
    _two_columns(doc, words["summary_rows"], bold_last=False)
    _para(doc, "")
    return _stable_bytes(doc)


def _overview_table(doc: DocumentObject, langue: str) -> None:
    """One line per customer before the details: level, template, how its letter goes
    (post, e-mail, registered), its language and what it claims."""
    _para(doc, OVERVIEW_TITLE[langue], style="Heading 2")
    table = _grid(doc, 5, [spec[0] for spec in OVERVIEW.values()])
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, (_, titles, right, _) in zip(header.cells, OVERVIEW.values(), strict=True):
        _cell(cell, titles[langue], bold=True, right=right, fill=_HEADER_FILL)
    _cell(table.rows[1].cells[0], "{%tr for c in clients %}")
    for cell, (_, _, right, value) in zip(table.rows[2].cells, OVERVIEW.values(), strict=True):
        _cell(cell, value[langue] if isinstance(value, dict) else value, right=right)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    last = table.rows[4].cells
    _cell(last[-1], "{{ total_reclame }}", bold=True, right=True)
    _cell(last[0].merge(last[-2]), PROPOSAL[langue]["summary_rows"][6][0], bold=True)
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
    for column, cell, width in zip(table.columns, cells, (_TEXT_WIDTH - 3.8, 3.8),
                                   strict=True):
        column.width = cell.width = Cm(width)
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
    _para(doc, "{%p if non_relances %}")
    _para(doc, words["unticked"], style="Heading 2")
    table = _grid(doc, 4, widths)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, key, title in zip(header.cells, keys, words["unticked_columns"], strict=True):
        _cell(cell, title, bold=True, right=key in right, fill=_HEADER_FILL)
    _cell(table.rows[1].cells[0], "{%tr for n in non_relances %}")
    for cell, key in zip(table.rows[2].cells, keys, strict=True):
        _cell(cell, f"{{{{ n.{key} }}}}", right=key in right)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    page_layout.spacer(doc)
    _para(doc, "{%p endif %}")


# --- the sample and the README --------------------------------------------------------


def sample_ledger() -> tuple[Ledger, Settings]:
    """The built-in sample, read the way the workbook's sheets are, with default levels
    and the rates by half-year the workbook ships."""
    columns = {layout.CLIENTS: layout.CLIENTS_COLUMNS, layout.FACTURES: layout.FACTURES_COLUMNS,
               layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS,
               layout.HISTORIQUE: layout.HISTORIQUE_COLUMNS}
    blocks = {sheet: [list(columns[sheet]), *rows] for sheet, rows in sample.sheet_rows().items()}
    ledger, problems = read_ledger(blocks)
    if any(p.blocking for p in problems):
        raise ValueError("; ".join(str(p) for p in problems))
    names = list(layout.PARAMETRES_COMPANIES_COLUMNS.values())
    companies = tuple(Company(**dict(zip(names, row, strict=True))) for row in sample.companies())
    rates = tuple(ExchangeRate(devise, units, on) for devise, units, on in sample.exchange_rates())
    return ledger, Settings(levels=(*DEFAULT_LEVELS, *CALL_LEVELS),
                            companies=tuple(c for c in companies if not c.devise),
                            comptes_devise=tuple(c for c in companies if c.devise),
                            taux_periodes=SHIPPED_RATES, taux_change=rates)


def sample_inputs() -> tuple[Ledger, Settings, date]:
    """The sample after every ticked letter of 27/07/2022 was issued, seen on 15/09/2022.

    That second run reaches the formal notice for 1FRNEG and the private customer
    2FRPAR, so the examples and tests see interest, indemnity and the legal wording.
    """
    ledger, settings = sample_ledger()
    rows, _ = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    issued = tuple(HistoryEntry(sample.DEMO_DATE, r.societe, r.tiers, ln.invoice.piece,
                                ln.niveau, "pdf")
                   for r in rows if r.a_relancer for ln in r.lines)
    ledger = Ledger(ledger.customers, ledger.invoices, ledger.payments, ledger.history + issued)
    return ledger, settings, date(2022, 9, 15)


def readme_text() -> str:
    """templates/README.md: every field a template may use, with an example value."""
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    row = next(r for r in rows if (r.tiers, r.societe) == ("1FRNEG", "VIGNE"))
    customer = next(c for c in ledger.customers if c.tiers == row.tiers)
    company = next(c for c in settings.companies if c.societe == row.societe)
    letter = letter_context(row, customer, company, settings, on,
                            signature=sample.SIGNATURE_IMAGE.read_bytes())
    # a filter every sample customer meets: the example shows one, the rows stay all
    everyone = Filters(date=on, representants=frozenset({"REP01", "REP02"}))
    proposal = proposal_context(rows, ledger, settings, on, filters=everyone, printed=on)
    parts = [README_HEAD,
             f"## Lettres ({', '.join(LETTER_FORMES)})\n", _field_table(LETTER_FIELDS, letter),
             "## Proposition (PROP01)\n", _field_table(PROPOSAL_FIELDS, proposal)]
    return "\n".join(parts)


def _field_table(fields: dict[str, str], context: dict) -> str:
    lines = ["| Champ | Description | Exemple |", "|---|---|---|"]
    for path, text in fields.items():
        example = _show(_example(context, path)).replace("|", "\\|")
        lines.append(f"| `{path}` | {text} | {example} |")
    return "\n".join(lines) + "\n"


def _example(context: dict, path: str) -> object:
    """The first value found at `path`, looking into every item of the lists on the way."""
    values: list[object] = [context]
    for part in path.split("."):
        name, is_list = part.removesuffix("[]"), part.endswith("[]")
        found = [v[name] for v in values if isinstance(v, dict) and name in v]
        values = [item for v in found for item in v] if is_list else found
    return values[0] if values else ""


def _show(value: object) -> str:
    if isinstance(value, TransferQr):
        return f"image : virement de {money(value.amount)} sur {value.iban}, « {value.text} »"
    if isinstance(value, Picture):
        return "image"
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return " / ".join(value)
        return f"liste ({len(value)} élément{'s' if len(value) > 1 else ''})"
    if isinstance(value, Decimal):
        return f"`Decimal('{value}')`"
    return str(value) if value != "" else "(vide)"


# --- writing ---------------------------------------------------------------------------


def template_files() -> dict[str, bytes]:
    """File name -> bytes of every template, and the README."""
    files = {f"{forme}_{langue}.docx": build_letter(forme, langue)
             for forme in LETTER_FORMES for langue in LANGUES}
    files.update({f"{PROPOSAL_FORME}_{langue}.docx": build_proposal(langue)
                  for langue in LANGUES})
    from .make_statement import statement_files  # it builds on this module's helpers

    files.update(statement_files())
    from .make_recovery import recovery_files  # the same helpers, French only

    files.update(recovery_files())
    files["README.md"] = readme_text().encode("utf-8")
    return files


def write_templates(folder: Path = TEMPLATES_DIR) -> list[Path]:
    """(Re)write the templates and README into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in template_files().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else TEMPLATES_DIR
    for path in write_templates(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
