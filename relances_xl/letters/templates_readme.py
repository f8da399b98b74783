"""templates/README.md: every field a template may use, with an example value taken from
the built-in sample, and that sample read as the workbook's sheets are.

Apart from `make_templates.py` because it builds no .docx: it runs the rules and the
contexts (`context.py`) on the sample to show what each field of `fields.py` holds.
The sample ledger and the inputs of its second run (`sample_ledger`, `sample_inputs`)
are also what the tests, the benches and `relances-xl demo` start from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .. import layout, sample
from ..config import CALL_LEVELS, DEFAULT_LEVELS, Company, ExchangeRate, Settings
from ..ledger import read_ledger
from ..model import Filters, HistoryEntry, Ledger
from ..rules.engine import compute_reminders
from ..rules.rates_table import SHIPPED_RATES
from ..texts import money
from .context import letter_context, proposal_context
from .epc import Picture, TransferQr
from .fields import LETTER_FIELDS, PROPOSAL_FIELDS
from .letter_template import LETTER_FORMES
from .wording import README_HEAD


def sample_ledger() -> tuple[Ledger, Settings]:
    """The built-in sample, read the way the workbook's sheets are, with default levels
    and the rates by half-year the workbook ships."""
    columns = {layout.CLIENTS: layout.CLIENTS_COLUMNS, layout.FACTURES: layout.FACTURES_COLUMNS,
               layout.REGLEMENTS: layout.REGLEMENTS_COLUMNS,
               layout.HISTORIQUE: layout.HISTORIQUE_COLUMNS}
    blocks = {sheet: [list(columns[sheet]), *rows] for sheet, rows in sample.sheet_rows().items()}
    ledger, problems = read_ledger(blocks)
    if any(p.blocking for p in problems):
        raise ValueError("; ".join(str(p) for p in problems))
    names = list(layout.PARAMETRES_COMPANIES_COLUMNS.values())
    companies = tuple(Company(**dict(zip(names, row, strict=True))) for row in sample.companies())
    rates = tuple(ExchangeRate(devise, units, on) for devise, units, on in sample.exchange_rates())
    return ledger, Settings(levels=(*DEFAULT_LEVELS, *CALL_LEVELS),
                            companies=tuple(c for c in companies if not c.devise),
                            comptes_devise=tuple(c for c in companies if c.devise),
                            taux_periodes=SHIPPED_RATES, taux_change=rates)


def sample_inputs() -> tuple[Ledger, Settings, date]:
    """The sample after every ticked letter of 27/07/2022 was issued, seen on 15/09/2022.

    That second run reaches the formal notice for 1FRNEG and the private customer
    2FRPAR, so the examples and tests see interest, indemnity and the legal wording.
    """
    ledger, settings = sample_ledger()
    rows, _ = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    issued = tuple(HistoryEntry(sample.DEMO_DATE, r.societe, r.tiers, ln.invoice.piece,
                                ln.niveau, "pdf")
                   for r in rows if r.a_relancer for ln in r.lines)
    ledger = Ledger(ledger.customers, ledger.invoices, ledger.payments, ledger.history + issued)
    return ledger, settings, date(2022, 9, 15)


def readme_text() -> str:
    """templates/README.md: every field a template may use, with an example value."""
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    row = next(r for r in rows if (r.tiers, r.societe) == ("1FRNEG", "VIGNE"))
    customer = next(c for c in ledger.customers if c.tiers == row.tiers)
    company = next(c for c in settings.companies if c.societe == row.societe)
    letter = letter_context(row, customer, company, settings, on,
                            signature=sample.SIGNATURE_IMAGE.read_bytes())
    # a filter every sample customer meets: the example shows one, the rows stay all
    everyone = Filters(date=on, representants=frozenset({"REP01", "REP02"}))
    proposal = proposal_context(rows, ledger, settings, on, filters=everyone, printed=on)
    parts = [README_HEAD,
             f"## Lettres ({', '.join(LETTER_FORMES)})\n", _field_table(LETTER_FIELDS, letter),
             "## Proposition (PROP01)\n", _field_table(PROPOSAL_FIELDS, proposal)]
    return "\n".join(parts)


def _field_table(fields: dict[str, str], context: dict) -> str:
    lines = ["| Champ | Description | Exemple |", "|---|---|---|"]
    for path, text in fields.items():
        example = _show(_example(context, path)).replace("|", "\\|")
        lines.append(f"| `{path}` | {text} | {example} |")
    return "\n".join(lines) + "\n"


def _example(context: dict, path: str) -> object:
    """The first value found at `path`, looking into every item of the lists on the way."""
    values: list[object] = [context]
    for part in path.split("."):
        name, is_list = part.removesuffix("[]"), part.endswith("[]")
        found = [v[name] for v in values if isinstance(v, dict) and name in v]
        values = [item for v in found for item in v] if is_list else found
    return values[0] if values else ""


def _show(value: object) -> str:
    if isinstance(value, TransferQr):
        return f"image : virement de {money(value.amount)} sur {value.iban}, « {value.text} »"
    if isinstance(value, Picture):
        return "image"
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return " / ".join(value)
        return f"liste ({len(value)} élément{'s' if len(value) > 1 else ''})"
    if isinstance(value, Decimal):
        return f"`Decimal('{value}')`"
    return str(value) if value != "" else "(vide)"
