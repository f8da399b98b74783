"""An xlwings engine for workbook files, without Excel.

`open_book` reads a .xlsx/.xlsm and makes it what `xw.Book.caller()` returns, so
code written for Excel's buttons runs on the file unchanged; `save_book` writes it
back atomically, rewriting only the parts the run changed. The package knows
nothing of the application that uses it: the formats and the backup policy it
needs come in `Options`.
"""

from .app import Alert, Options, activate, close_book, open_book, save_book

__all__ = ["Alert", "Options", "activate", "close_book", "open_book", "save_book"]
