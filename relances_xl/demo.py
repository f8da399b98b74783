"""`relances-xl demo`: the README's first command, the guide's story told in one go.

The sample ledger (`sample`) in a freshly built workbook, with its invoices' copies;
Appliquer on 27/07/2022, the proposal and the letters as PDF; the same ledger seven
weeks on, 15/09/2022, its mises en demeure and the aged balance; then 1FRNEG's recovery
file on 03/10/2022. Its own module: a script that presses the buttons of the other
commands one after the other (through `terminal`, as they do) is none of them, and the
command line imports it only when `demo` runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import addin, layout
from .config import Sortie
from .excel import sheets
from .model import Filters
from .sample import DEMO_DATE, DEMO_NEXT_DATE, DEMO_RECOVERY, DEMO_RECOVERY_DATE
from .terminal import apply_workbook, opened, print_workbook, report
from .texts import amounts_text, money


def run(dossier: Path) -> int:
    """The README's main command: the guide's ledger, applied, proposal and letters as PDF,
    written in `dossier` (created if need be). Exit status as every command's: 0 done,
    1 some letters failed or the recovery file was refused, 2 Appliquer refused."""
    from .excel.build import build_workbook
    from .letters.run import total_claimed

    folder = dossier.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    _simple_pdf_unless_a_converter()
    workbook = build_workbook(folder / "Relances.xlsm")
    _demo_invoice_copies(workbook)
    applied = apply_workbook(workbook, Filters(date=DEMO_DATE))
    if applied.blocked:
        return report(applied)
    with opened(workbook) as book:  # the proposal ends with the dashboard of its date
        addin.balance_agee(today=DEMO_DATE)
    proposal = print_workbook(workbook, addin.imprimer_proposition, Sortie.PDF, folder)
    letters = print_workbook(workbook, lambda: addin.imprimer_lettres(today=DEMO_DATE),
                             Sortie.PDF, folder)
    issued = letters.report.issued if letters.report else []
    print(f"Échéances échues au {DEMO_DATE:%d/%m/%Y} : {len(applied.rows)} ligne(s), "
          f"{len(issued)} lettre(s) éditée(s), {amounts_text(total_claimed(issued))} réclamés.")
    for row in applied.rows:
        tick = "x" if row.a_relancer else " "
        print(f"  [{tick}] {row.tiers:<7} {row.societe:<6} niveau {row.niveau}  "
              f"encours {money(row.encours_relance, row.devise):>14}  {row.motif}")
    print(f"Proposition : {proposal.files[0] if proposal.files else '-'}")
    if proposal.note:
        print(f"              {proposal.note}")
    print(f"Lettres     : {folder} ({len(issued)} PDF + {letters.files[0].name})"
          if letters.files else f"Lettres : {folder}")
    later = _demo_next_round(workbook, folder)
    with opened(workbook) as book:  # where the money stands after the two rounds
        sheets.write_filters(book.sheets[layout.RELANCES], None, DEMO_NEXT_DATE)
        aged = addin.balance_agee(today=DEMO_NEXT_DATE)
    print(f"Balance âgée au {DEMO_NEXT_DATE:%d/%m/%Y} : {len(aged.aged)} ligne(s), feuilles "
          f"{layout.BALANCE_AGEE} et {layout.TABLEAU_DE_BORD} du classeur")
    recovery = _demo_recovery(workbook, folder)
    print(f"Classeur    : {workbook}")
    failed = any(r.report and r.report.failed for r in (letters, later)) or recovery.blocked
    return 1 if failed else 0


def _simple_pdf_unless_a_converter() -> None:
    """The demo runs on a machine with only Python: simplified PDFs, said plainly."""
    from .letters import pdf

    try:
        pdf.find_converter()
    except pdf.ConverterMissing:
        os.environ[pdf.ENV_CONVERTER] = "simple"
        print("Ni Word ni LibreOffice : PDF simplifiés (sans la mise en page Word). "
              "Installez LibreOffice pour des lettres identiques aux modèles.", file=sys.stderr)


def _demo_invoice_copies(workbook: Path) -> None:
    """The sample's invoices as PDFs in `factures/` beside the workbook, named in
    Paramètres' "Dossier des factures": the demo's letters carry their copies."""
    from .letters.demo_copies import write_demo_copies
    from .letters.make_templates import sample_ledger

    write_demo_copies(sample_ledger()[0], workbook.parent / "factures")
    row = list(layout.PARAMETRES_SETTINGS).index("dossier_factures") + 1
    with opened(workbook) as book:
        book.sheets[layout.PARAMETRES].range(f"B{row}").value = "factures"


def _demo_next_round(workbook: Path, folder: Path) -> addin.Outcome:
    """The same ledger seven weeks on: formal notices by registered post, with the
    deadline, the interest and the indemnity."""
    from .letters.run import total_claimed

    applied = apply_workbook(workbook, Filters(date=DEMO_NEXT_DATE))
    if applied.blocked:
        return applied
    # the demo plays 15/09/2022: that is the day the notices are issued
    letters = print_workbook(workbook, lambda: addin.imprimer_lettres(today=DEMO_NEXT_DATE),
                             Sortie.PDF, folder)
    issued = letters.report.issued if letters.report else []
    notices = sum(1 for row in issued if row.niveau == 3)
    print(f"Échéances échues au {DEMO_NEXT_DATE:%d/%m/%Y} : {len(issued)} lettre(s) "
          f"éditée(s) dont {notices} mise(s) en demeure, {amounts_text(total_claimed(issued))} "
          "réclamés.")
    for row in applied.rows:  # what the Suivi sheet changed: a promise not kept
        if row.engagements:
            print(f"  {row.tiers:<7} {row.societe:<6} niveau {row.niveau}  {row.motif}")
    calls = [path for path in letters.files if path.name.endswith("_appels.pdf")]
    if calls:
        print(f"Appels      : {calls[0]} (niveau « Appel » des conditions « Avec appel »)")
    return letters


def _demo_recovery(workbook: Path, folder: Path) -> addin.Outcome:
    """The end of the story: 1FRNEG let its mise en demeure of 15/09/2022 pass; its
    recovery file (décompte, exhibits, the procedure that fits) on 03/10/2022."""
    from . import recouvrement

    tiers, societe = DEMO_RECOVERY
    with opened(workbook):
        outcome = recouvrement.dossier_de_recouvrement(
            today=DEMO_RECOVERY_DATE, tiers=tiers, societe=societe, dossier=folder)
    print(f"Recouvrement: {outcome.message}")
    return outcome
