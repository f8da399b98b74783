"""The workbook opened without Excel, with this project's formats and backup policy.

The engine (`relances_xl.headless`) knows no workbook of ours: it is told here the
date format a written date gets, the number format that marks the checkbox cells
(`layout.CHECKBOX_FORMAT`), and to keep `Relances.xlsm.bak` before each save
(`backup`). The command line, the tests and the benchmarks open books through these
three functions.
"""

from __future__ import annotations

from pathlib import Path

import xlwings as xw

from .. import headless, layout
from . import backup

OPTIONS = headless.Options(date_format=layout.DATE_FORMAT,
                           checkbox_format=layout.CHECKBOX_FORMAT,
                           before_replace=backup.keep_backup)


def open_book(path: str | Path) -> xw.Book:
    """Open the workbook headless as the caller of the add-in's entry points."""
    return headless.open_book(path, OPTIONS)


def save_book(book: xw.Book, path: str | Path | None = None) -> None:
    """Save atomically, the previous file kept as `.bak`; parts not changed are copied."""
    headless.save_book(book, path)


def close_book(book: xw.Book) -> None:
    """Forget the book (and the mock caller if it was this book); nothing is saved."""
    headless.close_book(book)
