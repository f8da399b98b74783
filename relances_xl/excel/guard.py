"""One writer at a time, and never behind Excel's back: the guards around a headless save.

A command that saves the workbook reads it, works for seconds or minutes (letters,
e-mails), then writes it back whole. Two such commands on one file, or one while
Excel has it open, would each write the copy they read, and the later one would
silently undo the other. So, around the engine's open and save (see `terminal.opened`):

- the file must be a readable workbook before anything else happens
  (`check_readable`): an empty, truncated, text or renamed `.xls` file stops the
  command in one line naming the `.bak` beside it, with nothing written;
- a workbook open in Excel or LibreOffice (their owner files `~$Relances.xlsm` and
  `.~lock.Relances.xlsm#` beside it) is never written (`check_not_open`);
- the command holds an exclusive lock beside the workbook for its whole
  read-modify-write (`exclusive`, a `filelock` lock: the operating system drops it
  when its holder dies, so a killed command never blocks the next). A second command
  waits a few seconds, then stops naming the holder (host, process, since when);
- the file must be, at save time, the one that was read (`Fingerprint`: size, time
  and SHA-256): a change on disk made by anything else stops the save.

Nothing here knows the engine: it looks at files only.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

from filelock import FileLock, Timeout

from ..errors import RelancesError
from ..headless.package import check_parts

WAIT_ENV = "RELANCES_XL_ATTENTE"  # seconds a command waits for another one to finish
DEFAULT_WAIT = 5.0
BACKUP_SUFFIX = ".bak"  # the previous version the headless save keeps beside the workbook
_OFFICE_RELATION = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")


class WorkbookUnreadable(RelancesError):
    """The file is not a workbook that can be opened: nothing was done."""


class WorkbookBusy(RelancesError):
    """Another command holds the workbook's lock: nothing was done."""


class WorkbookOpenElsewhere(RelancesError):
    """Excel or LibreOffice has the workbook open: the command line does not write it."""


class WorkbookChanged(RelancesError):
    """The file changed on disk since it was read: the save was refused."""


# --- is it a workbook at all -----------------------------------------------------------


def check_readable(path: Path, every_part: bool = True) -> None:
    """Raise WorkbookUnreadable, in one line naming the backup, unless `path` is an
    Office Open XML workbook whose every part can be read back (`every_part` False:
    only its head and its zip directory, a few milliseconds; the parts are read later)."""
    why = unreadable_reason(path, every_part)
    if why:
        raise WorkbookUnreadable(unreadable_message(path, why))


def unreadable_reason(path: Path, every_part: bool = True) -> str | None:
    """Why `path` cannot be opened as a .xlsm, in a few French words; None if it can."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(512)
    except OSError as error:
        return f"lecture impossible : {error.strerror or error}"
    if not head:
        return "fichier vide"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE2 compound file
        return "classeur Excel 97-2003 .xls renommé, ou classeur protégé par mot de passe"
    if not head.startswith(b"PK"):
        return "fichier texte" if _looks_like_text(head) else "fichier d'un autre format"
    try:
        with zipfile.ZipFile(path) as package:
            if not _is_workbook_package(package):
                return "archive zip qui n'est pas un classeur Excel"
            # reads every part and checks its CRC
            damaged = check_parts(package) if every_part else None
    except (zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError, KeyError,
            ValueError):
        return "archive tronquée ou abîmée, copie interrompue ?"
    except OSError as error:
        return f"lecture impossible : {error.strerror or error}"
    if damaged:
        return f"archive abîmée, partie {damaged} illisible"
    return None


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return b"\x00" not in head
    return True


def _is_workbook_package(package: zipfile.ZipFile) -> bool:
    """The package's main part (named by its root relationships) is a workbook's, by
    its content type: a Word or PowerPoint file renamed .xlsm is not."""
    names = set(package.namelist())
    if not {"[Content_Types].xml", "_rels/.rels"} <= names:
        return False
    main = ""
    for relation in ElementTree.fromstring(package.read("_rels/.rels")):
        if relation.get("Type") == _OFFICE_RELATION:
            main = "/" + (relation.get("Target") or "").lstrip("/")
    types = ElementTree.fromstring(package.read("[Content_Types].xml"))
    for override in types:
        if override.get("PartName") == main:
            kind = override.get("ContentType") or ""
            return main[1:] in names and (".sheet." in kind or "spreadsheetml" in kind)
    return False


def unreadable_message(path: Path, why: str) -> str:
    path = Path(path)
    text = f"{path.name} n'est pas un classeur .xlsm lisible ({why}) : rien n'a été fait."
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if backup.is_file() and unreadable_reason(backup) is None:
        text += (f" La version précédente est {backup.name}, à côté : renommez-la en "
                 f"{path.name} pour la reprendre.")
    return text


# --- Excel or LibreOffice has it open ----------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """Who has the workbook open, as the program's owner file says."""

    program: str  # "Excel" or "LibreOffice"
    name: str  # the user's name as the program knows it; "" if unreadable
    file: Path  # the owner file
    host: str = ""
    since: str = ""


def excel_owner_file(path: Path) -> Path:
    """`~$Relances.xlsm`: Excel's owner file, beside the workbook while it is open."""
    return path.with_name("~$" + path.name)


def libreoffice_lock_file(path: Path) -> Path:
    """`.~lock.Relances.xlsm#`: LibreOffice's lock file, beside the open document."""
    return path.with_name(f".~lock.{path.name}#")


def owner(path: Path) -> Owner | None:
    """Excel's or LibreOffice's owner of `path`, if one of their files is beside it."""
    path = Path(path)
    excel = excel_owner_file(path)
    with suppress(OSError):
        if excel.is_file():
            return Owner("Excel", excel_owner_name(_read_shared(excel)), excel)
    office = libreoffice_lock_file(path)
    with suppress(OSError):
        if office.is_file():
            fields = libreoffice_lock_fields(_read_shared(office).decode("utf-8", "replace"))
            fields += [""] * (5 - len(fields))
            return Owner("LibreOffice", fields[0] or fields[1], office, host=fields[2],
                         since=fields[3])
    return None


def _read_shared(path: Path) -> bytes:
    """The owner file's bytes; an empty answer when its program denies reading it."""
    try:
        return path.read_bytes()[:4096]
    except PermissionError:
        return b""


def excel_owner_name(data: bytes) -> str:
    """The user name in Microsoft Office's owner file (`~$…`).

    As LibreOffice reads it (svl/source/misc/msodocumentlockfile.cxx): one byte, the
    name's length (1 to 52), the name in the Windows code page, padding up to offset 54
    (Word) or 55 (Excel, PowerPoint), there the length again on two bytes followed by
    the name in UTF-16-LE; 162 or 165 bytes in all.
    """
    if not data or not 0 < data[0] <= 52:
        return ""
    for offset in (55, 54):
        if len(data) < offset + 2:
            continue
        length = data[offset] | data[offset + 1] << 8
        end = offset + 2 + 2 * length
        if 0 < length <= 52 and len(data) >= end:
            with suppress(UnicodeDecodeError):
                name = data[offset + 2:end].decode("utf-16-le")
                if name.isprintable():
                    return name.strip()
    return data[1:1 + data[0]].decode("cp1252", "replace").strip()


def libreoffice_lock_fields(text: str) -> list[str]:
    """`user,system user,host,dd.mm.yyyy hh:mm,profile URL;` -> its fields.

    LibreOffice escapes `,`, `;` and `\\` inside a field with a backslash.
    """
    fields, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",;":
            fields.append("".join(current))
            current = []
            if char == ";":
                break
        else:
            current.append(char)
    else:
        if current:
            fields.append("".join(current))
    return [field.strip() for field in fields]


def check_not_open(path: Path) -> None:
    """Raise WorkbookOpenElsewhere when Excel or LibreOffice has `path` open."""
    found = owner(path)
    if found is not None:
        raise WorkbookOpenElsewhere(open_elsewhere_message(Path(path), found))


def open_elsewhere_message(path: Path, found: Owner | None) -> str:
    """"Relances.xlsm est ouvert dans Excel par <name> : fermez-le ou travaillez depuis Excel"."""
    if found is None:  # a refused save with no owner file: Excel most of the time
        return (f"{path.name} est ouvert dans Excel ou dans un autre programme : fermez-le ou "
                "travaillez depuis Excel.")
    program = found.program
    who = f"par {found.name}" if found.name else "par un autre utilisateur"
    if found.host:
        who += f" (poste {found.host}" + (f", depuis le {found.since})" if found.since
                                          else ")")
    return (f"{path.name} est ouvert dans {program} {who} : fermez-le ou travaillez depuis "
            f"{program}. Si personne ne l'a ouvert, supprimez {found.file.name}, laissé à "
            f"côté par un arrêt brutal de {program}.")


def on_windows() -> bool:
    return sys.platform == "win32"


def refused_save(path: Path, error: OSError) -> RelancesError:
    """The error to show for a save the file system refused (nothing was written).

    On Windows a refused rename means the file is in use, by Excel most of the time:
    say so as for an owner file, never with a traceback.
    """
    path = Path(path)
    if on_windows() and isinstance(error, PermissionError):
        return WorkbookOpenElsewhere(open_elsewhere_message(path, owner(path)))
    return RelancesError(f"{path.name} n'a pas pu être enregistré "
                         f"({error.strerror or error}) : le fichier est resté tel qu'il était.")


# --- one writer at a time ------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """`.Relances.xlsm.lock`, beside the workbook (hidden on macOS and Linux)."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as its holder wrote it in the lock file."""

    host: str
    pid: int
    since: datetime
    command: str

    def describe(self) -> str:
        return (f"{self.command}, poste {self.host}, processus {self.pid}, depuis "
                f"{self.since:%H:%M:%S} le {self.since:%d/%m/%Y}")


# Windows locks the lock file's first byte: the holder's note starts after it.
_NOTE_OFFSET = 1


def _write_holder(fd: int) -> None:
    """filelock's on_acquired hook: note in the lock file who holds it.

    The note only helps the next command say who it waits for: failing to write it
    must never cost the lock, hence no error out of here.
    """
    note = b"\n" + json.dumps({"host": socket.gethostname(), "pid": os.getpid(),
                               "since": datetime.now().isoformat(timespec="seconds"),
                               "command": _command_line()}).encode("utf-8")
    with suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, note)
        os.ftruncate(fd, len(note))  # what a longer earlier note left after it


def _command_line() -> str:
    """"relances-xl lettres" for the command line (script or `python -m relances_xl.cli`)."""
    program = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else "python"
    if program in ("relances-xl", "cli"):
        return " ".join(["relances-xl", *sys.argv[1:2]])
    return program


def read_holder(path: Path) -> Holder | None:
    """The holder noted in the lock of workbook `path`; None if none is readable."""
    try:
        with open(lock_path(path), "rb") as stream:
            stream.seek(_NOTE_OFFSET)
            note = json.loads(stream.read(4096).decode("utf-8"))
        return Holder(str(note["host"]), int(note["pid"]),
                      datetime.fromisoformat(note["since"]), str(note["command"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def wait_seconds() -> float:
    """How long a command waits for another to finish: RELANCES_XL_ATTENTE, else 5 s."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextmanager
def exclusive(path: Path, wait: float | None = None,
              notify: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the workbook's lock for the body; wait up to `wait` seconds for it.

    The lock is the operating system's (flock, LockFileEx) on a file beside the
    workbook: it dies with its holder, so a killed command never blocks the next.
    """
    path = Path(path)
    wait = wait_seconds() if wait is None else wait
    lock = FileLock(lock_path(path), on_acquired=_write_holder)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder = read_holder(path)
            notify(f"{path.name} est utilisé par une autre commande"
                   + (f" ({holder.describe()})" if holder else "")
                   + f" : attente de {wait:g} s au plus…")
            lock.acquire(timeout=wait)
    except Timeout:
        raise WorkbookBusy(busy_message(path, read_holder(path), wait)) from None
    except OSError as error:
        raise RelancesError(f"verrou {lock_path(path).name} impossible à poser à côté de "
                            f"{path.name} ({error.strerror or error}) : rien n'a été fait."
                            ) from error
    try:
        yield
    finally:
        lock.release()


def busy_message(path: Path, holder: Holder | None, wait: float) -> str:
    who = holder.describe() if holder else "détenteur inconnu"
    return (f"{path.name} est en cours de modification par une autre commande ({who}) ; "
            f"toujours occupé après {wait:g} s : rien n'a été fait, relancez la commande "
            "quand elle sera finie.")


# --- the file read is the file saved -----------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What identifies the content of a file read: size, modification time, SHA-256."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            stat = os.fstat(stream.fileno())
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
        return cls(stat.st_size, stat.st_mtime_ns, digest.hexdigest())

    def same_content(self, other: Fingerprint) -> bool:
        """Same bytes: a file touched but not changed (a sync client) is the same file."""
        return self.size == other.size and self.sha256 == other.sha256


def check_unchanged(path: Path, read: Fingerprint) -> None:
    """Raise WorkbookChanged unless `path` still holds the bytes that were read."""
    path = Path(path)
    try:
        now = Fingerprint.of(path)
    except FileNotFoundError:
        raise WorkbookChanged(f"{path.name} a été supprimé ou renommé pendant la commande : "
                              "rien n'a été enregistré.") from None
    if not now.same_content(read):
        when = datetime.fromtimestamp(now.mtime_ns / 1e9)
        raise WorkbookChanged(
            f"{path.name} a été modifié sur le disque pendant la commande (enregistré à "
            f"{when:%H:%M:%S} par un autre programme) : rien n'a été enregistré, pour ne pas "
            "effacer ce changement. Relancez la commande sur le classeur à jour.")
