""""page 1/2" and who the letter is for, stamped on each page of a letter of several pages.

A page-count field in the template would print the count of the whole bundle of
letters LibreOffice converts at once (bundle.py refuses such templates and converts
them one by one, many times slower). The count is known once the letter is a PDF:
each letter of more than one page gets, at the foot of every page, above the legal
mentions, the customer, the letter and "page i/N". A one-page letter is left as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

_MM = 72 / 25.4
RIGHT_MM, BASELINE_MM = 20.0, 15.5  # from the page's right and bottom edges
FONT, SIZE = "Helvetica", 7.5
MAX_WIDTH_PT = (210 - 2 * 20) * _MM  # the stamp stays between the side margins
_WORDS = {"FR": ("du", "page"), "EN": ("of", "page"), "DE": ("vom", "Seite")}


def page_label(context: dict) -> str:
    """"MME DUPONT · Mise en demeure du 15 septembre 2022": whom and which letter."""
    of = _WORDS.get(context.get("langue", "FR"), _WORDS["FR"])[0]
    parts = [str(context.get("client_nom", "")),
             f"{context.get('niveau_titre', '')} {of} {context.get('date_lettre', '')}"]
    return " · ".join(part.strip() for part in parts if part.strip())


def text_width(text: str) -> float:
    """The printed width of `text` in points (Helvetica's metrics, from reportlab)."""
    return stringWidth(text, FONT, SIZE)


def stamp_text(label: str, word: str, number: int, count: int) -> str:
    """"label · page 1/2", the label cut ("…") so the line holds between the margins."""
    tail = f"{word} {number}/{count}"
    text = f"{label} · {tail}" if label else tail
    while label and text_width(text) > MAX_WIDTH_PT:
        label = label[:-2].rstrip()
        text = f"{label}… · {tail}"
    return text


def number_pages(pdf: Path, label: str, langue: str = "FR", pages: int | None = None) -> int:
    """Stamp "label · page i/N" on each page of `pdf` when it has more than one page;
    returns N. `pages`: N when the caller knows it (a letter cut from a bundle): a
    letter of one page, most of them, is then not read again (1 ms a letter)."""
    if pages == 1:
        return pages
    with pikepdf.open(pdf, allow_overwriting_input=True) as letter:
        count = len(letter.pages)
        if count >= 2:
            stamp_pages(letter, label, langue)
            letter.save(pdf)
    return count


def stamp_pages(letter: pikepdf.Pdf, label: str, langue: str = "FR") -> None:
    """`number_pages` on a letter not written yet: a letter cut from a bundle is
    numbered as it is cut, not read and written again (issue 30)."""
    count = len(letter.pages)
    if count < 2:
        return
    word = _WORDS.get(langue, _WORDS["FR"])[1]
    texts = [stamp_text(label, word, number, count) for number in range(1, count + 1)]
    with pikepdf.open(io.BytesIO(_stamps(letter.pages, texts))) as stamps:
        for page, stamp in zip(letter.pages, stamps.pages, strict=True):
            page.add_overlay(stamp)


def _stamps(pages: list[pikepdf.Page], texts: list[str]) -> bytes:
    """A PDF of one page per stamp, each the size of the letter's page it goes on,
    holding only its text, right-aligned above the footer, in grey (one document for
    the letter's pages: reportlab's start is most of the cost of a page)."""
    out = io.BytesIO()
    canvas = Canvas(out)
    for page, text in zip(pages, texts, strict=True):
        box = page.mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        canvas.setPageSize((width, height))
        canvas.setFont(FONT, SIZE)
        canvas.setFillGray(0.35)
        text = text.replace("\u202f", " ").replace("\u00a0", " ")  # in Helvetica's encoding
        canvas.drawRightString(width - RIGHT_MM * _MM, BASELINE_MM * _MM, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
