"""One envelope per customer: the letter, then its statement of account, then the
copies of the invoices it lists, as its level's "Pièces jointes" says.

The run (run.py) renders and converts the letters as before; this module says what
each letter carries (`plan`), and puts each customer's pages together (`assemble`):
one PDF per customer, named as the letter alone would be, so that the combined PDF of
the run keeps each customer's pages together. By e-mail the letter (with its
statement) is one attachment and each copy its own (`Envelope.attachments`).

A missing copy never stops a letter: the envelope goes without it and the run's notes
say which invoices had none, as they name every file of the folder that could not be
read or was claimed twice (copies.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..config import JOINT_FACTURES, JOINT_RELEVE, STATEMENT_FORME, Company, Settings
from ..model import Customer, Ledger, ReminderRow
from . import copies, outputs, pdf
from .render import render_letters, template_path
from .statement import statement_context

Job = tuple[Path, dict, str]  # (template, context, name), as render.render_letters takes


@dataclass(frozen=True)
class Envelope:
    """What one letter carries besides itself."""

    statement: tuple[Path, dict] | None = None  # REL01's template and context, if joined
    copies: tuple[Path, ...] = ()  # the invoice copies, in the letter's order
    missing: tuple[str, ...] = ()  # the invoices of the letter without a copy

    def attachments(self, letter_pdf: Path) -> list[Path]:
        """By e-mail: the letter (its statement merged in) first, then each copy."""
        return [letter_pdf, *self.copies]


@dataclass
class Plan:
    """The envelopes of a run, in the order of its letters, and the run's notes."""

    envelopes: list[Envelope] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def joined(row: ReminderRow, customer: Customer, settings: Settings) -> frozenset[str]:
    """The level's "Pièces jointes" for this row (nothing for a level not configured)."""
    try:
        return settings.level(row.niveau, customer.conditions).pieces_jointes
    except KeyError:
        return frozenset()


def copies_folder(settings: Settings) -> Path | None:
    """Paramètres' "Dossier des factures" (made absolute beside the workbook by the
    add-in), None when empty."""
    folder = settings.option(copies.SETTING).strip()
    return Path(folder) if folder else None


def plan(rows: Sequence[ReminderRow], customers: Sequence[Customer],
         companies: Sequence[Company], ledger: Ledger, settings: Settings, on: date,
         templates: Path | None = None) -> Plan:
    """What each row's letter carries; the folder is read once for the whole run.
    `templates` is Paramètres' "Dossier des modèles" (None: the shipped ones)."""
    wants = [joined(row, customer, settings) for row, customer in zip(rows, customers,
                                                                        strict=True)]
    found_copies, notes = _copies(rows, wants, settings)
    result = Plan(notes=notes)
    for row, customer, company, want, (found, missing) in zip(
            rows, customers, companies, wants, found_copies, strict=True):
        statement = None
        if JOINT_RELEVE in want:  # the statement of the letter's currency
            statement = (template_path(STATEMENT_FORME, customer.langue, templates),
                         statement_context(ledger, settings, customer, company, on,
                                           row.devise))
        result.envelopes.append(Envelope(statement, tuple(found), tuple(missing)))
    return result


def _copies(rows: Sequence[ReminderRow], wants: Sequence[frozenset[str]], settings: Settings
            ) -> tuple[list[tuple[list[Path], list[str]]], list[str]]:
    """Each row's copies and invoices without one, and the notes of the search."""
    invoices = [line.invoice for row, want in zip(rows, wants, strict=True)
                if JOINT_FACTURES in want for line in row.lines]
    folder = copies.find_copies(copies_folder(settings), invoices) if invoices else None
    notes = list(folder.notes) if folder else []
    found: list[tuple[list[Path], list[str]]] = []
    for row, want in zip(rows, wants, strict=True):
        if folder is None or JOINT_FACTURES not in want:
            found.append(([], []))
            continue
        joined_copies, missing = folder.for_invoices(line.invoice.piece for line in row.lines)
        found.append((joined_copies, missing))
        if missing and copies_folder(settings) is not None:
            notes.append(f"{row.tiers} / {row.societe} : pas de copie pour "
                         f"{', '.join(missing)} (lettre envoyée sans).")
    return found, notes


def copy_notes(rows: Sequence[ReminderRow], customers: Sequence[Customer],
               settings: Settings) -> list[str]:
    """What the letters of `rows` would lack (for the proposal's message): the invoices
    without a copy, and the folder's unreadable or doubly claimed files."""
    wants = [joined(row, customer, settings) for row, customer in zip(rows, customers,
                                                                        strict=True)]
    return [note.replace(" (lettre envoyée sans).", ".") for note in _copies(rows, wants,
                                                                            settings)[1]]


def statement_jobs(plan: Plan, names: Sequence[str]) -> list[Job]:
    """The statements to render with the letters (one batch), named after their letter."""
    return [(*envelope.statement, f"{name}_releve")
            for envelope, name in zip(plan.envelopes, names, strict=True) if envelope.statement]


def assemble_all(plan: Plan, converted: Sequence[Path], work: Path, *,
                 with_copies: bool = True) -> list[Path]:
    """Each letter's envelope; `converted` is the letters' PDFs then the statements'
    (in `statement_jobs`' order)."""
    letters = list(converted[:len(plan.envelopes)])
    statements = iter(converted[len(plan.envelopes):])
    return [_assemble_or_skip(plan, letter, next(statements) if envelope.statement else None,
                              envelope, work / "enveloppes" / letter.name, with_copies)
            for letter, envelope in zip(letters, plan.envelopes, strict=True)]


def _assemble_or_skip(plan: Plan, letter: Path, statement: Path | None, envelope: Envelope,
                      out: Path, with_copies: bool) -> Path:
    """`assemble`, and when a copy that opened at the search fails to merge, the envelope
    again without it, named in the run's notes: a copy never stops a letter."""
    try:
        return assemble(letter, statement, envelope, out, with_copies=with_copies)
    except pdf.ConversionError as error:
        bad = [path for path in error.documents if Path(path) in envelope.copies]
        if not bad:
            raise
    plan.notes.append(f"Dossier des factures : « {Path(bad[0]).name} » n'a pas pu être "
                      "joint (PDF illisible) ; lettre envoyée sans.")
    kept = tuple(copy for copy in envelope.copies if copy != Path(bad[0]))
    return _assemble_or_skip(plan, letter, statement, Envelope(
        envelope.statement, kept, envelope.missing), out, with_copies)


def assemble(letter_pdf: Path, statement_pdf: Path | None, envelope: Envelope,
             out: Path, *, with_copies: bool = True) -> Path:
    """The letter, its statement, then (unless `with_copies` is off, for e-mail) its
    copies, as one PDF at `out`; the letter itself when it carries nothing."""
    parts = [letter_pdf, *([statement_pdf] if statement_pdf else []),
             *(envelope.copies if with_copies else ())]
    if len(parts) == 1:
        return letter_pdf
    return pdf.merge_pdfs(parts, out)


def word_beside(plan: Plan, names: Sequence[str], work: Path, folder: Path) -> list[Path]:
    """The "Word" output's envelope: each statement as its own .docx named after its
    letter, and the invoice copies as they are, beside the letters in `folder`."""
    made = render_letters(statement_jobs(plan, names), work / "releves")
    kept = [Path(shutil.copyfile(d, outputs.unique_path(folder, d.name))) for d in made]
    joined: list[Path] = []
    for envelope in plan.envelopes:
        joined += [copy for copy in envelope.copies if copy not in joined]
    kept += [Path(shutil.copyfile(c, outputs.unique_path(folder, c.name)))
             for c in joined]
    return kept
