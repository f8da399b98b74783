"""The outputs of "Sortie" other than the PDF conversion: file names, text export,
screen, printer.

Customer and company codes come from pasted exports, so any of them may hold a
slash, a colon, a control character or a Windows device name: every file name is
built by `safe_component` and checked to land inside the folder the user chose.
The text export is opened by accountants in Excel, so it is written the way a French
Excel reads it (UTF-8 with BOM, `;`, decimal comma) and a cell can never become a
formula. Errors are `OutputError`s whose French message names the output and the
cause, so the add-in can show them as they are.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..config import OUTPUTS, Output, PrintOptions, Sortie
from ..errors import RelancesError
from ..model import DEFAULT_CURRENCY


class OutputError(RelancesError):
    """A letter could not be issued to its output; the message is French, for the user."""


# --- file names --------------------------------------------------------------------

_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*]')
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_HASH_LEN = 8


def _visible(char: str) -> str:
    """Control, format (bidi overrides…) and unassigned characters become "_"."""
    if unicodedata.category(char).startswith(("C", "Zl", "Zp")):
        return "_"
    return char


def _clip(text: str, max_chars: int, max_bytes: int) -> str:
    """At most `max_chars` characters and `max_bytes` UTF-8 bytes (file systems count bytes)."""
    text = text[:max_chars]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def safe_component(text: str, max_len: int = 60) -> str:
    """`text` as one file-name component that is valid on Windows, macOS and Linux.

    Forbidden and control characters become "_", leading/trailing dots and spaces go,
    a Windows device name (CON, COM1.txt…) gets a "_" prefix, and the result is never
    empty. When anything was changed or cut, a short hash of the original text is
    appended, so two different codes never give the same name ("a/b" vs "a_b").
    The result has at most `max_len` characters and 2 × `max_len` UTF-8 bytes.
    """
    if max_len < _HASH_LEN + 2:
        raise ValueError(f"max_len must be at least {_HASH_LEN + 2}")
    original = unicodedata.normalize("NFC", str(text))
    cleaned = _FORBIDDEN_CHARS.sub("_", "".join(_visible(c) for c in original))
    cleaned = cleaned.strip(" .")
    if cleaned.split(".")[0].rstrip(" ").upper() in _RESERVED_NAMES:
        cleaned = "_" + cleaned
    cleaned = cleaned or "_"
    max_bytes = 2 * max_len
    if cleaned == original and cleaned == _clip(cleaned, max_len, max_bytes):
        return cleaned
    digest = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LEN]
    suffix = "-" + digest
    head = _clip(cleaned, max_len - len(suffix), max_bytes - len(suffix)).rstrip(" .")
    return head + suffix


def letter_filename(on: date, societe: str, tiers: str, niveau: int,
                    devise: str = DEFAULT_CURRENCY) -> str:
    """`AAAA-MM-JJ_<société>_<tiers>_N<niveau>.pdf`: sorts by date, reads like the table;
    a letter in another currency than the euro is `…_<tiers>_USD_N<niveau>.pdf`, so the
    euro and dollar letters of one customer never take each other's name."""
    parts = [on.isoformat(), safe_component(societe, 40), safe_component(tiers, 40)]
    if devise != DEFAULT_CURRENCY:
        parts.append(safe_component(devise, 10))  # an ISO code: three letters
    return "_".join(parts) + f"_N{int(niveau)}.pdf"


def ensure_inside(folder: Path, path: Path) -> Path:
    """`path`, resolved, if it is directly in `folder` (links followed); else OutputError.

    The last guard before writing: whatever a name held, the file lands where the
    user said, never beside it through "..", an absolute part or a symbolic link.
    """
    root = Path(folder).resolve()
    target = Path(path).resolve()
    if target.parent != root:
        raise OutputError(
            f"Fichier : « {path} » sortirait du dossier choisi « {root} » ; rien n'est écrit."
        )
    return target


def unique_path(folder: Path, name: str, *, reserve: bool = True) -> Path:
    """A path for `name` in `folder` that no other file has: "x.pdf", "x (2).pdf"…

    With `reserve` (the default) the returned file is created empty and exclusively,
    so two rows of one run, or two runs at once, never get the same path; the caller
    then replaces it with the real content (and removes it if that fails).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise OutputError(f"Fichier : le dossier « {folder} » n'existe pas.")
    candidate = Path(name)
    if candidate.name != name or name in ("", ".", ".."):
        raise OutputError(f"Fichier : « {name} » n'est pas un nom de fichier simple.")
    stem, suffix = candidate.stem, candidate.suffix
    root = folder.resolve()
    for attempt in range(1, 10_000):
        label = name if attempt == 1 else f"{stem} ({attempt}){suffix}"
        path = root / label  # the name itself, never where a link by that name points
        if os.path.lexists(path):
            continue
        ensure_inside(root, path)
        if not reserve:
            return path
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as error:
            raise OutputError(f"Fichier : impossible de créer « {path} » ({error}).") from error
        return path
    raise OutputError(f"Fichier : trop de fichiers nommés « {name} » dans « {folder} ».")


# --- text export ---------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """French text for one cell; text that Excel would take for a formula gets a "'"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")  # our own number: "-12,00" stays
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def write_text_export(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """Write the table as a `;` text file a French Excel opens as it is; returns `path`.

    UTF-8 with BOM (Excel otherwise guesses Windows-1252), decimal commas, dates as
    27/07/2022, and no cell that starts like a formula (=, +, -, @, tab, CR) unless it
    is a number formatted here. Written to a temporary file, then renamed over
    `path`, so an interrupted export never leaves half a file.
    """
    path = Path(path)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"Fichier texte : impossible d'écrire dans « {path.parent} » "
                          f"({error}).") from error
    try:
        with open(fd, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
            writer.writerow([_cell(h) for h in header])
            writer.writerows([_cell(v) for v in row] for row in rows)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"Fichier texte : impossible d'écrire « {path} » ({error}).") from error
    return path



# --- screen and printer ------------------------------------------------------------

_VIEWERS: list[subprocess.Popen[bytes]] = []  # viewers still open, kept to be reaped


def _require_file(pdf: Path, output: str) -> Path:
    pdf = Path(pdf)
    if not pdf.is_file():
        raise OutputError(f"{output} : le fichier « {pdf} » n'existe pas.")
    return pdf.resolve()


def open_in_viewer(pdf: Path, *, wait: float = 5.0) -> None:
    """Show `pdf` in the system's PDF viewer (the "Écran" output).

    xdg-open may return at once or stay until the viewer closes: a failure within
    `wait` seconds is reported, a viewer still open after that is left running.
    """
    _open_with_system(pdf, "Écran", "visionneur PDF", wait=wait)


def open_in_word(document: Path, *, wait: float = 5.0) -> None:
    """Open the run's Word document (the "Word" output, from Excel): Word where it is
    the handler of .docx (Windows) or installed (macOS), the system's choice elsewhere."""
    app = "Microsoft Word" if Path("/Applications/Microsoft Word.app").exists() else None
    _open_with_system(document, "Word", "traitement de texte", wait=wait, mac_app=app)


def _open_with_system(document: Path, output: str, what: str, *, wait: float,
                      mac_app: str | None = None) -> None:
    document = _require_file(document, output)
    if sys.platform == "win32":
        try:
            os.startfile(str(document))  # type: ignore[attr-defined]  # Windows only
        except OSError as error:
            raise OutputError(f"{output} : Windows n'a pas pu ouvrir « {document.name} » "
                              f"({error}).") from error
        return
    command = "open" if sys.platform == "darwin" else "xdg-open"
    program = shutil.which(command)
    if program is None:
        raise OutputError(f"{output} : aucun {what} disponible (commande {command} "
                          "introuvable ; sous Linux, installez xdg-utils).")
    arguments = [program, *(["-a", mac_app] if mac_app and command == "open" else []),
                 str(document)]
    _VIEWERS[:] = [p for p in _VIEWERS if p.poll() is None]
    viewer = subprocess.Popen(arguments, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        code = viewer.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        _VIEWERS.append(viewer)
        return
    if code != 0:
        raise OutputError(f"{output} : {command} n'a pas pu ouvrir « {document.name} » "
                          f"(code {code}).")


def print_pdf(pdf: Path, printer: str | None, copies: int) -> str:
    """Print `copies` copies on `printer` (the default printer when None); the job id.

    CUPS's `lp` on Linux and macOS; on Windows the shell's print verb of the PDF
    reader, which has no job id (returns "").
    """
    pdf = _require_file(pdf, "Imprimante")
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise OutputError(f"Imprimante : nombre d'exemplaires invalide ({copies!r}).")
    if printer is not None and (
            '"' in printer or any(unicodedata.category(c)[0] == "C" for c in printer)):
        raise OutputError(f"Imprimante : nom d'imprimante invalide ({printer!r}).")
    if sys.platform == "win32":
        _print_windows(pdf, printer, copies)
        return ""
    return _print_cups(pdf, printer, copies)


def _print_cups(pdf: Path, printer: str | None, copies: int) -> str:
    where = f"Imprimante « {printer} »" if printer else "Imprimante par défaut"
    lp = shutil.which("lp")
    if lp is None:
        raise OutputError(f"{where} : la commande lp (CUPS) est introuvable ; "
                          "installez cups-client.")
    # The PDF goes on lp's standard input with an explicit title: no file name reaches CUPS,
    # so none can be read as an option, and none becomes the job's document name (cupsd
    # 2.4.2 of Debian 12 dies on a document name with a space in it).
    command = [lp, "-t", pdf.name, "-n", str(copies)]
    if printer:
        command += ["-d", printer]
    try:
        with pdf.open("rb") as document:
            done = subprocess.run(command, capture_output=True, timeout=120, stdin=document)
    except subprocess.TimeoutExpired as error:
        raise OutputError(f"{where} : lp ne répond pas (délai dépassé).") from error
    except OSError as error:
        raise OutputError(f"{where} : « {pdf.name} » illisible ({error.strerror or error}).") \
            from error
    stdout = done.stdout.decode(errors="replace")
    stderr = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        cause = stderr.strip() or stdout.strip() or f"code {done.returncode}"
        raise OutputError(f"{where} : « {pdf.name} » refusé par lp : {cause}")
    match = re.search(r"request id is (\S+)", stdout)
    if match is None:
        raise OutputError(f"{where} : réponse inattendue de lp : {stdout.strip()!r}")
    return match.group(1)


def _print_windows(pdf: Path, printer: str | None, copies: int) -> None:
    """One shell print per copy: the verbs have no copy count."""
    where = f"Imprimante « {printer} »" if printer else "Imprimante par défaut"
    try:
        for _ in range(copies):
            if printer:
                os.startfile(str(pdf), "printto", f'"{printer}"')  # type: ignore[attr-defined]
            else:
                os.startfile(str(pdf), "print")  # type: ignore[attr-defined]
    except OSError as error:
        raise OutputError(f"{where} : Windows n'a pas pu imprimer « {pdf.name} » ({error} ; "
                          "un lecteur PDF qui sait imprimer est-il installé ?)") from error


def declared_output(sortie: str) -> Output:
    """The declaration of the chosen output (a plain string compares equal to its Sortie)."""
    if sortie not in OUTPUTS:
        raise OutputError(f"sortie inconnue : {sortie!r}")
    return OUTPUTS[Sortie(sortie)]


def show_or_print(document: Path, options: PrintOptions) -> None:
    """The PDF opened in a viewer for the "screen" output, else sent to the printer."""
    if declared_output(options.sortie).delivery == "screen":
        open_in_viewer(document)
    else:
        print_pdf(document, options.imprimante or None, options.exemplaires)
