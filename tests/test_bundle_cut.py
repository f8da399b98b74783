"""The bundle's PDF cut back into letters (bundle.split_bundle) and a letter of several
pages numbered (page_numbers), on PDFs made here page by page: each page says which it
is, so a page out of place shows."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from relances_xl.letters.bundle import BundleError, split_bundle
from relances_xl.letters.compose import BOOKMARK
from relances_xl.letters.page_numbers import number_pages, stamp_pages

MM = 25.4 / 72  # a point in mm


def pages_pdf(count: int, box: tuple[float, float, float, float] = (0, 0, 595, 842)
              ) -> pikepdf.Pdf:
    """`count` pages, the i-th reading "feuille i"."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(box[2] - box[0], box[3] - box[1]))
    for number in range(count):
        canvas.drawString(100, 400, f"feuille {number}")
        canvas.showPage()
    canvas.save()
    pdf = pikepdf.open(io.BytesIO(out.getvalue()))
    for page in pdf.pages:
        page.mediabox = pikepdf.Array(box)
    return pdf


def bundle_pdf(path: Path, count: int, starts: dict[int, int], *, names_tree: bool = False,
               lang: str | None = "fr-FR") -> Path:
    """A bundle of `count` pages whose letter n starts at page starts[n], as a named
    destination: in the catalog's /Dests as LibreOffice writes it, or in a /Names tree,
    each as a dictionary << /D [page /XYZ …] >> (both allowed by PDF 1.7, 12.3.2.3)."""
    pdf = pages_pdf(count)
    destinations = {BOOKMARK.format(letter): pikepdf.Array(
        [pdf.pages[page].obj, pikepdf.Name.XYZ, 0, 800, 0]) for letter, page in starts.items()}
    if names_tree:
        tree = pikepdf.NameTree.new(pdf)
        for name, destination in destinations.items():
            tree[name] = pikepdf.Dictionary(D=destination)
        pdf.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
    else:
        pdf.Root.Dests = pikepdf.Dictionary({f"/{n}": d for n, d in destinations.items()})
    if lang:
        pdf.Root.Lang = pikepdf.String(lang)
    pdf.save(path, min_version="1.6")
    return path


def planned(count: int) -> SimpleNamespace:
    return SimpleNamespace(letters=[SimpleNamespace(stem=f"lettre{n}") for n in range(count)])


def texts(path: Path) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(path).pages]


@pytest.mark.parametrize("names_tree", [False, True])
def test_each_letter_gets_its_own_pages_whichever_way_destinations_are_kept(
        tmp_path: Path, names_tree: bool) -> None:
    source = bundle_pdf(tmp_path / "lot.pdf", 6, {0: 0, 1: 1, 2: 3}, names_tree=names_tree)

    made = split_bundle(source, planned(3), tmp_path)

    assert made == {tmp_path / "lettre0.pdf": 1, tmp_path / "lettre1.pdf": 2,
                    tmp_path / "lettre2.pdf": 3}
    assert texts(tmp_path / "lettre1.pdf") == ["feuille 1", "feuille 2"]
    assert texts(tmp_path / "lettre2.pdf") == ["feuille 3", "feuille 4", "feuille 5"]


def test_a_letter_keeps_the_bundles_language_and_pdf_version(tmp_path: Path) -> None:
    source = bundle_pdf(tmp_path / "lot.pdf", 2, {0: 0, 1: 1})
    split_bundle(source, planned(2), tmp_path)
    with pikepdf.open(tmp_path / "lettre1.pdf") as letter:
        assert str(letter.Root.Lang) == "fr-FR"
        assert letter.pdf_version == "1.6"

    bundle_pdf(source, 2, {0: 0, 1: 1}, lang=None)
    split_bundle(source, planned(2), tmp_path)
    with pikepdf.open(tmp_path / "lettre1.pdf") as letter:
        assert "/Lang" not in letter.Root


@pytest.mark.parametrize(("starts", "why"), [
    ({0: 0, 1: 2}, r"introuvable \('RelancesXL00002'\)"),  # the third letter's mark lost
    ({0: 1, 1: 2, 2: 3}, r"désordre : pages \[1, 2, 3\]"),  # a page before the first
    ({0: 0, 1: 3, 2: 2}, r"désordre : pages \[0, 3, 2\]"),
    ({0: 0, 1: 2, 2: 2}, r"désordre : pages \[0, 2, 2\]"),  # a letter of no page
])
def test_a_bundle_that_does_not_cut_cleanly_says_why(
        tmp_path: Path, starts: dict[int, int], why: str) -> None:
    source = bundle_pdf(tmp_path / "lot.pdf", 4, starts)
    with pytest.raises(BundleError, match=why):
        split_bundle(source, planned(3), tmp_path)
    assert not list(tmp_path.glob("lettre*.pdf"))


def test_a_damaged_bundle_is_a_bundle_error_naming_it(tmp_path: Path) -> None:
    source = tmp_path / "lot-0001.pdf"
    source.write_bytes(b"%PDF-1.6\nnot a pdf")
    with pytest.raises(BundleError, match=r"lot-0001\.pdf"):
        split_bundle(source, planned(1), tmp_path)


def test_the_finish_is_given_each_letters_pages_before_it_is_written(tmp_path: Path) -> None:
    source = bundle_pdf(tmp_path / "lot.pdf", 3, {0: 0, 1: 1})
    seen: list[tuple[str, int, bool]] = []

    def finish(target: Path, letter: pikepdf.Pdf) -> None:
        seen.append((target.name, len(letter.pages), target.exists()))
        stamp_pages(letter, "MME DUPONT · Relance du 1 mars 2024")

    split_bundle(source, planned(2), tmp_path, finish)

    assert seen == [("lettre0.pdf", 1, False), ("lettre1.pdf", 2, False)]
    assert texts(tmp_path / "lettre0.pdf") == ["feuille 0"]  # one page: no number
    second = texts(tmp_path / "lettre1.pdf")
    assert "feuille 1" in second[0] and "page 1/2" in second[0] and "page 2/2" not in second[0]
    assert "feuille 2" in second[1] and "page 2/2" in second[1]


@pytest.mark.parametrize("box", [(0, 0, 595, 842), (50, 100, 645, 942)])
def test_each_page_number_sits_inside_its_page_above_the_footer(
        tmp_path: Path, box: tuple[float, float, float, float]) -> None:
    """A page whose box does not start at 0 (a cropped scan) is numbered in its box:
    "Seite i/2" ends 20 mm from the page's right edge, its baseline 15.5 mm above the
    bottom (pdftotext gives each word's box from the page box's top left corner)."""
    letter = tmp_path / "lettre.pdf"
    pages_pdf(2, box).save(letter)

    assert number_pages(letter, "MME DUPONT", "DE") == 2

    out = subprocess.run(["pdftotext", "-bbox", str(letter), "-"], check=True,
                         capture_output=True, text=True).stdout
    width, height = box[2] - box[0], box[3] - box[1]
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        [(right, bottom)] = [(float(m[1]), float(m[2])) for m in re.finditer(
            rf'xMax="([\d.]+)" yMax="([\d.]+)">{number}/2<', page)]
        assert ">DUPONT<" in page and ">Seite<" in page
        assert (width - right) * MM == pytest.approx(20, abs=0.1)
        assert 14 < (height - bottom) * MM < 15.5  # the descent below the baseline


def test_a_letter_of_one_page_is_left_as_it_is(tmp_path: Path) -> None:
    letter = tmp_path / "lettre.pdf"
    pages_pdf(1).save(letter)
    before = letter.read_bytes()

    assert number_pages(letter, "MME DUPONT") == 1

    assert letter.read_bytes() == before
