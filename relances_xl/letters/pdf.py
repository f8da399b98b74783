"""Word documents to PDF: Microsoft Word through docx2pdf where it exists, LibreOffice elsewhere.

LibreOffice runs in batch mode, the letters of one template in bundles cut back into
one PDF per letter (libreoffice.py, bundle.py; the figures are in
docs/performance.md). A .docx is read with the Word filter only, so a damaged one
fails instead of being printed as text, and every expected PDF is checked for at the
end: LibreOffice exits with 0 whatever it could not convert.

Nothing here knows what the documents say: it turns files into files.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject, TextStringObject

from ..errors import ConversionError
from . import libreoffice
from .bundle import Finish, Letter
from .libreoffice import some_names

__all__ = ["ConversionError", "ConverterMissing", "convert_to_pdf", "find_converter",
           "find_soffice", "merge_pdfs"]

ENV_CONVERTER = "RELANCES_PDF_CONVERTER"
CONVERTERS = ("word", "libreoffice", "simple")  # "simple": only when forced (simple_pdf.py)
INSTALL_HINT = (
    "Ni Microsoft Word ni LibreOffice n'est installé : installez LibreOffice "
    "(https://www.libreoffice.org, ou `apt-get install libreoffice-writer-nogui` sous Linux) "
    "pour produire les PDF."
)
# Word converts this many documents between two progress calls.
WORD_BATCH = 100

Progress = Callable[[int, int], None]


class ConverterMissing(ConversionError):
    """Neither Word nor LibreOffice is there: the message says what to install."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        super().__init__(message)


# --- finding a converter --------------------------------------------------------------


def find_converter() -> str:
    """"word" or "libreoffice", whichever can convert here, Word first (it renders its own
    documents exactly); RELANCES_PDF_CONVERTER forces one. Raises ConverterMissing."""
    forced = os.environ.get(ENV_CONVERTER, "").strip().lower()
    if forced and forced not in CONVERTERS:
        raise ConversionError(
            f"{ENV_CONVERTER}={forced!r} n'est pas reconnu : indiquez « word », « libreoffice » "
            "ou « simple »."
        )
    if forced == "simple":
        return "simple"
    if forced == "word" or (not forced and _word_available()):
        return "word"
    if find_soffice():
        return "libreoffice"
    if forced == "libreoffice":
        raise ConverterMissing(
            f"{ENV_CONVERTER}=libreoffice mais LibreOffice est introuvable. {INSTALL_HINT}"
        )
    raise ConverterMissing()


def _convert_simply(documents: list[Path], pdfs: list[Path],
                    progress: Callable[[int, int], None] | None) -> None:
    from .simple_pdf import docx_to_pdf

    for done, (document, pdf) in enumerate(zip(documents, pdfs, strict=True), start=1):
        try:
            docx_to_pdf(document, pdf)
        except Exception as error:  # mammoth/xhtml2pdf raise many kinds; name the letter
            raise ConversionError(f"Conversion simplifiée impossible : {error}",
                                  [document]) from error
        if progress:
            progress(done, len(documents))


def _word_available() -> bool:
    """Cheap checks only (no Word start): registry + pywin32 on Windows, the app on macOS."""
    if sys.platform == "darwin":
        return Path("/Applications/Microsoft Word.app").exists()
    if sys.platform != "win32" or importlib.util.find_spec("win32com") is None:
        return False
    import winreg

    try:
        winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID").Close()
    except OSError:
        return False
    return True


def find_soffice() -> str | None:
    """The LibreOffice binary: on PATH, else in the folders its installers use."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _install_folders():
        if candidate.is_file():
            return str(candidate)
    return None


def _install_folders() -> list[Path]:
    if sys.platform == "win32":
        roots = {os.environ.get(v) for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")}
        roots |= {r"C:\Program Files", r"C:\Program Files (x86)"}
        return [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in sorted(roots - {None})]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    # libreoffice.org's own Linux packages install under /opt/libreofficeX.Y
    return sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)


# --- the public conversion ------------------------------------------------------------


def convert_to_pdf(
    documents: Sequence[Path | Letter],
    out_dir: Path,
    *,
    processes: int = 2,
    timeout: float = 600,
    progress: Progress | None = None,
    made: Callable[[Path, int | None], None] | None = None,
    finish: Finish | None = None,
) -> list[Path]:
    """Convert `documents` into `out_dir` (one `<name>.pdf` each), in one batch.

    A document is a file, or a letter still in memory (direct.Package), which
    LibreOffice gets in a bundle and the other converters as a file written first.
    Returns the PDFs in the order of `documents`. `timeout` bounds the whole call
    with LibreOffice (Word runs inside docx2pdf, out of reach); `progress(done, total)`
    is called from this thread as batches finish. Raises
    ConversionError naming the documents that gave no PDF, ConverterMissing when
    nothing can convert. `made(pdf, pages)` is called once for each PDF when it is whole
    (`pages`: its page count when it was cut from a bundle, else None)
    (with LibreOffice as soon as its bundle is cut, from another thread, while the
    next bundles convert; otherwise at the end): what the caller adds to each (page
    numbers) is done meanwhile. `finish(pdf, pages)`, with LibreOffice, is given each
    letter cut from a bundle before it is written (its pages, a pikepdf Pdf): what
    the caller adds to such a letter is done there, without reading it again; `made`
    follows, with its page count.
    """
    if processes < 1:
        raise ValueError("processes must be at least 1")
    documents = [d if _in_memory(d) else Path(d).resolve() for d in documents]
    out_dir = Path(out_dir).resolve()
    pdfs = _check_inputs(documents, out_dir)
    if not documents:
        return []
    converter = find_converter()
    out_dir.mkdir(parents=True, exist_ok=True)
    for pdf in pdfs:  # a stale PDF must not pass for a fresh one
        pdf.unlink(missing_ok=True)
    reported: set[Path] = set()

    def report(pdfs_made: Mapping[Path, int | None]) -> None:
        for pdf, pages in pdfs_made.items():
            if pdf not in reported:
                reported.add(pdf)
                if made is not None:
                    made(pdf, pages)

    if converter == "libreoffice":
        soffice = find_soffice()
        if soffice is None:
            raise ConverterMissing()
        try:
            libreoffice.convert(soffice, documents, out_dir, processes, timeout, progress,
                                report, finish)
        except BaseException:  # stopped: none of its PDFs is left, as before any was cut
            for delivered in reported:
                delivered.unlink(missing_ok=True)
            raise
    else:
        with tempfile.TemporaryDirectory(prefix="relances-docx-") as staging:
            files = [d if isinstance(d, Path) else d.write(Path(staging) / d.name)
                     for d in documents]
            if converter == "word":
                _convert_with_word(files, out_dir, progress)
            else:
                _convert_simply(files, pdfs, progress)
    missing = [doc for doc, pdf in zip(documents, pdfs, strict=True) if not _is_pdf(pdf)]
    if missing:
        raise ConversionError(
            f"Conversion en PDF impossible pour : {some_names(missing)}", missing
        )
    report(dict.fromkeys(pdfs))  # those converted alone, or by another converter
    return pdfs


def _in_memory(document: object) -> bool:
    return hasattr(document, "parts") and hasattr(document, "write")


def _check_inputs(documents: list[Path | Letter], out_dir: Path) -> list[Path]:
    """Fail before any work: missing files, and names that would give the same PDF."""
    absent = [d for d in documents if isinstance(d, Path) and not d.is_file()]
    if absent:
        names = ", ".join(str(d) for d in absent)
        raise ConversionError(f"Document introuvable : {names}", absent)
    seen: dict[str, Path | Letter] = {}
    for doc in documents:
        key = doc.stem.casefold()  # Windows and macOS folders ignore case
        if key in seen:
            raise ConversionError(
                f"Deux documents donneraient le même PDF « {doc.stem}.pdf » dans {out_dir} : "
                f"{seen[key]} et {doc}. Donnez-leur des noms différents.",
                [seen[key], doc],
            )
        seen[key] = doc
    return [out_dir / f"{d.stem}.pdf" for d in documents]


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False


def merge_pdfs(pdfs: list[Path], out: Path) -> Path:
    """One PDF of the whole run, in the given order, for printing or sending in one go,
    in the first one's language (`/Lang`: a letter, then its statement and copies, is
    read out in the letter's).

    Written to a temporary name then renamed, so a failed merge leaves no half file."""
    if not pdfs:
        raise ConversionError("Aucun PDF à assembler.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    writer = PdfWriter()
    try:
        language = None
        for number, pdf in enumerate(pdfs):
            try:
                reader = PdfReader(pdf)
                writer.append(reader)
            except (OSError, PyPdfError) as exc:
                raise ConversionError(f"PDF illisible : {pdf} ({exc})", [Path(pdf)]) from exc
            if not number:
                language = reader.trailer["/Root"].get("/Lang")
        if language is not None:
            writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
        with partial.open("wb") as f:
            writer.write(f)
        os.replace(partial, out)
    finally:
        writer.close()
        partial.unlink(missing_ok=True)
    return out


def combined_copy(pdfs: list[Path], what: str) -> Path:
    """The run's combined PDF where it outlives the run: a preview is opened after we return."""
    folder = Path(tempfile.mkdtemp(prefix=f"relances-{what}-"))
    return merge_pdfs(pdfs, folder / f"{what}.pdf")


# --- Microsoft Word -------------------------------------------------------------------


def _convert_with_word(documents: list[Path], out_dir: Path, progress: Progress | None) -> None:
    """docx2pdf converts a whole folder in one Word session, so the documents are
    linked into a staging folder per batch; Word is left open if the user had it open."""
    import docx2pdf

    keep_open = _word_running()
    batches = _chunks(documents, WORD_BATCH)
    done = 0
    for number, batch in enumerate(batches, start=1):
        with tempfile.TemporaryDirectory(prefix="relances-word-") as staging:
            for doc in batch:
                _link_or_copy(doc, Path(staging) / doc.name)
            last = number == len(batches)
            try:
                docx2pdf.convert(staging, str(out_dir), keep_active=keep_open or not last)
            except (Exception, SystemExit) as exc:  # docx2pdf calls sys.exit on macOS
                names = ", ".join(d.name for d in batch)
                raise ConversionError(
                    f"Microsoft Word n'a pas pu convertir : {names} ({exc})", batch
                ) from exc
        done += len(batch)
        if progress:
            progress(done, len(documents))


def _word_running() -> bool:
    """Whether the user already has Word open (then docx2pdf must not quit it)."""
    try:
        if sys.platform == "win32":
            import win32com.client

            win32com.client.GetActiveObject("Word.Application")
            return True
        if sys.platform == "darwin":
            script = 'application "Microsoft Word" is running'
            out = subprocess.run(["/usr/bin/osascript", "-e", script], capture_output=True,
                                 text=True, timeout=10, check=False).stdout
            return out.strip() == "true"
    except Exception:
        return False
    return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _chunks(items: list[Path], size: int) -> list[list[Path]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
