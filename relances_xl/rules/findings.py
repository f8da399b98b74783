"""Non-blocking findings about the rows of the table: what the user should see but
that must not stop a reminder.

Pure (no file, no Excel). Appliquer runs these after the engine: each finding is a
warning (`Problem(blocking=False)`) for the `Contrôles` sheet, and a short text added
to the row's "motif", while the row keeps the tick the rules gave it. Missing
"Langue" is not a finding: an empty language is French, by the workbook contract.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import layout
from ..model import ZERO, Customer, Ledger, Payment, Problem, ReminderRow
from ..texts import money

MOTIF_ADRESSE = "adresse incomplète"
MOTIF_EMAIL = "e-mail manquant"


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


def overpaid_invoices(ledger: Ledger) -> list[Problem]:
    """Invoices whose lettered payments exceed their amount: a warning, not blocking.

    The surplus is money the customer paid: it lowers the balance ("Solde comptable")
    like any payment, the invoice has nothing left open and is not reminded. The
    warning names the last payment lettered to it (the one that went over).
    """
    invoices = {(inv.societe, inv.piece): inv for inv in ledger.invoices if not inv.avoir}
    paid: dict[tuple[str, str], list[Payment]] = {}
    for pay in ledger.payments:
        key = (pay.societe, pay.piece_lettree)
        if pay.piece_lettree and key in invoices and invoices[key].tiers == pay.tiers:
            paid.setdefault(key, []).append(pay)
    problems = []
    for key, payments in paid.items():
        invoice = invoices[key]
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
