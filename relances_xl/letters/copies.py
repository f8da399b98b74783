"""Invoice copies ("duplicata") to join to a reminder, found in Paramètres' "Dossier des
factures".

The first thing a customer's accounts-payable clerk asks after a reminder is the
invoice: a letter that carries it is paid sooner. A PDF of the folder is the copy of
an invoice when:

- its name holds the invoice's number between separators (`FA22-0101.pdf`,
  `Facture FA22-0101 Dupont.pdf`; never `FA22-010` for `FA22-0101`): any character
  that is not a letter or a digit separates, case does not count;
- or, whatever its name, it is a Factur-X / ZUGFeRD PDF whose embedded invoice number
  (BT-1) is the invoice's: read by the `factur-x` library, never by hand. Its embedded
  total (BT-112) is checked against `Factures` and a difference is said.

Nothing here stops a letter: a missing folder or copy, a PDF that cannot be read
(damaged, encrypted, not a PDF) or two files claiming one invoice become French notes
for the run's message, and the letter goes without that copy. The folder is read once
per run (not its subfolders).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .. import layout
from ..model import Invoice
from ..texts import euros

SETTING = layout.INVOICES_FOLDER  # Paramètres' option naming the folder of the copies
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits; anything else separates
_MAX_WORDS = 40  # a name longer than this is matched on its first 40 words only
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Embedded:
    """What a Factur-X / ZUGFeRD (or embedded UBL) invoice says of itself."""

    number: str  # BT-1
    total: Decimal | None  # BT-112, the total with VAT; None when the XML has none


@dataclass
class CopyFolder:
    """The copies found for a run's invoices, and what went wrong reading the folder.

    `copies` maps an invoice number (folded: case does not count) to its one file; `notes` are the
    French messages for the run (unreadable files, conflicts, totals that differ).
    """

    copies: dict[str, Path] = field(default_factory=dict)
    pages: dict[Path, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def for_invoices(self, pieces: Iterable[str]) -> tuple[list[Path], list[str]]:
        """The files of `pieces` in their order (one file once), and the pieces without one."""
        found: list[Path] = []
        missing: list[str] = []
        for piece in pieces:
            path = self.copies.get(_key(piece))
            if path is None:
                missing.append(piece)
            elif path not in found:
                found.append(path)
        return found, missing


def _key(number: str) -> str:
    return number.strip().casefold()


def name_keys(stem: str) -> set[str]:
    """Every run of whole words of a file name (folded): the numbers it may be named by.

    `Facture FA22-0101` gives `facture`, `fa22`, `fa22-0101`, `0101`, `facture fa22`…
    so `FA22-0101` matches and `FA22-010` never does.
    """
    words = list(_WORD.finditer(stem.casefold()))[:_MAX_WORDS]
    return {stem.casefold()[words[i].start():words[j].end()]
            for i in range(len(words)) for j in range(i, len(words))}


def read_embedded(data: bytes) -> Embedded | None:
    """The invoice number and total a Factur-X / ZUGFeRD PDF carries, None when it
    carries no invoice XML (a plain PDF)."""
    import facturx  # imported here: it logs at import and most runs join no copy

    logging.getLogger("factur-x").setLevel(logging.ERROR)
    try:
        _name, xml = facturx.get_xml_from_pdf(data, check_xsd=False)
    except Exception:  # the library raises anything on odd PDFs: no XML for us
        return None
    if not xml:
        return None
    try:
        root = etree.fromstring(xml, _XML)
    except etree.XMLSyntaxError:
        return None
    number = _first_text(root, [
        "/*/*[local-name()='ExchangedDocument']/*[local-name()='ID']",  # CII (Factur-X)
        "/*/*[local-name()='HeaderExchangedDocument']/*[local-name()='ID']",  # ZUGFeRD 1
        "/*/*[local-name()='ID']",  # UBL (XRechnung)
    ])
    if not number:
        return None
    total = _first_text(root, ["//*[local-name()='GrandTotalAmount']",
                               "//*[local-name()='TaxInclusiveAmount']"])
    try:
        amount = Decimal(total) if total else None
    except InvalidOperation:
        amount = None
    return Embedded(number, amount)


def _first_text(root: etree._Element, paths: list[str]) -> str:
    for path in paths:
        for element in root.xpath(path):
            text = (element.text or "").strip()
            if text:
                return text
    return ""


def _read_pdf(path: Path) -> tuple[bytes, int]:
    """The file's bytes and page count; ValueError with the French cause when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(error.strerror or str(error)) from error
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValueError("PDF protégé par un mot de passe")
        pages = len(reader.pages)
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"PDF endommagé ou pas un PDF : {error}") from error
    if pages < 1:
        raise ValueError("PDF sans page")
    return data, pages


def find_copies(folder: Path | None, invoices: Iterable[Invoice]) -> CopyFolder:
    """The copy of each of `invoices` in `folder` (see the module's docstring)."""
    result = CopyFolder()
    wanted = {_key(invoice.piece): invoice for invoice in invoices}
    if folder is None or not wanted:
        return result
    folder = Path(folder)
    if not folder.is_dir():
        result.notes.append(f"Dossier des factures « {folder} » introuvable : aucune copie "
                            "de facture n'est jointe.")
        return result
    claims: dict[str, list[Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".pdf"):
        try:
            data, pages = _read_pdf(path)
        except ValueError as error:
            result.notes.append(f"Dossier des factures : « {path.name} » illisible ({error}) ; "
                                "ignoré.")
            continue
        keys = name_keys(path.stem) & wanted.keys()
        embedded = read_embedded(data)
        if embedded is not None and _key(embedded.number) in wanted:
            keys.add(_key(embedded.number))
            _check_total(wanted[_key(embedded.number)], embedded, path, result.notes)
        for key in keys:
            claims.setdefault(key, []).append(path)
        if keys:
            result.pages[path] = pages
    for key, paths in claims.items():
        piece = wanted[key].piece
        if len(paths) > 1:
            names = ", ".join(f"« {p.name} »" for p in paths)
            result.notes.append(f"Facture {piece} : {names} s'en disent tous la copie ; "
                                "aucun n'est joint.")
        else:
            result.copies[key] = paths[0]
    return result


def _check_total(invoice: Invoice, embedded: Embedded, path: Path, notes: list[str]) -> None:
    if embedded.total is not None and embedded.total != invoice.montant:
        notes.append(f"Facture {invoice.piece} : la copie « {path.name} » porte un total de "
                     f"{euros(embedded.total)}, la feuille Factures {euros(invoice.montant)} ; "
                     "jointe telle quelle.")
