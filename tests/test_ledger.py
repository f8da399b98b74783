"""Sheet blocks -> the domain: every bad cell named by sheet, row, column and value."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from relances_xl import layout, sample
from relances_xl.ledger import read_ledger


def blocks(**changes):
    """The sample ledger as bulk reads give it: header row, then data rows."""
    rows = sample.sheet_rows()
    headers = {
        layout.CLIENTS: list(layout.CLIENTS_COLUMNS),
        layout.FACTURES: list(layout.FACTURES_COLUMNS),
        layout.REGLEMENTS: list(layout.REGLEMENTS_COLUMNS),
        layout.HISTORIQUE: list(layout.HISTORIQUE_COLUMNS),
    }
    result = {sheet: [headers[sheet], *rows[sheet]] for sheet in headers}
    for sheet, edit in changes.items():
        edit(result[{"clients": layout.CLIENTS, "factures": layout.FACTURES,
                     "reglements": layout.REGLEMENTS, "historique": layout.HISTORIQUE}[sheet]])
    return result


def test_sample_ledger_reads_without_problems():
    ledger, problems = read_ledger(blocks())
    assert problems == []
    assert len(ledger.customers) == 9
    assert {i.devise for i in ledger.invoices if i.tiers == "NYWINE"} == {"USD"}
    credit = next(i for i in ledger.invoices if i.piece == "ZA22-0003")
    assert credit.avoir and credit.montant == Decimal("11600.00")
    particulier = next(c for c in ledger.customers if c.tiers == "2FRPAR")
    assert particulier.particulier and particulier.langue == "FR"


def test_invoices_payments_and_history_lines_are_whole_records_of_their_kind():
    """The reader makes them as tuples of the parsed columns (not through their
    constructor): each has its every field, in its kind's order, its row included."""
    from relances_xl.model import HistoryEntry, Invoice, Payment

    ledger, _ = read_ledger(blocks())
    for records, kind in ((ledger.invoices, Invoice), (ledger.payments, Payment),
                          (ledger.history, HistoryEntry)):
        assert records
        for record in records:
            assert type(record) is kind and record == kind(**record._asdict())
            assert len(record) == len(kind._fields) and record.row is not None
    first = ledger.invoices[0]
    assert (first.row, first.societe, type(first.date_piece)) == (2, "VIGNE", date)
    assert isinstance(ledger.payments[0].montant, Decimal)
    assert isinstance(ledger.history[0].niveau, int)


def test_a_clients_sheet_of_an_older_workbook_puts_everyone_on_the_default_terms():
    def drop_conditions(block):
        at = list(layout.CLIENTS_COLUMNS).index("Conditions de relance")
        for row in block:
            del row[at:]  # "Conditions de relance" and the columns added after it

    ledger, problems = read_ledger(blocks(clients=drop_conditions))
    assert problems == []
    assert {c.conditions for c in ledger.customers} == {""}


def test_a_customers_conditions_de_relance_are_read_as_typed():
    def public(block):
        block[1][list(layout.CLIENTS_COLUMNS).index("Conditions de relance")] = (
            " Acheteur public ")

    ledger, problems = read_ledger(blocks(clients=public))
    assert problems == []
    assert ledger.customers[0].conditions == "Acheteur public"


def test_columns_in_any_order_and_headers_in_any_case():
    def shuffle(block):
        for row in block:
            row.reverse()
        block[0] = [str(h).upper() for h in block[0]]

    ledger, problems = read_ledger(blocks(factures=shuffle))
    assert problems == []
    assert ledger.invoices[0].piece == "FA22-0088"
    assert ledger.invoices[0].montant == Decimal("1500.00")


def test_bad_amount_is_named_by_sheet_row_column_and_value():
    def spoil(block):
        block[3][6] = "onze mille"

    _, problems = read_ledger(blocks(factures=spoil))
    assert [str(p) for p in problems] == [
        "Factures, ligne 4, colonne « Montant TTC » : valeur « onze mille » "
        "— montant attendu (ex. 1 234,56)"
    ]


def test_every_problem_is_listed_at_once():
    def spoil(block):
        block[1][4] = "hier"
        block[2][3] = "INCONNU"
        block[6][6] = -5

    _, problems = read_ledger(blocks(factures=spoil))
    found = {(p.row, p.column, p.message) for p in problems}
    assert (2, "Date pièce", "date attendue (ex. 27/07/2022)") in found
    assert (3, "Code tiers", "code tiers absent de la feuille Clients") in found
    assert (7, "Montant TTC", "montant négatif sur une facture : saisir un Avoir") in found
    assert all(p.blocking for p in problems)


def test_missing_required_column_stops_the_sheet():
    def drop(block):
        for row in block:
            del row[6]

    ledger, problems = read_ledger(blocks(factures=drop))
    assert [(p.sheet, p.column, p.message) for p in problems] == [
        ("Factures", "Montant TTC", "colonne obligatoire absente")
    ]
    assert ledger.invoices == ()


def _unnumbered(record):
    return record._replace(row=0) if hasattr(record, "_replace") else replace(record, row=0)


def test_an_empty_row_in_the_middle_is_no_row_and_the_rows_below_are_read():
    """One rule for every ledger sheet: a sheet with holes is read as the rows it holds,
    each under its own Excel row number, with no problem to report."""
    whole, _ = read_ledger(blocks())

    def gap(block):
        block.insert(3, [None] * len(block[0]))
        block.insert(6, [""] * 3)  # a ragged empty row, as a paste may leave

    ledger, problems = read_ledger(blocks(factures=gap, clients=gap, reglements=gap,
                                          historique=gap))
    assert problems == []
    for name in ("invoices", "customers", "payments", "history"):
        before, after = getattr(whole, name), getattr(ledger, name)
        assert [_unnumbered(r) for r in after] == [_unnumbered(r) for r in before], name
        assert [r.row for r in after] == [r if r < 4 else r + 1 if r < 6 else r + 2
                                          for r in (x.row for x in before)], name


def test_duplicate_invoice_number_in_one_company():
    def duplicate(block):
        block[2][1] = block[1][1]

    _, problems = read_ledger(blocks(factures=duplicate))
    assert [(p.row, p.message) for p in problems] == [
        (3, "n° de pièce en double dans la société VIGNE (déjà ligne 2)")
    ]


def test_payment_lettered_to_another_customers_invoice():
    def mislettered(block):
        block[1][6] = "FA22-0109"  # an invoice of 2FRPAR, paid by 1FRNEG

    _, problems = read_ledger(blocks(reglements=mislettered))
    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        ("Règlements", 2, "N° pièce lettrée",
         "pièce lettrée appartenant à un autre client (2FRPAR)"),
    ]


def test_credit_note_typed_negative_is_still_a_credit():
    def negative(block):
        block[5][6] = Decimal("-11600.00")

    ledger, problems = read_ledger(blocks(factures=negative))
    assert problems == []
    credit = next(i for i in ledger.invoices if i.piece == "ZA22-0003")
    assert credit.montant == Decimal("11600.00")


def test_due_date_before_invoice_date_is_refused():
    def backwards(block):
        block[1][5] = date(2022, 1, 1)

    _, problems = read_ledger(blocks(factures=backwards))
    assert [(p.row, p.column) for p in problems] == [(2, "Date échéance")]


def test_missing_sheet_is_reported():
    data = blocks()
    data[layout.REGLEMENTS] = None
    _, problems = read_ledger(data)
    assert [(p.sheet, p.message) for p in problems] == [
        ("Règlements", "feuille absente du classeur")
    ]


class _Asked(dict):
    """Blocks that remember the order the reader asked for them."""

    def __init__(self, blocks):
        super().__init__(blocks)
        self.order = []

    def get(self, sheet, default=None):
        self.order.append(sheet)
        return super().get(sheet, default)


def test_the_small_sheets_are_read_first_and_the_problems_still_listed_sheet_after_sheet():
    """The largest sheet is parsed ahead while the others are read (issue 30): the small
    ones are asked for first (parsed meanwhile by the reader's own thread), then the
    invoices, then the payments (parsed ahead next); a bad cell of each sheet is still
    listed in the sheets' order."""
    def spoil(at, column, value):
        def edit(block):
            block[at][column] = value
        return edit

    langue = list(layout.CLIENTS_COLUMNS).index("Langue")
    asked = _Asked(blocks(clients=spoil(1, langue, "XX"), factures=spoil(2, 6, "onze"),
                          reglements=spoil(1, 3, "hier"), historique=spoil(1, 0, "hier")))
    _, problems = read_ledger(asked)

    assert asked.order == [layout.CLIENTS, layout.HISTORIQUE, layout.FACTURES,
                           layout.REGLEMENTS]
    assert set(asked.order) == {layout.CLIENTS, layout.FACTURES, layout.REGLEMENTS,
                                layout.HISTORIQUE}
    assert [(p.sheet, p.row) for p in problems] == [
        (layout.CLIENTS, 2), (layout.FACTURES, 3), (layout.REGLEMENTS, 2),
        (layout.HISTORIQUE, 2)]


def test_a_bad_cell_in_clients_still_leaves_unknown_codes_checked():
    """A customer's row refused for one bad cell is one problem; the invoices of a code
    absent from Clients are still named (the sheet was read, only a row of it refused)."""
    langue = list(layout.CLIENTS_COLUMNS).index("Langue")

    def spoil_client(block):
        block[1][langue] = "XX"

    def unknown_code(block):
        block[2][3] = "INCONNU"

    _, problems = read_ledger(blocks(clients=spoil_client, factures=unknown_code))
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        (layout.CLIENTS, 2, "Langue"), (layout.FACTURES, 3, "Code tiers")]
