"""1,000 reminder letters to PDF: docxtpl rendering and LibreOffice in batch mode.

Run: python bench/letters.py [--letters N] [--naive N] [--stand-in] [--lean] [--envelope]
Prints the wall time of the run as the add-in makes it (`letters_to_pdf`: every letter
rendered, kept in memory for LibreOffice's bundles (letters/direct.py), then all
converted, the letters of one template as one document cut back per letter), split
into rendering and conversion, the letters per second, and the ratio against the naive
way (one `soffice` start per letter, each letter saved as a .docx untimed), the naive
way being timed on a few letters in the same run so the ratio means the same on any
machine; then the naive way again with each start given the heap this project's
LibreOffice starts are given (`libreoffice.HEAP_KEPT`: a start is mostly page faults
without it, docs/performance.md), and the ratio against that.
Target on a 2-core machine: 1,000 letters in ≤ 40 s, ≥ 100× the naive way (issue 30).

`--envelope` then runs the same letters as envelopes (letters/envelope.py), in the same
run: each letter with its statement of account (REL01, rendered and converted in the
same batch) and two invoice copies found by name among 2 × N PDFs of a "Dossier des
factures" (every PDF of it opened, Factur-X looked for), merged into one PDF per
customer; it prints the cost per envelope against the cost per plain letter.

The letters are the project's own where its modules are there (templates of
`templates/`, `letter_context` on the sample's reminder rows with the
company's signature image, `render_letter`, each letter drawing its own EPC QR code
when it asks for a transfer); otherwise, or with --stand-in, a stand-in of the same
shape is generated here: letterhead, address block, a 3-line invoice table, totals.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.shared import Pt
from pypdf import PdfReader

from relances_xl.letters.docx_lean import lean_parts
from relances_xl.letters.libreoffice import with_heap_kept
from relances_xl.letters.pdf import find_soffice
from relances_xl.letters.render import render_letter
from relances_xl.letters.run import letters_to_pdf

Job = tuple[Path, dict, str]  # template, context, name of the letter

NAMES = ["Dupré", "Lefèvre", "Garçon", "Bâtiment Müller", "Hôtel de l'Œuf", "Ébénisterie Noël"]
CITIES = [("75011", "Paris"), ("69003", "Lyon"), ("13008", "Marseille"), ("59000", "Lille")]


def euros(amount: Decimal) -> str:
    """`1 234,56 €`, as the letters show money."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents}\u00a0€"


def make_template(path: Path, lean: bool) -> Path:
    """A stand-in for LET01_FR: what a first reminder looks like, with docxtpl tags.

    python-docx starts every document from a template that defines all of Word's 164
    styles (styles.xml 350 KB, plus a 440 KB stylesWithEffects.xml); Word itself saves
    only the styles in use. `lean` saves it the way Word would: that halves both the
    docxtpl and the LibreOffice time per letter (the project's templates are made
    with python-docx too, so the default is their shape)."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    doc.add_paragraph("{{ societe.raison_sociale }}").runs[0].bold = True
    doc.add_paragraph("{{ societe.adresse }}\nSIRET {{ societe.siret }}")
    for line in ("{{ client.nom }}", "{{ client.adresse1 }}", "{{ client.cp }} {{ client.ville }}"):
        doc.add_paragraph(line).paragraph_format.left_indent = Pt(280)
    doc.add_paragraph("{{ ville_emission }}, le {{ date }}").paragraph_format.left_indent = Pt(280)
    doc.add_paragraph("Objet : relance n°{{ niveau }} — factures échues").runs[0].bold = True
    doc.add_paragraph("Madame, Monsieur,")
    doc.add_paragraph(
        "Sauf erreur de notre part, les factures ci-dessous, échues à ce jour, restent "
        "impayées. Nous vous remercions de bien vouloir procéder à leur règlement dans les "
        "meilleurs délais, ou de nous faire part de toute contestation."
    )
    table = doc.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    heads = ["N° pièce", "Date", "Échéance", "Montant TTC", "Reste dû"]
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
    table.rows[1].cells[0].text = "{%tr for l in lignes %}"
    cells = table.add_row().cells
    for cell, tag in zip(cells, ["piece", "date", "echeance", "montant", "reste"], strict=True):
        cell.text = f"{{{{ l.{tag} }}}}"
    # the {%tr endfor %} row must come after the loop body
    end = table.rows[2]
    end.cells[0].text = "{%tr endfor %}"
    table._tbl.remove(end._tr)
    table._tbl.append(end._tr)
    doc.add_paragraph("Total dû : {{ total }}").runs[0].bold = True
    doc.add_paragraph(
        "Indemnité forfaitaire pour frais de recouvrement (art. D441-5 du Code de commerce) : "
        "{{ indemnite }}. Pénalités de retard : {{ agios }}."
    )
    doc.add_paragraph("Règlement par virement : IBAN {{ societe.iban }}.")
    doc.add_paragraph(
        "Si votre règlement a été adressé entre-temps, nous vous prions de ne pas tenir compte "
        "de ce courrier. Veuillez agréer, Madame, Monsieur, nos salutations distinguées."
    )
    doc.add_paragraph("Le service comptabilité").paragraph_format.left_indent = Pt(280)
    doc.save(path)
    if lean:
        keep_used_styles_only(path)
    return path


def keep_used_styles_only(path: Path) -> None:
    """The stand-in letter made lean the way the project's templates are."""
    with zipfile.ZipFile(path) as source:
        parts = lean_parts({item.filename: source.read(item) for item in source.infolist()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def context(index: int) -> dict:
    """Customer `index`'s letter: distinct name, address and three invoices."""
    cp, ville = CITIES[index % len(CITIES)]
    start = date(2026, 6, 1) + timedelta(days=index % 90)
    lignes, total = [], Decimal(0)
    for n in range(3):
        amount = Decimal(150 + (index * 37 + n * 911) % 9000) + Decimal(index % 100) / 100
        total += amount
        issued = start + timedelta(days=10 * n)
        lignes.append({"piece": f"FA{index:05d}-{n + 1}", "date": f"{issued:%d/%m/%Y}",
                       "echeance": f"{issued + timedelta(days=30):%d/%m/%Y}",
                       "montant": euros(amount), "reste": euros(amount)})
    return {
        "societe": {"raison_sociale": "Négoce Martin SAS",
                    "adresse": "12 rue des Écoles, 75005 Paris", "siret": "123 456 789 00012",
                    "iban": "FR76 3000 6000 0112 3456 7890 189"},
        "client": {"nom": f"{NAMES[index % len(NAMES)]} n°{index}",
                   "adresse1": f"{index} avenue de la République", "cp": cp, "ville": ville},
        "ville_emission": "Paris", "date": "05/11/2026", "niveau": 1 + index % 3,
        "lignes": lignes, "total": euros(total), "indemnite": euros(Decimal(120)),
        "agios": euros(total * Decimal("0.012")),
    }


def project_jobs(count: int, folder: Path, lean: bool) -> tuple[list[Job], str] | None:
    """The project's own templates and contexts on the sample's reminder rows (each with
    its level's template), the customer's name numbered to tell letters apart.
    `lean`: copies of the templates with only the styles in use. None while those
    modules are not there or not in the shape used here."""
    try:
        from relances_xl.letters.context import letter_context
        from relances_xl.letters.make_templates import sample_inputs
        from relances_xl.letters.render import template_path
        from relances_xl.model import Filters
        from relances_xl.rules.engine import compute_reminders

        ledger, settings, on = sample_inputs()
        rows, _ = compute_reminders(ledger, settings, Filters(date=on))
        customers = {c.tiers: c for c in ledger.customers}
        companies = {c.societe: c for c in settings.companies}
        from relances_xl import sample
        from relances_xl.letters.run import printable_signature

        # as the add-in reads it per company, once for the run
        signature = printable_signature(sample.SIGNATURE_IMAGE.read_bytes())
        letters = [
            (template_path(settings.level(row.niveau).forme, customers[row.tiers].langue),
             letter_context(row, customers[row.tiers], companies[row.societe], settings, on,
                            signature=signature if companies[row.societe].signature else b""))
            for row in rows if row.a_relancer and row.niveau
        ]
    except Exception as exc:  # another change is still shaping these modules
        print(f"(project letters not usable yet: {exc!r}; stand-in used)")
        return None
    if not letters:
        return None
    if lean:
        copies = {}
        for template in {t for t, _ in letters}:
            copies[template] = shutil.copyfile(template, folder / template.name)
            keep_used_styles_only(copies[template])
        letters = [(copies[t], context) for t, context in letters]
    jobs = []
    for index in range(count):
        template, base = letters[index % len(letters)]
        jobs.append((template, {**base, "client_nom": f"{base['client_nom']} n°{index}"},
                     f"lettre_{index:05d}"))
    names = sorted({t.name for t, _ in letters})
    styles = "only the styles in use" if lean else "as committed"
    return jobs, f"project templates {', '.join(names)} ({styles}), {len(letters)} sample rows"


def letter_jobs(count: int, folder: Path, stand_in: bool, lean: bool) -> tuple[list[Job], str]:
    folder.mkdir(parents=True, exist_ok=True)
    found = None if stand_in else project_jobs(count, folder, lean)
    if found:
        return found
    template = make_template(folder / "LET01_standin.docx", lean)
    source = f"stand-in template, {'lean' if lean else 'all python-docx styles'}"
    return [(template, context(i), f"lettre_{i:05d}") for i in range(count)], source


def naive(documents: list[Path], out_dir: Path, env: dict[str, str] | None = None) -> float:
    """One soffice start per letter, one after the other, each with the same profile;
    `env`: the environment they start with (None: this process's)."""
    soffice = find_soffice()
    profile = Path(tempfile.mkdtemp(prefix="bench-naive-profile-"))
    start = time.perf_counter()
    for doc in documents:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(doc)],
                       check=True, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    shutil.rmtree(profile, ignore_errors=True)
    return elapsed


def envelope_run(jobs: list[Job], work: Path) -> tuple[float, int]:
    """The same letters as envelopes: (seconds, pages of the first envelope)."""
    from reportlab.pdfgen import canvas

    from relances_xl.config import STATEMENT_FORME
    from relances_xl.letters import copies, envelope
    from relances_xl.letters.make_templates import sample_inputs
    from relances_xl.letters.render import template_path
    from relances_xl.letters.statement import statement_context
    from relances_xl.model import Invoice

    ledger, settings, on = sample_inputs()
    customer = next(c for c in ledger.customers if c.tiers == "1FRNEG")
    company = settings.companies[0]
    folder = work / "factures"
    folder.mkdir(parents=True)
    pieces = [[f"FB{index:05d}-{n}" for n in (1, 2)] for index in range(len(jobs))]
    for piece in (p for pair in pieces for p in pair):  # one-page invoices, not timed
        page = canvas.Canvas(str(folder / f"{piece}.pdf"))
        page.drawString(72, 770, f"Facture {piece}")
        page.save()
    start = time.perf_counter()
    invoices = [Invoice("VIGNE", p, "1FRNEG", on, on, Decimal(1)) for pair in pieces
                for p in pair]
    found = copies.find_copies(folder, invoices)
    statement = (template_path(STATEMENT_FORME, "FR"),
                 statement_context(ledger, settings, customer, company, on))
    plan = envelope.Plan([envelope.Envelope(statement, tuple(found.for_invoices(pair)[0]))
                          for pair in pieces])
    names = [name for _, _, name in jobs]
    converted = letters_to_pdf(jobs + envelope.statement_jobs(plan, names), work / "run")
    made = envelope.assemble_all(plan, converted, work / "run")
    elapsed = time.perf_counter() - start
    return elapsed, len(PdfReader(made[0]).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument("--stand-in", action="store_true",
                        help="the bench's own letter even where the project's templates exist")
    parser.add_argument("--lean", action="store_true",
                        help="templates with only the styles in use, as Word saves them")
    parser.add_argument("--envelope", action="store_true",
                        help="also the same letters as envelopes (statement and 2 copies)")
    args = parser.parse_args()
    os.environ.setdefault("RELANCES_PDF_CONVERTER", "libreoffice")
    work = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    marks: dict[str, float] = {}

    def progress(done: int, total: int, text: str) -> None:
        if text.startswith("Conversion"):  # every letter rendered: conversion starts
            marks.setdefault("convert", time.perf_counter())

    try:
        jobs, source = letter_jobs(args.letters, work / "templates", args.stand_in, args.lean)
        start = time.perf_counter()
        pdfs = letters_to_pdf(jobs, work / "run", progress)
        end = time.perf_counter()
        first = PdfReader(pdfs[0])
        assert "n°0" in first.pages[0].extract_text(), "first PDF is not the first letter"
        counts = Counter(len(PdfReader(pdf).pages) for pdf in pdfs)  # untimed
        pages_told = ", ".join(f"{n} of {pages} page(s)" for pages, n in sorted(counts.items()))
        # the letters bundled for LibreOffice are never saved one by one (direct.py):
        # the naive way's letters are saved here, untimed, as the Word output saves them
        documents = [render_letter(template, context, work / "naive-docx" / f"{name}.docx")
                     for template, context, name in jobs[: args.naive]]
        t_naive = naive(documents, work / "naive") if args.naive else 0.0
        # the same, each start given the heap this project's starts are given
        t_kept = naive(documents, work / "naive-kept", with_heap_kept(None)
                       ) if args.naive else 0.0
        if args.envelope:
            t_envelope, envelope_pages = envelope_run(jobs, work / "envelope")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    converting = marks["convert"]
    total_s = end - start
    print(f"letters             {len(pdfs)} ({source}; {pages_told})")
    print(f"render (docxtpl)    {converting - start:7.2f} s")
    print(f"convert (bundled)   {end - converting:7.2f} s (2 LibreOffice processes)")
    print(f"total               {total_s:7.2f} s")
    print(f"letters per second  {len(pdfs) / total_s:7.1f}")
    if args.naive:
        per_letter = t_naive / args.naive
        print(f"naive, per letter   {per_letter:7.2f} s "
              f"(one soffice start per letter, {args.naive} timed)")
        print(f"ratio vs naive      {per_letter * len(pdfs) / total_s:7.1f}x "
              f"(conversion alone: {per_letter * len(pdfs) / (end - converting):.1f}x)")
        kept = t_kept / args.naive
        print(f"naive, heap kept    {kept:7.2f} s per letter (started as this project starts "
              f"LibreOffice): ratio {kept * len(pdfs) / total_s:.1f}x")
    if args.envelope:
        print(f"envelopes           {t_envelope:7.2f} s ({envelope_pages} page(s) each: "
              "letter, statement, 2 copies)")
        print(f"per envelope        {t_envelope / len(pdfs):7.3f} s vs "
              f"{total_s / len(pdfs):.3f} s per plain letter: "
              f"{t_envelope / total_s:.2f}x")


if __name__ == "__main__":
    main()
