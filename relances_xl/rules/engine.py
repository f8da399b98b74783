"""The reminder computation: ledger + settings + filters -> the table of the Relances sheet.

Pure: no file, no Excel, no clock. The date is the filter's "Échéances échues au",
so a run dated in the past gives what it would have given on that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import NamedTuple

from .. import layout
from ..model import (
    AVOIR,
    DEFAULT_CURRENCY,
    EXCEDENT,
    REGLEMENT,
    TAUX_PARTICULIERS,
    TAUX_PROFESSIONNELS,
    TAUX_PUBLICS,
    ZERO,
    Credit,
    Customer,
    Filters,
    HistoryEntry,
    Invoice,
    Ledger,
    LevelSet,
    Payment,
    Problem,
    Regime,
    ReminderLine,
    ReminderRow,
    Settings,
    fold,
)
from ..texts import euros_text, money, one_line_address
from .currencies import currencies, in_currency, missing_rates, settings_in
from .followup import FollowUp, Hold, Holds, holds_of
from .imputation import PaymentIndex, Settled
from .interest import MissingRate, Rates, interest, periods_owed, rate_schedule
from .recovery import prescription_warning

MOTIF_BLOQUE = "Client bloqué en relance"
MOTIF_SOLDE = "Solde comptable ≤ 0"
# why the rules untick a row, as codes (the saved proposal compares these, not the motif)
REASON_BLOQUE, REASON_SOLDE, REASON_MINIMUM = "bloque", "solde", "minimum"
REASON_TAUX = "taux"  # a half-year of the delay has no rate in the table
REASON_SUIVI = "suivi"  # a promise, a payment plan or a suspension of the Suivi sheet
REASON_CHANGE = "change"  # the row's currency has no rate in Taux de change
_REASON_TEXT = {REASON_BLOQUE: MOTIF_BLOQUE, REASON_SOLDE: MOTIF_SOLDE}
MOTIF_MINIMUM = "Encours relancé inférieur au montant minimum ({minimum})"
# said, not unticking: the letter lists these credits and asks only what is left
MOTIF_NON_LETTRES = "Règlements non lettrés : {montant}"
MOTIF_AVOIRS = "Avoirs non imputés : {montant}"
# a letter claiming interest on a half-year the rates table lacks does not go out
MOTIF_TAUX = ("Taux du {semestre} absent : ajoutez-le dans la feuille Paramètres, "
              "table Taux par période (ou relances-xl taux), puis Appliquer")
MOTIF_CHANGE = ("Taux de change {devise} absent : ajoutez-le dans la feuille Paramètres, "
                "table Taux de change, puis Appliquer")

_CONDITIONS = layout.header(layout.CLIENTS_COLUMNS, "conditions")
_NIVEAU_HEADER = layout.header(layout.HISTORIQUE_COLUMNS, "niveau")
_Key = tuple[str, str]  # a row: (code tiers, société), the table's order
# société -> n° pièce or code tiers -> amount. A dict per company rather than a (société,
# n° pièce) key per entry: no tuple to build and hash per payment, per invoice, per line.
_PerCompany = dict[str, dict[str, Decimal]]
# société -> code tiers -> the customer's credits allocated to no invoice (see Credit)
_Credits = dict[str, dict[str, list[Credit]]]
# société -> n° pièce -> the payments lettered to it, in ledger order
_Lettered = dict[str, dict[str, list[Payment]]]
_WHEN = attrgetter("date", "niveau")  # of a HistoryEntry: a day's letters by level


class _History(NamedTuple):
    """`Historique` up to the table's date, ready for the invoices' lookups."""

    lines: dict[str, dict[str, list[HistoryEntry]]]  # per company then piece (_PerCompany)
    letter_levels: dict[tuple[date, str, str], int]  # (date, société, tiers) -> its level

    def of(self, societe: str, piece: str) -> list[HistoryEntry]:
        """The lines of an invoice, oldest first (a day's by level); empty if none."""
        lines = self.lines[societe].get(piece)
        if lines is None:
            return []
        if len(lines) > 1:
            lines.sort(key=_WHEN)  # in place: sorted once, whatever Historique's order
        return lines

    def letter_level(self, entry: HistoryEntry) -> int:
        """The level of the letter that listed this line: the highest of its lines."""
        return self.letter_levels[(entry.date, entry.societe, entry.tiers)]


class _Run(NamedTuple):
    """What every row of one run reads besides its own lines."""

    invoices: Sequence[Invoice]  # the ledger's, a line's invoice found by its position
    history: _History
    settings: Settings
    rates: dict[str, Rates]  # per kind (TAUX_*), up to "Date des lettres": interest runs to it
    on: date  # "Échéances échues au"
    motif_minimum: str  # the motif of a row under the minimum amount, written once
    settled: Settled  # each invoice's dated payments, for the interest
    holds: Holds  # what the Suivi sheet says, per company then customer
    devise: str  # the currency of the run's invoices, payments and amounts
    indemnite_euros: Decimal  # D441-5's indemnity, in euros whatever the currency
    change_connu: bool  # Taux de change has the currency's rate (always for the euro)


# An open échu invoice while its row's level is not known yet (a line's agios need it):
# (échéance, n° pièce, position in ledger.invoices, reste dû, jours de retard, niveau,
# due, its lines in Historique). A plain tuple, the one record built per open invoice
# that is only unpacked (in `_lines`): so ordered, these sort as the row's lines do, ties
# in ledger order. Its row's level and whether it is due are kept on `_Pending`.
_Open = tuple[date, str, int, Decimal, int, int, bool, list[HistoryEntry]]


@dataclass(slots=True)
class _Pending:
    """A row's open invoices while its level is not known yet."""

    lines: list[_Open] = field(default_factory=list)
    niveau: int = 0  # the highest level of its lines
    due: bool = False  # one of its lines is due: the row is shown
    held: list[str] | None = None  # the Suivi motifs holding back lines that were due


_ONE_DAY = timedelta(days=1)


def compute_reminders(
    ledger: Ledger, settings: Settings, filters: Filters, followups: Sequence[FollowUp] = ()
) -> tuple[list[ReminderRow], list[Problem]]:
    """One row per (customer, company, currency) having at least one invoice due for a
    reminder (or held back by a line of `Suivi`, `followups`: see rules/followup.py).

    A ledger in euros alone is computed in one go; one in several currencies, one
    currency at a time on its own invoices and payments (rules/currencies.py)."""
    terms = _terms(ledger.customers, settings)
    problems = [*_unknown_terms(ledger.customers, terms, settings),
                *_history_beyond_last_level(ledger.history, terms)]
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
    open_lines, issued_today = _open_lines(ledger, customers, terms, history, paid, settings,
                                            filters, holds)
    rates = {kind: Rates(rate_schedule(settings, kind), filters.date_lettres,
                         fixed=kind == TAUX_PUBLICS)
             for kind in (TAUX_PROFESSIONNELS, TAUX_PARTICULIERS, TAUX_PUBLICS)}
    # written once per run, not once per row under it
    minimum = MOTIF_MINIMUM.format(minimum=money(settings.montant_minimum, devise))
    run = _Run(ledger.invoices, history, settings, rates, filters.date, minimum,
               Settled(ledger, filters.date, PaymentIndex(paid, lettered, credits)), holds, devise,
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
        _row(customers[tiers], terms[tiers], societe, soldes[societe].get(tiers, ZERO),
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
    ledger: Ledger, customers: dict[str, Customer], terms: dict[str, LevelSet],
    history: _History, paid: _PerCompany, settings: Settings, filters: Filters,
    holds: Holds,
) -> tuple[dict[str, dict[str, _Pending]], set[_Key]]:
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
    lines: dict[str, dict[str, _Pending]] = defaultdict(dict)
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
        piece, montant = invoice.piece, invoice.montant
        settled = paid[societe].get(piece)
        if settled is None:  # nothing paid: the amount is due, unless it is nil
            if not montant:
                continue
            reste = montant
        elif settled >= montant:
            continue
        else:
            reste = montant - settled
        hold = holds[societe].get(tiers) if societe in holds else None
        if hold is not None and hold.disputes(piece):
            continue  # a Litige line of Suivi, as the Litige cell
        jours_retard = (on - invoice.echeance).days
        letters = history.of(societe, piece)
        if letters:
            niveau, due = _standing(letters, jours_retard, terms[tiers], on)
            if letters[-1].date == on:  # in a letter today: not due again today
                issued_today.add((tiers, societe))
        else:  # never reminded: the first level, once late enough
            first = terms[tiers].first
            due = jours_retard >= first.jours_retard
            niveau = first.niveau if due else 0
        by_tiers = lines[societe]
        pending = by_tiers.get(tiers)
        if pending is None:
            pending = by_tiers[tiers] = _Pending()
        if due and hold is not None and (motif := hold.holding(piece)):
            due, niveau = False, _held_level(letters, terms[tiers])  # no level up
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


def _history(history: Iterable[HistoryEntry], on: date) -> _History:
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
    return _History(lines, letter_levels)


def _standing(letters: list[HistoryEntry], jours_retard: int, levels: LevelSet, on: date
              ) -> tuple[int, bool]:
    """(level, due) of an invoice listed in letters before: the level this reminder gives
    it when `due`, else the level its letters gave it. (Never listed: the first level once
    late enough, decided inline in `_open_lines`.)

    The first level comes once late enough. After level k the next is k + 1 (a level is
    never skipped; the last one repeats), once both its days late and its days since
    the previous reminder are met. That delay counts from the letter that gave the
    invoice its current level: being listed again at that level, in a letter made for
    another invoice, does not restart it. The last level repeats after its delay from
    its latest letter. A level-0 line (listed before level 1 was due) is no reminder.
    A letter issued today is not due again today. Levels beyond the set's last (removed
    from Paramètres since) count as the last.
    """
    top = levels.top
    niveau, since, latest = 0, on, on
    for letter in letters:  # oldest first
        if not letter.niveau:
            continue
        level = letter.niveau if letter.niveau < top else top
        if level != niveau:
            niveau, since = level, letter.date
        latest = letter.date
    if not niveau:
        first = levels.first
        due = jours_retard >= first.jours_retard
        return (first.niveau if due else 0), due
    if latest == on:
        return niveau, False
    candidate = levels.level(niveau + 1 if niveau < top else top)
    clock = latest if niveau == top else since
    due = (jours_retard >= candidate.jours_retard
           and (on - clock).days >= candidate.jours_depuis_precedente)
    return (candidate.niveau if due else niveau), due


def _held_level(letters: list[HistoryEntry], levels: LevelSet) -> int:
    """The level an invoice held back by Suivi keeps: its letters' (as `_standing`
    reads them), 0 when never reminded."""
    niveau = 0
    for letter in letters:
        if letter.niveau:
            niveau = min(letter.niveau, levels.top)
    return niveau


def _first_notice(letters: list[HistoryEntry], levels: LevelSet, history: _History
                  ) -> date | None:
    """The date of the first letter at an interest-bearing level that listed the invoice:
    the mise en demeure from which a private customer owes interest (art. 1231-6 Code
    civil). None if no such letter was issued."""
    top = levels.top
    for letter in letters:  # oldest first
        lettre = history.letter_level(letter)
        if lettre and levels.level(min(lettre, top)).interets:
            return letter.date
    return None


def _history_beyond_last_level(
    history: Iterable[HistoryEntry], terms: dict[str, LevelSet]
) -> list[Problem]:
    """Levels removed from Paramètres after letters were issued count as the last one."""
    problems = []
    for entry in history:
        levels = terms.get(entry.tiers)
        if levels is not None and entry.niveau > levels.top:
            top = levels.top
            problems.append(Problem(
                layout.HISTORIQUE, entry.row, _NIVEAU_HEADER, entry.niveau,
                f"niveau au-delà du dernier niveau de relance ({top}) : compté comme {top}",
                blocking=False))
    return problems


def _row(customer: Customer, levels: LevelSet, societe: str, solde: Decimal,
         pending: _Pending, editee: bool, run: _Run, credits: list[Credit] | None
         ) -> ReminderRow:
    """The row of a customer in a company, at the highest level of its lines."""
    niveau = pending.niveau
    regime = Regime.of(customer, levels)
    claim = _claimed(niveau, regime, levels, run.settings)
    indemnite_euros = ZERO
    if run.devise != DEFAULT_CURRENCY and claim.indemnite:  # in euros, beside the total
        indemnite_euros = run.indemnite_euros * len(pending.lines)
        claim = claim._replace(indemnite=ZERO)
    lines, encours, agios, missing = _lines(pending.lines, claim, regime, levels, run)
    frais = levels.level(niveau).frais if niveau else ZERO
    reasons = _reasons(customer, solde, encours, run.settings)
    if missing:
        reasons += (REASON_TAUX,)
    if not run.change_connu:
        reasons += (REASON_CHANGE,)
    motif = " ; ".join(_reason_text(reason, run, missing) for reason in reasons)
    hold = run.holds[societe].get(customer.tiers) if societe in run.holds else None
    if hold is not None:
        reasons, motif = _followed(hold, pending, reasons, motif)
    ticked = not reasons
    unallocated = _unallocated(credits, encours, solde, run.on) if (
        credits or encours > solde) else ()  # most rows: no credit, nothing beyond
    if unallocated:
        motif = " ; ".join(filter(None, (motif, _motif_credits(unallocated, run.devise))))
    if lines:  # the oldest due date comes first: its last day to act is the nearest
        oldest = lines[0].invoice
        motif = " ; ".join(filter(None, (motif, prescription_warning(
            oldest.echeance, regime, run.on, oldest.piece))))
    return ReminderRow(
        tiers=customer.tiers,
        societe=societe,
        solde_comptable=solde,
        encours_relance=encours,
        agios_reclames=agios + frais,
        niveau=niveau,
        a_relancer=ticked,
        editee=editee,
        adresse=one_line_address(customer),
        motif=motif,
        raisons=reasons,
        frais=frais,
        lines=lines,
        credits=unallocated,
        taux_manquant=missing,
        engagements=tuple(hold.broken) if hold is not None else (),
        devise=run.devise,
        indemnite_euros=indemnite_euros,
        change_manquant=not run.change_connu,
    )


def _followed(hold: Hold, pending: _Pending, reasons: tuple[str, ...], motif: str
              ) -> tuple[tuple[str, ...], str]:
    """The row's reasons and motif with what Suivi says: held back when every line that
    was due is held (a promise, a plan, a suspension), and the broken ones named."""
    said = list(dict.fromkeys(pending.held or ()))
    if said and not pending.due:
        reasons += (REASON_SUIVI,)
    broken = hold.motifs_broken()
    return reasons, " ; ".join(filter(None, (*said, broken, motif)))


class _Claim(NamedTuple):
    """What a row's level claims on each of its invoices."""

    taux: str | None  # the kind of rate of its interest (TAUX_*), None: no interest
    indemnite: Decimal  # the recovery indemnity per invoice


def _claimed(niveau: int, regime: Regime, levels: LevelSet, settings: Settings) -> _Claim:
    """The interest and indemnity a row at `niveau` claims: the level says whether, its
    "Taux" which rate (empty: the customer's legal rate, by its Type)."""
    if not niveau:
        return _Claim(None, ZERO)
    level = levels.level(niveau)
    taux = None
    if level.interets:
        taux = level.taux or (TAUX_PARTICULIERS if regime is Regime.PARTICULIER
                              else TAUX_PROFESSIONNELS)
    indemnite = ZERO
    if level.indemnite and regime is not Regime.PARTICULIER:  # private customers owe none
        indemnite = settings.indemnite_forfaitaire
    return _Claim(taux, indemnite)


def _lines(pending: list[_Open], claim: _Claim, regime: Regime, levels: LevelSet,
           run: _Run) -> tuple[tuple[ReminderLine, ...], Decimal, Decimal, str]:
    """(lines in due-date order, their reste dû, their interest + indemnities, the
    half-year whose rate is missing or "").

    Interest and indemnity follow the row's level, computed per invoice to the cent.
    A professional's or a public buyer's interest runs from the day after the due date;
    a private customer's from its first mise en demeure (see `_first_notice`), so that
    letter itself claims none; both up to the letter's date, on the principal still owed
    each day (`imputation.Settled`). Each line is built once, with its agios, and summed.
    """
    missing = ""
    pending.sort()  # by due date and piece, then ledger order (see _Open)
    lines = []
    encours = interets_dus = ZERO
    rates = run.rates[claim.taux] if claim.taux else None
    invoices = run.invoices
    for echeance, piece, position, reste, jours_retard, niveau, due, letters in pending:
        interets, periodes = ZERO, ()
        if rates is not None:
            start = (_first_notice(letters, levels, run.history)
                     if regime is Regime.PARTICULIER else echeance)
            if start is not None:
                invoice = invoices[position]
                try:
                    periodes = periods_owed(
                        start + _ONE_DAY, rates, invoice.montant,
                        run.settled.of(invoice.societe, invoice.tiers, piece))
                except MissingRate as error:
                    missing = missing or error.half_year
                interets = interest(periodes)
                interets_dus += interets
        # by position, in the order ReminderLine declares (one per line: see docs/performance.md)
        lines.append(ReminderLine(invoices[position], reste, jours_retard, niveau, due,
                                  interets, claim.indemnite, periodes))
        encours += reste
    # sums of Decimals are exact: the indemnities once, not once per line
    return tuple(lines), encours, interets_dus + claim.indemnite * len(lines), missing


def _unallocated(credits: list[Credit] | None, encours: Decimal, solde: Decimal, on: date
                 ) -> tuple[Credit, ...]:
    """The row's credits by date: its payments lettered to no invoice and its credit
    notes, and, when the balance is lower still, the rest as EXCEDENT: what lettered
    payments exceed their invoices by (or were lettered to one not posted). So the
    reminded invoices less the credits never exceed the balance: a letter asking that
    never asks more than the customer owes. Worked out per row, not per invoice."""
    credits = credits or []
    beyond = encours - (solde if solde > ZERO else ZERO)
    for credit in credits:
        beyond -= credit.montant
    found = sorted(credits) if len(credits) > 1 else list(credits)
    if beyond > ZERO:
        found.append(Credit(date=on, numero="", montant=beyond, kind=EXCEDENT))
    return tuple(found)


def _motif_credits(credits: tuple[Credit, ...], devise: str) -> str:
    """"Règlements non lettrés : 10 847,80 €", and the credit notes apart."""
    payments = avoirs = ZERO
    for credit in credits:
        if credit.kind == AVOIR:
            avoirs += credit.montant
        else:
            payments += credit.montant
    said = []
    if payments:
        said.append(MOTIF_NON_LETTRES.format(montant=euros_text(payments, devise)))
    if avoirs:
        said.append(MOTIF_AVOIRS.format(montant=euros_text(avoirs, devise)))
    return " ; ".join(said)


def _reason_text(reason: str, run: _Run, missing: str) -> str:
    """The motif of one reason code, as the table shows it."""
    if reason == REASON_MINIMUM:
        return run.motif_minimum
    if reason == REASON_TAUX:
        return MOTIF_TAUX.format(semestre=missing)
    if reason == REASON_CHANGE:
        return MOTIF_CHANGE.format(devise=run.devise)
    return _REASON_TEXT[reason]


def _reasons(customer: Customer, solde: Decimal, encours: Decimal, settings: Settings
             ) -> tuple[str, ...]:
    """Why the row starts unticked (REASON_* codes); empty when it is ticked."""
    reasons = ()
    if customer.bloque:
        reasons += (REASON_BLOQUE,)
    if settings.decocher_solde_negatif and solde <= ZERO:
        reasons += (REASON_SOLDE,)
    if encours < settings.montant_minimum:
        reasons += (REASON_MINIMUM,)
    return reasons
