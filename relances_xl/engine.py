"""The reminder computation: ledger + settings + filters -> the table of the Relances sheet.

Pure: no file, no Excel, no clock. The date is the filter's "Echéances échues au",
so a run dated in the past gives what it would have given on that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from babel.numbers import format_currency

from .model import (
    ZERO,
    Customer,
    Filters,
    HistoryEntry,
    Invoice,
    Ledger,
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

_Key = tuple[str, str]  # (société, code tiers) or (société, n° pièce)


def euros(amount: Decimal) -> str:
    """French money text, as the sheet shows it: "11 063,80 €"."""
    return format_currency(amount, "EUR", locale="fr_FR")


def compute_reminders(
    ledger: Ledger, settings: Settings, filters: Filters
) -> tuple[list[ReminderRow], list[Problem]]:
    """One row per (customer, company) having at least one invoice due for a reminder."""
    problems = _history_beyond_last_level(ledger.history, settings)
    customers = {c.code: c for c in _selected_customers(ledger.customers, filters)}
    paid = allocated_payments(ledger, filters.date)
    soldes = _soldes(ledger, filters.date)
    last_issue = _last_issues(ledger.history, filters.date)
    lines_by_row: dict[_Key, list[ReminderLine]] = defaultdict(list)
    cutoff = filters.date - timedelta(days=settings.jours_grace)
    for invoice in ledger.invoices:
        if invoice.echeance > cutoff:
            continue  # not échu: the cheapest test first, most invoices stop here or below
        customer = customers.get(invoice.tiers)
        if customer is None or not _in_scope(invoice, customer, filters):
            continue
        line = _line(invoice, paid, last_issue, settings, filters.date)
        if line is not None:
            lines_by_row[(invoice.societe, invoice.tiers)].append(line)
    issued_today = {key for key, entry in last_issue.items() if entry.date == filters.date}
    rows = []
    for (societe, tiers), lines in lines_by_row.items():
        today = [ln for ln in lines if (societe, ln.invoice.numero) in issued_today]
        if not any(ln.due for ln in lines) and not today:
            continue
        solde = soldes.get((societe, tiers), ZERO)
        rows.append(_row(customers[tiers], societe, solde, lines, bool(today), settings))
    rows.sort(key=lambda r: (r.tiers, r.societe))
    return rows, problems


def _selected_customers(customers: Iterable[Customer], filters: Filters) -> list[Customer]:
    def allowed(value: str, wanted: frozenset[str]) -> bool:
        return not wanted or value.casefold() in {w.casefold() for w in wanted}

    return [
        c
        for c in customers
        if allowed(c.code, filters.clients)
        and allowed(c.famille, filters.familles)
        and allowed(c.representant, filters.representants)
    ]


def _in_scope(invoice: Invoice, customer: Customer, filters: Filters) -> bool:
    """Only posted, undisputed invoices of the chosen companies and payment modes."""
    if invoice.avoir or not invoice.comptabilisee or invoice.litige:
        return False
    if filters.societes and invoice.societe.casefold() not in _folded(filters.societes):
        return False
    mode = invoice.mode_reglement or customer.mode_reglement
    return not filters.modes or mode.casefold() in _folded(filters.modes)


def _folded(values: frozenset[str]) -> set[str]:
    return {v.casefold() for v in values}


def allocated_payments(ledger: Ledger, on: date) -> dict[_Key, Decimal]:
    """What was paid against each invoice by `on`: only lettered payments count."""
    paid: dict[_Key, Decimal] = defaultdict(lambda: ZERO)
    for payment in ledger.payments:
        if payment.piece_lettree and payment.date <= on:
            paid[(payment.societe, payment.piece_lettree)] += payment.montant
    return paid


def _soldes(ledger: Ledger, on: date) -> dict[_Key, Decimal]:
    """Posted debits minus credits per (company, customer) up to `on`."""
    soldes: dict[_Key, Decimal] = defaultdict(lambda: ZERO)
    for invoice in ledger.invoices:
        if invoice.comptabilisee and invoice.date_piece <= on:
            sign = -1 if invoice.avoir else 1
            soldes[(invoice.societe, invoice.tiers)] += sign * invoice.montant
    for payment in ledger.payments:
        if payment.date <= on:
            soldes[(payment.societe, payment.tiers)] -= payment.montant
    return soldes


def _last_issues(history: Iterable[HistoryEntry], on: date) -> dict[_Key, HistoryEntry]:
    """The latest letter issued for each invoice by `on` (the highest level that day)."""
    last: dict[_Key, HistoryEntry] = {}
    for entry in history:
        if entry.date > on:
            continue
        key = (entry.societe, entry.piece)
        known = last.get(key)
        if known is None or (entry.date, entry.niveau) > (known.date, known.niveau):
            last[key] = entry
    return last


def _line(
    invoice: Invoice,
    paid: dict[_Key, Decimal],
    last_issue: dict[_Key, HistoryEntry],
    settings: Settings,
    on: date,
) -> ReminderLine | None:
    """The échu invoice as a line of the reminder, or None when it is paid."""
    reste = invoice.montant - paid.get((invoice.societe, invoice.numero), ZERO)
    if reste <= 0:
        return None
    late = (on - invoice.echeance).days
    niveau, due = _next_level(late, last_issue.get((invoice.societe, invoice.numero)), settings, on)
    return ReminderLine(invoice=invoice, reste_du=reste, jours_retard=late, niveau=niveau, due=due)


def _next_level(
    late: int, last: HistoryEntry | None, settings: Settings, on: date
) -> tuple[int, bool]:
    """(level, due): the level this reminder reaches, or the last one issued if not due.

    A level is never skipped: after level k the candidate is k + 1 (the last level
    repeats), reached once both its days late and its days since the previous
    reminder are met. A letter issued today is not due again today.
    """
    if last is None:
        first = settings.first_level
        due = late >= first.jours_retard
        return (first.niveau if due else 0), due
    issued = min(last.niveau, settings.max_level)
    if last.date == on:
        return issued, False
    candidate = settings.level(min(issued + 1, settings.max_level))
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
    lines: list[ReminderLine],
    editee: bool,
    settings: Settings,
) -> ReminderRow:
    niveau = max(line.niveau for line in lines)
    lines = [_with_agios(line, niveau, customer, settings) for line in lines]
    lines.sort(key=lambda ln: (ln.invoice.echeance, ln.invoice.numero))
    frais = settings.level(niveau).frais if niveau else ZERO
    encours = sum((ln.reste_du for ln in lines), ZERO)
    agios = sum((ln.interets + ln.indemnite for ln in lines), ZERO) + frais
    motif = _motif(customer, solde, encours, settings)
    return ReminderRow(
        tiers=customer.code,
        societe=societe,
        solde_comptable=solde,
        encours_relance=encours,
        agios_reclames=agios,
        niveau=niveau,
        a_relancer=not motif,
        editee=editee,
        adresse=customer.adresse_courte,
        motif=motif,
        frais=frais,
        lines=tuple(lines),
    )


def _with_agios(
    line: ReminderLine, niveau: int, customer: Customer, settings: Settings
) -> ReminderLine:
    """Interest and indemnity follow the row's level, computed per invoice to the cent."""
    if not niveau:
        return line
    level = settings.level(niveau)
    interets = indemnite = ZERO
    if level.interets:
        rate = settings.taux_particuliers if customer.particulier else settings.taux_annuel
        interets = to_cents(line.reste_du * rate * line.jours_retard / Decimal(365))
    if level.indemnite and not customer.particulier:
        indemnite = settings.indemnite_forfaitaire
    # the constructor, not dataclasses.replace: this runs for every line of the table
    return ReminderLine(line.invoice, line.reste_du, line.jours_retard, line.niveau, line.due,
                        interets, indemnite)


def _motif(customer: Customer, solde: Decimal, encours: Decimal, settings: Settings) -> str:
    """Why the row starts unticked; empty when it is ticked."""
    reasons = []
    if customer.bloque:
        reasons.append(MOTIF_BLOQUE)
    if settings.decocher_solde_negatif and solde <= 0:
        reasons.append(MOTIF_SOLDE)
    if encours < settings.montant_minimum:
        reasons.append(MOTIF_MINIMUM.format(minimum=euros(settings.montant_minimum)))
    return " ; ".join(reasons)
