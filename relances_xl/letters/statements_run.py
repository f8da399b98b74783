"""The **Relevés de compte** button and `relances-xl releves`: a statement of account
(REL01) for every customer with a balance, to PDF, Word, e-mail, the printer or the
screen: the monthly statements many firms send besides reminders.

A statement is not a reminder: it has no level, ticks no "Éditée" and writes nothing to
`Historique`. The run is logged (the caller appends `log_line` to the journal of
statements beside the workbook) so that "was the March statement sent?" has an answer.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..config import STATEMENT_FORME, Company, PrintOptions, Settings
from ..model import Customer, Filters, Ledger
from ..rules.aging import balance_agee
from . import mail, outputs, pdf
from .formats import langue_of, long_date
from .render import check_fields, render_letters, template_path
from .statement import statement_context

Progress = Callable[[int, int, str], None]
_DOCUMENTS = ("pdf", "docx")  # the text export and the fax carry no statement
_MAIL = {
    "FR": ("Relevé de compte au {date} - {societe}",
           "Bonjour,\n\nVeuillez trouver ci-joint votre relevé de compte au {date}.\n\n"
           "Cordialement,\n{societe}\n"),
    "EN": ("Statement of account at {date} - {societe}",
           "Dear Sir or Madam,\n\nPlease find attached your statement of account at "
           "{date}.\n\nYours faithfully,\n{societe}\n"),
    "DE": ("Kontoauszug zum {date} - {societe}",
           "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie Ihren Kontoauszug zum "
           "{date}.\n\nMit freundlichen Grüßen\n{societe}\n"),
}


@dataclass
class StatementReport:
    options: PrintOptions
    done: list[tuple[str, str]] = field(default_factory=list)  # (tiers, société)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # … and why
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class _Statement:
    customer: Customer
    company: Company
    context: dict
    name: str  # AAAA-MM-JJ_<société>_<tiers>_releve


def _no_progress(done: int, total: int, text: str) -> None:
    return None


def issue_statements(ledger: Ledger, settings: Settings, filters: Filters,
                     options: PrintOptions, progress: Progress = _no_progress
                     ) -> StatementReport:
    """One statement per (customer, company) the filters select whose balance is not
    zero, to the chosen output."""
    output = options.sortie.output
    if output.document not in _DOCUMENTS or output.recipient not in ("", "email"):
        raise outputs.OutputError("Les relevés de compte s'enregistrent en PDF ou en Word, "
                                  "s'affichent, s'impriment ou partent par e-mail.")
    report = StatementReport(options)
    statements = _prepare(ledger, settings, filters)
    if not statements:
        return report
    folder = settings.option("dossier_modeles")
    jobs = [(template_path(STATEMENT_FORME, s.customer.langue, Path(folder) if folder else None),
             s.context, s.name) for s in statements]
    for template in {job[0] for job in jobs}:
        check_fields(template, next(job[1] for job in jobs if job[0] == template))
    with tempfile.TemporaryDirectory(prefix="relances-releves-") as work:
        documents = render_letters(jobs, Path(work), lambda done, total: progress(
            done, total, f"Relevé {done}/{total}"))
        if output.document == "docx":
            _keep(documents, options, report)
        else:
            progress(len(jobs), len(jobs), "Conversion en PDF…")
            pdfs = pdf.convert_to_pdf(documents, Path(work) / "pdf")
            _deliver(statements, pdfs, settings, filters.date, options, report)
    if output.delivery != "send":
        report.done = [(s.customer.tiers, s.company.societe) for s in statements]
    return report


def _prepare(ledger: Ledger, settings: Settings, filters: Filters) -> list[_Statement]:
    customers = {c.tiers: c for c in ledger.customers}
    found = []
    for row in balance_agee(ledger, settings, filters):
        if not row.total:
            continue
        customer = customers[row.tiers]
        company = (settings.company(row.societe, row.devise)
                   or Company(societe=row.societe))
        name = outputs.letter_filename(filters.date, row.societe, row.tiers, 0, row.devise)
        found.append(_Statement(customer, company, statement_context(
            ledger, settings, customer, company, filters.date, row.devise),
            name[: -len("_N0.pdf")] + "_releve"))
    return found


def _keep(documents: list[Path], options: PrintOptions, report: StatementReport) -> None:
    options.dossier.mkdir(parents=True, exist_ok=True)
    report.files += [Path(shutil.copyfile(d, outputs.unique_path(options.dossier, d.name)))
                     for d in documents]


def _deliver(statements: list[_Statement], pdfs: list[Path], settings: Settings, on: date,
             options: PrintOptions, report: StatementReport) -> None:
    delivery = options.sortie.output.delivery
    if delivery == "send":
        _send(statements, pdfs, settings, on, report)
        return
    if delivery == "folder":
        _keep(pdfs, options, report)
        report.files.append(pdf.merge_pdfs(report.files, outputs.unique_path(
            options.dossier, f"{on.isoformat()}_releves_de_compte.pdf")))
        return
    combined = pdf.merge_pdfs(pdfs, Path(tempfile.mkdtemp(prefix="relances-releves-"))
                              / "releves.pdf")
    report.files.append(combined)
    if delivery == "screen":
        outputs.open_in_viewer(combined)
    else:
        outputs.print_pdf(combined, options.imprimante or None, options.exemplaires)


def _send(statements: list[_Statement], pdfs: list[Path], settings: Settings, on: date,
          report: StatementReport) -> None:
    """One message per customer; a customer without an address or a refusal fails alone."""
    with mail.Mailer(mail.smtp_settings(settings)) as mailer:
        for statement, document in zip(statements, pdfs, strict=True):
            key = (statement.customer.tiers, statement.company.societe)
            langue = langue_of(statement.customer.langue)
            subject, body = _MAIL[langue]
            societe = statement.company.raison_sociale or statement.company.societe
            when = long_date(on, langue)
            try:
                if not statement.customer.email:
                    raise outputs.OutputError("adresse e-mail manquante (feuille Clients)")
                if not statement.company.email:
                    raise outputs.OutputError("e-mail expéditeur de la société non renseigné "
                                              "(feuille Paramètres)")
                mailer.send(mail.build_message(
                    statement.company.email, statement.customer.email,
                    subject.format(date=when, societe=societe),
                    body.format(date=when, societe=societe), document))
            except outputs.OutputError as error:
                report.failed.append((*key, str(error)))
                continue
            report.done.append(key)


def log_line(report: StatementReport, on: date, now: datetime) -> str:
    """One line of the journal of statements: when, at which date, where, how many."""
    failed = f", {len(report.failed)} en échec" if report.failed else ""
    return (f"{now:%Y-%m-%d %H:%M:%S} ; relevés au {on:%d/%m/%Y} ; "
            f"{report.options.sortie.output.label} ; {len(report.done)} relevé(s){failed}\n")
