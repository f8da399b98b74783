"""A simplified PDF without Word or LibreOffice: mammoth (docx -> HTML), xhtml2pdf.

Only on request (`RELANCES_PDF_CONVERTER=simple`, which `relances-xl demo` sets
when neither Word nor LibreOffice is installed): the letter is the same merged Word
document, with its text, tables and amounts, but not Word's exact layout. Real runs
keep the rule of the print dialog: Word, else LibreOffice, else a message saying
what to install.
"""

from __future__ import annotations

import html
from pathlib import Path

_PAGE = """<html><head><meta charset="utf-8"><title>{title}</title><style>
@page {{ size: a4; margin: 2cm; }}
body {{ font-family: Helvetica; font-size: 10pt; }}
p {{ margin: 0 0 4pt 0; }}
table {{ width: 100%; }}
td, th {{ border: 0.5pt solid #888888; padding: 2pt; }}
</style></head><body>{body}</body></html>"""


# Characters the letters and the proposal use that Helvetica cannot draw: Babel's
# French thousands separator, the motifs' comparisons, arrows.
NO_GLYPH_IN_HELVETICA = str.maketrans({"\u202f": "\u00a0", "≤": "<=", "≥": ">=",
                                       "→": "->", "≠": "<>"})


def docx_to_pdf(document: Path, pdf: Path) -> Path:
    """One merged letter (.docx) to a plain A4 PDF; raises ValueError when it cannot."""
    import mammoth
    from xhtml2pdf import pisa

    with document.open("rb") as source:
        body = mammoth.convert_to_html(source).value
    body = body.translate(NO_GLYPH_IN_HELVETICA)
    page = _PAGE.format(title=html.escape(document.stem), body=body)
    with pdf.open("wb") as out:
        status = pisa.CreatePDF(page, dest=out, encoding="utf-8")
    if status.err:
        pdf.unlink(missing_ok=True)
        raise ValueError(f"{document.name} : {status.err} erreur(s) de mise en page")
    return pdf
