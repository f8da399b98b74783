"""The signature image as the letters print it: no finer than a printer needs, and
printed as it is (LibreOffice's export resamples nothing, once per letter or not)."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from relances_xl.letters.pdf import convert_to_pdf
from relances_xl.letters.run import PRINT_DPI, printable_signature
from relances_xl.letters.sender import SIGNATURE_WIDTH_MM

LIMIT = round(SIGNATURE_WIDTH_MM / 25.4 * PRINT_DPI)  # 472 pixels over 40 mm


def image_bytes(width: int, height: int, mode: str, kind: str) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white" if mode != "1" else 1).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize("width", [1, LIMIT])
def test_a_signature_no_finer_than_300_dpi_is_kept_byte_for_byte(width):
    data = image_bytes(width, 50, "1", "PNG")
    assert printable_signature(data) == data


@pytest.mark.parametrize(("mode", "kind", "shown", "channels"), [
    ("1", "PNG", "PNG", "L"), ("L", "PNG", "PNG", "L"), ("RGBA", "PNG", "PNG", "RGBA"),
    ("P", "GIF", "PNG", "RGBA"), ("RGB", "JPEG", "JPEG", "RGB"), ("CMYK", "JPEG", "JPEG", "RGB"),
])
def test_a_finer_signature_comes_down_to_300_dpi_in_its_own_kind(mode, kind, shown, channels):
    data = image_bytes(LIMIT + 1, 301, mode, kind)
    with Image.open(io.BytesIO(printable_signature(data))) as image:
        assert (image.format, image.mode, image.size) == (shown, channels, (LIMIT, 300))


def test_a_phone_photo_of_a_signature_weighs_a_letter_no_more():
    data = image_bytes(4000, 1500, "RGB", "JPEG")
    with Image.open(io.BytesIO(printable_signature(data))) as image:
        assert image.size == (LIMIT, 177)


def test_the_pdf_prints_a_picture_as_it_is_even_finer_than_300_dpi(libreoffice, tmp_path):
    """480 pixels over 40 mm (305 dpi): LibreOffice's default export would resample it,
    on every page that shows it; the letters' export keeps its 480 pixels."""
    document = Document()
    document.add_paragraph("Signature :")
    document.add_picture(io.BytesIO(image_bytes(480, 160, "L", "PNG")),
                         width=Mm(SIGNATURE_WIDTH_MM))
    document.save(tmp_path / "lettre.docx")
    (made,) = convert_to_pdf([tmp_path / "lettre.docx"], tmp_path / "pdf")
    listed = subprocess.run(["pdfimages", "-list", str(made)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert [line.split()[3:5] for line in listed] == [["480", "160"]]


def test_the_sample_signature_is_finer_than_300_dpi_so_the_bench_sees_the_fitting():
    from relances_xl import sample

    with Image.open(sample.SIGNATURE_IMAGE) as image:
        assert image.width > LIMIT
