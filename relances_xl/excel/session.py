"""The workbook file opened for one command, then saved atomically: what the command
line and the installer hold around the add-in's functions.

Around the engine's open and save (`excel.headless`), `excel.guard`: the file must be a
readable workbook that neither Excel nor LibreOffice has open; the command holds the
lock beside it from reading to saving; and the save is refused if the file changed on
disk meanwhile. Kept here, below the actions, so that `installer` and `cli` both use it
without one importing the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import xlwings as xw

from ..errors import RelancesError
from ..long_lived import long_lived
from . import guard


@contextmanager
def opened(path: Path, status: Callable[[object], None] | None = None,
           read_ahead: Sequence[str] = ()) -> Iterator[xw.Book]:
    """The workbook as the caller of the add-in, saved atomically if all went well.

    `status` hears each change of Excel's status bar (the command line draws it). Each
    refusal of the guard stops the command, nothing written. `read_ahead`: the sheets the
    command reads, in its order, parsed while the guard reads every part of the file
    (`_open_checked`).
    """
    from .headless import close_book, open_book, save_book

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"Classeur introuvable : {path}")
    guard.check_readable(path, every_part=False)  # a file cut or of another kind: no lock
    guard.check_not_open(path)
    with guard.exclusive(path):
        read = guard.Fingerprint.of(path)
        book = _open_checked(path, open_book, read_ahead)
        listeners = book.app.impl.status_listeners
        if status is not None:
            listeners.append(status)
        try:
            with long_lived():  # the workbook, until it is saved
                yield book
                guard.check_not_open(path)
                guard.check_unchanged(path, read)
                try:
                    save_book(book)
                except OSError as error:
                    raise guard.refused_save(path, error) from error
        finally:
            if status is not None:
                listeners.remove(status)
            close_book(book)


def _open_checked(path: Path, open_book: Callable[[Path], xw.Book],
                  read_ahead: Sequence[str]) -> xw.Book:
    """The engine's open, then the guard's read of every part, while a thread of the
    engine's parses the sheets to read ahead: the guard's inflating and python-calamine's
    parse both run without the interpreter's lock, so on two cores the guard costs no
    wait (docs/performance.md). A damaged part is refused by the guard's message either
    way, the thread's reads dropped with the book; only the lock file, which every
    command leaves beside the workbook, has been made."""
    from .headless import close_book

    try:
        book = _open(path, open_book)
    except guard.WorkbookUnreadable:
        guard.check_readable(path)  # the damaged part named, when that is the cause
        raise
    try:
        prefetch = getattr(book.impl, "prefetch", None)
        if read_ahead and prefetch is not None:
            prefetch(read_ahead)
        guard.check_readable(path)
    except BaseException:
        close_book(book)
        raise
    return book


def _open(path: Path, open_book: Callable[[Path], xw.Book]) -> xw.Book:
    """The engine's open; a file it cannot read is said in one line, not a traceback."""
    try:
        return open_book(path)
    except RelancesError:
        raise
    except Exception as error:  # whatever the reader tripped on, the file is the cause
        detail = " ".join(f"{type(error).__name__} : {error}".split()).strip(" :")
        raise guard.WorkbookUnreadable(guard.unreadable_message(path, detail)) from error


@contextmanager
def read_only(path: Path) -> Iterator[xw.Book]:
    """The workbook as the caller of the add-in, never saved: for a command that only
    reads (`relances-xl suivi`). Refused like `opened` when the file is unreadable."""
    from .headless import close_book, open_book

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"Classeur introuvable : {path}")
    guard.check_readable(path)
    book = _open(path, open_book)
    try:
        yield book
    finally:
        close_book(book)
