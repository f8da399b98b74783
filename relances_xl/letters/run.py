"""One run of "Imprimer toutes les lettres vers…" (and, through `proposal_run.py`, of
"Imprimer la proposition vers…").

Input: the rows to issue (already chosen from the sheet's ticks), the ledger, the
settings, the date of the table and the print options. Output: which rows were
really issued, and where the files are. Every template is checked before the first
letter is rendered, so a broken template stops the run before anything is sent.
Nothing here touches the workbook: the caller records "Éditée" and `Historique`
from the report, and only for letters really produced.

This module is the letters' own path: prepare each letter, render and convert them,
deliver them (folder, screen, printer, Word) or send them (e-mail, fax), archive each
one issued. Beside it: the report and the `Historique` lines made from it
(`run_report.py`), the proposal, the text export and the output steps both runs share
(`proposal_run.py`), the companies' signature images (`signature_image.py`); the
names callers use from those are still found here (`__all__`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Company, PrintOptions, Settings, Sortie
from ..model import Customer, Ledger, ReminderRow
from . import archive as archives
from . import envelope, mail, outputs, pdf
from .compose import compose
from .context import letter_context
from .direct import Package, render_packages
from .outputs import declared_output, show_or_print
from .page_numbers import number_pages, page_label, stamp_pages
from .pdf import combined_copy
from .proposal_run import print_proposal, text_export
from .render import check_fields, render_letters, template_path, templates_folder
from .run_report import (
    LetterResult,
    Progress,
    RunReport,
    history_entries,
    no_progress,
    total_claimed,
)
from .signature_image import PRINT_DPI, printable_signature, signature_images

# What the add-in, the buttons, the command line, the tests and the benches use from here,
# the names moved beside it included.
__all__ = ["PRINT_DPI", "LetterResult", "Progress", "RunReport", "history_entries",
           "issue_letters", "letters_to_pdf", "print_proposal", "printable_signature",
           "signature_images", "total_claimed"]


@dataclass(frozen=True)
class _Letter:
    row: ReminderRow
    customer: Customer
    company: Company
    template: Path
    context: dict
    name: str  # AAAA-MM-JJ_<société>_<tiers>_N<niveau> (no extension)


def issue_letters(
    rows: list[ReminderRow], ledger: Ledger, settings: Settings, on: date,
    options: PrintOptions, progress: Progress = no_progress,
    sent: Callable[[ReminderRow, Path | None], object] | None = None,
    archive: Path | None = None,
) -> RunReport:
    """One letter per row to the chosen output; the report says which were issued.

    `sent` is called right after each e-mail or fax the server accepted, with where the
    letter was archived (the journal that keeps a killed run from sending it again).
    `archive`: the "Lettres émises" folder where each letter issued is also kept as a
    PDF (archive.py); it is made and tried first, so a folder that cannot be written
    stops the run before any letter. None keeps nothing (a screen preview, a test).
    """
    output = declared_output(options.sortie)
    report = RunReport(options)
    if not rows:
        return report
    if output.document == "csv" or not output.records:
        archive = None  # the table as text, or a preview: no letter issued
    if archive is not None:
        archives.ready(archive)
    if output.document == "csv":
        report.files.append(text_export(rows, on, options.dossier, "relances"))
        report.results = [LetterResult(row) for row in rows]
        return report
    letters = _prepare(rows, ledger, settings, on, options)
    for template in {letter.template for letter in letters}:
        check_fields(template, next(ltr.context for ltr in letters if ltr.template == template))
    sendable, refused = _recipients(letters, settings, options.sortie)
    report.results = [LetterResult(letter.row, error=why) for letter, why in refused]
    plan = envelope.plan([ltr.row for ltr in sendable], [ltr.customer for ltr in sendable],
                         [ltr.company for ltr in sendable], ledger, settings, on,
                         templates_folder(settings))
    report.notes = plan.notes  # the same list: a copy that fails to merge later adds to it
    with tempfile.TemporaryDirectory(prefix="relances-lettres-") as work:
        if not output.needs_pdf:  # Word: the .docx files are what the user keeps
            report.results += _word_documents(sendable, on, options, report, Path(work),
                                              progress, plan, archive)
        else:
            pdfs = _render_and_convert(sendable, Path(work), progress, plan,
                                       with_copies=output.delivery != "send")
            report.results += _deliver(sendable, pdfs, settings, on, options, report,
                                       progress, sent, plan, archive)
    order = {id(row): index for index, row in enumerate(rows)}
    report.results.sort(key=lambda result: order[id(result.row)])
    return report


def _prepare(rows: list[ReminderRow], ledger: Ledger, settings: Settings, on: date,
             options: PrintOptions) -> list[_Letter]:
    customers = {c.tiers: c for c in ledger.customers}
    folder = templates_folder(settings)
    signatures = signature_images({row.societe for row in rows}, settings)
    letters = []
    for row in rows:
        customer = customers[row.tiers]
        # the company's IBAN and BIC for the row's currency when Paramètres has them
        company = settings.company(row.societe, row.devise) or Company(societe=row.societe)
        forme = options.forme or settings.level(row.niveau, customer.conditions).forme
        letters.append(_Letter(
            row, customer, company, template_path(forme, customer.langue, folder),
            letter_context(row, customer, company, settings, on, options.forme,
                           signatures.get(row.societe, b"")),
            outputs.letter_filename(on, row.societe, row.tiers, row.niveau,
                                    row.devise)[: -len(".pdf")],
        ))
    return letters


@dataclass(frozen=True)
class _Sender:
    """How an output that sends (`Output.delivery` "send") reaches a customer: the
    address made from the customer's `Output.recipient` field, and why no letter can go
    at all ("" when the settings allow it). A new sending output adds one here."""

    address: Callable[[str, Settings], str]
    unready: Callable[[Settings], str] = lambda settings: ""


_SENDERS: dict[Sortie, _Sender] = {
    Sortie.EMAIL: _Sender(lambda email, settings: email),
    Sortie.FAX: _Sender(
        lambda fax, settings: mail.fax_address(fax, settings.option("passerelle_fax")),
        lambda settings: "" if settings.option("passerelle_fax") else
        "passerelle fax non renseignée (feuille Paramètres)"),
}


def _recipients(letters: list[_Letter], settings: Settings, sortie: Sortie
                ) -> tuple[list[_Letter], list[tuple[_Letter, str]]]:
    """Letters that can go out, and those that cannot, with why (no address…)."""
    output = declared_output(sortie)
    if not output.recipient:
        return letters, []
    ok, refused = [], []
    unready = _SENDERS[sortie].unready(settings)
    for letter in letters:
        if not getattr(letter.customer, output.recipient):
            refused.append((letter, output.missing))
        elif unready:
            refused.append((letter, unready))
        elif not letter.company.email:
            refused.append((letter, f"e-mail expéditeur de la société {letter.company.societe} "
                                    "non renseigné (feuille Paramètres)"))
        else:
            ok.append(letter)
    return ok, refused


def _render_and_convert(letters: list[_Letter], work: Path, progress: Progress,
                        plan: envelope.Plan | None = None, *, with_copies: bool = True
                        ) -> list[Path]:
    """Each letter as a PDF, in its envelope when `plan` has one (envelope.py): the
    letter, its statement, its copies (not by e-mail, where they go one by one)."""
    names = _unique_names([letter.name for letter in letters])
    jobs = [(letter.template, letter.context, name)
            for letter, name in zip(letters, names, strict=True)]
    if plan is None:
        return letters_to_pdf(jobs, work, progress)
    statements = envelope.statement_jobs(plan, names)
    for template in {job[0] for job in statements}:
        check_fields(template, next(job[1] for job in statements if job[0] == template))
    converted = letters_to_pdf(jobs + statements, work, progress)
    return envelope.assemble_all(plan, converted, work, with_copies=with_copies)


def letters_to_pdf(jobs: list[tuple[Path, dict, str]], work: Path,
                   progress: Progress = no_progress) -> list[Path]:
    """Each (template, context, name) merged, then all turned into PDF in one batch;
    the PDFs in the order of `jobs`.

    Through LibreOffice the letters it bundles stay in memory, never saved one by one
    (direct.py); the others, and every letter for Word, are saved as `work/name.docx`.
    Rendering the second half while LibreOffice converts the first was tried: on two
    cores the second LibreOffice start ate the gain (bench/letters.py, 0.89x to 1.25x).
    Rendering in two processes before converting pays (render.render_letters).
    """
    def count(done: int, total: int) -> None:
        progress(done, total, f"Lettre {done}/{total}")

    documents = (render_packages(jobs, work, count) if _through_libreoffice()
                 else render_letters(jobs, work, count))
    if not documents:
        return []
    progress(len(jobs), len(jobs), "Conversion en PDF…")
    return _numbered_pdfs(documents, [context for _, context, _ in jobs], work / "pdf")


def _through_libreoffice() -> bool:
    try:
        return pdf.find_converter() == "libreoffice"
    except pdf.ConversionError:
        return False  # the conversion says so, after the letters are checked and merged


def _numbered_pdfs(documents: list[Path | Package], contexts: list[dict], folder: Path
                   ) -> list[Path]:
    """The merged letters turned into PDF in one batch, each numbered "page 1/2" when it
    runs over a page (a few): as it is cut from its bundle, or, converted alone, once
    it is written."""
    stamps = {folder.resolve() / f"{document.stem}.pdf": (page_label(context),
                                                          context.get("langue", "FR"))
              for document, context in zip(documents, contexts, strict=True)}

    def number_alone(letter: Path, pages: int | None) -> None:
        if pages is None:  # not cut from a bundle: numbered here (pages counted as read)
            number_pages(letter, *stamps[letter])

    return pdf.convert_to_pdf(documents, folder, made=number_alone,
                              finish=lambda letter, pages: stamp_pages(pages,
                                                                       *stamps[letter]))


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name.lower(), 0)
        seen[name.lower()] = count + 1
        unique.append(name if not count else f"{name}_{count + 1}")
    return unique


def _deliver(letters: list[_Letter], pdfs: list[Path], settings: Settings, on: date,
             options: PrintOptions, report: RunReport, progress: Progress,
             sent: Callable[[ReminderRow, Path | None], object] | None = None,
             plan: envelope.Plan | None = None, archive: Path | None = None
             ) -> list[LetterResult]:
    if not letters:
        return []
    delivery = declared_output(options.sortie).delivery
    if delivery == "send":
        copies = [e.copies for e in plan.envelopes] if plan else [()] * len(letters)
        return _send(letters, pdfs, settings, options.sortie, report, progress, sent, copies,
                     archive)
    if delivery == "folder":
        options.dossier.mkdir(parents=True, exist_ok=True)
        kept = [shutil.copyfile(p, outputs.unique_path(options.dossier, p.name)) for p in pdfs]
        report.files.append(pdf.merge_pdfs(kept, outputs.unique_path(
            options.dossier, f"{on.isoformat()}_lettres_de_relance.pdf")))
        return [LetterResult(ltr.row, file=path, archive=_keep(path, ltr, archive, report))
                for ltr, path in zip(letters, kept, strict=True)]
    combined = combined_copy(pdfs, "lettres")
    report.files.append(combined)
    show_or_print(combined, options)
    return [LetterResult(ltr.row, archive=_keep(path, ltr, archive, report))
            for ltr, path in zip(letters, pdfs, strict=True)]


def _keep(document: Path, letter: _Letter, archive: Path | None, report: RunReport
          ) -> Path | None:
    """The letter just issued kept in "Lettres émises"; when that fails now (the folder
    was tried before the run), the letter stays issued and the run's notes say it."""
    if archive is None:
        return None
    try:
        return archives.keep(document, archive, letter.name)
    except outputs.OutputError as error:
        report.notes.append(f"{letter.row.tiers} / {letter.row.societe} : lettre émise mais "
                            f"non archivée ; {error}")
        return None


def _word_documents(letters: list[_Letter], on: date, options: PrintOptions,
                    report: RunReport, work: Path, progress: Progress,
                    plan: envelope.Plan | None = None, archive: Path | None = None
                    ) -> list[LetterResult]:
    """The "Word" output: each letter as a .docx named as its PDF would be, and the run's
    letters in one .docx (compose.py), for the accountant to edit before sending; the
    statements and invoice copies of their envelopes beside them (envelope.py). With
    `archive`, each letter is turned into PDF first (a failure stops the run before
    anything is kept) and that PDF is archived: the letter as it was merged."""
    if not letters:
        return []
    names = _unique_names([letter.name for letter in letters])
    made = render_letters([(ltr.template, ltr.context, name)
                           for ltr, name in zip(letters, names, strict=True)], work,
                          lambda done, total: progress(done, total, f"Lettre {done}/{total}"))
    archived = _word_pdfs(made, letters, work, progress) if archive is not None else made
    progress(len(letters), len(letters), "Document Word de toutes les lettres…")
    options.dossier.mkdir(parents=True, exist_ok=True)
    kept = [Path(shutil.copyfile(p, outputs.unique_path(options.dossier, p.name)))
            for p in made]
    combined = compose(made, work / "lettres.docx", bookmarks=False, merge=True)
    report.files.append(Path(shutil.copyfile(combined, outputs.unique_path(
        options.dossier, f"{on.isoformat()}_lettres_de_relance.docx"))))
    if plan is not None:
        report.files += envelope.word_beside(plan, names, work, options.dossier)
    return [LetterResult(ltr.row, file=path, archive=_keep(document, ltr, archive, report))
            for ltr, path, document in zip(letters, kept, archived, strict=True)]


def _word_pdfs(documents: list[Path], letters: list[_Letter], work: Path,
               progress: Progress) -> list[Path]:
    """The Word output's letters as PDF, by the PDF output's own path (pdf.py), page
    numbers included, to archive them."""
    progress(len(letters), len(letters), "Conversion en PDF pour les lettres émises…")
    return _numbered_pdfs(documents, [letter.context for letter in letters], work / "archive")


def _send(letters: list[_Letter], pdfs: list[Path], settings: Settings, sortie: Sortie,
          report: RunReport, progress: Progress,
          sent: Callable[[ReminderRow, Path | None], object] | None = None,
          copies: list[tuple[Path, ...]] | None = None, archive: Path | None = None
          ) -> list[LetterResult]:
    """One message per customer, the letter then each invoice copy as its own
    attachment; a refusal marks that row only, the run goes on. The letter sent (its
    PDF, the copies being the invoices') is archived once the server accepted it."""
    copies = copies or [()] * len(letters)
    results = []
    address = _SENDERS[sortie].address
    field_name = declared_output(sortie).recipient
    with mail.Mailer(mail.smtp_settings(settings)) as mailer:
        for index, (letter, document, extra) in enumerate(
                zip(letters, pdfs, copies, strict=True), start=1):
            progress(index, len(letters), f"Envoi {index}/{len(letters)}")
            subject, body = mail.letter_mail_text(
                letter.customer.langue, letter.company.raison_sociale or letter.company.societe,
                letter.row.niveau, len(letter.row.lines))
            try:
                recipient = address(getattr(letter.customer, field_name), settings)
                mailer.send(mail.build_message(letter.company.email, recipient, subject, body,
                                               document, extra))
            except outputs.OutputError as error:
                results.append(LetterResult(letter.row, error=str(error)))
                continue
            kept = _keep(document, letter, archive, report)
            results.append(LetterResult(letter.row, archive=kept))
            if sent is not None:
                sent(letter.row, kept)
    return results


