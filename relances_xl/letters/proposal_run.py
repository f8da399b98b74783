"""One run of "Imprimer la proposition vers…", and the table as text (the "Texte"
output).

Apart from `run.py` because the proposal records nothing and sends nothing: one
document, rendered and converted alone, with none of the letters' preparation,
envelopes, sending or archiving. The steps both runs take the same way are where the
letters' run finds them too: the declared output and `show_or_print` in `outputs`,
`templates_folder` in `render`, `combined_copy` in `pdf`. `run` still offers
`run.print_proposal`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..config import PROPOSAL_FORME, PrintOptions, Settings
from ..model import Filters, Ledger, ReminderRow
from . import outputs, pdf
from .context import proposal_context
from .outputs import declared_output, show_or_print
from .pdf import combined_copy
from .render import check_fields, render_letter, template_path, templates_folder
from .run_report import Progress, no_progress


def print_proposal(
    rows: list[ReminderRow], ledger: Ledger, settings: Settings, on: date,
    options: PrintOptions, progress: Progress = no_progress, filters: Filters | None = None,
    appendix: Callable[[], Path | None] | None = None, followups: list | None = None,
) -> list[Path]:
    """The invoices to remind per ticked customer, and the rows left unticked with why,
    to an output; it records nothing. The text export lists the ticked rows; a PDF
    output ends with the pages `appendix()` gives (the dashboard, made meanwhile)."""
    output = declared_output(options.sortie)
    if output.document == "csv":
        return [text_export([r for r in rows if r.a_relancer], on, options.dossier,
                            "proposition")]
    if not output.proposal:
        raise outputs.OutputError("La proposition s'enregistre en PDF, en Word ou en texte, "
                                  "s'affiche ou s'imprime ; elle ne s'envoie pas par e-mail "
                                  "ni par fax.")
    template = template_path(PROPOSAL_FORME, "FR", templates_folder(settings))
    context = proposal_context(rows, ledger, settings, on, filters=filters,
                               followups=followups)
    check_fields(template, context)
    progress(0, 1, "Proposition…")
    with tempfile.TemporaryDirectory(prefix="relances-proposition-") as work:
        name = f"{on.isoformat()}_proposition_de_relance"
        document = render_letter(template, context, Path(work) / f"{name}.docx")
        if not output.needs_pdf:  # Word: the .docx is what the user keeps
            options.dossier.mkdir(parents=True, exist_ok=True)
            kept = Path(shutil.copyfile(document, outputs.unique_path(options.dossier,
                                                                      document.name)))
            progress(1, 1, "Proposition prête")
            return [kept]
        (converted,) = pdf.convert_to_pdf([document], Path(work) / "pdf")
        extra = appendix() if appendix else None
        if extra is not None:
            converted = pdf.merge_pdfs([converted, extra], Path(work) / "joint" / converted.name)
        if output.delivery == "folder":
            options.dossier.mkdir(parents=True, exist_ok=True)
            target = outputs.unique_path(options.dossier, converted.name)
            kept = Path(shutil.copyfile(converted, target))
        else:
            kept = combined_copy([converted], "proposition")
            show_or_print(kept, options)
    progress(1, 1, "Proposition prête")
    return [kept]


TEXT_HEADER = ["Tiers", "Société", "Solde comptable", "Encours relancé", "Agios réclamés",
               "Niveau de relance", "A relancer", "Éditée", "Adresse du tiers", "Motif",
               "N° pièce", "Date pièce", "Date échéance", "Montant TTC", "Reste dû",
               "Jours de retard", "Niveau facture", "Intérêts", "Indemnité",
               "Règlements non imputés", "Reste à régler",
               # the currency of every amount of the line, and the D441-5 indemnity of a
               # row in another currency, in euros (never added to its amounts)
               "Devise", "Indemnité en euros"]


def text_export(rows: list[ReminderRow], on: date, folder: Path, what: str) -> Path:
    """The table and its invoice lines, one line per invoice, for Excel or another tool."""
    lines: list[list[object]] = []
    for row in rows:
        head: list[object] = [row.tiers, row.societe, row.solde_comptable, row.encours_relance,
                              row.agios_reclames, row.niveau, _oui(row.a_relancer),
                              _oui(row.editee), row.adresse, row.motif]
        # what the letter deducts and asks, in the row's currency
        tail = [row.non_impute, row.a_regler, row.devise, row.indemnite_euros or None]
        for line in row.lines or (None,):
            if line is None:
                lines.append([*head, *[None] * 9, *tail])
                continue
            invoice = line.invoice
            lines.append([*head, invoice.piece, invoice.date_piece, invoice.echeance,
                          invoice.montant, line.reste_du, line.jours_retard, line.niveau,
                          line.interets, line.indemnite, *tail])
    folder.mkdir(parents=True, exist_ok=True)
    target = outputs.unique_path(folder, f"{on.isoformat()}_{what}.csv")
    return outputs.write_text_export(target, TEXT_HEADER, lines)


def _oui(flag: bool) -> str:
    return "Oui" if flag else "Non"
