"""The reminder computation: ledger + settings + filters -> the table of the Relances sheet.

Pure: no file, no Excel, no clock. The date is the filter's "Echéances échues au",
so a run dated in the past gives what it would have given on that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

from babel.numbers import format_currency

from .model import (
    ZERO,
    Customer,
    Filters,
    HistoryEntry,
    Invoice,
    Ledger,
    Payment,
    Problem,
    ReminderLine,
    ReminderRow,
    Settings,
    to_cents,
)

HISTORIQUE_SHEET = "Historique"  # the engine names its source sheet without importing Excel code
MOTIF_BLOQUE = "Client bloqué en relance"
MOTIF_SOLDE = "Solde comptable ≤ 0"
MOTIF_MINIMUM = "Encours relancé inférieur au montant minimum ({minimum})"

_Key = tuple[str, str]  # a row: (code tiers, société), the table's order
# société -> n° pièce or code tiers -> amount. A dict per company rather than a (société,
# n° pièce) key per entry: no tuple to build and hash per payment, per invoice, per line.
_PerCompany = dict[str, dict[str, Decimal]]
# An open échu invoice while its row's level is not known yet: (échéance, n° pièce, position
# in ledger.invoices, reste dû, days late, level, due). So ordered, these tuples sort as the
# row's lines do, ties in ledger order (the invoice itself is fetched by its position
# when its line is built).
_Open = tuple[date, str, int, Decimal, int, int, bool]
_NIVEAU, _DUE = itemgetter(5), itemgetter(6)  # of an _Open
_TIERS = itemgetter(0)  # code tiers of a row waiting to be built
_DAYS_IN_YEAR = Decimal(365)
# A ReminderLine or ReminderRow straight from its fields, in their declared order: a
# NamedTuple's own __new__ is a Python function, twice as slow (four times with keywords),
# and a run builds one line per open invoice and one row per customer and company.
_new = tuple.__new__


def euros(amount: Decimal) -> str:
    """French money text, as the sheet shows it: "11 063,80 €"."""
    return format_currency(amount, "EUR", locale="fr_FR")


def compute_reminders(
    ledger: Ledger, settings: Settings, filters: Filters
) -> tuple[list[ReminderRow], list[Problem]]:
    """One row per (customer, company) having at least one invoice due for a reminder."""
    problems = _history_beyond_last_level(ledger.history, settings)
    customers = {c.code: c for c in selected_customers(ledger.customers, filters)}
    paid, soldes = _payments(ledger.payments, filters.date)
    _add_invoices(soldes, ledger.invoices, filters.date)
    open_lines, issued_today = _open_lines(ledger, customers, paid, settings, filters)
    # Babel takes 80 µs to write an amount: once per run, not once per row under it
    minimum = MOTIF_MINIMUM.format(minimum=euros(settings.montant_minimum))
    # a row when a line is due or had its letter today; the others wait
    pending_rows = [
        (tiers, societe, pending)
        for societe, by_tiers in sorted(open_lines.items())
        for tiers, pending in by_tiers.items()
        if any(map(_DUE, pending)) or (tiers, societe) in issued_today
    ]
    # the table's order, (code tiers, société): a stable sort on the code keeps the
    # companies in the order they were taken, and compares strings, not tuples
    pending_rows.sort(key=_TIERS)
    rows = [
        _row(customers[tiers], societe, soldes[societe].get(tiers, ZERO), pending,
             (tiers, societe) in issued_today, ledger.invoices, settings, minimum)
        for tiers, societe, pending in pending_rows
    ]
    return rows, problems


def selected_customers(customers: Iterable[Customer], filters: Filters) -> list[Customer]:
    """The customers the Client(s), Famille(s) and Représentant(s) filters select."""
    clients, familles = _folded(filters.clients), _folded(filters.familles)
    representants = _folded(filters.representants)
    return [
        c
        for c in customers
        if (not clients or c.code.casefold() in clients)
        and (not familles or c.famille.casefold() in familles)
        and (not representants or c.representant.casefold() in representants)
    ]


def _open_lines(
    ledger: Ledger, customers: dict[str, Customer], paid: _PerCompany, settings: Settings,
    filters: Filters,
) -> tuple[dict[str, dict[str, list[_Open]]], set[_Key]]:
    """Per company then customer, its open échu invoices in scope; the rows with a line
    whose letter went today.

    In scope: posted, undisputed invoices of the selected customers, companies and payment
    modes (the customer's when the invoice has none). The échu test comes first, the
    cheapest; the scope next, which stops nearly every invoice of a filtered run; then
    the paid test, which stops most of what is left. Inline, as it runs for every
    invoice of the ledger: no function call before an invoice is known to be open, none
    for an invoice never reminded, and no tuple key per line (see _PerCompany).
    A line's agios need its row's level, known once all its lines are: see `_lines`.
    """
    on = filters.date
    cutoff = on - timedelta(days=settings.jours_grace)
    societes, modes = _folded(filters.societes), _folded(filters.modes)
    last_issue = _last_issues(ledger.history, on)
    first = settings.first_level
    lines: dict[str, dict[str, list[_Open]]] = defaultdict(dict)
    issued_today: set[_Key] = set()
    for position, invoice in enumerate(ledger.invoices):
        if invoice.echeance > cutoff or invoice.avoir or not invoice.comptabilisee:
            continue
        tiers = invoice.tiers
        customer = customers.get(tiers)
        if customer is None or invoice.litige:
            continue
        societe = invoice.societe
        if societes and societe.casefold() not in societes:
            continue
        if modes and (invoice.mode_reglement or customer.mode_reglement).casefold() not in modes:
            continue
        numero, montant = invoice.numero, invoice.montant
        settled = paid[societe].get(numero)
        if settled is None:  # nothing paid: the amount is due, unless it is nil
            if not montant:
                continue
            reste = montant
        elif settled >= montant:
            continue
        else:
            reste = montant - settled
        late = (on - invoice.echeance).days
        last = last_issue[societe].get(numero)
        if last is None:  # never reminded: the first level, when late enough
            due = late >= first.jours_retard
            niveau = first.niveau if due else 0
        else:
            niveau, due = _next_level(late, last, settings, on)
            if last.date == on:  # so not due again today
                issued_today.add((tiers, societe))
        by_tiers = lines[societe]
        pending = by_tiers.get(tiers)
        if pending is None:
            pending = by_tiers[tiers] = []
        pending.append((invoice.echeance, numero, position, reste, late, niveau, due))
    return lines, issued_today


def _folded(values: frozenset[str]) -> set[str]:
    return {v.casefold() for v in values}


def allocated_payments(ledger: Ledger, on: date) -> dict[tuple[str, str], Decimal]:
    """What was paid against each invoice (société, n° pièce) by `on`: only lettered
    payments count."""
    paid, _ = _payments(ledger.payments, on)
    return {
        (societe, piece): amount for societe, pieces in paid.items()
        for piece, amount in pieces.items()
    }


def _payments(payments: Iterable[Payment], on: date) -> tuple[_PerCompany, _PerCompany]:
    """(`allocated_payments` per company then piece, what each customer paid by `on` per
    company then customer, negative), in one pass over the payments."""
    paid: _PerCompany = defaultdict(dict)
    soldes: _PerCompany = defaultdict(dict)
    for payment in payments:
        if payment.date > on:
            continue
        societe, montant, piece = payment.societe, payment.montant, payment.piece_lettree
        balances = soldes[societe]
        balances[payment.tiers] = balances.get(payment.tiers, ZERO) - montant
        if piece:
            pieces = paid[societe]
            known = pieces.get(piece)  # most invoices are settled by one payment: no addition
            pieces[piece] = montant if known is None else known + montant
    return paid, soldes


def _add_invoices(soldes: _PerCompany, invoices: Iterable[Invoice], on: date) -> None:
    """Add the posted debits and credits up to `on` to the customers' balances."""
    for invoice in invoices:
        if invoice.comptabilisee and invoice.date_piece <= on:
            balances = soldes[invoice.societe]
            solde = balances.get(invoice.tiers, ZERO)
            # a test, not a product by -1: this runs for every invoice
            balances[invoice.tiers] = (
                solde - invoice.montant if invoice.avoir else solde + invoice.montant
            )


def _last_issues(history: Iterable[HistoryEntry], on: date) -> dict[str, dict[str, HistoryEntry]]:
    """The latest letter issued for each invoice by `on` (the highest level that day), per
    company then piece (see _PerCompany)."""
    last: dict[str, dict[str, HistoryEntry]] = defaultdict(dict)
    for entry in history:
        if entry.date > on:
            continue
        pieces = last[entry.societe]
        known = pieces.get(entry.piece)
        if known is None or entry.date > known.date or (
            entry.date == known.date and entry.niveau > known.niveau  # no tuple to compare
        ):
            pieces[entry.piece] = entry
    return last


def _next_level(late: int, last: HistoryEntry, settings: Settings, on: date) -> tuple[int, bool]:
    """(level, due) of an invoice reminded before: the level this reminder reaches, or
    the last one issued if not due. (Never reminded: the first level once late enough,
    decided inline in `_open_lines`.)

    A level is never skipped: after level k the candidate is k + 1 (the last level
    repeats), reached once both its days late and its days since the previous
    reminder are met. A letter issued today is not due again today.
    """
    top = settings.max_level  # min() by hand: this runs for every open invoice
    issued = last.niveau if last.niveau < top else top
    if last.date == on:
        return issued, False
    candidate = settings.level(issued + 1 if issued < top else top)
    due = late >= candidate.jours_retard and (on - last.date).days >= (
        candidate.jours_depuis_precedente
    )
    return (candidate.niveau if due else issued), due


def _history_beyond_last_level(
    history: Iterable[HistoryEntry], settings: Settings
) -> list[Problem]:
    """Levels removed from Paramètres after letters were issued count as the last one."""
    top = settings.max_level
    return [
        Problem(HISTORIQUE_SHEET, entry.row, "Niveau", entry.niveau,
                f"niveau au-delà du dernier niveau de relance ({top}) : compté comme {top}",
                blocking=False)
        for entry in history
        if entry.niveau > top
    ]


def _row(
    customer: Customer,
    societe: str,
    solde: Decimal,
    pending: list[_Open],
    editee: bool,
    invoices: Sequence[Invoice],
    settings: Settings,
    motif_minimum: str,
) -> ReminderRow:
    """The row of a customer in a company, at the highest level of its lines."""
    niveau = max(map(_NIVEAU, pending))
    lines, encours, agios = _lines(pending, invoices, niveau, customer, settings)
    frais = settings.level(niveau).frais if niveau else ZERO
    motif = _motif(customer, solde, encours, settings, motif_minimum)
    return _new(ReminderRow, (
        customer.code,  # tiers
        societe,
        solde,  # solde_comptable
        encours,  # encours_relance
        agios + frais,  # agios_reclames
        niveau,
        not motif,  # a_relancer
        editee,
        customer.adresse_courte,  # adresse
        motif,
        frais,
        lines,
    ))


def _lines(
    pending: list[_Open], invoices: Sequence[Invoice], niveau: int, customer: Customer,
    settings: Settings,
) -> tuple[tuple[ReminderLine, ...], Decimal, Decimal]:
    """(lines in due-date order, their reste dû, their interest + indemnities).

    Interest and indemnity follow the row's level, computed per invoice to the cent.
    Each line is built once, with its agios, and summed as it is built.
    """
    rate, indemnite = _claimed(niveau, customer, settings)
    pending.sort()  # by due date and number, then ledger order (see _Open)
    lines = []
    encours = interets_dus = ZERO
    for _, _, position, reste, late, line_niveau, due in pending:
        interets = ZERO
        if rate is not None:
            interets = to_cents(reste * rate * late / _DAYS_IN_YEAR)
            interets_dus += interets
        lines.append(_new(ReminderLine, (invoices[position], reste, late, line_niveau, due,
                                         interets, indemnite)))
        encours += reste
    # sums of Decimals are exact: the indemnities once, not once per line
    return tuple(lines), encours, interets_dus + indemnite * len(lines)


def _claimed(niveau: int, customer: Customer, settings: Settings) -> tuple[Decimal | None, Decimal]:
    """(annual interest rate or None, indemnity per invoice) that a row at `niveau` claims."""
    if not niveau:
        return None, ZERO
    level = settings.level(niveau)
    rate = None
    if level.interets:
        rate = settings.taux_particuliers if customer.particulier else settings.taux_annuel
    indemnite = ZERO
    if level.indemnite and not customer.particulier:  # private customers owe no indemnity
        indemnite = settings.indemnite_forfaitaire
    return rate, indemnite


def _motif(customer: Customer, solde: Decimal, encours: Decimal, settings: Settings,
           motif_minimum: str) -> str:
    """Why the row starts unticked; empty when it is ticked."""
    reasons = []
    if customer.bloque:
        reasons.append(MOTIF_BLOQUE)
    if settings.decocher_solde_negatif and solde <= ZERO:
        reasons.append(MOTIF_SOLDE)
    if encours < settings.montant_minimum:
        reasons.append(motif_minimum)
    return " ; ".join(reasons)
