"""Importer un FEC: the ledger sheets read, the import planned, then written, in bulk.

The same calls run in Excel and headless (see `sheets`). The FEC is read and the
whole import decided (`changes.plan_import`) before the first cell is written:
a file that cannot be read, a company that cannot be told, a sheet missing a needed
column stop the import with nothing changed. Writes are one `.value` per column for
updated rows and one block for added rows; a removed row takes the table's last row
in its place (Range.copy keeps its formats and formulas) and the table shrinks by
one, so Excel tables never hold a hole. The report of every row added, updated or
removed, and of every FEC line rejected or ignored, goes to the `Import FEC` sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlwings as xw

from .. import layout
from ..excel import sheets
from ..excel.text_cells import text_block
from ..ledger import Block
from ..long_lived import acyclic
from ..parametres import read_settings
from ..texts import money_format
from .changes import ImportPlan, SheetChanges, SheetState, cell_value, plan_import
from .plan import FecOptions
from .read import FecError, read_fec

TITLE = "Importer un FEC"
REPORT_COLUMNS = ("Action", "Feuille", "N°", "Ligne du FEC", "Colonne", "Valeur", "Détail")
_READ = (layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS, layout.PARAMETRES)
_CODES = {"societe", "piece", "numero", "tiers", "piece_lettree"}  # text, "00123" stays so
_FORMATS = {"date_piece": layout.DATE_FORMAT, "echeance": layout.DATE_FORMAT,
            "date": layout.DATE_FORMAT, "montant": layout.MONEY_FORMAT}


@dataclass
class ImportOutcome:
    """What the import did: its plan (None when nothing was done) and the message shown."""

    plan: ImportPlan | None
    message: str
    error: str = ""

    @property
    def rejected(self) -> int:
        return self.plan.lines("rejetée") if self.plan else 0


def import_fec(book: xw.Book, path: str | Path | None, options: FecOptions,
               alert: bool = True) -> ImportOutcome:
    """Read, plan, write; the message cell and an alert say what happened.

    `alert=False` when the caller reports itself (the command line prints the summary
    and each rejected line once, not an alert's copy of them besides).
    """
    if not path:
        return ImportOutcome(None, "Aucun fichier FEC choisi : rien n'est importé.")
    book.app.status_bar = "Import FEC : lecture du fichier…"
    # VBA writes a character beyond U+FFFF as a surrogate pair of escapes: join them
    path = str(path).encode("utf-16", "surrogatepass").decode("utf-16")
    try:
        with acyclic():  # hundreds of thousands of lines and rows, and no cycle
            blocks = {name: sheets.read_block(book, name) for name in _READ}
            _refuse_totals_rows(book, blocks)
            comptes = options.comptes or customer_accounts(blocks[layout.PARAMETRES])
            fec = read_fec(Path(path), comptes)
            plan = plan_import(fec, blocks, options)
    except FecError as error:
        book.app.status_bar = False
        message = f"Import du FEC impossible, rien n'est modifié : {error}"
        if alert:
            book.app.alert(message, title=TITLE, buttons="ok", mode="critical")
        return ImportOutcome(None, message, str(error))
    book.app.status_bar = "Import FEC : écriture des feuilles…"
    with acyclic():
        for changes in plan.changes.values():
            write_changes(book, changes)
        write_report(book, plan)
    outcome = ImportOutcome(plan, plan.summary())
    sheets.write_message(book.sheets[layout.RELANCES], outcome.message)
    book.app.status_bar = False
    if outcome.rejected and alert:
        shown = [f"ligne {e.line} : {e.detail}" for e in plan.entries if e.action == "rejetée"]
        more = f"\n… et {len(shown) - 10} autre(s)" if len(shown) > 10 else ""
        book.app.alert(f"{outcome.message}\n\n" + "\n".join(shown[:10]) + more
                       + f"\n\nDétail : feuille {layout.IMPORT_FEC}.", title=TITLE,
                       buttons="ok", mode="info")
    return outcome


def _refuse_totals_rows(book: xw.Book, blocks: dict[str, Block | None]) -> None:
    """A table showing its totals row would have the import's new rows written over it
    (added rows go under the last data row): the user hides it for the import."""
    for name in layout.TABLE_NAMES:
        block = blocks.get(name)
        sheet = sheets.sheet_or_none(book, name)
        if block and sheet is not None and sheets.without_totals(sheet, block):
            raise FecError(f"la feuille {name} a un tableau qui affiche sa ligne « Total » : "
                           "décochez « Ligne Total » (onglet Création de tableau), importez, "
                           "puis cochez-la à nouveau")


def customer_accounts(parametres: Block | None) -> tuple[str, ...]:
    """Paramètres' "Comptes clients du FEC", for the button (the command line may pass
    its own); a value that is no list of account numbers stops the import, named."""
    settings, problems = read_settings(parametres)
    label = layout.PARAMETRES_SETTINGS["comptes_fec"][0]
    for problem in problems:
        if problem.column == label:
            raise FecError(str(problem))
    return settings.comptes_fec


def write_changes(book: xw.Book, changes: SheetChanges) -> None:
    state = changes.state
    sheet = book.sheets[state.sheet]
    _update(sheet, state, changes.updated)
    _append(sheet, state, changes.added)
    _currency_formats(sheet, state, [(row, values["devise"]) for row, values in changes.updated
                                     if "devise" in values]
                      + [(state.next_row + i, row["devise"]) for i, row in enumerate(changes.added)
                         if row.get("devise")])
    last = state.next_row - 1 + len(changes.added)
    last = _delete(sheet, state, changes.deleted, last)
    _resize_table(sheet, state.sheet, last, shrink=bool(changes.deleted))


def _update(sheet: xw.Sheet, state: SheetState, updated: list[tuple[int, dict]]) -> None:
    """One write per column, from its first to its last updated row (others rewritten as read)."""
    by_row = dict(updated)
    for field in sorted({f for _, values in updated for f in values}):
        column = state.columns[field]
        rows = sorted(row for row, values in updated if field in values)
        block = []
        for row in range(rows[0], rows[-1] + 1):
            values = by_row.get(row, {})
            old = state.block[row - 1]
            block.append([cell_value(values[field]) if field in values
                          else old[column] if column < len(old) else None])
        target = sheet.range((rows[0], column + 1), (rows[-1], column + 1))
        if field in _CODES:
            target.number_format = "@"
        target.options(ndim=2).value = text_block(block)  # a label "=..." stays text


def _append(sheet: xw.Sheet, state: SheetState, added: list[dict[str, object]]) -> None:
    """The new rows in one block under the last one, codes as text, dates and money formatted."""
    if not added:
        return
    start, end = state.next_row, state.next_row + len(added) - 1
    fields = [f for f in state.columns if any(f in row for row in added)]
    for field in fields:
        fmt = "@" if field in _CODES else _FORMATS.get(field)
        if fmt:
            column = state.columns[field] + 1
            sheet.range((start, column), (end, column)).number_format = fmt
    first = min(state.columns[f] for f in fields)
    width = max(state.columns[f] for f in fields) - first + 1
    block = []
    for row in added:
        cells: list[object] = [None] * width
        for field in fields:
            cells[state.columns[field] - first] = cell_value(row.get(field))
        block.append(cells)
    sheet.range((start, first + 1)).options(ndim=2).value = text_block(block)


def _currency_formats(sheet: xw.Sheet, state: SheetState, rows: list[tuple[int, str]]) -> None:
    """The amount of a row in another currency shows that currency ('#,##0.00 "$US"'),
    not the column's euro format; a row back in euros gets the euro format again."""
    column = state.columns.get("montant")
    if column is None:
        return
    for row, devise in rows:
        sheet.range((row, column + 1)).number_format = (money_format(devise) if devise
                                                        else layout.MONEY_FORMAT)


def _delete(sheet: xw.Sheet, state: SheetState, rows: list[int], last: int) -> int:
    """Remove rows, each refilled with the current last row; returns the new last row."""
    width = max(len(row) for row in state.block)
    for hole in sorted(rows, reverse=True):
        bottom = sheet.range((last, 1), (last, width))
        if hole != last:
            bottom.copy(sheet.range((hole, 1), (hole, width)))
        bottom.clear_contents()
        last -= 1
    return last


def _resize_table(sheet: xw.Sheet, name: str, last: int, shrink: bool) -> None:
    """The Excel table ends on the last data row (never on its header alone)."""
    wanted = layout.TABLE_NAMES[name].lower()
    for table in sheet.tables:
        if table.name.lower() == wanted:
            whole = table.range
            bottom = whole.row + whole.shape[0] - 1
            bottom = max(last, whole.row + 1) if shrink else max(last, bottom)
            right = whole.column + whole.shape[1] - 1
            table.resize(sheet.range((whole.row, whole.column), (bottom, right)))


def write_report(book: xw.Book, plan: ImportPlan) -> None:
    """The `Import FEC` sheet: the summary, then one row per entry, problems first."""
    sheet = sheets.sheet_or_none(book, layout.IMPORT_FEC)
    if sheet is None:  # next to Contrôles, the other report
        after = sheets.sheet_or_none(book, layout.CONTROLES) or book.sheets[len(book.sheets) - 1]
        sheet = book.sheets.add(layout.IMPORT_FEC, after=after)
    sheet.used_range.clear()  # formats too: the last report's cells do not linger in the file
    width = len(REPORT_COLUMNS)
    block: list[list[object]] = [[plan.summary()] + [None] * (width - 1), [None] * width,
                                 list(REPORT_COLUMNS)]
    for e in plan.entries:
        value = None if e.value in (None, "") else str(e.value)
        block.append([e.action, e.sheet, e.key or None, e.line, e.column, value, e.detail])
    for column in (3, 6):  # numbers and values as typed: "00123" stays "00123"
        sheet.range((4, column), (max(4, len(block)), column)).number_format = "@"
    sheet.range("A1").options(ndim=2).value = text_block(block)
