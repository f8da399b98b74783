"""Invoice copies for the demo (`relances-xl demo`): one plain PDF per posted invoice of
the sample, named by its number, in a "factures" folder beside the demo's workbook, so
that the demo's envelopes carry copies as a user's would. A demo has no real invoices:
these say so on their page."""

from __future__ import annotations

import html
from pathlib import Path

from ..model import Ledger
from ..texts import euros

_PAGE = """<html><head><meta charset="utf-8"><style>@page {{ size: a4; margin: 2cm; }}
body {{ font-family: Helvetica; font-size: 11pt; }}</style></head><body>
<h1>DUPLICATA - Facture {piece}</h1><p>Client : {tiers} - Société : {societe}</p>
<p>Date : {date:%d/%m/%Y} - Échéance : {echeance:%d/%m/%Y}</p>
<p>Montant TTC : {montant}</p><p>(copie de démonstration)</p></body></html>"""


def write_demo_copies(ledger: Ledger, folder: Path) -> list[Path]:
    """One copy per posted invoice (not credit notes); returns the files written."""
    from xhtml2pdf import pisa

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for invoice in ledger.invoices:
        if invoice.avoir or not invoice.comptabilisee:
            continue
        path = folder / f"{invoice.piece}.pdf"
        page = _PAGE.format(piece=html.escape(invoice.piece), tiers=html.escape(invoice.tiers),
                            societe=html.escape(invoice.societe), date=invoice.date_piece,
                            echeance=invoice.echeance,
                            montant=euros(invoice.montant).replace("\u202f", " "))
        with path.open("wb") as out:
            pisa.CreatePDF(page, dest=out, encoding="utf-8")
        written.append(path)
    return written
