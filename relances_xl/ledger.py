"""Sheet blocks -> the domain, with every bad cell reported at once.

The input is what one bulk read of each sheet gives (a list of rows of cell
values, header first); nothing here touches a file. Each step returns its values
and its problems, so Appliquer can list every problem of the ledger in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import cells, layout
from .model import LANGUES, Customer, HistoryEntry, Invoice, Ledger, Payment, Problem
from .parse_memo import ParseMemo
from .rules.findings import overpaid_invoices

Block = list[list[object]]
MAX_DATA_ROWS = 1_048_575  # an Excel sheet has 1 048 576 rows, the first is the header
_TIERS_HEADER = layout.header(layout.FACTURES_COLUMNS, "tiers")  # the same in Clients, Règlements
_PIECE_HEADER = layout.header(layout.FACTURES_COLUMNS, "piece")
Parser = Callable[[object], cells.Parsed]


@dataclass(frozen=True)
class Record:
    """One data row of a sheet: its Excel row number and raw cells by field."""

    sheet: str
    row: int
    values: Mapping[str, object]
    headers: Mapping[str, str]  # field -> header as typed by the user


class Fields:
    """Parses the cells of one record, collecting a Problem per bad cell."""

    def __init__(self, record: Record, problems: list[Problem]):
        self.record = record
        self.problems = problems
        self.ok = True

    def get(self, field: str, parse: Parser, required: bool = False) -> object:
        raw = self.record.values.get(field)
        header = self.record.headers.get(field, field)
        error = cells.excel_error(raw)
        if error:  # read with err_to_str: named, never taken as missing nor as blank
            return self.fail(header, error, cells.EXCEL_ERROR)
        if required and cells.is_blank(raw):
            return self.fail(header, raw, "valeur obligatoire manquante")
        value, error = _PARSED.parse(parse, raw)
        if error:
            return self.fail(header, raw, error)
        return value

    def fail(self, header: str, raw: object, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.record.sheet, self.record.row, header, raw, message))
        return None


def read_records(
    sheet: str, block: Block | None, columns: Mapping[str, str], required: tuple[str, ...]
) -> tuple[list[Record], list[Problem]]:
    """Header row 1, every non-empty row below it is data; columns in any order.

    An empty row is no row: the rows below it are read as well (a row the user
    cleared, or a gap left by a sort), each with its own Excel row number. Every
    sheet of the ledger follows this one rule, Appliquer and the FEC import alike.
    """
    if block is None:
        return [], [Problem(sheet, None, None, None, "feuille absente du classeur")]
    if not block or all(cells.is_blank(v) for v in block[0]):
        return [], [Problem(sheet, 1, None, None, "ligne d'en-têtes vide")]
    if len(block) - 1 > MAX_DATA_ROWS:
        return [], [Problem(sheet, None, None, len(block) - 1,
                            f"plus de {MAX_DATA_ROWS:,} lignes de données".replace(",", " ")
                            + " (la limite d'une feuille Excel) : feuille non lue")]
    wanted = {layout.normalize_header(h): (h, f) for h, f in columns.items()}
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    for col, text in enumerate(block[0]):
        found = wanted.get(layout.normalize_header(text))
        if found is None:
            continue
        if found[1] in index:
            problems.append(Problem(sheet, 1, str(text), text, "en-tête en double"))
            continue
        index[found[1]] = col
        headers[found[1]] = str(text).strip()
    for header in required:
        if columns[header] not in index:
            problems.append(Problem(sheet, 1, header, None, "colonne obligatoire absente"))
    if problems:
        return [], problems
    records = []
    for offset, row in enumerate(block[1:], start=2):
        if all(cells.is_blank(v) for v in row):
            continue
        values = {f: (row[c] if c < len(row) else None) for f, c in index.items()}
        records.append(Record(sheet, offset, values, headers))
    return records, problems



def read_customers(records: list[Record], problems: list[Problem]) -> list[Customer]:
    customers = []
    for rec in records:
        f = Fields(rec, problems)
        text = {k: f.get(k, cells.parse_text) for k in _CUSTOMER_TEXT}
        tiers = f.get("tiers", cells.parse_text, required=True)
        kind = f.get("type", _parse_customer_type)
        bloque = f.get("bloque", cells.parse_bool)
        delai = f.get("delai_paiement", cells.parse_int)
        langue = f.get("langue", _parse_language)
        if f.ok:
            customers.append(Customer(tiers=tiers, **text, langue=langue, particulier=kind,
                                      bloque=bloque, delai_paiement=delai, row=rec.row))
    return customers


_CUSTOMER_TEXT = ("nom", "adresse1", "adresse2", "code_postal", "ville", "pays", "famille",
                  "representant", "mode_reglement", "email", "fax", "conditions", "telephone")


def _parse_customer_type(value: object) -> cells.Parsed:
    folded = layout.normalize_header(value)
    if folded in ("", "professionnel", "pro", "b2b"):
        return False, None
    if folded in ("particulier", "part", "b2c"):
        return True, None
    return None, "Professionnel ou Particulier attendu"


def _parse_language(value: object) -> cells.Parsed:
    code = str(value or "").strip().upper()[:2]
    if code in ("", *LANGUES):
        return code or LANGUES[0], None
    return None, f"langue {', '.join(LANGUES[:-1])} ou {LANGUES[-1]} attendue"


def _parse_invoice_type(value: object) -> cells.Parsed:
    folded = layout.normalize_header(value)
    if folded in ("", "facture", "f", "fa"):
        return False, None
    if folded in ("avoir", "a", "av"):
        return True, None
    return None, "Facture ou Avoir attendu"


def read_invoices(records: list[Record], problems: list[Problem]) -> list[Invoice]:
    invoices = []
    for rec in records:
        f = Fields(rec, problems)
        societe = f.get("societe", cells.parse_text, required=True)
        piece = f.get("piece", cells.parse_text, required=True)
        tiers = f.get("tiers", cells.parse_text, required=True)
        avoir = f.get("type", _parse_invoice_type)
        date_piece = f.get("date_piece", cells.parse_date, required=True)
        echeance = f.get("echeance", cells.parse_date, required=True)
        montant = f.get("montant", cells.parse_money, required=True)
        mode = f.get("mode_reglement", cells.parse_text)
        posted = f.get("comptabilisee", lambda v: cells.parse_bool(v, default=True))
        litige = f.get("litige", cells.parse_bool)
        if not f.ok:
            continue
        if avoir:
            montant = abs(montant)  # a credit note is a credit whatever the sign typed
        elif montant < 0:
            f.fail(rec.headers["montant"], rec.values["montant"],
                    "montant négatif sur une facture : saisir un Avoir")
            continue
        if not avoir and echeance < date_piece:
            f.fail(rec.headers["echeance"], rec.values["echeance"],
                    "date d'échéance antérieure à la date de pièce")
            continue
        invoices.append(Invoice(societe, piece, tiers, date_piece, echeance, montant, avoir,
                                mode, posted, litige, rec.row))
    return invoices


def read_payments(records: list[Record], problems: list[Problem]) -> list[Payment]:
    payments = []
    for rec in records:
        f = Fields(rec, problems)
        societe = f.get("societe", cells.parse_text, required=True)
        numero = f.get("numero", cells.parse_text)
        tiers = f.get("tiers", cells.parse_text, required=True)
        on = f.get("date", cells.parse_date, required=True)
        montant = f.get("montant", cells.parse_money, required=True)
        mode = f.get("mode_reglement", cells.parse_text)
        lettree = f.get("piece_lettree", cells.parse_text)
        if f.ok and montant < 0:
            f.fail(rec.headers["montant"], rec.values["montant"], "règlement négatif")
        if f.ok:
            payments.append(Payment(societe, numero, tiers, on, montant, mode, lettree, rec.row))
    return payments


def read_history(records: list[Record], problems: list[Problem]) -> list[HistoryEntry]:
    history = []
    for rec in records:
        f = Fields(rec, problems)
        on = f.get("date", cells.parse_date, required=True)
        societe = f.get("societe", cells.parse_text, required=True)
        tiers = f.get("tiers", cells.parse_text, required=True)
        piece = f.get("piece", cells.parse_text, required=True)
        niveau = f.get("niveau", cells.parse_int, required=True)
        sortie = f.get("sortie", cells.parse_text)
        if f.ok:
            history.append(HistoryEntry(on, societe, tiers, piece, niveau, sortie, rec.row))
    return history


# The pure parsers the records go through, memoised per cell value during one read
_PARSED = ParseMemo((cells.parse_text, cells.parse_date, cells.parse_bool, cells.parse_int,
                     _parse_customer_type, _parse_invoice_type, _parse_language))

_SHEETS = (
    (layout.CLIENTS, layout.CLIENTS_COLUMNS, layout.CLIENTS_REQUIRED, read_customers),
    (layout.FACTURES, layout.FACTURES_COLUMNS, layout.FACTURES_REQUIRED, read_invoices),
    (layout.REGLEMENTS, layout.REGLEMENTS_COLUMNS, layout.REGLEMENTS_REQUIRED, read_payments),
    (layout.HISTORIQUE, layout.HISTORIQUE_COLUMNS, layout.HISTORIQUE_REQUIRED, read_history),
)


def read_ledger(blocks: Mapping[str, Block | None]) -> tuple[Ledger, list[Problem]]:
    """The four ledger sheets -> a Ledger, and every problem found in them."""
    problems: list[Problem] = []
    parts = []
    typed: dict[str, set[tuple[str, ...]]] = {}
    for sheet, columns, required, read in _SHEETS:
        records, found = read_records(sheet, blocks.get(sheet), columns, required)
        problems.extend(found)
        parts.append(tuple(read(records, problems)))
        typed[sheet] = None if any(p.blocking for p in found) else _typed_keys(records)
    _PARSED.clear()
    ledger = Ledger(*parts)
    problems.extend(check_references(ledger, typed[layout.CLIENTS], typed[layout.FACTURES]))
    problems.extend(overpaid_invoices(ledger))
    return ledger, problems


def _typed_keys(records: list[Record]) -> set[tuple[str, ...]]:
    """(code tiers,) and (société, n° pièce) as typed, rejected rows included.

    A row refused for a bad date still names its invoice: a payment lettered to it
    is not "lettered to an unknown invoice", and one problem is reported, not two.
    """
    keys: set[tuple[str, ...]] = set()
    for rec in records:
        tiers = cells.parse_text(rec.values.get("tiers"))[0]
        societe = cells.parse_text(rec.values.get("societe"))[0]
        piece = cells.parse_text(rec.values.get("piece"))[0]
        keys.add((tiers or "",))
        keys.add((societe or "", piece or ""))
    return keys


def check_references(
    ledger: Ledger,
    typed_codes: set[tuple[str, ...]] | None = None,
    typed_pieces: set[tuple[str, ...]] | None = None,
) -> list[Problem]:
    """What a single row cannot show: unknown codes, duplicates, lettering to nowhere.

    `typed_codes` / `typed_pieces` are what the user typed (rejected rows included);
    None means that sheet could not be read at all, so nothing is checked against it.
    """
    problems = []
    codes: dict[str, Customer] = {}
    for c in ledger.customers:
        if c.tiers in codes:
            problems.append(Problem(layout.CLIENTS, c.row, _TIERS_HEADER, c.tiers,
                                    f"code tiers en double (déjà ligne {codes[c.tiers].row})"))
        codes.setdefault(c.tiers, c)
    known_code = _membership({(code,) for code in codes}, typed_codes)
    pieces: dict[tuple[str, str], Invoice] = {}
    for inv in ledger.invoices:
        key = (inv.societe, inv.piece)
        if key in pieces:
            problems.append(Problem(layout.FACTURES, inv.row, _PIECE_HEADER, inv.piece,
                                    f"n° de pièce en double dans la société {inv.societe} "
                                    f"(déjà ligne {pieces[key].row})"))
        pieces.setdefault(key, inv)
        if not known_code((inv.tiers,)):
            problems.append(Problem(layout.FACTURES, inv.row, _TIERS_HEADER, inv.tiers,
                                    "code tiers absent de la feuille Clients"))
    known_piece = _membership(set(pieces), typed_pieces)
    problems.extend(_check_payments(ledger, known_code, known_piece, pieces))
    return problems


def _membership(
    parsed: set[tuple[str, ...]], typed: set[tuple[str, ...]] | None
) -> Callable[[tuple[str, ...]], bool]:
    if typed is None:
        return lambda key: True
    return lambda key: key in parsed or key in typed


def _check_payments(
    ledger: Ledger,
    known_code: Callable[[tuple[str, ...]], bool],
    known_piece: Callable[[tuple[str, ...]], bool],
    pieces: Mapping[tuple[str, str], Invoice],
) -> list[Problem]:
    problems = []
    for pay in ledger.payments:
        if not known_code((pay.tiers,)):
            problems.append(Problem(layout.REGLEMENTS, pay.row, _TIERS_HEADER, pay.tiers,
                                    "code tiers absent de la feuille Clients"))
        if not pay.piece_lettree:
            continue
        invoice = pieces.get((pay.societe, pay.piece_lettree))
        if invoice is None:
            if known_piece((pay.societe, pay.piece_lettree)):
                continue  # its invoice row has its own problem already
            message = f"pièce lettrée inconnue dans la société {pay.societe}"
        elif invoice.tiers != pay.tiers:
            message = f"pièce lettrée appartenant à un autre client ({invoice.tiers})"
        elif invoice.avoir:
            message = "règlement lettré sur un avoir"
        else:
            continue
        problems.append(Problem(layout.REGLEMENTS, pay.row, "N° pièce lettrée",
                                pay.piece_lettree, message))
    return problems
