"""Every letter issued kept as a PDF in "Lettres émises": what a commissaire de justice
or a court will ask for after the mise en demeure (issue 29).

The folder is Paramètres' "Dossier des lettres émises", relative to the workbook's
folder, or "Lettres émises" beside the workbook when it is empty. Each letter is kept
under the name its PDF has in the chosen folder (`outputs.letter_filename`); a second
one of the same name (issued again the same day) gets `_2`, `_3`…: a kept letter is
never overwritten, each file is created exclusively. `Historique`'s "Lettre archivée"
points to it (`reference`).

The folder is made and tried before the first letter goes out (`ready`): a folder that
cannot be written stops the run with nothing issued and nothing recorded. A letter
that cannot be kept once it went out (the disk filled meanwhile) stays issued, as it
is, with no "Lettre archivée", and the run's message says so.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..config import Settings
from .outputs import OutputError, ensure_inside

SETTING = "dossier_lettres_emises"
DEFAULT_FOLDER = "Lettres émises"


def folder(settings: Settings, workbook_folder: Path) -> Path:
    """Where the run's letters are kept: the setting, relative to the workbook's folder,
    or "Lettres émises" beside the workbook when the setting is empty."""
    typed = settings.option(SETTING).strip()
    if not typed:
        return Path(workbook_folder) / DEFAULT_FOLDER
    path = Path(typed).expanduser()
    return path if path.is_absolute() else Path(workbook_folder) / path


def ready(where: Path) -> Path:
    """`where`, made when missing and proven writable (a file created and removed);
    OutputError naming the folder otherwise, before any letter is issued."""
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=where, prefix=".essai-", suffix=".tmp")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise OutputError(
            f"Lettres émises : le dossier « {where} » ne peut pas être écrit "
            f"({error.strerror or error}) ; aucune lettre n'est éditée. Corrigez le "
            f"« Dossier des lettres émises » de la feuille Paramètres ou les droits de ce "
            "dossier.") from error
    return where


def keep(document: Path, where: Path, name: str) -> Path:
    """A copy of `document` as `where/name.pdf`, or `name_2.pdf`, `name_3.pdf`… when
    taken: created exclusively, so no kept letter is ever overwritten, even by a run
    at the same time. OutputError naming the folder when it cannot be written."""
    stem = name.removesuffix(".pdf")
    for attempt in range(1, 10_000):
        candidate = where / (f"{stem}.pdf" if attempt == 1 else f"{stem}_{attempt}.pdf")
        ensure_inside(where, candidate)
        try:
            handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise _not_kept(name, where, error) from error
        try:
            with os.fdopen(handle, "wb") as out, open(document, "rb") as source:
                shutil.copyfileobj(source, out)
                out.flush()
                os.fsync(out.fileno())
        except OSError as error:
            candidate.unlink(missing_ok=True)
            raise _not_kept(name, where, error) from error
        return candidate
    raise OutputError(f"Lettres émises : trop de lettres nommées « {stem} » dans « {where} ».")


def _not_kept(name: str, where: Path, error: OSError) -> OutputError:
    return OutputError(f"Lettres émises : « {name} » n'a pas pu être gardée dans « {where} » "
                       f"({error.strerror or error}).")


def reference(path: Path, workbook_folder: Path) -> str:
    """What `Historique` records: the path relative to the workbook's folder, with "/"
    (the same on Windows and macOS), or the absolute path when the archive is elsewhere."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(workbook_folder).resolve()).as_posix()
    except ValueError:
        return str(path)


def resolve(lettre: str, workbook_folder: Path) -> Path:
    """The file an `Historique` "Lettre archivée" names (the reverse of `reference`)."""
    path = Path(lettre)
    return path if path.is_absolute() else Path(workbook_folder) / path
