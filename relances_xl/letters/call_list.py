"""The call list: the rows whose level's canal is `Appel` (issue 26), as a PDF.

`lettres` never prints these rows as letters, whatever its output: per customer, who to
call (name, phone, e-mail), the invoices and what is owed, what to ask, and room to note
the answer. Written as a Word document (python-docx, as the templates are) and turned
into `AAAA-MM-JJ_appels.pdf` by the letters' own converter (Word, LibreOffice, or the
simplified PDF).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NamedTuple

import docx

from ..config import CANAL_APPEL, SORTIE_APPEL, Settings
from ..model import HistoryEntry, Ledger, ReminderRow
from ..texts import money
from . import pdf
from .docx_blocks import new_document

ANSWER_LINES = 3


class Call(NamedTuple):
    """One customer to call, in one company."""

    row: ReminderRow
    nom: str
    telephone: str
    email: str
    demande: str  # what to ask


def call_rows(rows: Iterable[ReminderRow], ledger: Ledger, settings: Settings
              ) -> list[ReminderRow]:
    """The rows whose level is made as a phone call (its set's "Canal")."""
    if all(level.canal != CANAL_APPEL for level in settings.levels):
        return []
    conditions = {c.tiers: c.conditions for c in ledger.customers}
    found = []
    for row in rows:
        if row.niveau:
            levels = settings.level_set(conditions.get(row.tiers, ""))
            if levels.level(min(row.niveau, levels.top)).canal == CANAL_APPEL:
                found.append(row)
    return found


def calls(rows: Iterable[ReminderRow], ledger: Ledger) -> list[Call]:
    """The rows as calls: the customer's contact and what to ask."""
    customers = {c.tiers: c for c in ledger.customers}
    found = []
    for row in rows:
        customer = customers.get(row.tiers)
        pieces = ", ".join(line.invoice.piece for line in row.lines)
        demande = (f"Le règlement de {money(row.a_regler, row.devise)} (relance niveau "
                   f"{row.niveau}) : {pieces}. Obtenir une date de paiement (feuille Suivi).")
        if row.engagements:
            demande += " " + " ; ".join(b.motif for b in row.engagements) + "."
        found.append(Call(row, customer.nom if customer else row.tiers,
                          customer.telephone if customer else "",
                          customer.email if customer else "", demande))
    return found


def history_entries(rows: Iterable[ReminderRow], on: date) -> list[HistoryEntry]:
    """A call made is recorded as a letter is: one line per invoice, at its level."""
    return [HistoryEntry(on, row.societe, row.tiers, line.invoice.piece, line.niveau,
                         SORTIE_APPEL) for row in rows for line in row.lines]


def call_list_pdf(found: list[Call], on: date, folder: Path) -> Path:
    """`AAAA-MM-JJ_appels.pdf` in `folder`."""
    name = f"{on:%Y-%m-%d}_appels"
    with tempfile.TemporaryDirectory(prefix="relances-appels-") as work:
        document = Path(work) / f"{name}.docx"
        _document(found, on).save(document)
        (made,) = pdf.convert_to_pdf([document], folder)
    return made


def _document(found: list[Call], on: date) -> docx.document.Document:
    # A4 and Arial as every document of the run, in French (python-docx's own: US
    # Letter, in English)
    doc = new_document(f"Appels de relance du {on:%d/%m/%Y}", "FR")
    doc.add_heading(f"Appels de relance du {on:%d/%m/%Y}", level=1)
    doc.add_paragraph(f"{len(found)} client(s) à appeler.")
    for call in found:
        row = call.row
        doc.add_heading(f"{call.nom} ({row.tiers}) — société {row.societe}", level=2)
        doc.add_paragraph(f"Téléphone : {call.telephone or '(non renseigné)'}    "
                          f"E-mail : {call.email or '(non renseigné)'}")
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("N° pièce", "Échéance", "Reste dû",
                                                    "Jours de retard"), strict=True):
            cell.text = text
        for line in row.lines:
            cells = table.add_row().cells
            cells[0].text = line.invoice.piece
            cells[1].text = f"{line.invoice.echeance:%d/%m/%Y}"
            cells[2].text = money(line.reste_du, line.invoice.devise)
            cells[3].text = str(line.jours_retard)
        doc.add_paragraph(f"À demander : {call.demande}")
        doc.add_paragraph("Réponse :")
        for _ in range(ANSWER_LINES):
            doc.add_paragraph("_" * 60)
    return doc
