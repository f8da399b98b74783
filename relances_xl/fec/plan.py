"""FEC lines -> the rows Clients, Factures and Règlements should hold. Pure.

The decisions, which README's "Importer un FEC" tells users too:

- Société: the FEC names no company. `--societe` names it; else the file name
  `<SIREN>FEC<AAAAMMJJ>.txt` gives the SIREN, looked up in the SIRET of Paramètres'
  companies; else the import stops and asks for `--societe`.
- Customers: lines on `411…` accounts (see `fec`); a new customer is added to Clients
  with its code and name, a known one is left as the user typed it.
- Kinds: a debit on a customer account is an invoice (a refund or an unpaid cheque in
  the bank journal too: the customer owes it); a credit from a sales journal is a
  credit note; any other credit is a payment. Sales journals are those given by
  `--journaux`, else those whose code starts with VT or VE.
- Numbers: an invoice or credit note is numbered by its PieceRef, qualified by the
  customer and the entry when other pieces share it (see `numbers`); the lines of
  one piece with different due dates (DateRglt, else PieceDate) are its installments,
  one row each. A payment's N° règlement is the id of its line,
  `JournalCode-AAAAMMJJ-EcritureNum-rang` (the entry's date makes it unique from one
  year to the next; rang counts the customer lines of the entry).
- Lettering is the allocation. The lines of a lettering group (customer, EcritureLet)
  are matched in date order: each credit settles the oldest debits first, so a fully
  lettered group settles its invoices, and a partly lettered one allocates what it
  lettered. The engine counts a payment against an invoice only through
  N° pièce lettrée, so a payment lettered to several invoices becomes one Règlements
  row per invoice: the first keeps the line's id, the others get `<id>/<invoice>`,
  and an unlettered rest `<id>/reste`.
- A credit note lettered to an invoice is imputed on it: the workbook has no way to
  allocate a Factures "Avoir", so the imputed part is a Règlements row
  `<credit note>/<invoice>`, mode "Avoir", and only the part left unimputed stays in
  Factures as an Avoir. Balances are unchanged; settled invoices are not reminded.
- Due date: the line's DateRglt when the FEC has that column, else the piece date +
  the customer's "Délai de paiement (jours)" in Clients, else `--delai-jours` (30).
  Every FEC line is posted ("Comptabilisée" Oui).
- Currency: a line with Idevise and Montantdevise (see `fec.read`) makes a row in that
  currency: Montant is the amount in it, Devise its code (empty for euros); lettering
  allocates in those amounts, so a USD invoice lettered with its USD payment is
  settled whatever their euro amounts. A line of 0 in its currency (an exchange
  difference) owes nothing and is left out. A lettering group mixing currencies is
  named in the report, and its lines are lettered only with lines of their currency.
- Opening entries ("à-nouveaux", journal AN/ANO/RAN or labelled so) carry last
  year's open items. They are imported when the workbook knows nothing of that
  company before the FEC's opening date; when it does (last year's FEC was imported,
  or the items were typed) they would count those items twice and are skipped,
  though a payment lettered with an opening invoice line is still lettered to that
  invoice when the workbook holds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from .. import layout
from ..config import Company
from ..model import DEFAULT_CURRENCY, ZERO
from ..texts import euros_text as money_text  # the report names amounts as the sheet shows them
from .lines import FecLine
from .numbers import Known, number_pieces
from .read import FecError, FecFile

SALES_PREFIXES = ("VT", "VE")
DEFAULT_DELAY = 30
AVOIR_MODE = "Avoir"
REST = "reste"


@dataclass(frozen=True)
class FecOptions:
    societe: str | None = None
    delai_jours: int = DEFAULT_DELAY
    journaux: tuple[str, ...] = ()  # sales journals; empty: codes starting VT or VE
    # what customer accounts start with; None: Paramètres' "Comptes clients du FEC"
    comptes: tuple[str, ...] | None = None

    def is_sales(self, journal: str) -> bool:
        code = journal.upper()
        if self.journaux:
            return code in {j.strip().upper() for j in self.journaux}
        return code.startswith(SALES_PREFIXES)


class Note(NamedTuple):
    """Something the report tells about a FEC line that was not imported as it stood."""

    line: int | None
    column: str | None
    value: object
    message: str
    action: str = "ignorée"  # or "remarque"


class Target(NamedTuple):
    """A row a ledger sheet should hold, by key, with the fields the import owns.

    `on_add` fields are written only when the row is added: afterwards they are the
    user's (a due date agreed with the customer, a payment mode).
    """

    key: str
    values: dict[str, object]
    on_add: dict[str, object]
    line: int


@dataclass
class Targets:
    factures: dict[str, Target] = field(default_factory=dict)
    reglements: dict[str, Target] = field(default_factory=dict)
    customers: dict[str, str] = field(default_factory=dict)  # code -> name, in FEC order
    sources: set[str] = field(default_factory=set)  # payment ids and credit notes imported
    avoirs: set[str] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class Prior:
    """The company's rows already in the workbook: (number, date) in Factures, Règlements."""

    factures: list[tuple[str, date | None]] = field(default_factory=list)
    reglements: list[tuple[str, date | None]] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # Factures number -> Code tiers

    def known(self) -> dict[str, Known]:
        return {key: Known(self.owners.get(key), on) for key, on in self.factures}


@dataclass
class _Item:
    """An invoice or a credit note, from its lines."""

    key: str
    tiers: str
    piece_date: date
    amount: Decimal  # positive, in `devise`
    line: int
    avoir: bool
    due: date | None  # DateRglt
    devise: str = DEFAULT_CURRENCY


def company_for(file_name: str, options: FecOptions, companies: Iterable[Company]) -> str:
    """The Société code: --societe, else the file name's SIREN among Paramètres' SIRET."""
    if options.societe and options.societe.strip():
        return options.societe.strip()
    found = re.match(r"(\d{9})FEC\d{8}", file_name, re.IGNORECASE)
    if found is None:
        raise FecError("société inconnue : le FEC ne nomme pas sa société. Précisez --societe, "
                       "ou nommez le fichier <SIREN>FEC<AAAAMMJJ>.txt avec le SIREN d'une "
                       f"société de {layout.PARAMETRES} (colonne SIRET).")
    siren = found.group(1)
    matches = [c.societe for c in companies if re.sub(r"\D", "", c.siret)[:9] == siren]
    if len(matches) != 1:
        which = "aucune société" if not matches else f"plusieurs sociétés ({', '.join(matches)})"
        raise FecError(f"SIREN {siren} du nom du fichier : {which} de {layout.PARAMETRES} n'a "
                       "ce SIREN dans sa colonne SIRET. Complétez-la, ou précisez --societe.")
    return matches[0]


def plan_targets(fec: FecFile, options: FecOptions, prior: Prior,
                 delays: dict[str, int | None]) -> Targets:
    """The rows the FEC's lines make; `delays` are the payment terms typed in Clients."""
    targets = Targets()
    lines = _usable(fec.lines, targets.notes)
    keys = _keys(lines, options, prior)
    opening = [ln for ln in lines if ln.opening]
    skip = _skip_opening(opening, keys, prior)
    kept, targets_only = [], []
    for line in lines:
        if line.opening and skip:
            targets.notes.append(Note(line.line, "JournalCode", line.journal, skip))
            if line.amount > 0:
                targets_only.append(line)
        else:
            kept.append(line)
    notes_before = len(targets.notes)
    items = _items(kept, keys, targets.notes)
    if len(targets.notes) > notes_before:  # a line of a piece in a second currency is out
        out = {n.line for n in targets.notes[notes_before:]}
        kept = [ln for ln in kept if ln.line not in out]
    known = {key for key, _ in prior.factures} | {k for k, it in items.items() if not it.avoir}
    allocations = _allocate(kept + [ln for ln in targets_only if keys[ln.line] in known], keys,
                            targets.notes)
    _invoices_and_avoirs(items, allocations, options, delays, targets)
    _payments(kept, keys, allocations, targets)
    for line in kept:
        targets.customers.setdefault(line.tiers, line.nom)
    return targets


def _usable(lines: list[FecLine], notes: list[Note]) -> list[FecLine]:
    usable = []
    for line in lines:
        if line.amount == 0:
            notes.append(Note(line.line, "Debit", "0", "montant nul : rien à importer"))
        elif line.devise != DEFAULT_CURRENCY and line.own == 0:  # an exchange difference
            side = "débit" if line.amount > 0 else "crédit"
            notes.append(Note(line.line, "Montantdevise", "0",
                              f"écart de change : {money_text(abs(line.amount))} au {side} "
                              f"dans les livres, 0 en {line.devise} : rien n'est dû ni payé en "
                              f"{line.devise}, ligne non reprise"))
        else:
            usable.append(line)
    return usable


def cell_code(devise: str) -> str:
    """What the Devise cell holds: the code, empty for euros (as a typed row has it)."""
    return "" if devise == DEFAULT_CURRENCY else devise


def _keys(lines: list[FecLine], options: FecOptions, prior: Prior) -> dict[int, str]:
    """FEC line number -> the key of what it makes: invoice, credit note or payment id."""
    keys = number_pieces(lines, lambda ln: options.is_sales(ln.journal), prior.known())
    for line in lines:
        if line.line not in keys:
            keys[line.line] = line.ident
    return keys


def _is_credit_note(line: FecLine, keys: dict[int, str]) -> bool:
    return line.amount < 0 and keys[line.line] != line.ident


def owner(number: str, sources: set[str]) -> str | None:
    """The source (payment id, credit note) a Règlements number was made from, if any."""
    if number in sources:
        return number
    for index, char in enumerate(number):
        if char == "/" and number[:index] in sources:
            return number[:index]
    return None


def _skip_opening(opening: list[FecLine], keys: dict[int, str], prior: Prior) -> str:
    """Why opening lines are skipped ("" when they are imported).

    The workbook knows the period before when the company has rows dated before the
    opening date, other than those the opening lines themselves made at a previous
    import of this file.
    """
    if not opening:
        return ""
    start = min(line.ecriture_date for line in opening)
    own = {keys[line.line] for line in opening}
    earlier = [key for key, on in prior.factures if on and on < start and key not in own]
    earlier += [number for number, on in prior.reglements
                if on and on < start and owner(number, own) is None]
    if not earlier:
        return ""
    return (f"à-nouveau non repris : le classeur a déjà des pièces de cette société "
            f"antérieures au {start:%d/%m/%Y} (ex. {earlier[0]}), qui portent ce solde ; "
            "s'il en manque, saisissez-les, ou videz ces pièces du classeur et importez à "
            "nouveau le FEC pour reprendre les à-nouveaux")


def _items(lines: list[FecLine], keys: dict[int, str], notes: list[Note]) -> dict[str, _Item]:
    """Invoices and credit notes by number (each number is one customer's, see
    `numbers`), in their currency; a line of a piece in another currency than the
    piece's first line is left out, named."""
    items: dict[str, _Item] = {}
    for line in lines:
        if line.amount < 0 and not _is_credit_note(line, keys):
            continue
        key = keys[line.line]
        item = items.get(key)
        if item is None:
            items[key] = _Item(key, line.tiers, line.piece_date, abs(line.own), line.line,
                               line.amount < 0, line.due, line.devise)
        elif item.devise != line.devise:
            notes.append(Note(line.line, "Idevise", line.devise,
                              f"pièce {key} en deux devises ({item.devise} ligne {item.line}, "
                              f"{line.devise} ici) : ligne non reprise ; corrigez la devise "
                              "dans votre logiciel comptable, puis importez à nouveau"))
        else:
            item.amount += abs(line.own)
            item.piece_date = min(item.piece_date, line.piece_date)
    return items


def _allocate(lines: list[FecLine], keys: dict[int, str],
              notes: list[Note]) -> dict[str, dict[str, Decimal]]:
    """Source (payment id or credit note) -> invoice -> amount, group by group, oldest first."""
    groups: dict[tuple[str, str], list[FecLine]] = {}
    foreign: set[tuple[str, str]] = set()  # the groups with a line in another currency
    for line in lines:
        if line.lettrage:
            groups.setdefault((line.tiers, line.lettrage), []).append(line)
            if line.devise != DEFAULT_CURRENCY:
                foreign.add((line.tiers, line.lettrage))
    allocations: dict[str, dict[str, Decimal]] = {}
    for (tiers, code), members in groups.items():
        if (tiers, code) not in foreign:  # the usual group: all in euros
            _allocate_group(tiers, code, DEFAULT_CURRENCY, members, keys, notes, allocations)
            continue
        by_currency: dict[str, list[FecLine]] = {}
        for line in members:
            by_currency.setdefault(line.devise, []).append(line)
        if len(by_currency) == 1:
            _allocate_group(tiers, code, members[0].devise, members, keys, notes, allocations)
            continue
        first = min(members, key=lambda ln: ln.line)
        notes.append(Note(first.line, "EcritureLet", code,
                          f"lettrage du client {tiers} entre pièces de devises différentes "
                          f"({', '.join(sorted(by_currency))}) : chaque ligne n'est lettrée "
                          "qu'avec celles de sa devise, le reste demeure ouvert ; lettrez "
                          "dans votre logiciel le règlement avec une facture de sa devise",
                          action="remarque"))
        for devise, lines_in in by_currency.items():
            _allocate_group(tiers, code, devise, lines_in, keys, notes, allocations)
    return allocations


def _allocate_group(tiers: str, code: str, devise: str, members: list[FecLine],
                    keys: dict[int, str], notes: list[Note],
                    allocations: dict[str, dict[str, Decimal]]) -> None:
    """One lettering group's lines of one currency: credits to the oldest debits."""
    order = sorted(members, key=lambda ln: (ln.piece_date, ln.line))
    debits = [[keys[ln.line], ln.own] for ln in order if ln.amount > 0]
    rest = sum((ln.own for ln in members), ZERO)
    for credit in (ln for ln in order if ln.amount < 0):
        left, source = -credit.own, keys[credit.line]
        for debit in debits:
            take = min(left, debit[1])
            if take > 0 and debit[0] != source:
                into = allocations.setdefault(source, {})
                into[debit[0]] = into.get(debit[0], ZERO) + take
                debit[1] -= take
                left -= take
    if rest:
        side = "débit" if rest > 0 else "crédit"
        notes.append(Note(order[0].line, "EcritureLet", code,
                          f"lettrage partiel du client {tiers} : "
                          f"{money_text(abs(rest), devise)} au {side} restent ouverts ; le "
                          "lettré est alloué aux pièces les plus anciennes", action="remarque"))


def _invoices_and_avoirs(items: dict[str, _Item], allocations: dict[str, dict[str, Decimal]],
                         options: FecOptions, delays: dict[str, int | None],
                         targets: Targets) -> None:
    for key, item in items.items():
        values = {"type": "Avoir" if item.avoir else "Facture", "tiers": item.tiers,
                  "date_piece": item.piece_date, "comptabilisee": True,
                  "devise": cell_code(item.devise)}
        if not item.avoir:
            delay = delays.get(item.tiers)
            due = item.due or item.piece_date + timedelta(
                days=options.delai_jours if delay is None else delay)
            targets.factures[key] = Target(key, {**values, "montant": item.amount},
                                           {"echeance": due}, item.line)
            continue
        targets.avoirs.add(key)
        targets.sources.add(key)
        imputed = allocations.get(key, {})
        for invoice, amount in imputed.items():
            number = f"{key}/{invoice}"
            targets.reglements[number] = Target(
                number, _payment(item.tiers, item.piece_date, amount, invoice, item.devise),
                {"mode_reglement": AVOIR_MODE}, item.line)
        rest = item.amount - sum(imputed.values(), ZERO)
        if rest > 0:
            targets.factures[key] = Target(key, {**values, "montant": rest},
                                           {"echeance": item.piece_date}, item.line)


def _payment(tiers: str, on: date, amount: Decimal, invoice: str,
             devise: str) -> dict[str, object]:
    return {"tiers": tiers, "date": on, "montant": amount, "piece_lettree": invoice,
            "devise": cell_code(devise)}


def _payments(lines: list[FecLine], keys: dict[int, str],
              allocations: dict[str, dict[str, Decimal]], targets: Targets) -> None:
    """One Règlements row per invoice a payment settles, and one for what it leaves."""
    for line in lines:
        if line.amount > 0 or _is_credit_note(line, keys):
            continue
        ident = line.ident
        targets.sources.add(ident)
        parts = list(allocations.get(ident, {}).items())
        rest = -line.own - sum((amount for _, amount in parts), ZERO)
        if rest > 0:
            parts.append(("", rest))
        for index, (invoice, amount) in enumerate(parts):
            number = ident if index == 0 else f"{ident}/{invoice or REST}"
            targets.reglements[number] = Target(
                number, _payment(line.tiers, line.ecriture_date, amount, invoice, line.devise),
                {}, line.line)
