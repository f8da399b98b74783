"""Invoice PDFs for the copies' tests: plain PDFs with a text to find, and Factur-X PDFs
made from the real e-invoices of ../shared/factur-x/ (read in place, never copied)."""

from __future__ import annotations

import io
from pathlib import Path

import facturx
from reportlab.pdfgen import canvas

FACTURX = Path(__file__).resolve().parents[1].parent / "shared" / "factur-x"
REAL_PDF = FACTURX / "invoice_EN16931.pdf"  # BT-1 F20260023, BT-112 104.90
REAL_NUMBER, REAL_TOTAL = "F20260023", "104.90"


def plain_pdf(path: Path, *lines: str, pages: int = 1) -> Path:
    """A PDF of `pages` pages whose first page shows `lines` (found by pdftotext)."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in range(pages):
        for index, line in enumerate(lines if number == 0 else (f"page {number + 1}",)):
            page.drawString(72, 770 - 16 * index, line)
        page.showPage()
    page.save()
    path.write_bytes(out.getvalue())
    return path


def facturx_pdf(path: Path, number: str, total: str, text: str = "") -> Path:
    """A Factur-X PDF (profile EN 16931) whose embedded invoice is the real one of
    factur-x-en16931.xml with its number (BT-1) and total (BT-112) changed."""
    xml = (FACTURX / "factur-x-en16931.xml").read_text(encoding="utf-8-sig")
    xml = xml.replace("<ram:ID>F20260023</ram:ID>", f"<ram:ID>{number}</ram:ID>", 1)
    xml = xml.replace("<ram:GrandTotalAmount>104.90</ram:GrandTotalAmount>",
                      f"<ram:GrandTotalAmount>{total}</ram:GrandTotalAmount>", 1)
    base = plain_pdf(path, text or f"Facture {number}")
    path.write_bytes(facturx.generate_from_binary(base.read_bytes(), xml.encode("utf-8")))
    return path
