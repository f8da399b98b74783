"""Sheet blocks -> the domain, with every bad cell reported at once.

The input is what one bulk read of each sheet gives (a list of rows of cell
values, header first); nothing here touches a file. Each step returns its values
and its problems, so Appliquer can list every problem of the ledger in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from operator import itemgetter, lt
from typing import TypeVar

from . import cells, layout
from .config import LANGUES
from .model import Customer, HistoryEntry, Invoice, Ledger, Payment, Problem
from .parse_memo import ColumnFields, Columns, check_cell, map_distinct, texts
from .rules.findings import Lettered, add_lettered, overpaid_invoices

Block = list[list[object]]
MAX_DATA_ROWS = 1_048_575  # an Excel sheet has 1 048 576 rows, the first is the header
_TIERS_HEADER = layout.header(layout.FACTURES_COLUMNS, "tiers")  # the same in Clients, Règlements
_PIECE_HEADER = layout.header(layout.FACTURES_COLUMNS, "piece")
_DEVISE_HEADER = layout.header(layout.FACTURES_COLUMNS, "devise")  # the same in Règlements
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
        value, shown, message = check_cell(raw, parse, required)
        if message:
            return self.fail(self.record.headers.get(field, field), shown, message)
        return value

    def fail(self, header: str, raw: object, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.record.sheet, self.record.row, header, raw, message))
        return None


def _locate(
    sheet: str, block: Block | None, columns: Mapping[str, str], required: tuple[str, ...]
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Which column holds each field (header row 1, columns in any order), its header
    as typed, and what is wrong with the sheet as a whole (then nothing is read)."""
    if block is None:
        return {}, {}, [Problem(sheet, None, None, None, "feuille absente du classeur")]
    if not block or all(cells.is_blank(v) for v in block[0]):
        return {}, {}, [Problem(sheet, 1, None, None, "ligne d'en-têtes vide")]
    if len(block) - 1 > MAX_DATA_ROWS:
        return {}, {}, [Problem(sheet, None, None, len(block) - 1,
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
    return index, headers, problems


def _data_rows(block: Block) -> tuple[list[int], list[list[object]]]:
    """The Excel row numbers and cells of the rows below the header that hold anything.

    An empty row is no row: the rows below it are read as well (a row the user
    cleared, or a gap left by a sort), each with its own Excel row number.
    """
    body = block[1:]
    if all(body) and _all_filled(list(map(itemgetter(0), body))):
        return list(range(2, len(body) + 2)), body  # a first column filled: every row
    numbers, rows = [], []
    for number, row in enumerate(body, start=2):
        if not all(cells.is_blank(value) for value in row):
            numbers.append(number)
            rows.append(row)
    return numbers, rows


def _all_filled(column: list[object]) -> bool:
    """No cell of the column is blank, decided with the interpreter's own loops."""
    kinds = set(map(type, column))
    if type(None) in kinds or any(issubclass(k, str) for k in kinds - {str}):
        return False  # an empty cell, or text of another kind: row by row
    return str not in kinds or (kinds == {str} and all(map(str.strip, column)))


def read_records(
    sheet: str, block: Block | None, columns: Mapping[str, str], required: tuple[str, ...]
) -> tuple[list[Record], list[Problem]]:
    """Header row 1, every non-empty row below it is data; columns in any order.

    Every sheet of the ledger follows this one rule (`read_columns` is the same read,
    by column), Appliquer and the FEC import alike.
    """
    index, headers, problems = _locate(sheet, block, columns, required)
    if problems:
        return [], problems
    records = []
    for number, row in zip(*_data_rows(block), strict=True):
        values = {f: (row[c] if c < len(row) else None) for f, c in index.items()}
        records.append(Record(sheet, number, values, headers))
    return records, problems


def read_columns(
    sheet: str, block: Block | None, columns: Mapping[str, str], required: tuple[str, ...]
) -> tuple[Columns, list[Problem]]:
    """`read_records`, column by column: the same rows, the same problems."""
    index, headers, problems = _locate(sheet, block, columns, required)
    if problems:
        return Columns(sheet, [], {}, headers), problems
    numbers, rows = _data_rows(block)
    if not rows:
        by_field = {field: [] for field in index}
    elif min(map(len, rows)) <= max(index.values(), default=0):
        # a row shorter than the header: its missing cells are empty
        by_field = {field: [row[col] if col < len(row) else None for row in rows]
                    for field, col in index.items()}
    else:  # one transposition for every column, not a pass per column (every row
        # reaches the last column read; cells right of the shortest are not read)
        transposed = list(zip(*rows, strict=False))
        by_field = {field: list(transposed[col]) for field, col in index.items()}
    return Columns(sheet, numbers, by_field, headers), problems


def read_customers(columns: Columns, problems: list[Problem]) -> list[Customer]:
    f = ColumnFields(columns)
    text = {k: f.get(k, cells.parse_text) for k in _CUSTOMER_TEXT}
    tiers = f.get("tiers", cells.parse_text, required=True)
    kind = f.get("type", _parse_customer_type)
    bloque = f.get("bloque", cells.parse_bool)
    delai = f.get("delai_paiement", cells.parse_int)
    langue = f.get("langue", _parse_language)
    f.report(problems)
    return [Customer(tiers=tiers[i], **{k: text[k][i] for k in _CUSTOMER_TEXT},
                     langue=langue[i], particulier=kind[i], bloque=bloque[i],
                     delai_paiement=delai[i], row=row)
            for i, row in enumerate(columns.rows) if i not in f.bad]


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


def _parse_posted(value: object) -> cells.Parsed:
    return cells.parse_bool(value, default=True)  # an empty cell: the invoice is posted


def read_invoices(columns: Columns, problems: list[Problem]) -> list[Invoice]:
    f = ColumnFields(columns)
    parsed = {  # asked in the order a row's problems are listed
        "societe": f.get("societe", cells.parse_text, required=True),
        "piece": f.get("piece", cells.parse_text, required=True),
        "tiers": f.get("tiers", cells.parse_text, required=True),
        "avoir": f.get("type", _parse_invoice_type),
        "date_piece": f.get("date_piece", cells.parse_date, required=True),
        "echeance": f.get("echeance", cells.parse_date, required=True),
        "montant": f.get("montant", cells.parse_money, required=True),
        "mode_reglement": f.get("mode_reglement", cells.parse_text),
        "comptabilisee": f.get("comptabilisee", _parse_posted),
        "litige": f.get("litige", cells.parse_bool),
        "devise": f.get("devise", cells.parse_currency),
        "row": columns.rows}
    fields = [parsed[name] for name in Invoice._fields]
    if not f.bad and _unsigned(parsed["montant"]) and not any(
            map(lt, parsed["echeance"], parsed["date_piece"])):
        return _records(Invoice, fields)  # every row passes the checks below
    invoices = []
    for i, invoice in enumerate(_records(Invoice, fields)):
        if i in f.bad:
            continue
        if invoice.avoir:  # a credit note is a credit whatever the sign typed
            invoice = invoice._replace(montant=abs(invoice.montant))
        elif invoice.montant < 0:
            f.fail_cell(i, "montant", "montant négatif sur une facture : saisir un Avoir")
            continue
        if not invoice.avoir and invoice.echeance < invoice.date_piece:
            f.fail_cell(i, "echeance", "date d'échéance antérieure à la date de pièce")
            continue
        invoices.append(invoice)
    f.report(problems)
    return invoices


LedgerRecord = TypeVar("LedgerRecord", Invoice, Payment, HistoryEntry)


def _records(kind: type[LedgerRecord], fields: Sequence[list[object]]
             ) -> list[LedgerRecord]:
    """One `kind` per row of the parsed columns, `fields` in `kind`'s order, made as
    the tuples they are: a NamedTuple's own `__new__` is a Python function, one call a
    row (0.056 s against 0.031 s for 100,000 invoices, docs/performance.md)."""
    assert len(fields) == len(kind._fields), (kind.__name__, len(fields))  # no default
    return list(map(tuple.__new__, repeat(kind), zip(*fields, strict=True)))


def _unsigned(amounts: list[object]) -> bool:
    """No amount carries a minus sign (not even "-0,00"): none is refused or turned."""
    return not any(map(Decimal.is_signed, amounts))


def read_payments(columns: Columns, problems: list[Problem]) -> list[Payment]:
    f = ColumnFields(columns)
    fields = (
        f.get("societe", cells.parse_text, required=True),
        f.get("numero", cells.parse_text),
        f.get("tiers", cells.parse_text, required=True),
        f.get("date", cells.parse_date, required=True),
        f.get("montant", cells.parse_money, required=True),
        f.get("mode_reglement", cells.parse_text),
        f.get("piece_lettree", cells.parse_text),
        f.get("devise", cells.parse_currency),
        columns.rows)  # Payment's order, the order a row's problems are listed
    if not f.bad and _unsigned(fields[4]):
        return _records(Payment, fields)
    payments = []
    for i, payment in enumerate(_records(Payment, fields)):
        if i in f.bad:
            continue
        if payment.montant < 0:
            f.fail_cell(i, "montant", "règlement négatif")
            continue
        payments.append(payment)
    f.report(problems)
    return payments


def read_history(columns: Columns, problems: list[Problem]) -> list[HistoryEntry]:
    f = ColumnFields(columns)
    fields = (
        f.get("date", cells.parse_date, required=True),
        f.get("societe", cells.parse_text, required=True),
        f.get("tiers", cells.parse_text, required=True),
        f.get("piece", cells.parse_text, required=True),
        f.get("niveau", cells.parse_int, required=True),
        f.get("sortie", cells.parse_text),
        f.get("lettre", cells.parse_text),  # optional: workbooks made before it lack it
        columns.rows)
    f.report(problems)
    if not f.bad:
        return _records(HistoryEntry, fields)
    return [HistoryEntry(*entry) for i, entry in enumerate(zip(*fields, strict=True))
            if i not in f.bad]


_SHEETS = (
    (layout.CLIENTS, layout.CLIENTS_COLUMNS, layout.CLIENTS_REQUIRED, read_customers),
    (layout.FACTURES, layout.FACTURES_COLUMNS, layout.FACTURES_REQUIRED, read_invoices),
    (layout.REGLEMENTS, layout.REGLEMENTS_COLUMNS, layout.REGLEMENTS_REQUIRED, read_payments),
    (layout.HISTORIQUE, layout.HISTORIQUE_COLUMNS, layout.HISTORIQUE_REQUIRED, read_history),
)


# the sheets read column by column, whose parsers take a cell in any form `cells.excel_value`
# makes Excel's (the headless engine hands them python-calamine's values)
READ_BY_COLUMN = frozenset(sheet for sheet, *_ in _SHEETS)


def read_ledger(blocks: Mapping[str, Block | None]) -> tuple[Ledger, list[Problem]]:
    """The four ledger sheets -> a Ledger, and every problem found in them, sheet after
    sheet.

    The invoices, the largest sheet by far, are parsed ahead by the headless engine in a
    thread of its own (`Book.prefetch`) while the small sheets are read and turned into
    the ledger here; that thread then parses the payments while the invoices are read
    (`_READ_ORDER`, docs/performance.md)."""
    found_in: dict[str, list[Problem]] = {}
    parts: dict[str, tuple] = {}
    typed: dict[str, set[tuple[str, ...]] | None] = {}
    for sheet, columns, required, read in sorted(_SHEETS, key=_read_order):
        found_columns, found = read_columns(sheet, blocks.get(sheet), columns, required)
        unread = any(p.blocking for p in found)  # the sheet as a whole, not a cell of it
        found_in[sheet] = found
        parts[sheet] = tuple(read(found_columns, found))
        if sheet in (layout.CLIENTS, layout.FACTURES):  # what references are checked against
            typed[sheet] = None if unread else _typed_keys(found_columns, parts[sheet])
    problems = [problem for sheet, *_ in _SHEETS for problem in found_in[sheet]]
    ledger = Ledger(*(parts[sheet] for sheet, *_ in _SHEETS))
    found, lettering = check_references(ledger, typed[layout.CLIENTS],
                                        typed[layout.FACTURES])
    problems.extend(found)
    problems.extend(overpaid_invoices(ledger, *lettering))
    return ledger, problems


# The order the sheets are read in: the small ones first, parsed by this thread while
# the headless engine's read-ahead parses the largest (Factures), then the invoices,
# then the payments, which the read-ahead parses next, while the invoices are read.
_READ_ORDER = (layout.CLIENTS, layout.HISTORIQUE, layout.FACTURES, layout.REGLEMENTS)


def _read_order(sheet: tuple) -> int:
    return _READ_ORDER.index(sheet[0])


def _typed_keys(columns: Columns, kept: tuple[Customer | Invoice, ...]
                ) -> set[tuple[str, ...]]:
    """(code tiers,) and (société, n° pièce) as typed on the rows the reader refused.

    A row refused for a bad date still names its invoice: a payment lettered to it
    is not "lettered to an unknown invoice", and one problem is reported, not two.
    A row kept is already known by its parsed values, which are its typed text.
    """
    if len(kept) == len(columns.rows):
        return set()
    rows = {item.row for item in kept}
    refused = [i for i, row in enumerate(columns.rows) if row not in rows]

    def typed(field: str) -> list[object]:
        raws = columns.column(field)
        return _as_typed([raws[i] for i in refused])

    keys: set[tuple[str, ...]] = set(zip(typed("tiers")))
    keys.update(zip(typed("societe"), typed("piece"), strict=True))
    return keys


def _as_typed(raws: list[object]) -> list[object]:
    """Each cell's text as parse_text reads it, "" where it reads none."""
    def text(raw: object) -> object:
        return cells.parse_text(cells.excel_value(raw))[0] or ""

    found = texts(raws)  # a column of text, as nearly all are
    if found is not None:
        return found
    try:
        return map_distinct(text, raws)
    except TypeError:  # an unhashable value (never from a sheet read)
        return [text(raw) for raw in raws]


Pieces = dict[str, dict[str, Invoice]]  # société -> n° pièce -> its first invoice


def check_references(
    ledger: Ledger,
    typed_codes: set[tuple[str, ...]] | None = None,
    typed_pieces: set[tuple[str, ...]] | None = None,
) -> tuple[list[Problem], tuple[Pieces, Lettered] | tuple[()]]:
    """What a single row cannot show: unknown codes, duplicates, lettering to nowhere;
    and, when each piece is there once (else ()), the invoices by company and piece and
    what the payments lettered to each add up to: `overpaid_invoices`' arguments, found
    in this pass over the payments rather than in one of its own.

    `typed_codes` / `typed_pieces` are what the user typed on the rows the reader
    refused (those it kept are known by their values); None means that sheet could
    not be read at all, so nothing is checked against it.
    """
    problems = []
    codes: dict[str, Customer] = {}
    for c in ledger.customers:
        if c.tiers in codes:
            problems.append(Problem(layout.CLIENTS, c.row, _TIERS_HEADER, c.tiers,
                                    f"code tiers en double (déjà ligne {codes[c.tiers].row})"))
        codes.setdefault(c.tiers, c)
    known_code = _membership(codes.keys(), None if typed_codes is None
                             else {key[0] for key in typed_codes if len(key) == 1})
    pieces: Pieces = {}
    twice = False
    for inv in ledger.invoices:
        company = pieces.get(inv.societe)
        if company is None:
            company = pieces[inv.societe] = {}
        first = company.setdefault(inv.piece, inv)
        if first is not inv:
            twice = True
            problems.append(Problem(layout.FACTURES, inv.row, _PIECE_HEADER, inv.piece,
                                    f"n° de pièce en double dans la société {inv.societe} "
                                    f"(déjà ligne {first.row})"))
        if not known_code(inv.tiers):
            problems.append(Problem(layout.FACTURES, inv.row, _TIERS_HEADER, inv.tiers,
                                    "code tiers absent de la feuille Clients"))
    lettered: Lettered = {}
    problems.extend(_check_payments(ledger, known_code, typed_pieces, pieces, lettered))
    return problems, () if twice else (pieces, lettered)


def _membership(parsed: Collection[Hashable], typed: set | None
                ) -> Callable[[Hashable], bool]:
    """Whether a key was read, or typed on a refused row (typed None: all are known)."""
    if typed is None:
        return lambda key: True
    if not typed:
        return parsed.__contains__
    return lambda key: key in parsed or key in typed


def _check_payments(
    ledger: Ledger,
    known_code: Callable[[str], bool],
    typed_pieces: set[tuple[str, ...]] | None,
    pieces: Pieces,
    lettered: Lettered,
) -> list[Problem]:
    """The payments' problems; each payment lettered to an invoice of its customer
    added to `lettered` (what `overpaid_invoices` checks), whatever its currency."""
    problems = []
    nowhere: dict[str, Invoice] = {}
    for pay in ledger.payments:
        if not known_code(pay.tiers):
            problems.append(Problem(layout.REGLEMENTS, pay.row, _TIERS_HEADER, pay.tiers,
                                    "code tiers absent de la feuille Clients"))
        if not pay.piece_lettree:
            continue
        invoice = pieces.get(pay.societe, nowhere).get(pay.piece_lettree)
        if invoice is None:
            if typed_pieces is None or (pay.societe, pay.piece_lettree) in typed_pieces:
                continue  # its invoice row has its own problem already
            message = f"pièce lettrée inconnue dans la société {pay.societe}"
        elif invoice.tiers != pay.tiers:
            message = f"pièce lettrée appartenant à un autre client ({invoice.tiers})"
        elif invoice.avoir:
            message = "règlement lettré sur un avoir"
        else:
            add_lettered(lettered, invoice, pay.montant)
            if invoice.devise != pay.devise:
                problems.append(_other_currency(pay, invoice))
            continue
        problems.append(Problem(layout.REGLEMENTS, pay.row, "N° pièce lettrée",
                                pay.piece_lettree, message))
    return problems


def _other_currency(payment: Payment, invoice: Invoice) -> Problem:
    """A payment in one currency lettered to an invoice in another: what it settles of
    the invoice cannot be known without a rate the books did not fix, so it is named
    with both cells, never converted."""
    return Problem(layout.REGLEMENTS, payment.row, _DEVISE_HEADER, payment.devise,
                   f"règlement en {payment.devise} lettré sur la pièce {invoice.piece} "
                   f"en {invoice.devise} (feuille {layout.FACTURES}, ligne {invoice.row}, "
                   f"colonne « {_DEVISE_HEADER} ») : lettrer un règlement de la même devise")
