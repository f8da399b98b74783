"""Non-blocking findings about the rows of the table: what the user should see but
that must not stop a reminder.

Pure (no file, no Excel). Appliquer runs these after the engine: each finding is a
warning (`Problem(blocking=False)`) for the `Contrôles` sheet, and a short text added
to the row's "motif", while the row keeps the tick the rules gave it. Missing
"Langue" is not a finding: an empty language is French, by the workbook contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .. import layout
from ..model import ZERO, Customer, Invoice, Ledger, Payment, Problem, ReminderRow
from ..texts import money

MOTIF_ADRESSE = "adresse incomplète"
MOTIF_EMAIL = "e-mail manquant"
_NONE: dict[str, Invoice] = {}


def customer_findings(customer: Customer) -> list[tuple[str, Problem]]:
    """(motif, warning) pairs for one customer appearing in the table."""
    found = []
    missing = [header for header, value in (("Adresse 1", customer.adresse1),
                                            ("Code postal", customer.code_postal),
                                            ("Ville", customer.ville)) if not value.strip()]
    if missing:
        found.append((MOTIF_ADRESSE, Problem(
            layout.CLIENTS, customer.row, missing[0], customer.tiers,
            f"adresse incomplète ({', '.join(missing)} vide) : la lettre du client "
            f"{customer.tiers} sera éditée sans adresse complète", blocking=False)))
    if not customer.email.strip():
        found.append((MOTIF_EMAIL, Problem(
            layout.CLIENTS, customer.row, "E-mail", customer.tiers,
            f"e-mail manquant : la lettre du client {customer.tiers} ne peut pas partir "
            "par e-mail", blocking=False)))
    return found


def annotate_rows(rows: Iterable[ReminderRow], ledger: Ledger
                  ) -> tuple[list[ReminderRow], list[Problem]]:
    """Rows with their findings added to the motif (ticks unchanged), and the warnings,
    one per customer and finding."""
    customers = {c.tiers: c for c in ledger.customers}
    annotated, problems, seen = [], [], set()
    for row in rows:
        customer = customers.get(row.tiers)
        found = customer_findings(customer) if customer else []
        for motif, problem in found:
            if (row.tiers, motif) not in seen:
                seen.add((row.tiers, motif))
                problems.append(problem)
        extra = [motif for motif, _ in found]
        if extra:
            row = row._replace(motif=" ; ".join([row.motif, *extra] if row.motif else extra))
        annotated.append(row)
    return annotated, problems


Lettered = dict[int, tuple[Invoice, Decimal]]  # id(invoice) -> it, what is lettered to it


def add_lettered(lettered: Lettered, invoice: Invoice, amount: Decimal) -> None:
    """A payment of `amount` lettered to `invoice` (its own customer's, not a credit
    note), added to what `overpaid_invoices` compares with the invoice's amount."""
    total = lettered.get(id(invoice))
    lettered[id(invoice)] = (invoice, total[1] + amount if total else amount)


def overpaid_invoices(ledger: Ledger,
                      pieces: Mapping[str, Mapping[str, Invoice]] | None = None,
                      lettered: Lettered | None = None) -> list[Problem]:
    """Invoices whose lettered payments exceed their amount: a warning, not blocking.

    The surplus is money the customer paid: it lowers the balance ("Solde comptable")
    like any payment, the invoice has nothing left open and is not reminded. The
    warning names the last payment lettered to it (the one that went over).
    `pieces`: the ledger's invoices by company and piece, each piece once (the
    reference check's), not built again here; `lettered`: what the payments lettered to
    each of them add up to, as the reference check found them in its own pass over the
    payments (`add_lettered`), not looked up again here.
    """
    invoices = pieces if pieces is not None else _by_piece(ledger.invoices)
    if lettered is None:
        lettered = {}
        for pay in ledger.payments:
            if pay.piece_lettree:
                invoice = invoices.get(pay.societe, _NONE).get(pay.piece_lettree)
                if invoice is not None and not invoice.avoir and invoice.tiers == pay.tiers:
                    add_lettered(lettered, invoice, pay.montant)
    over = {key for key, (inv, total) in lettered.items() if total > inv.montant}
    if not over:
        return []
    paid: dict[int, list[Payment]] = {key: [] for key in lettered if key in over}
    for pay in ledger.payments:  # only the payments of the few invoices paid over
        invoice = invoices.get(pay.societe, _NONE).get(pay.piece_lettree)
        if id(invoice) in over and invoice.tiers == pay.tiers:  # (never a credit note)
            paid[id(invoice)].append(pay)
    problems = []
    for key, payments in paid.items():
        invoice = lettered[key][0]
        total = sum((p.montant for p in payments), ZERO)
        if total > invoice.montant:
            last = max(payments, key=lambda p: (p.date, p.row or 0))
            problems.append(Problem(
                layout.REGLEMENTS, last.row, "N° pièce lettrée", invoice.piece,
                f"règlements lettrés ({money(total, invoice.devise)}) supérieurs au montant "
                f"de la pièce ({money(invoice.montant, invoice.devise)}) : l'excédent de "
                f"{money(total - invoice.montant, invoice.devise)} diminue le solde du client",
                blocking=False))
    return problems


def _by_piece(invoices: Iterable[Invoice]) -> dict[str, dict[str, Invoice]]:
    """société -> n° pièce -> invoice, credit notes left out (the last of a piece typed
    twice, which the reference check reports)."""
    found: dict[str, dict[str, Invoice]] = {}
    for inv in invoices:
        if not inv.avoir:
            found.setdefault(inv.societe, {})[inv.piece] = inv
    return found
