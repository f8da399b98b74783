"""The user guide as one PDF: `python release/guide_pdf.py [--out FILE]`.

docs/guide/ is Markdown, one page per task, read on the repository's site; the release
archive ships the same text as `Guide de l'utilisateur.pdf` for the accountant, who
has neither. Markdown -> HTML (`markdown`) -> PDF (xhtml2pdf, already a dependency for
the simplified letters), each page a chapter starting on a new sheet of paper, the
pictures scaled to the text's width, links between pages turned into links inside the
PDF. The font is Bitstream Vera, which ships inside reportlab: the PDF looks the same
on every machine that builds it, and it has the guide's "≤", "€" and "—".
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

import markdown
import reportlab
from reportlab import rl_config
from xhtml2pdf import pisa

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GUIDE = ROOT / "docs" / "guide"
NAME = "Guide de l'utilisateur.pdf"
TEXT_WIDTH_PT = 481  # A4 (595 pt) less two margins of 2 cm
PICTURE_DPI = 110  # a picture's pixels shown at this density, at most the text's width
FONTS = Path(reportlab.__file__).parent / "fonts"


def pages(guide: Path = GUIDE) -> list[Path]:
    """The guide's pages in reading order: its index (README.md), then 01-…, 02-…"""
    return [guide / "README.md", *sorted(guide.glob("[0-9][0-9]-*.md"))]


def title(page: Path) -> str:
    """A page's first heading: the chapter's title."""
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{page} n'a pas de titre (# …)")


def anchor(page: Path) -> str:
    return "page-" + page.stem.lower()


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def _picture(match: re.Match[str], folder: Path) -> str:
    """An <img> with its file's absolute path and a size that fits the text's width."""
    src = match.group(2)
    path = (folder / src).resolve()
    width, height = _png_size(path)
    shown = min(TEXT_WIDTH_PT, width * 72 / PICTURE_DPI)
    tall = shown * height / width
    if tall > 560:  # a letter's page: half the sheet is enough to read it
        shown, tall = shown * 560 / tall, 560
    return (f'<img{match.group(1)}src="{html.escape(str(path))}" width="{shown:.0f}" '
            f'height="{tall:.0f}"{match.group(3)}>')


def chapter_html(page: Path, names: set[str]) -> str:
    """One page as HTML: its pictures sized, its links to other pages made internal."""
    text = page.read_text(encoding="utf-8").replace("\u202f", "\u00a0")
    body = markdown.markdown(text, extensions=["tables", "fenced_code"])
    body = re.sub(r"<img([^>]*?)src=\"([^\"]+)\"([^>]*)>",
                  lambda m: _picture(m, page.parent), body)

    def link(match: re.Match[str]) -> str:
        target = match.group(1)
        if target in names:
            return f'href="#{anchor(Path(target))}"'
        return match.group(0)

    body = re.sub(r'href="([^"#]+\.md)"', link, body)
    return f'<div class="chapitre"><a name="{anchor(page)}"></a>{body}</div>'


STYLE = """
@font-face { font-family: Vera; src: url("%(fonts)s/Vera.ttf"); }
@font-face { font-family: Vera; src: url("%(fonts)s/VeraBd.ttf"); font-weight: bold; }
@font-face { font-family: Vera; src: url("%(fonts)s/VeraIt.ttf"); font-style: italic; }
@font-face { font-family: Vera; src: url("%(fonts)s/VeraBI.ttf"); font-weight: bold;
             font-style: italic; }
@page { size: a4 portrait; margin: 2cm;
        @frame footer { -pdf-frame-content: pied; bottom: 1cm; height: 0.6cm;
                        margin-left: 2cm; margin-right: 2cm; } }
body { font-family: Vera; font-size: 9.5pt; line-height: 1.35; }
h1 { font-size: 17pt; color: #1f3864; -pdf-outline: true; margin-bottom: 6pt; }
h2 { font-size: 12.5pt; color: #1f3864; margin-top: 12pt; }
h3 { font-size: 10.5pt; margin-top: 9pt; }
table { border: 0.5pt solid #999999; padding: 2pt; margin: 4pt 0 8pt 0; }
th { background-color: #dde4f2; text-align: left; font-weight: bold; }
td, th { vertical-align: top; font-size: 8.5pt; }
code { font-family: Vera; font-size: 8.5pt; background-color: #f2f2f2; }
pre { font-family: Courier; font-size: 8pt; background-color: #f2f2f2; padding: 4pt; }
img { margin: 4pt 0; }
.chapitre { page-break-before: always; }
#pied { font-size: 7.5pt; color: #777777; text-align: center; }
"""


def guide_html(guide: Path = GUIDE) -> str:
    found = pages(guide)
    names = {page.name for page in found}
    chapters = "\n".join(chapter_html(page, names) for page in found)
    style = STYLE % {"fonts": FONTS.as_posix()}
    return (f'<html><head><meta charset="utf-8"><style>{style}</style></head><body>'
            f'<div id="pied">Relances clients — Guide de l\'utilisateur — page '
            f'<pdf:pagenumber> / <pdf:pagecount></div>{chapters}</body></html>')


def build_guide_pdf(target: Path, guide: Path = GUIDE) -> Path:
    """The whole guide as the PDF `target`. Raises RuntimeError if xhtml2pdf fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    rl_config.invariant = 1  # no date nor random id inside: the same guide, the same bytes
    with target.open("wb") as out:
        result = pisa.CreatePDF(guide_html(guide), dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"xhtml2pdf n'a pas pu écrire {target} ({result.err} erreur(s))")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / NAME)
    args = parser.parse_args(argv)
    print(f"Guide écrit : {build_guide_pdf(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
