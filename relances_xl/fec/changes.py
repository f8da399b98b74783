"""What importing a FEC changes in the ledger sheets, and the report that says so. Pure.

The sheets are read as blocks (as `ledger` reads them); each row the FEC makes is
matched to the row of the same key in the same company: Société + N° pièce in
Factures, Société + N° règlement in Règlements, Code tiers in Clients. A row is then
added, updated (only the fields the import owns, each change listed "old → new") or
left unchanged; Règlements rows the FEC made before but would not make now (a
payment lettered anew) and credit notes now wholly imputed are removed. Rows the user
typed, and other companies' rows, are never touched. Everything is decided before
the workbook is written, so a file that cannot be read changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from .. import cells, layout
from ..ledger import Block, Record, read_records
from ..model import DEFAULT_CURRENCY
from ..parametres import read_settings
from .plan import (
    AVOIR_MODE,
    FecOptions,
    Prior,
    Target,
    cell_code,
    company_for,
    money_text,
    owner,
    plan_targets,
)
from .read import FecError, FecFile, customer_accounts_missing

FEC_SHEET = "FEC"  # the "sheet" of report entries about the file's own lines
ACTIONS = ("rejetée", "ignorée", "remarque", "supprimée", "mise à jour", "ajoutée")
_RANK = {action: rank for rank, action in enumerate(ACTIONS)}  # the report's order
_REQUIRED = {
    layout.CLIENTS: layout.CLIENTS_REQUIRED,
    layout.FACTURES: (*layout.FACTURES_REQUIRED, "Type"),
    layout.REGLEMENTS: (*layout.REGLEMENTS_REQUIRED, "N° règlement", "N° pièce lettrée"),
}
_COLUMNS = {layout.CLIENTS: layout.CLIENTS_COLUMNS, layout.FACTURES: layout.FACTURES_COLUMNS,
            layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS}


def _type(value: object) -> str:
    return "Avoir" if layout.normalize_header(value) in ("avoir", "a", "av") else "Facture"


def _typed(parse: Callable[[object], cells.Parsed]) -> Callable[[object], object]:
    return lambda value: parse(value)[0]


def _code(value: object) -> str:
    """A Devise cell as the import writes it: the code in upper case, empty for euros."""
    return cell_code((cells.parse_text(value)[0] or DEFAULT_CURRENCY).upper())


# the fields the import owns, and how a cell of each compares with what the FEC says
_OWNED: dict[str, Callable[[object], object]] = {
    "type": _type,
    "tiers": _typed(cells.parse_text),
    "date_piece": _typed(cells.parse_date),
    "montant": _typed(cells.parse_money),
    "comptabilisee": _typed(lambda v: cells.parse_bool(v, default=True)),
    "date": _typed(cells.parse_date),
    "piece_lettree": _typed(cells.parse_text),
    "echeance": _typed(cells.parse_date),  # owned only when the piece date moves
    "devise": _code,
}


@dataclass
class SheetState:
    """A ledger sheet as read: its block, where each field's column is, its data rows."""

    sheet: str
    block: Block
    columns: dict[str, int]  # field -> zero-based column
    headers: dict[str, str]  # field -> header as typed
    records: list[Record]

    @property
    def next_row(self) -> int:
        """The Excel row under the last data row, where added rows go."""
        return self.records[-1].row + 1 if self.records else 2


@dataclass
class SheetChanges:
    state: SheetState
    added: list[dict[str, object]] = field(default_factory=list)
    updated: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # Excel row
    deleted: list[int] = field(default_factory=list)  # Excel rows
    unchanged: int = 0


class ReportEntry(NamedTuple):
    """One line of the report: what happened to a row, or to a line of the FEC, and why.

    (A named tuple: a first import reports every row it adds, hundreds of thousands.)
    """

    action: str  # one of ACTIONS
    sheet: str  # Clients, Factures, Règlements, or FEC for the file's own lines
    key: str
    line: int | None
    column: str | None
    value: object
    detail: str


@dataclass
class ImportPlan:
    fec: FecFile
    societe: str
    changes: dict[str, SheetChanges]
    entries: list[ReportEntry]

    @cached_property
    def _counts(self) -> Counter[tuple[str, str]]:
        """Entries by action and sheet (the entries are complete once planned)."""
        return Counter((e.action, e.sheet) for e in self.entries)

    def count(self, action: str, sheet: str | None = None) -> int:
        if sheet is not None:
            return self._counts[action, sheet]
        return sum(n for (done, _), n in self._counts.items() if done == action)

    def lines(self, action: str) -> int:
        """How many FEC lines were rejected (a line may have several bad cells) or ignored."""
        if not self._counts[action, FEC_SHEET]:
            return 0
        return len({e.line for e in self.entries if e.action == action and e.sheet == FEC_SHEET})

    def summary(self) -> str:
        """The one-paragraph account the message cell and the command line show."""
        encoding = self.fec.encoding_label
        separator = "tabulation" if self.fec.separator == "\t" else "« | »"
        parts = [f"FEC {self.fec.name} ({encoding}, {separator}) importé dans la société "
                 f"{self.societe} : {self.fec.line_count} ligne(s), dont "
                 f"{self.fec.customer_count} sur des comptes clients."]
        for sheet, change in self.changes.items():
            counts = [f"{self.count('ajoutée', sheet)} ajout(s)"]
            if sheet != layout.CLIENTS:
                counts += [f"{self.count('mise à jour', sheet)} mise(s) à jour",
                           f"{change.unchanged} inchangée(s)",
                           f"{self.count('supprimée', sheet)} suppression(s)"]
            parts.append(f"{sheet} : {', '.join(counts)}.")
        parts.append(f"Lignes rejetées : {self.lines('rejetée')}, ignorées : "
                     f"{self.lines('ignorée')}.")
        return " ".join(parts)


def sheet_state(sheet: str, block: Block | None) -> SheetState:
    """The sheet's rows, or FecError when the import could not write it safely."""
    records, problems = read_records(sheet, block, _COLUMNS[sheet], _REQUIRED[sheet])
    if problems:  # a missing column or header: the import cannot tell where to write
        raise FecError("import impossible : " + " ; ".join(str(p) for p in problems)
                       + f". Rétablissez la feuille {sheet} (en-têtes en ligne 1), puis "
                       "importez à nouveau.")
    wanted = {layout.normalize_header(h): f for h, f in _COLUMNS[sheet].items()}
    columns: dict[str, int] = {}
    for index, text in enumerate(block[0]):
        found = wanted.get(layout.normalize_header(text))
        if found and found not in columns:
            columns[found] = index
    headers = {f: str(block[0][i]).strip() for f, i in columns.items()}
    return SheetState(sheet, block, columns, headers, records)


def plan_import(fec: FecFile, blocks: Mapping[str, Block | None],
                options: FecOptions) -> ImportPlan:
    """Everything the import will do to Clients, Factures and Règlements, and why."""
    if options.delai_jours < 0:
        raise FecError(f"délai de paiement négatif : {options.delai_jours} jours ; donnez un "
                       "nombre de jours positif ou nul à --delai-jours")
    if not fec.customer_count:
        raise FecError(customer_accounts_missing(fec))
    states = {sheet: sheet_state(sheet, blocks.get(sheet)) for sheet in _COLUMNS}
    settings, _ = read_settings(blocks.get(layout.PARAMETRES))
    societe = company_for(fec.name, options, settings.companies)
    factures = _of_company(states[layout.FACTURES], societe)
    reglements = _of_company(states[layout.REGLEMENTS], societe)
    prior = Prior([(k, _typed(cells.parse_date)(r.values["date_piece"]))
                   for k, r in factures.items()],
                  [(k, _typed(cells.parse_date)(r.values["date"])) for k, r in reglements.items()],
                  {k: _text(r.values["tiers"]) for k, r in factures.items()})
    customers = {_text(r.values["tiers"]): r for r in states[layout.CLIENTS].records}
    delays = {code: cells.parse_int(r.values.get("delai_paiement"))[0]
              for code, r in customers.items()}
    targets = plan_targets(fec, options, prior, delays)
    _refuse_without_devise(states, targets.factures, targets.reglements)
    entries = [ReportEntry("rejetée" if i.rejected else "remarque", FEC_SHEET, "", i.line,
                           i.column, i.value, i.message) for i in fec.issues]
    entries += [ReportEntry(n.action, FEC_SHEET, "", n.line, n.column, n.value, n.message)
                for n in targets.notes]
    clients = SheetChanges(states[layout.CLIENTS])
    for code, nom in targets.customers.items():
        if code not in customers:
            clients.added.append({"tiers": code, "nom": nom})
            entries.append(ReportEntry("ajoutée", layout.CLIENTS, code, None, None, nom,
                                       "nouveau client du FEC"))
    changes = {layout.CLIENTS: clients}
    changes[layout.FACTURES] = _diff(states[layout.FACTURES], societe, factures,
                                     targets.factures, entries,
                                     lambda key, rec: key in targets.avoirs
                                     and _type(rec.values.get("type")) == "Avoir")
    changes[layout.REGLEMENTS] = _diff(states[layout.REGLEMENTS], societe, reglements,
                                       targets.reglements, entries,
                                       lambda key, rec: owner(key, targets.sources) is not None)
    entries.sort(key=lambda e: (_RANK[e.action], e.line or 0))
    return ImportPlan(fec, societe, changes, entries)


def _refuse_without_devise(states: Mapping[str, SheetState],
                           *targets: dict[str, Target]) -> None:
    """A row in another currency needs the sheet's Devise column: without it, its amount
    would read as euros. The import then stops, nothing changed."""
    for sheet, rows in zip((layout.FACTURES, layout.REGLEMENTS), targets, strict=True):
        state = states[sheet]
        foreign = next((t for t in rows.values() if t.values.get("devise")), None)
        if foreign is not None and "devise" not in state.columns:
            raise FecError(
                f"la feuille {sheet} n'a pas de colonne « Devise », et le FEC a des pièces "
                f"en devise (ex. {foreign.key} en {foreign.values['devise']}, ligne "
                f"{foreign.line}) : ajoutez l'en-tête « Devise » à droite du tableau de "
                f"{sheet} (ligne 1), puis importez à nouveau.")


def _text(value: object) -> str:
    return cells.parse_text(value)[0] or ""


# the field that numbers a row of each sheet: "N° pièce", "N° règlement"
_NUMBER = {layout.FACTURES: "piece", layout.REGLEMENTS: "numero"}


def _of_company(state: SheetState, societe: str) -> dict[str, Record]:
    """The company's rows by number (the first of a number typed twice)."""
    rows: dict[str, Record] = {}
    for record in state.records:
        if _text(record.values["societe"]) == societe:
            rows.setdefault(_text(record.values[_NUMBER[state.sheet]]), record)
    return rows


def _diff(state: SheetState, societe: str, existing: dict[str, Record],
          targets: dict[str, Target], entries: list[ReportEntry],
          removable: Callable[[str, Record], bool]) -> SheetChanges:
    changes = SheetChanges(state)
    for key, target in targets.items():
        record = existing.get(key)
        if record is None:
            changes.added.append({"societe": societe, _NUMBER[state.sheet]: key, **target.values,
                                  **target.on_add})
            entries.append(ReportEntry("ajoutée", state.sheet, key, target.line, None, None,
                                       _described(target)))
            continue
        fields = _changed(state, record, target)
        if not fields:
            changes.unchanged += 1
            continue
        changes.updated.append((record.row, fields))
        was = _code(record.values.get("devise"))
        now = target.values.get("devise", "")
        detail = " ; ".join(f"{state.headers.get(f, f)} : {_old(f, record, was)} → "
                            f"{_money(v, now) if f == 'montant' else _shown(v)}"
                            for f, v in fields.items())
        entries.append(ReportEntry("mise à jour", state.sheet, key, target.line, None, None,
                                   detail))
    for key, record in existing.items():
        if key not in targets and removable(key, record):
            changes.deleted.append(record.row)
            entries.append(ReportEntry("supprimée", state.sheet, key, None, None, None,
                                       "ligne d'un import précédent que ce FEC ne donne plus "
                                       "(lettrage ou imputation modifiés)"))
    return changes


def cell_value(value: object) -> object:
    """What a cell gets: money as a number, a date as a datetime, True as "Oui"."""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value if value != "" else None


def _same(field: str, cell: object, value: object) -> bool:
    """The cell says what the FEC says: it holds what the import writes (the usual case,
    decided without reading the cell), or it reads as the same value."""
    return cell == cell_value(value) or _OWNED[field](cell) == value


def _changed(state: SheetState, record: Record, target: Target) -> dict[str, object]:
    """The owned fields whose cell differs from the FEC, and a due date to recompute."""
    fields = {f: v for f, v in target.values.items()
              if f in state.columns and not _same(f, record.values.get(f), v)}
    due = target.on_add.get("echeance")
    if due is not None and "echeance" in state.columns and (
            "date_piece" in fields or cells.parse_date(record.values.get("echeance"))[1]):
        fields["echeance"] = due  # the piece date moved, or the due date is unreadable
    return fields


def _old(field: str, record: Record, devise: str) -> str:
    """A cell's value before the import, as the report shows it (money in its currency)."""
    value = _OWNED[field](record.values.get(field))
    if field == "montant" and isinstance(value, Decimal):
        return _money(value, devise)
    return _shown(value)


def _money(amount: object, devise: object) -> str:
    """An amount in the row's currency ("1 200,00 $US"); `devise` empty: euros."""
    if not isinstance(amount, Decimal):
        return _shown(amount)
    return money_text(amount, str(devise or DEFAULT_CURRENCY))


def _described(target: Target) -> str:
    values = target.values
    amount = _money(values["montant"], values.get("devise"))
    if "piece_lettree" in values and target.on_add.get("mode_reglement") == AVOIR_MODE:
        return (f"avoir imputé de {amount} du {_shown(values['date'])} "
                f"sur {values['piece_lettree']}")
    if "piece_lettree" in values:
        what = f"règlement de {amount} du {_shown(values['date'])}"
        lettered = values["piece_lettree"]
        return what + (f", lettré sur {lettered}" if lettered else ", non lettré")
    return (f"{values['type'].lower()} de {amount} du "
            f"{_shown(values['date_piece'])}, client {values['tiers']}")


def _shown(value: object) -> str:
    kind = type(value)  # the usual types first: a report may have a row per invoice
    if kind is Decimal:
        return money_text(value)
    if kind is date:
        return _day(value)
    if value is None or value == "":
        return "(vide)"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


@lru_cache(maxsize=4096)
def _day(on: date) -> str:
    """A date as the report writes it (a year of pieces has a few hundred dates)."""
    return f"{on:%d/%m/%Y}"
