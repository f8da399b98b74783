"""The workbook opened from a terminal and its buttons pressed there: what the commands
of `relances-xl` (`cli`) and its demo (`demo`) share.

`opened` wraps every command that saves (Excel's status bar drawn on the terminal);
`apply_workbook` and `print_workbook` fill the cells a user would fill, then press the
button; `report` turns the outcome into messages and the exit status. Its own module so
that the command line runs the demo, which presses the same buttons, with the imports
running one way only: `cli` -> `demo` -> `terminal`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import xlwings as xw

from . import addin, layout
from .config import Sortie
from .excel import session, sheets
from .excel.text_cells import as_text
from .model import Filters

# The sheets a command that computes the table reads, in the order the read-ahead is to
# parse them after the largest: the ledger, then the saved proposal (Proposition:
# Appliquer reads its close prompt's answer first, parsing it itself while the
# read-ahead parses Factures; sauver writes it last) and the filter cells and the table
# (Relances: 10,000 rows once applied, parsed by then in `opened`'s read-ahead). With
# Proposition first, the payments were parsed after it, once the invoices' reader
# was waiting for them (docs/performance.md).
READS_LEDGER = (*sheets.LEDGER_SHEETS, layout.PROPOSITION, layout.RELANCES)


def opened(path: Path, read_ahead: tuple[str, ...] = ()) -> AbstractContextManager[xw.Book]:
    """The workbook as the caller of the add-in, saved atomically if all went well
    (`excel.session.opened`), Excel's status bar drawn on the terminal. Each refusal of
    `excel.guard` stops the command with exit 2, nothing written.
    """
    return session.opened(path, status=_progress_bar, read_ahead=read_ahead)


def _progress_bar(status: object) -> None:
    """Excel's status bar, drawn on the terminal: "Lettre 12/240 [#####.....]"."""
    if not sys.stderr.isatty():
        return
    if status is False or status is None:
        print(file=sys.stderr)
        return
    found = re.search(r"(\d+)/(\d+)", str(status))
    bar = ""
    if found and int(found.group(2)):
        filled = 30 * int(found.group(1)) // int(found.group(2))
        bar = " [" + "#" * filled + "." * (30 - filled) + "]"
    print(f"\r{status}{bar}\033[K", end="", file=sys.stderr, flush=True)


def apply_workbook(path: Path, filters: Filters) -> addin.Outcome:
    """Fill the filter cells, press Appliquer, save: what a user does in Excel."""
    with opened(path, READS_LEDGER) as book:
        sheets.write_filters(book.sheets[layout.RELANCES], filters, filters.date)
        return addin.appliquer(today=filters.date)


def print_workbook(path: Path, action: Callable[[], addin.Outcome], sortie: str,
                   dossier: Path | None = None, forme: str | None = None,
                   exemplaires: int = 1, imprimante: str | None = None) -> addin.Outcome:
    """Fill the print options as the dialog would, then press the button."""
    with opened(path) as book:
        relances = book.sheets[layout.RELANCES]
        values = {"defaut": False, "sortie": Sortie(sortie).output.label, "forme": forme,
                  "exemplaires": exemplaires,
                  "dossier": str(dossier.resolve()) if dossier else None,
                  "imprimante": imprimante}
        for key, value in values.items():  # a folder or printer name stays text
            relances.range(layout.OPTIONS[key][1]).value = as_text(value)
        return action()


def report(outcome: addin.Outcome, as_json: list[dict[str, object]] | None = None) -> int:
    """Problems on stderr; then the message, or the JSON given, on stdout. The exit status."""
    for problem in outcome.problems:
        label = "ERREUR" if problem.blocking else "attention"
        print(f"{label} : {problem}", file=sys.stderr)
    if outcome.blocked:
        print(outcome.message, file=sys.stderr)
        return 2
    if as_json is not None:
        print(json.dumps(as_json, ensure_ascii=False, indent=2))
    else:
        print(outcome.message)
    return 0
