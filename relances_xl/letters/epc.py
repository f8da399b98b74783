"""The EPC QR code a banking app scans to prefill the transfer of what a letter claims.

The European Payments Council's "SEPA credit transfer" QR code (EPC069-12): service
tag BCD, version 002, character set 1 (UTF-8), SCT, the BIC, the beneficiary's name,
its IBAN, the amount in euros and, as unstructured remittance text, the numbers of the
invoices the letter claims, the reference the letter asks the customer to quote.
segno's EPC helper lays the payload out and draws the code (error correction M, as
the standard requires).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import segno
from segno import helpers

MAX_NAME = 70  # characters of the beneficiary's name (EPC069-12)
MAX_TEXT = 140  # characters of the remittance text
MAX_AMOUNT = Decimal("999999999.99")
QR_WIDTH_MM = 32.0  # printed size: read back from a page rendered at 72 dpi and up
_MODULE_PIXELS = 2  # pixels per module: reads back from a page rendered at 72 to 600 dpi
_MASK = 2


@dataclass(frozen=True)
class Picture:
    """An image a template shows with `{{ field }}`: PNG or JPEG bytes, printed width."""

    data: bytes = field(repr=False)
    width_mm: float

    def image(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class TransferQr:
    """The transfer one letter asks for, drawn as an EPC QR code when the letter is
    rendered (the contexts stay plain values, and drawing costs only where it shows)."""

    name: str
    iban: str
    bic: str
    amount: Decimal
    text: str
    width_mm: float = QR_WIDTH_MM

    def payload(self) -> bytes:
        """The EPC payload, laid out and checked by segno's EPC helper."""
        return helpers._make_epc_qr_data(self.name, self.iban, self.amount, text=self.text,
                                         bic=self.bic or None, encoding="utf-8")

    def image(self) -> bytes:
        """The QR code as a small PNG (two pixels per module): the PDF scales it up.

        Drawn with a fixed mask: segno's choice of the best of eight costs several
        times the rest of the drawing, and any mask reads back (EPC069-12
        fixes the error correction level, M, not the mask); mask 2 is on average the
        best-scoring of the eight on EPC payloads (bench notes, docs/performance.md)."""
        code = segno.make_qr(self.payload(), error="m", boost_error=False, mask=_MASK)
        out = io.BytesIO()
        code.save(out, kind="png", scale=_MODULE_PIXELS, border=4)
        return out.getvalue()


def remittance_text(numbers: Sequence[str]) -> str:
    """The invoice numbers, as many as fit in the 140 characters, then "+N" for the rest."""
    text = " ".join(numbers)
    if len(text) <= MAX_TEXT:
        return text
    kept: list[str] = []
    for number in numbers:
        more = f" +{len(numbers) - len(kept) - 1}"
        if len(" ".join([*kept, number])) + len(more) > MAX_TEXT:
            break
        kept.append(number)
    return " ".join([*kept, f"+{len(numbers) - len(kept)}"])


def transfer_qr(name: str, iban: str, bic: str, amount: Decimal,
                numbers: Sequence[str]) -> TransferQr | None:
    """The transfer to draw, or None when there is nothing to scan: no IBAN, nothing
    due, or more than an EPC code may carry. Every field is put within the limits of
    EPC069-12 here, so drawing it never fails half-way through a run."""
    compact_iban = "".join(iban.split()).upper()
    if not compact_iban or not Decimal("0.01") <= amount <= MAX_AMOUNT:
        return None
    return TransferQr(name.strip()[:MAX_NAME] or "-", compact_iban,
                      "".join(bic.split()).upper(), amount,
                      remittance_text(list(numbers)) or "-")
