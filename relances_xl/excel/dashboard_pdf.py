"""The dashboard page that ends the proposal's PDF.

Excel prints the sheet itself (`Sheet.to_pdf`, its own charts); headless, LibreOffice
prints it from the saved workbook (letters/sheet_pdf.py), in a thread of its own while
the proposal is rendered and converted: the two LibreOffice runs overlap on two cores.
The page shows what the last **Balance âgée** computed: nothing is recomputed or
written while printing, so the user is told when its figures are not those of the
proposal (another date or other filters).

In Excel, xlwings prints one sheet by hiding the others for a moment, which makes
the printed sheet the active one: the sheet the user was on is made active again.
Excel for Mac is sandboxed: it may write only in its container (or where the user
granted it), so the page is written there and then moved to its folder.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import xlwings as xw

from .. import layout
from ..letters import pdf, sheet_pdf
from ..model import Filters
from .aged_sheets import dashboard_subtitle
from .dashboard_sheets import FIRST_MESSAGE


class DashboardPage:
    """The page on its way, and the sentence for the user (final once `pdf()` returned)."""

    def __init__(self, note: str, job: Future[Path] | None = None) -> None:
        self.note = note
        self._job = job

    def pdf(self) -> Path | None:
        """The page's PDF, once made; None when there is none (the note says why)."""
        if self._job is None:
            return None
        try:
            return self._job.result()
        except pdf.ConversionError as error:  # the proposal is printed all the same
            self.note = f"Tableau de bord non joint : {error}"
            return None


def dashboard_page(book: xw.Book, filters: Filters, folder: Path) -> DashboardPage:
    """Start making the dashboard's page in `folder`."""
    names = [sheet.name for sheet in book.sheets]
    if layout.TABLEAU_DE_BORD not in names:
        return DashboardPage(f"Feuille « {layout.TABLEAU_DE_BORD} » absente : "
                             "tableau de bord non joint.")
    sheet = book.sheets[layout.TABLEAU_DE_BORD]
    subtitle = str(sheet.range(layout.DASHBOARD_SUBTITLE_CELL).value or "").strip()
    if not subtitle or subtitle == FIRST_MESSAGE:
        return DashboardPage("Tableau de bord non joint : cliquez d'abord sur « Balance "
                             "âgée » pour le calculer.")
    note = "Tableau de bord joint en dernière page."
    if subtitle != dashboard_subtitle(filters):
        note = (f"Tableau de bord joint tel que calculé ({subtitle.rstrip('.')}) ; cliquez "
                "sur « Balance âgée » pour le mettre à la date et aux filtres de la "
                "proposition.")
    target = folder / "tableau-de-bord.pdf"
    if book.app.engine.name == "excel":
        return _printed_by_excel(book, sheet, target, note)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tableau-de-bord")
    job = pool.submit(sheet_pdf.sheet_to_pdf, Path(book.fullname), layout.TABLEAU_DE_BORD,
                      target)
    pool.shutdown(wait=False)  # the job runs on; pdf() waits for it
    return DashboardPage(note, job)


def _printed_by_excel(book: xw.Book, sheet: xw.Sheet, target: Path, note: str
                      ) -> DashboardPage:
    """Excel prints the sheet (on this thread: COM calls stay on it), where it may write;
    the user's sheet stays the active one."""
    active = book.sheets.active
    written = excel_may_write(book, target)
    try:
        sheet.to_pdf(path=str(written), show=False)
        if written != target:
            shutil.move(written, target)
    except Exception as error:  # Excel's COM errors share no class of their own
        return DashboardPage(f"Tableau de bord non joint : {error}")
    finally:
        with suppress(Exception):  # the sheet alone: Sheet.activate would raise the window
            active.impl.activate()
    done: Future[Path] = Future()
    done.set_result(target)
    return DashboardPage(note, done)


def mac_container() -> Path:
    """The folder sandboxed Excel for Mac may always write in."""
    return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data"


def excel_may_write(book: xw.Book, target: Path) -> Path:
    """Where Excel writes `target`: in its container on macOS, else `target` itself."""
    if type(book.impl).__module__ != "xlwings._xlmac":
        return target
    folder = mac_container() / "relances-xl"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / target.name
