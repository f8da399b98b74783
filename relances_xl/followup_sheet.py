"""The `Suivi` sheet's block -> its lines (rules/followup.py), every bad cell reported.

Read like the ledger's sheets (`ledger.read_records`), after them: a line names a
customer of `Clients` and, when it names one, an invoice of that customer in that
company. A workbook made before the sheet existed has none: no line, no problem.
"""

from __future__ import annotations

from datetime import date, datetime

from . import cells, layout
from .ledger import Block, Fields, Parser, Record, read_records
from .model import ZERO, Ledger, Problem, fold
from .rules.followup import ECHEANCIER, NEEDS_UNTIL, PROMESSE, RECOMMANDE, FollowUp

_ACTIONS = {fold(action): action for action in layout.SUIVI_ACTIONS}
# what users type for short
_ACTIONS.update({"promesse": PROMESSE, "echeance": ECHEANCIER, "appel telephonique": "Appel",
                 "reponse": "Réponse reçue", "lettre recommandee": RECOMMANDE,
                 "recommande ar": RECOMMANDE})
_ACTION_EXPECTED = "action attendue : " + ", ".join(layout.SUIVI_ACTIONS)


def parse_action(value: object) -> cells.Parsed:
    """An action of the drop-down, whatever its case and accents."""
    found = _ACTIONS.get(fold(str(value or "")))
    return (found, None) if found else (None, _ACTION_EXPECTED)


def _sound(line: FollowUp) -> bool:
    """What its action needs is there (the checks `_line` reports, in short)."""
    if line.action in NEEDS_UNTIL and line.jusqu_au is None:
        return False
    if line.jusqu_au is not None and line.jusqu_au < line.date:
        return False
    if line.action == ECHEANCIER and line.montant is None:
        return False
    if line.action == RECOMMANDE and (not line.numero_recommande or (
            line.distribue_le is not None and line.distribue_le < line.date)):
        return False
    return not (line.montant is not None and line.montant <= ZERO
                and line.action in (PROMESSE, ECHEANCIER))


def _optional(parse: Parser) -> Parser:
    def parsed(value: object) -> cells.Parsed:
        return (None, None) if cells.is_blank(value) else parse(value)
    return parsed


_UNTIL = _optional(cells.parse_date)
_AMOUNT = _optional(cells.parse_money)


def read_followups(block: Block | None, ledger: Ledger) -> tuple[list[FollowUp], list[Problem]]:
    """The lines of `Suivi`, and a problem for each bad one (it is left out).

    The headers are checked as every sheet's (`read_records`); then a row typed as the
    sheet asks is taken straight from its cells (`_quick`), and only the others go
    through the cell by cell reading that names what is wrong: 10,000 lines cost a
    fraction of an Appliquer."""
    if block is None:
        return [], []
    _, problems = read_records(layout.SUIVI, block[:1], layout.SUIVI_COLUMNS,
                               layout.SUIVI_REQUIRED)
    if problems or not block:
        return [], problems
    index, headers = _columns(block[0])
    positions = tuple(index.get(field) for field in _FIELDS)
    customers = {c.tiers for c in ledger.customers}
    found: list[tuple[FollowUp, list[object]]] = []
    for number, row in enumerate(block[1:], start=2):
        if all(cells.is_blank(v) for v in row):
            continue
        values = [row[i] if i is not None and i < len(row) else None for i in positions]
        line = _quick(values, number)
        if line is None or not _sound(line):
            record = Record(layout.SUIVI, number, dict(zip(_FIELDS, values, strict=True)),
                            headers)
            line = _line(record, problems)
            if line is None:
                continue
        found.append((line, values))
    named = {(line.societe, line.piece) for line, _ in found if line.piece}
    invoices = {(i.societe, i.piece): i.tiers for i in ledger.invoices
                if (i.societe, i.piece) in named}
    lines = []
    for line, values in found:
        owner = invoices.get((line.societe, line.piece)) if line.piece else line.tiers
        if line.tiers in customers and owner == line.tiers:
            lines.append(line)
            continue
        record = Record(layout.SUIVI, line.row, dict(zip(_FIELDS, values, strict=True)),
                        headers)
        _known(record, line, customers, invoices, problems)
    return lines, problems


_FIELDS = tuple(layout.SUIVI_COLUMNS.values())


def _columns(header: list[object]) -> tuple[dict[str, int], dict[str, str]]:
    """field -> column, and field -> header as typed (read_records' own matching)."""
    wanted = {layout.normalize_header(h): f for h, f in layout.SUIVI_COLUMNS.items()}
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    for column, text in enumerate(header):
        field = wanted.get(layout.normalize_header(text))
        if field is not None and field not in index:
            index[field], headers[field] = column, str(text).strip()
    return index, headers


def _quick(values: list[object], row: int) -> FollowUp | None:
    """The line of a row typed as the sheet asks (dates as dates, codes as text, an action
    of the list), its cells in `_FIELDS` order, without the cell by cell parsing; None for
    any other row, which `_line` reads and reports."""
    (on, tiers, societe, piece, action, until, montant, commentaire, par, numero,
     delivered) = values
    if type(on) is datetime:
        on = on.date()
    if type(until) is datetime:
        until = until.date()
    if type(delivered) is datetime:
        delivered = delivered.date()
    if type(on) is not date or not all(d is None or type(d) is date for d in (until, delivered)):
        return None
    text = [tiers, societe, piece, action, commentaire, par, numero]
    for n, value in enumerate(text):
        if value is None:
            text[n] = ""
        elif type(value) is not str or value.strip() != value or cells.excel_error(value):
            return None
    tiers, societe, piece, action, commentaire, par, numero = text
    if not tiers or not societe or action not in _EXACT_ACTIONS:
        return None
    if montant is not None:
        montant, error = cells.parse_money(montant)
        if error:
            return None
    return FollowUp(on, tiers, societe, piece, action, until, montant, commentaire, par,
                    numero, delivered, row)


_EXACT_ACTIONS = frozenset(layout.SUIVI_ACTIONS)


def _line(record: Record, problems: list[Problem]) -> FollowUp | None:
    """One line, its cells each checked, then what its action needs."""
    f = Fields(record, problems)
    on = f.get("date", cells.parse_date, required=True)
    tiers = f.get("tiers", cells.parse_text, required=True)
    societe = f.get("societe", cells.parse_text, required=True)
    piece = f.get("piece", cells.parse_text)
    action = f.get("action", parse_action, required=True)
    until = f.get("jusqu_au", _UNTIL)
    montant = f.get("montant", _AMOUNT)
    commentaire = f.get("commentaire", cells.parse_text)
    par = f.get("par", cells.parse_text)
    numero = f.get("numero_recommande", cells.parse_text)
    delivered = f.get("distribue_le", _UNTIL)
    if not f.ok:
        return None
    if action in NEEDS_UNTIL and until is None:
        return _refuse(f, "jusqu_au", f"date obligatoire pour « {action} »")
    if until is not None and until < on:
        return _refuse(f, "jusqu_au", "date antérieure à la date de la ligne")
    if action == ECHEANCIER and montant is None:
        return _refuse(f, "montant", "montant de l'échéance obligatoire")
    if montant is not None and montant <= ZERO and action in (PROMESSE, ECHEANCIER):
        return _refuse(f, "montant", "montant positif attendu")
    if action == RECOMMANDE and not numero:
        return _refuse(f, "numero_recommande", "n° du recommandé obligatoire pour « "
                       f"{RECOMMANDE} »")
    if action == RECOMMANDE and delivered is not None and delivered < on:
        return _refuse(f, "distribue_le", "date de distribution antérieure à la date "
                       "d'envoi (colonne Date)")
    return FollowUp(on, tiers, societe, piece, action, until, montant, commentaire, par,
                    numero or "", delivered, record.row)


def _refuse(f: Fields, field: str, message: str) -> None:
    header = f.record.headers.get(field, layout.header(layout.SUIVI_COLUMNS, field))
    return f.fail(header, f.record.values.get(field), message)


def _known(record: Record, line: FollowUp, customers: set[str],
           invoices: dict[tuple[str, str], str], problems: list[Problem]) -> bool:
    """The customer is in Clients; the invoice, when named, is that customer's."""
    f = Fields(record, problems)
    if line.tiers not in customers:
        _refuse(f, "tiers", "code tiers absent de la feuille Clients")
    elif line.piece:
        owner = invoices.get((line.societe, line.piece))
        if owner is None:
            _refuse(f, "piece", f"n° de pièce absent de Factures dans la société {line.societe}")
        elif owner != line.tiers:
            _refuse(f, "piece", f"pièce d'un autre client ({owner})")
    return f.ok


def as_row(line: FollowUp) -> list[object]:
    """A line as the sheet's cells, in `layout.SUIVI_COLUMNS` order (the command line's
    --ajouter, the sample)."""
    values: dict[str, object] = {
        "date": line.date, "tiers": line.tiers, "societe": line.societe, "piece": line.piece,
        "action": line.action, "jusqu_au": line.jusqu_au, "montant": line.montant,
        "commentaire": line.commentaire, "par": line.par,
        "numero_recommande": line.numero_recommande, "distribue_le": line.distribue_le}
    return [values[name] for name in layout.SUIVI_COLUMNS.values()]

