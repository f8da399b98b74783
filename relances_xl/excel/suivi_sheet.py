"""The built workbook's `Suivi` sheet: one line per action between the letters.

An Excel table, like the ledger's sheets (pasted or typed rows extend it), with the
Action drop-down, dates and money formatted, and an input message on each column saying
what it holds: the accountant types these lines as they happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from .. import layout
from .styles import DATE, MONEY, TEXT, Styles

_LAST_ROW = 1_048_575  # validations run to the sheet's last row: typed lines get them
# field -> (cell format, input message title, message); Excel caps a message at 255 chars
_COLUMNS: dict[str, tuple[dict[str, object], str, str]] = {
    "date": (DATE, "Date", "Le jour de l'action (appel, promesse reçue, accord…)."),
    "tiers": (TEXT, "Code tiers", "Le code du client, comme dans la feuille Clients."),
    "societe": (TEXT, "Société", "La société qui relance, comme dans Factures."),
    "piece": (TEXT, "N° pièce", "Vide : toutes les factures du client dans cette société."),
    "action": ({}, "Action", "Promesse de règlement et Échéancier suspendent les relances "
               "de ce qu'ils couvrent jusqu'au Jusqu'au ; Litige et Suspension les "
               "arrêtent ; Appel, Note, Réponse reçue, Recommandé sont gardés pour la fiche "
               "client."),
    "jusqu_au": (DATE, "Jusqu'au", "Promesse : la date promise. Échéancier : la date de "
                 "l'échéance (une ligne par échéance). Suspension : sa fin. Litige : sa "
                 "fin, vide s'il dure."),
    "montant": (MONEY, "Montant", "Promesse : le montant promis (vide : les factures "
                "couvertes). Échéancier : le montant de l'échéance."),
    "commentaire": ({}, "Commentaire", "Ce que le client a dit ; pour un litige, son motif."),
    "par": ({}, "Par", "Qui a noté la ligne."),
    "numero_recommande": (TEXT, "N° recommandé", "Recommandé : le numéro de la lettre "
                          "recommandée (sur la preuve de dépôt) ; la Date est celle de "
                          "l'envoi."),
    "distribue_le": (DATE, "Distribué le", "Recommandé : le jour de la distribution, porté "
                     "sur l'avis de réception ; vide tant qu'il n'est pas revenu."),
}
_WIDTHS = {"date": 12, "tiers": 12, "societe": 10, "piece": 12, "action": 22, "jusqu_au": 12,
           "montant": 14, "commentaire": 50, "par": 10, "numero_recommande": 18, "distribue_le": 12}


def write_suivi(sheet: Worksheet, styles: Styles, rows: Sequence[Sequence[object]],
                table_style: str) -> None:
    """Headers on row 1 (`layout.SUIVI_COLUMNS`), the rows, one Excel table, the helps."""
    fields = list(layout.SUIVI_COLUMNS.values())
    columns = []
    for col, (header, field) in enumerate(layout.SUIVI_COLUMNS.items()):
        style, title, message = _COLUMNS[field]
        columns.append({"header": header, "format": styles(style) if style else None})
        sheet.set_column(col, col, _WIDTHS[field])
        sheet.data_validation(1, col, _LAST_ROW, col, _validation(field, title, message))
    data = [[_cell(v) for v in row] for row in rows]
    sheet.add_table(0, 0, max(1, len(data)), len(fields) - 1, {
        "name": layout.TABLE_NAMES[layout.SUIVI], "style": table_style, "columns": columns,
        "data": data})
    sheet.freeze_panes(1, 0)


def _validation(field: str, title: str, message: str) -> dict[str, object]:
    """The Action drop-down (refusing anything else), dates as dates, an input message."""
    help_ = {"input_title": title[:32], "input_message": message[:255]}
    if field == "action":
        return {"validate": "list", "source": list(layout.SUIVI_ACTIONS),
                "error_type": "stop", **help_}
    if field in ("date", "jusqu_au", "distribue_le"):
        return {"validate": "date", "criteria": ">=", "value": datetime(2000, 1, 1),
                "error_message": "Une date est attendue (ex. 15/08/2022).", **help_}
    return {"validate": "any", **help_}


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


def write_fiche_client(sheet: Worksheet, styles: Styles) -> None:
    """The `Fiche client` sheet: the customer to type, then the story's header; the
    button of the same name fills it (addin.fiche_client)."""
    from .styles import HEADER, INPUT, NOTE

    for key, (label_cell, value_cell, label) in layout.FICHE_CELLS.items():
        sheet.write_string(label_cell, label)
        sheet.write_blank(value_cell, None, styles(INPUT, TEXT))
        if key == "tiers":
            sheet.data_validation(value_cell, {
                "validate": "any", "input_title": "Code tiers",
                "input_message": "Le client dont la fiche est voulue, puis le bouton "
                                 "« Fiche client » de la feuille Relances."})
    sheet.write_string(layout.FICHE_MESSAGE_CELL, "Tapez un code tiers en "
                       f"{layout.FICHE_CELLS['tiers'][1]}, puis « Fiche client ».",
                       styles(NOTE))
    for col, header in enumerate(layout.FICHE_COLUMNS):
        sheet.write_string(layout.FICHE_HEADER_ROW - 1, col, header, styles(HEADER))
    for col, width in enumerate((12, 10, 14, 12, 14, 80, 30)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(layout.FICHE_HEADER_ROW, 0)
