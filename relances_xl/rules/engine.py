"""The reminder computation: ledger + settings + filters -> the table of the Relances sheet.

Pure: no file, no Excel, no clock. The date is the filter's "Échéances échues au",
so a run dated in the past gives what it would have given on that day.

This module makes the passes over the ledger, each once per run and inline (they run
for every invoice, payment and line of Historique of a 100,000-invoice ledger): the
balances and credits, what was paid per invoice, the open échu invoices in scope. Where
an invoice stands in its set of levels is `levels`; the row built from its open
invoices, its agios and its motifs, `table_row`. The REASON_* codes and MOTIF_* texts
are defined there and importable from here, as the table's API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

from .. import layout
from ..config import TAUX_PARTICULIERS, TAUX_PROFESSIONNELS, TAUX_PUBLICS, LevelSet, Settings
from ..model import (
    AVOIR,
    DEFAULT_CURRENCY,
    REGLEMENT,
    ZERO,
    Credit,
    Customer,
    Filters,
    HistoryEntry,
    Invoice,
    Ledger,
    Payment,
    Problem,
    ReminderRow,
    fold,
)
from ..texts import money
from .currencies import currencies, in_currency, missing_rates, settings_in
from .followup import FollowUp, Holds, holds_of
from .imputation import OpenInvoice, PaymentIndex, Settled, open_invoices
from .interest import Rates, rate_schedule
from .levels import History, held_level, history_beyond_last_level, standing
from .table_row import (
    MOTIF_AVOIRS,
    MOTIF_BLOQUE,
    MOTIF_CHANGE,
    MOTIF_MINIMUM,
    MOTIF_NON_LETTRES,
    MOTIF_SOLDE,
    MOTIF_TAUX,
    REASON_BLOQUE,
    REASON_CHANGE,
    REASON_MINIMUM,
    REASON_SOLDE,
    REASON_SUIVI,
    REASON_TAUX,
    Pending,
    Run,
    build_row,
)

# the public names, the table's codes and motifs among them (defined in table_row)
__all__ = [
    "MOTIF_AVOIRS", "MOTIF_BLOQUE", "MOTIF_CHANGE", "MOTIF_MINIMUM", "MOTIF_NON_LETTRES",
    "MOTIF_SOLDE", "MOTIF_TAUX", "REASON_BLOQUE", "REASON_CHANGE", "REASON_MINIMUM",
    "REASON_SOLDE", "REASON_SUIVI", "REASON_TAUX", "allocated_payments", "compute_reminders",
    "selected_customers",
]

_CONDITIONS = layout.header(layout.CLIENTS_COLUMNS, "conditions")
_Key = tuple[str, str]  # a row: (code tiers, société), the table's order
# société -> n° pièce or code tiers -> amount. A dict per company rather than a (société,
# n° pièce) key per entry: no tuple to build and hash per payment, per invoice, per line.
_PerCompany = dict[str, dict[str, Decimal]]
# société -> code tiers -> the customer's credits allocated to no invoice (see Credit)
_Credits = dict[str, dict[str, list[Credit]]]
# société -> n° pièce -> the payments lettered to it, in ledger order
_Lettered = dict[str, dict[str, list[Payment]]]


def compute_reminders(
    ledger: Ledger, settings: Settings, filters: Filters, followups: Sequence[FollowUp] = ()
) -> tuple[list[ReminderRow], list[Problem]]:
    """One row per (customer, company, currency) having at least one invoice due for a
    reminder (or held back by a line of `Suivi`, `followups`: see rules/followup.py).

    A ledger in euros alone is computed in one go; one in several currencies, one
    currency at a time on its own invoices and payments (rules/currencies.py)."""
    terms = _terms(ledger.customers, settings)
    problems = [*_unknown_terms(ledger.customers, terms, settings),
                *history_beyond_last_level(ledger.history, terms)]
    found = currencies(ledger)
    if found <= {DEFAULT_CURRENCY}:
        return _rows(ledger, settings, filters, followups, terms), problems
    problems += missing_rates(ledger, settings, found)
    rows = []
    for devise in sorted(found):
        rate = settings.rate(devise)
        local = settings_in(settings, rate)
        rows += _rows(in_currency(ledger, devise), local, filters, followups,
                      _terms(ledger.customers, local), devise, euros_settings=settings,
                      known=rate is not None)
    rows.sort(key=_table_order)
    return rows, problems


def _table_order(row: ReminderRow) -> tuple[str, str, bool, str]:
    """Customer, company, then the euro row before the other currencies'."""
    return row.tiers, row.societe, row.devise != DEFAULT_CURRENCY, row.devise


def _rows(ledger: Ledger, settings: Settings, filters: Filters,
          followups: Sequence[FollowUp], terms: dict[str, LevelSet],
          devise: str = DEFAULT_CURRENCY, euros_settings: Settings | None = None,
          known: bool = True) -> list[ReminderRow]:
    """The rows of a ledger in one currency, `settings` in that currency."""
    customers = {c.tiers: c for c in selected_customers(ledger.customers, filters)
                 if c.tiers in terms}
    paid, soldes, credits, lettered = _payments(ledger.payments, filters.date)
    _add_invoices(soldes, credits, ledger.invoices, filters.date)
    history = _history(ledger.history, filters.date)
    holds = holds_of(followups, ledger, filters.date, settings.jours_grace)
    unpaid = open_invoices(ledger.invoices, paid)
    open_lines, issued_today = _open_lines(ledger, unpaid, customers, terms, history,
                                           settings, filters, holds)
    rates = {kind: Rates(rate_schedule(settings, kind), filters.date_lettres,
                         fixed=kind == TAUX_PUBLICS)
             for kind in (TAUX_PROFESSIONNELS, TAUX_PARTICULIERS, TAUX_PUBLICS)}
    # written once per run, not once per row under it
    minimum = MOTIF_MINIMUM.format(minimum=money(settings.montant_minimum, devise))
    run = Run(ledger.invoices, history, settings, rates, filters.date, minimum,
              Settled(ledger, filters.date, PaymentIndex(paid, lettered, credits, unpaid)),
              holds, devise,
              (euros_settings or settings).indemnite_forfaitaire, known)
    # a row when a line is due or had its letter today; the others wait
    pending_rows = [
        (tiers, societe, pending)
        for societe, by_tiers in sorted(open_lines.items())
        for tiers, pending in by_tiers.items()
        if pending.due or pending.held or (tiers, societe) in issued_today
    ]
    # the table's order, (code tiers, société): a stable sort on the code keeps the
    # companies in the order they were taken
    pending_rows.sort(key=itemgetter(0))
    rows = [
        build_row(customers[tiers], terms[tiers], societe, soldes[societe].get(tiers, ZERO),
                  pending, (tiers, societe) in issued_today, run, credits[societe].get(tiers))
        for tiers, societe, pending in pending_rows
    ]
    return rows


def _terms(customers: Iterable[Customer], settings: Settings) -> dict[str, LevelSet]:
    """Each customer's set of levels ("Conditions de relance"; empty: the default set);
    a customer whose set is not in Paramètres is left out (see `_unknown_terms`)."""
    sets = settings.level_sets
    return {c.tiers: sets[key] for c in customers if (key := fold(c.conditions)) in sets}


def _unknown_terms(customers: Iterable[Customer], terms: dict[str, LevelSet],
                   settings: Settings) -> list[Problem]:
    """A customer naming a set of levels Paramètres does not have: its letters would
    follow rules nobody wrote, so Appliquer stops and says which."""
    known = " ; ".join(f"« {s.name} »" if s.name else "(vide : conditions par défaut)"
                       for s in settings.level_sets.values())
    return [Problem(layout.CLIENTS, c.row, _CONDITIONS, c.conditions,
                    f"conditions de relance absentes de Paramètres (connues : {known})")
            for c in customers if c.tiers not in terms]


def selected_customers(customers: Iterable[Customer], filters: Filters) -> list[Customer]:
    """The customers the Client(s), Famille(s) and Représentant(s) filters select."""
    clients, familles = _folded(filters.clients), _folded(filters.familles)
    representants = _folded(filters.representants)
    return [
        c
        for c in customers
        if (not clients or c.tiers.casefold() in clients)
        and (not familles or c.famille.casefold() in familles)
        and (not representants or c.representant.casefold() in representants)
    ]


def _open_lines(
    ledger: Ledger, unpaid: Sequence[OpenInvoice], customers: dict[str, Customer],
    terms: dict[str, LevelSet], history: History, settings: Settings, filters: Filters,
    holds: Holds,
) -> tuple[dict[str, dict[str, Pending]], set[_Key]]:
    """Per company then customer, its open échu invoices in scope; the rows with a line
    whose letter went today.

    `unpaid`: the open invoices (`open_invoices`: posted, not credit notes, not settled
    by what is lettered to them). In scope: undisputed invoices of the selected
    customers, companies and payment modes (the customer's when the invoice has none).
    The échu test comes first, the cheapest; the scope next, which stops nearly every
    invoice of a filtered run. Inline, as it runs for every open invoice of the
    ledger: no function call for an invoice never reminded, and no tuple key per line
    (see _PerCompany).
    A line's agios need its row's level, known once all its lines are: see `table_row`.
    """
    on = filters.date
    cutoff = on - timedelta(days=settings.jours_grace)
    societes, modes = _folded(filters.societes), _folded(filters.modes)
    lines: dict[str, dict[str, Pending]] = defaultdict(dict)
    issued_today: set[_Key] = set()
    invoices = ledger.invoices
    for position, reste in unpaid:
        invoice = invoices[position]
        if invoice.echeance > cutoff:
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
        piece = invoice.piece
        hold = holds[societe].get(tiers) if societe in holds else None
        if hold is not None and hold.disputes(piece):
            continue  # a Litige line of Suivi, as the Litige cell
        jours_retard = (on - invoice.echeance).days
        letters = history.of(societe, piece)
        if letters:
            niveau, due = standing(letters, jours_retard, terms[tiers], on)
            if letters[-1].date == on:  # in a letter today: not due again today
                issued_today.add((tiers, societe))
        else:  # never reminded: the first level, once late enough
            first = terms[tiers].first
            due = jours_retard >= first.jours_retard
            niveau = first.niveau if due else 0
        by_tiers = lines[societe]
        pending = by_tiers.get(tiers)
        if pending is None:
            pending = by_tiers[tiers] = Pending()
        if due and hold is not None and (motif := hold.holding(piece)):
            due, niveau = False, held_level(letters, terms[tiers])  # no level up
            pending.held = [*(pending.held or ()), motif]
        pending.lines.append((invoice.echeance, piece, position, reste, jours_retard, niveau,
                              due, letters))
        if niveau > pending.niveau:
            pending.niveau = niveau
        if due:
            pending.due = True
    return lines, issued_today


def _folded(values: frozenset[str]) -> set[str]:
    return {v.casefold() for v in values}


def allocated_payments(ledger: Ledger, on: date) -> dict[tuple[str, str], Decimal]:
    """What was paid against each invoice (société, n° pièce) by `on`: only lettered
    payments count."""
    paid = _payments(ledger.payments, on)[0]
    return {
        (societe, piece): amount for societe, pieces in paid.items()
        for piece, amount in pieces.items()
    }


def _payments(payments: Iterable[Payment], on: date
              ) -> tuple[_PerCompany, _PerCompany, _Credits, _Lettered]:
    """(`allocated_payments` per company then piece, what each customer paid by `on` per
    company then customer, negative, its payments lettered to no invoice, the payments
    lettered to each piece per company then piece: the dates the interest needs), in
    one pass over the payments."""
    paid: _PerCompany = defaultdict(dict)
    soldes: _PerCompany = defaultdict(dict)
    credits: _Credits = defaultdict(dict)
    lettered: _Lettered = defaultdict(dict)
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
            if known is None:
                lettered[societe][piece] = [payment]
            else:
                lettered[societe][piece].append(payment)
        else:
            _credit(credits, societe, payment.tiers,
                    Credit(date=payment.date, numero=payment.numero, montant=montant,
                           kind=REGLEMENT))
    return paid, soldes, credits, lettered


def _credit(credits: _Credits, societe: str, tiers: str, credit: Credit) -> None:
    by_tiers = credits[societe]
    found = by_tiers.get(tiers)
    if found is None:
        by_tiers[tiers] = [credit]
    else:
        found.append(credit)


def _add_invoices(soldes: _PerCompany, credits: _Credits, invoices: Iterable[Invoice],
                  on: date) -> None:
    """Add the posted debits and credits up to `on` to the customers' balances; a posted
    credit note is a credit too (the workbook never imputes one)."""
    for invoice in invoices:
        if invoice.comptabilisee and invoice.date_piece <= on:
            balances = soldes[invoice.societe]
            solde = balances.get(invoice.tiers, ZERO)
            # a test, not a product by -1: this runs for every invoice
            if invoice.avoir:
                balances[invoice.tiers] = solde - invoice.montant
                _credit(credits, invoice.societe, invoice.tiers, Credit(
                    date=invoice.date_piece, numero=invoice.piece, montant=invoice.montant,
                    kind=AVOIR))
            else:
                balances[invoice.tiers] = solde + invoice.montant


def _history(history: Iterable[HistoryEntry], on: date) -> History:
    """The lines of `Historique` issued by `on`, per company then piece, and the level of
    each letter: a letter is the lines of one day, company and customer, and its level
    the highest of them, the level its subject and its agios followed."""
    lines: dict[str, dict[str, list[HistoryEntry]]] = defaultdict(dict)
    letter_levels: dict[tuple[date, str, str], int] = {}
    for entry in history:
        if entry.date > on:
            continue
        key = (entry.date, entry.societe, entry.tiers)
        if entry.niveau > letter_levels.get(key, -1):
            letter_levels[key] = entry.niveau
        pieces = lines[entry.societe]
        found = pieces.get(entry.piece)
        if found is None:
            pieces[entry.piece] = [entry]
        else:
            found.append(entry)
    return History(lines, letter_levels)
