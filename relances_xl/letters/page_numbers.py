""""page 1/2" and who the letter is for, stamped on each page of a letter of several pages.

A page-count field in the template would print the count of the whole bundle of
letters LibreOffice converts at once (bundle.py refuses such templates and converts
them one by one, many times slower). The count is known once the letter is a PDF:
each letter of more than one page gets, at the foot of every page, above the legal
mentions, the customer, the letter and "page i/N". A one-page letter is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

_MM = 72 / 25.4
RIGHT_MM, BASELINE_MM = 20.0, 15.5  # from the page's right and bottom edges
SIZE = 7.5
MAX_WIDTH_PT = (210 - 2 * 20) * _MM  # the stamp stays between the side margins
_WORDS = {"FR": ("du", "page"), "EN": ("of", "page"), "DE": ("vom", "Seite")}
# Helvetica's widths (1/1000 em) of the characters a label uses most; others count 556.
_WIDTHS = {" ": 278, "·": 278, "/": 278, ".": 278, ",": 278, "'": 191, "’": 222, "-": 333,
           "(": 333, ")": 333, "i": 222, "l": 222, "j": 222, "t": 278, "f": 278, "r": 333,
           "I": 278, "m": 833, "w": 722, "M": 833, "W": 944, "é": 556}


def page_label(context: dict) -> str:
    """"MME DUPONT · Mise en demeure du 15 septembre 2022": whom and which letter."""
    of = _WORDS.get(context.get("langue", "FR"), _WORDS["FR"])[0]
    parts = [str(context.get("client_nom", "")),
             f"{context.get('niveau_titre', '')} {of} {context.get('date_lettre', '')}"]
    return " · ".join(part.strip() for part in parts if part.strip())


def stamp_text(label: str, word: str, number: int, count: int) -> str:
    """"label · page 1/2", the label cut ("…") so the line holds between the margins."""
    tail = f"{word} {number}/{count}"
    text = f"{label} · {tail}" if label else tail
    while label and text_width(text) > MAX_WIDTH_PT:
        label = label[:-2].rstrip()
        text = f"{label}… · {tail}"
    return text


def number_pages(pdf: Path, label: str, langue: str = "FR") -> int:
    """Stamp "label · page i/N" on each page of `pdf` when it has more than one page;
    returns N."""
    reader = PdfReader(pdf)
    count = len(reader.pages)
    if count < 2:
        return count
    word = _WORDS.get(langue, _WORDS["FR"])[1]
    writer = PdfWriter(clone_from=reader)
    for number, page in enumerate(writer.pages, start=1):
        text = stamp_text(label, word, number, count)
        page.merge_page(_stamp(writer, float(page.mediabox.width),
                               float(page.mediabox.height), text))
    with pdf.open("wb") as out:
        writer.write(out)
    return count


def _stamp(writer: PdfWriter, width: float, height: float, text: str) -> PageObject:
    """A blank page holding only `text`, right-aligned above the footer, in grey."""
    encoded = text.replace("\u202f", " ").replace("\u00a0", " ").encode("cp1252", "replace")
    escaped = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    x = width - RIGHT_MM * _MM - text_width(text)
    content = DecodedStreamObject()
    content.set_data(b"q 0.35 0.35 0.35 rg BT /RXLPN %.1f Tf %.2f %.2f Td (%s) Tj ET Q"
                     % (SIZE, x, BASELINE_MM * _MM, escaped))
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    page = PageObject.create_blank_page(width=width, height=height)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/RXLPN"): writer._add_object(font)})})
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/MediaBox")] = ArrayObject([NumberObject(0), NumberObject(0),
                                                 NumberObject(int(width)),
                                                 NumberObject(int(height))])
    return page


def text_width(text: str) -> float:
    """The width in points of `text` in Helvetica at SIZE (capitals and digits 556-722
    are counted 556 or more: the label never runs off the right margin)."""
    em = sum(_WIDTHS.get(ch, 667 if ch.isupper() else 556) for ch in text)
    return em * SIZE / 1000
