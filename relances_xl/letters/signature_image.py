"""The companies' signature images of a run (Paramètres' "Image de signature"), read
once for the run and brought down to what a printed letter needs.

Apart from `run.py` because it is image work (python-docx to know the format, Pillow
to resample), tried and measured on its own (`tests/test_signature_image.py`, the
bench's sample image): a missing or unreadable file stops the run before any letter,
and no PDF carries a photo's megabytes per letter. `run.py` hands the bytes to each
letter's context (and still offers these names, as `run.signature_images`…).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from PIL import Image

from ..config import Settings
from . import outputs
from .sender import SIGNATURE_WIDTH_MM


def signature_images(societes: set[str], settings: Settings) -> dict[str, bytes]:
    """The signature image of each company that has one, read once for the run; a
    missing or unreadable file stops the run before any letter, naming its cell."""
    found = {}
    for company in settings.companies:
        if company.societe not in societes or not company.signature:
            continue
        where = (f"Paramètres, société {company.societe}, colonne « Image de signature » : "
                 f"« {company.signature} »")
        try:
            data = Path(company.signature).read_bytes()
            DocxImage.from_blob(data)
        except OSError as error:
            raise outputs.OutputError(f"{where} illisible ({error.strerror or error}) ; "
                                      "aucune lettre n'est éditée.") from error
        except UnrecognizedImageError as error:
            raise outputs.OutputError(f"{where} n'est pas une image PNG, JPEG, GIF, BMP ou "
                                      "TIFF ; aucune lettre n'est éditée.") from error
        found[company.societe] = printable_signature(data)
    return found


# The finest a printed letter needs: a signature finer than this is brought down to it
# once for the run, so that no PDF carries a photo's megabytes per letter (the PDF
# export keeps pictures as they are, libreoffice.PDF_EXPORT).
PRINT_DPI = 300


def printable_signature(data: bytes) -> bytes:
    """The signature image no finer than PRINT_DPI at its printed width, in its own
    format (PNG, or JPEG for a photo); an image already within it is kept as it is."""
    with Image.open(io.BytesIO(data)) as image:
        limit = round(SIGNATURE_WIDTH_MM / 25.4 * PRINT_DPI)
        if image.width <= limit:
            return data
        photo = image.format == "JPEG"
        mode = "RGB" if photo else "L" if image.mode in ("1", "L") else "RGBA"
        height = max(1, round(image.height * limit / image.width))
        smaller = image.convert(mode).resize((limit, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if photo:
            smaller.save(out, "JPEG", quality=90)
        else:
            smaller.save(out, "PNG", optimize=True)
    return out.getvalue()
