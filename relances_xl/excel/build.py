"""`Relances.xlsm` from source: sheets with XlsxWriter, then the VBA with pyOpenVBA.

The workbook is committed and rebuilt by `relances-xl build`, so the build is
byte-for-byte reproducible: XlsxWriter stamps every zip entry 1980-01-31 and the
document properties get a fixed date; pyOpenVBA rewrites only `vbaProject.bin` and
copies the other parts as they are. Two builds from the same sources are equal, and a
diff of the committed file means a source changed.

Everything named (sheets, headers, cells, buttons, macros) comes from `layout`; what is
only shown to the user (titles, hints) lives here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import config, layout, sample
from ..config import Level
from ..ledger import read_ledger
from ..rules.rates_table import SHIPPED_RATES
from ..texts import euros_text
from . import vba_project as vba
from .dashboard_sheets import write_balance_agee, write_tableau_de_bord
from .screen import TITLE, write_relances
from .sheets import drop_down_lists
from .styles import DATE, HEADER, INPUT, MONEY, NOTE, SECTION, Styles
from .suivi_sheet import write_fiche_client, write_suivi

BUILD_DATE = datetime(2026, 1, 1)  # document properties: fixed, for identical builds
RATES_NOTE = ("Taux professionnels : taux BCE + 10 points (art. L441-10 du Code de commerce) ; "
              "indemnité forfaitaire de 40 € par facture (art. D441-5 du Code de commerce).")
PRIVATE_RATE_NOTE = ("Taux de l'intérêt légal, dû par un particulier à compter de la mise en "
                     "demeure (art. 1231-6 du Code civil).")
PUBLIC_RATE_NOTE = ("Intérêts moratoires des acheteurs publics : taux BCE + 8 points, celui du "
                    "1er jour du semestre où ils commencent à courir (art. R2192-31 du Code de "
                    "la commande publique) ; indemnité de 40 € (art. D2192-35).")
FEC_ACCOUNTS_NOTE = ("Début des comptes clients lus par « Importer un FEC », séparés par des "
                     "virgules : 411 ; ajoutez par ex. 4967 si des clients y sont.")
LEVELS_NOTE = ("Conditions de relance : vide pour les conditions par défaut ; un autre nom "
               "forme un autre jeu de niveaux, choisi par la colonne « Conditions de "
               "relance » de la feuille Clients. Taux : vide pour le taux légal du client "
               "(professionnel ou particulier), ou " + ", ".join(layout.TAUX_LABELS) + ".")
PERIODS_NOTE = ("Une ligne par semestre (Début 01/01 ou 01/07), fournie de 2015 à 2026 : "
                "taux BCE + 10 points, taux de l'intérêt légal, taux BCE + 8 points. Ajoutez "
                "chaque nouveau semestre (commande relances-xl taux) : un semestre absent "
                "arrête les lettres qui réclament des intérêts sur ses jours. Table vide : "
                "les taux annuels ci-dessus pour tous les jours.")


def level_row(level: Level) -> tuple[object, ...]:
    """A level of `model` as its row of the Paramètres levels table (the columns of
    `layout.PARAMETRES_LEVELS_COLUMNS`), which reads back as the same level."""
    taux = {kind: label for label, kind in layout.TAUX_LABELS.items()}.get(level.taux, "")
    values = {"niveau": level.niveau, "jours_retard": level.jours_retard,
              # the first level follows no reminder: its delay since the previous is blank
              "jours_depuis_precedente": level.jours_depuis_precedente if level.niveau > 1
              else "", "forme": level.forme, "frais": level.frais,
              "interets": _yes(level.interets), "indemnite": _yes(level.indemnite),
              "conditions": level.conditions, "taux": taux,
              "recommande": _yes(level.recommande),
              "pieces_jointes": {joined: label for label, joined
                                 in layout.PIECES_JOINTES_LABELS.items()}.get(
                                     level.pieces_jointes, ""),
              "canal": level.canal}
    return tuple(values[name] for name in layout.PARAMETRES_LEVELS_COLUMNS.values())


def _yes(flag: bool) -> str:
    return "Oui" if flag else "Non"


# The levels the workbook ships, declared in `model`: the default set, then the public
# buyers' (administrations): a courteous reminder, then, 15 days later, the claim of the
# moratory interest and the 40 € indemnity they owe by law; no threat of a lawsuit.
DEFAULT_LEVELS: tuple[tuple[object, ...], ...] = tuple(map(level_row, config.DEFAULT_LEVELS))
PUBLIC_LEVELS: tuple[tuple[object, ...], ...] = tuple(map(level_row, config.PUBLIC_LEVELS))
CALL_LEVELS: tuple[tuple[object, ...], ...] = tuple(map(level_row, config.CALL_LEVELS))
CHANGE_NOTE = ("1 € = ce nombre d'unités de la devise (cours de référence BCE, par ex.) : "
               "le montant minimum et les frais des niveaux, en euros, sont convertis "
               "ainsi dans la devise de la ligne, arrondis au centime. L'indemnité de 40 € "
               "(art. D441-5) reste en euros. Une devise sans taux : ses lignes restent "
               "décochées.")
RATES_COLUMN = 16  # Q: the rates by period, right of the levels and of the companies'
# fifteen columns, free to grow down
CHANGE_COLUMN = RATES_COLUMN + 5  # V: the exchange rates, right of the rates by period
TABLE_STYLE = "Table Style Medium 2"
PARAMETRES_MAX_WIDTH = 440  # pixels: a long address wraps past this rather than spread

LEDGER_COLUMNS: dict[str, Mapping[str, str]] = {
    layout.CLIENTS: layout.CLIENTS_COLUMNS,
    layout.FACTURES: layout.FACTURES_COLUMNS,
    layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS,
    layout.HISTORIQUE: layout.HISTORIQUE_COLUMNS,
}
def build_workbook(out: Path, *, rows: Mapping[str, list[list[object]]] | None = None,
                   companies: list[list[object]] | None = None) -> Path:
    """Write `out` (normally `workbook/Relances.xlsm`), the same bytes at every run.

    `rows` (by ledger sheet) and `companies` default to `relances_xl.sample`; tests
    pass their own to get small fixture workbooks through the real builder. The file
    appears whole or not at all: it is written next to `out`, then renamed. With the
    sample's companies, the sample's signature image is written beside it.
    """
    rows = {**sample.sheet_rows(), layout.SUIVI: sample.suivi_rows()} if rows is None else rows
    with_sample_companies = companies is None
    companies = sample.companies() if companies is None else companies
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if with_sample_companies:  # the sample's signature image, named in its Paramètres
        shutil.copyfile(sample.SIGNATURE_IMAGE, out.parent / sample.SIGNATURE_FILE)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".build-") as tmp:
        draft, done = Path(tmp) / "draft.xlsm", Path(tmp) / "done.xlsm"
        write_sheets(draft, rows, companies)
        vba.install_project_code(draft, done)
        os.replace(done, out)
    return out


def _devise(company: Sequence[object]) -> object:
    """A companies row's Devise: filled on a row giving only a currency's bank details."""
    at = list(layout.PARAMETRES_COMPANIES_COLUMNS.values()).index("devise")
    return company[at] if at < len(company) else None


def write_sheets(path: Path, rows: Mapping[str, list[list[object]]],
                 companies: list[list[object]]) -> None:
    """Every sheet, in the order the user sees them, with the quickstart VBA project."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": TITLE, "author": "relances_xl", "created": BUILD_DATE})
    styles = Styles(book)
    relances = book.add_worksheet(layout.RELANCES)
    vba.attach_quickstart_project(book, relances)
    write_tableau_de_bord(book, book.add_worksheet(layout.TABLEAU_DE_BORD), styles)
    write_balance_agee(book.add_worksheet(layout.BALANCE_AGEE), styles)
    for name in LEDGER_COLUMNS:
        write_ledger(book.add_worksheet(name), styles, name, rows.get(name, []))
    write_suivi(book.add_worksheet(layout.SUIVI), styles, rows.get(layout.SUIVI, []),
                TABLE_STYLE)
    write_fiche_client(book.add_worksheet(layout.FICHE_CLIENT), styles)
    write_parametres(book.add_worksheet(layout.PARAMETRES), styles, companies)
    write_controles(book.add_worksheet(layout.CONTROLES), styles)
    write_listes(book, book.add_worksheet(layout.LISTES), rows,
                 {str(c[0]): str(c[1]) for c in companies if len(c) > 1 and not _devise(c)})
    write_proposition(book.add_worksheet(layout.PROPOSITION), styles)
    vba.write_conf_sheet(book.add_worksheet(layout.XLWINGS_CONF), styles({"bold": True}),
                         styles(NOTE))
    write_relances(relances, styles)
    relances.activate()
    book.close()


# --- ledger sheets -------------------------------------------------------------------


def cell_value(value: object) -> object:
    """What XlsxWriter should write: Decimal as float, a date as a datetime, "" as blank."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if value == "":
        return None
    return value


def column_layout(header: str, values: list[object]) -> tuple[dict[str, object], float]:
    """Style and width of a ledger column: dates and Decimals get their formats."""
    present = [v for v in values if v not in (None, "")]
    style = (DATE if present and isinstance(present[0], date)
             else MONEY if present and isinstance(present[0], Decimal) else {})
    shown = [10 if isinstance(v, date) else len(euros_text(v)) if isinstance(v, Decimal)
             else len(str(v)) for v in present]
    return style, float(min(45, max([len(header) + 4, *shown]) + 2))


def write_ledger(sheet: Worksheet, styles: Styles, name: str, rows: list[list[object]]) -> None:
    """Headers in layout order on row 1, then the rows, as one Excel table.

    A table (ListObject) grows when users paste rows under it, keeping its formats.
    An empty ledger still gets one blank row, as Excel tables need one.
    """
    headers = list(LEDGER_COLUMNS[name])
    columns_values = [[row[i] if i < len(row) else None for row in rows]
                      for i in range(len(headers))]
    columns = []
    for col, (header, values) in enumerate(zip(headers, columns_values, strict=True)):
        style, width = column_layout(header, values)
        columns.append({"header": header, "format": styles(style) if style else None})
        sheet.set_column(col, col, width)
    data = [[cell_value(v) for v in row] for row in rows]
    sheet.add_table(0, 0, max(1, len(data)), len(headers) - 1, {
        "name": layout.TABLE_NAMES[name], "style": TABLE_STYLE, "columns": columns,
        "data": data,
    })
    sheet.freeze_panes(1, 0)


# --- Paramètres, Contrôles, Listes ---------------------------------------------------------


def write_parametres(sheet: Worksheet, styles: Styles, companies: list[list[object]]) -> None:
    """Settings (label, value), then the levels (both sets) with the rates by period
    beside them, then the companies, each under a title.

    The reader finds settings by label and the tables by their header rows, so this
    order is the builder's choice, not a contract.
    """
    section, note = styles(SECTION), styles(NOTE)
    for row, (label, default, num_format) in enumerate(layout.PARAMETRES_SETTINGS.values()):
        fmt = layout.MONEY_FORMAT if num_format == "money" else num_format
        sheet.write_string(row, 0, label)
        sheet.write(row, 1, cell_value(default), styles(INPUT, {"num_format": fmt} if fmt
                                                        else {}))
    keys = list(layout.PARAMETRES_SETTINGS)
    for key, choices, error_type in (("sortie_defaut", layout.SORTIE_LABELS.values(), "stop"),
                                     ("forme_defaut", layout.FORMES, "warning"),
                                     ("imputer_non_lettres", layout.NON_LETTRES_CHOICES,
                                      "stop")):
        sheet.data_validation(keys.index(key), 1, keys.index(key), 1, {
            "validate": "list", "source": list(choices), "error_type": error_type})
    row = len(keys) + 1
    _write_levels(sheet, styles, row)
    _write_rate_periods(sheet, styles, row)
    _write_exchange_rates(sheet, styles, row, sample.exchange_rates())
    row += len(DEFAULT_LEVELS) + len(PUBLIC_LEVELS) + len(CALL_LEVELS) + 4
    sheet.write_string(row, 0, layout.PARAMETRES_COMPANIES_TITLE, section)
    company_fields = list(layout.PARAMETRES_COMPANIES_COLUMNS.values())
    _write_block(sheet, styles, row + 1, list(layout.PARAMETRES_COMPANIES_COLUMNS),
                 companies, {company_fields.index("capital")})
    # every column as wide as its longest label or value (an address, an IBAN), by
    # XlsxWriter's autofit; the notes written after it run over the empty cells
    sheet.autofit(max_width=PARAMETRES_MAX_WIDTH)
    levels_row = len(keys) + 1
    for at, column, text in ((keys.index("taux_annuel"), 2, RATES_NOTE),
                             (keys.index("taux_particuliers"), 2, PRIVATE_RATE_NOTE),
                             (keys.index("taux_publics"), 2, PUBLIC_RATE_NOTE),
                             (keys.index("comptes_fec"), 2, FEC_ACCOUNTS_NOTE),
                             (levels_row, 2, LEVELS_NOTE),
                             (levels_row - 1, RATES_COLUMN, PERIODS_NOTE),
                             (levels_row - 1, CHANGE_COLUMN, CHANGE_NOTE)):
        sheet.write_string(at, column, text, note)


def _write_exchange_rates(sheet: Worksheet, styles: Styles, row: int,
                          rates: list[list[object]]) -> None:
    """The "Taux de change" table: its title, headers and the sample's rates; a
    currency code, how many of its units one euro buys, the rate's date."""
    column = CHANGE_COLUMN
    sheet.write_string(row, column, layout.PARAMETRES_CHANGE_TITLE, styles(SECTION))
    for col, header in enumerate(layout.PARAMETRES_CHANGE_COLUMNS, start=column):
        sheet.write_string(row + 1, col, header, styles(HEADER))
    rate_style, date_style = styles({"num_format": "0.0000"}), styles(DATE)
    for at, (devise, units, on) in enumerate(rates, start=row + 2):
        sheet.write_string(at, column, str(devise))
        sheet.write_number(at, column + 1, float(units), rate_style)
        sheet.write_datetime(at, column + 2, datetime.combine(on, time()), date_style)


def _write_levels(sheet: Worksheet, styles: Styles, row: int) -> None:
    """The levels table: the default set, then the public buyers' set."""
    sheet.write_string(row, 0, layout.PARAMETRES_LEVELS_TITLE, styles(SECTION))
    headers = list(layout.PARAMETRES_LEVELS_COLUMNS)
    fields = list(layout.PARAMETRES_LEVELS_COLUMNS.values())
    levels = (*DEFAULT_LEVELS, *PUBLIC_LEVELS, *CALL_LEVELS)
    _write_block(sheet, styles, row + 1, headers, levels, {fields.index("frais")})
    column = fields.index("taux")  # a choice, for this table and rows added under it
    sheet.data_validation(row + 2, column, row + 2 + len(levels) + 20, column, {
        "validate": "list", "source": list(layout.TAUX_LABELS), "error_type": "stop"})
    column = fields.index("pieces_jointes")
    sheet.data_validation(row + 2, column, row + 2 + len(levels) + 20, column, {
        "validate": "list", "source": list(layout.PIECES_JOINTES_LABELS),
        "error_type": "stop"})
    column = fields.index("canal")  # Courrier, or Appel: a call list instead of letters
    sheet.data_validation(row + 2, column, row + 2 + len(levels) + 20, column, {
        "validate": "list", "source": list(config.CANAUX), "error_type": "stop"})


def _write_rate_periods(sheet: Worksheet, styles: Styles, row: int) -> None:
    """The rates by period: its title, headers and the half-years `rates_table` ships."""
    sheet.write_string(row, RATES_COLUMN, layout.PARAMETRES_RATES_TITLE, styles(SECTION))
    fields = list(layout.PARAMETRES_RATES_COLUMNS.values())
    for offset, header in enumerate(layout.PARAMETRES_RATES_COLUMNS):
        sheet.write_string(row + 1, RATES_COLUMN + offset, header, styles(HEADER))
    date_style, rate_style = styles(DATE), styles({"num_format": "0.00%"})
    for at, period in enumerate(SHIPPED_RATES, start=row + 2):
        sheet.write_datetime(at, RATES_COLUMN, datetime.combine(period.debut, time()),
                             date_style)
        for offset, field in enumerate(fields[1:], start=1):
            sheet.write_number(at, RATES_COLUMN + offset, float(getattr(period, field)),
                               rate_style)
    first, last = row + 2, row + 2 + len(SHIPPED_RATES) + 40
    sheet.data_validation(first, RATES_COLUMN, last, RATES_COLUMN, {
        "validate": "date", "criteria": ">=", "value": date(1990, 1, 1),
        "error_message": "Une date de début, par exemple 01/01/2024 ou 01/07/2024."})
    sheet.set_column(RATES_COLUMN, RATES_COLUMN, 12, styles(DATE))
    for offset in range(1, 4):  # the rates as percentages; autofit widens to the headers
        sheet.set_column(RATES_COLUMN + offset, RATES_COLUMN + offset, 12,
                         styles({"num_format": "0.00%"}))


def _write_block(sheet: Worksheet, styles: Styles, row: int, headers: list[str],
                 data: Sequence[Sequence[object]], money: set[int]) -> None:
    """A header row and its rows, money columns formatted."""
    for col, header in enumerate(headers):
        sheet.write_string(row, col, header, styles(HEADER))
    for offset, values in enumerate(data, start=1):
        for col, value in enumerate(values):
            style = styles(MONEY) if col in money else None
            sheet.write(row + offset, col, cell_value(value), style)


def write_controles(sheet: Worksheet, styles: Styles) -> None:
    """Only the header: Appliquer lists the ledger's problems under it."""
    for col, header in enumerate(layout.CONTROLES_COLUMNS):
        sheet.write_string(0, col, header, styles(HEADER))
    sheet.set_column(0, 4, 16)
    sheet.set_column(5, 5, 70)
    sheet.freeze_panes(1, 0)


def write_proposition(sheet: Worksheet, styles: Styles) -> None:
    """The hidden sheet of the saved proposal: its labels, no proposal, table unchanged.

    ThisWorkbook's close prompt reads the "changed" cell, so it exists from the start.
    """
    sheet.write_string(0, 0, layout.PROPOSAL_TITLE, styles(SECTION))
    for label_cell, _, label in layout.PROPOSAL_CELLS.values():
        sheet.write_string(label_cell, label)
    sheet.write_boolean(layout.PROPOSAL_CELLS["changed"][1], False)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 24)
    sheet.hide()


def write_listes(book: Workbook, sheet: Worksheet, rows: Mapping[str, list[list[object]]],
                 company_names: Mapping[str, str]) -> None:
    """The hidden lists, one column each (name on row 1), and a dynamic name per list.

    The names grow with the column (OFFSET/COUNTA), so the add-in refreshing the
    lists at each Appliquer never has to touch the names or the validations.
    """
    quoted = quote_sheetname(layout.LISTES)
    blocks = {name: [list(columns), *rows.get(name, [])]
              for name, columns in LEDGER_COLUMNS.items()}
    ledger, _ = read_ledger(blocks)
    for col, (list_name, values) in enumerate(drop_down_lists(ledger, company_names).items()):
        sheet.write_string(0, col, list_name)
        sheet.write_column(1, col, values)
        letter = xl_col_to_name(col)
        book.define_name(list_name, f"=OFFSET({quoted}!${letter}$2,0,0,"
                                    f"MAX(1,COUNTA({quoted}!${letter}:${letter})-1),1)")
        sheet.set_column(col, col, max([20, *(len(v) + 2 for v in values)]))
    sheet.hide()
