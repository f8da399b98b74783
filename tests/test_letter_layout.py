"""A letter that looks professionally made, read back from the PDF LibreOffice makes.

The letters go through the add-in's own path (`letters_to_pdf`: rendered, bundled,
converted, cut, page numbers stamped), then pdftotext -bbox gives each word's place:
the address sits in a DL envelope's window, the usual letter holds on one page, a long
one is numbered and never leaves the closing and signature alone, the IBAN stays on
one line. The typography and the public buyers' wording are checked in the templates'
XML too, where LibreOffice cannot hide anything.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
from conftest import soffice_or_skip

from relances_xl import sample
from relances_xl.letters.page_layout import ADDRESS_AREA_MM, TEXT_WIDTH_CM, WINDOW_MIDDLE_MM
from relances_xl.letters.render import TEMPLATES_DIR, template_path
from relances_xl.letters.run import letters_to_pdf
from relances_xl.letters.tab_list import PAD_CM

PT_MM = 25.4 / 72
SPARE_MM = 2.0  # the address keeps this far inside the window on every side
CLOSING = "Nous vous prions d’agréer"
CONTACT = "Notre service comptabilité se tient à votre disposition"
LONG_NAME = "Société Coopérative Agricole des Producteurs de Champagne du Grand Est"
LONG_ADDRESS = {"nom": LONG_NAME, "adresse1": "Zone d'activités des Trois Fontaines, bâtiment C",
                "adresse2": "12 avenue du Général de Gaulle", "code_postal": "51100",
                "ville": "REIMS CEDEX 2", "pays": "Belgique"}


def _context(data, tiers: str, *, lines=None, **changes) -> dict:
    from relances_xl.letters.context import letter_context

    ledger, settings, rows, on = data
    row = next(r for r in rows if (r.tiers, r.societe) == (tiers, "VIGNE"))
    if lines is not None:
        row = row._replace(lines=lines(row))
    customer = replace(next(c for c in ledger.customers if c.tiers == tiers), **changes)
    company = next(c for c in settings.companies if c.societe == "VIGNE")
    return letter_context(row, customer, company, settings, on,
                          signature=sample.SIGNATURE_IMAGE.read_bytes())


def _many(row):
    """Forty invoices: the notice's two, again and again under other numbers."""
    return tuple(ln._replace(invoice=ln.invoice._replace(piece=f"FA22-{n:04d}"))
                 for n, ln in enumerate(row.lines * 20, start=1))


@pytest.fixture(scope="module")
def letters(demo_rows, notice, public, tmp_path_factory) -> dict[str, Path]:
    soffice_or_skip()
    work = tmp_path_factory.mktemp("layout")
    cases = {
        "LET01_FR": ("LET01", "FR", _context(demo_rows, "1FRNEG")),
        "LET02_FR": ("LET02", "FR", _context(demo_rows, "2FRPAR")),
        "LET01_DE": ("LET01", "DE", _context(demo_rows, "3UENEG", langue="DE")),
        "LET01_EN": ("LET01", "EN", _context(demo_rows, "4HUE", langue="EN")),
        "LET03_FR": ("LET03", "FR", _context(notice, "1FRNEG")),
        "LET03_FR_part": ("LET03", "FR", _context(notice, "2FRPAR")),
        "LET03_FR_many": ("LET03", "FR", _context(notice, "1FRNEG", lines=_many)),
        "LET01_FR_long_address": ("LET01", "FR", _context(demo_rows, "1FRNEG",
                                                          **LONG_ADDRESS)),
        **{f"{forme}_{lang}_cheque": (forme, lang, _context(
            public, "1FRNEG", langue=lang, mode_reglement="CHQ"))
           for forme in ("ADM01", "ADM02") for lang in ("FR", "EN", "DE")},
    }
    jobs = [(template_path(forme, langue), ctx, name)
            for name, (forme, langue, ctx) in cases.items()]
    made = letters_to_pdf(jobs, work)
    return {name: pdf for name, pdf in zip(cases, made, strict=True)}


@pytest.fixture(scope="module")
def demo_rows():
    from relances_xl.letters.make_templates import sample_ledger
    from relances_xl.model import Filters
    from relances_xl.rules.engine import compute_reminders

    ledger, settings = sample_ledger()
    rows, _ = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    return ledger, settings, rows, sample.DEMO_DATE


@pytest.fixture(scope="module")
def public(demo_rows):
    from relances_xl.config import DEFAULT_LEVELS, PUBLIC_LEVELS, PUBLIC_TERMS
    from relances_xl.model import Filters, Ledger
    from relances_xl.rules.engine import compute_reminders

    ledger, settings, _, on = demo_rows
    customers = tuple(replace(c, conditions=PUBLIC_TERMS) if c.tiers == "1FRNEG" else c
                      for c in ledger.customers)
    ledger = Ledger(customers, ledger.invoices, ledger.payments, ledger.history)
    settings = replace(settings, levels=(*DEFAULT_LEVELS, *PUBLIC_LEVELS))
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    return ledger, settings, rows, on


# --- reading the PDF back -----------------------------------------------------------------

Word = tuple[str, float, float, float, float]  # text, left, top, right, bottom in mm


def pages(pdf: Path) -> list[list[Word]]:
    """Each page's words with their box in mm from the page's top left corner."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    found: list[list[Word]] = []
    for page in out.split("<page ")[1:]:
        found.append([(unescape(m[5]), *(float(m[i]) * PT_MM for i in range(1, 5)))
                      for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                           page)])
    return found


def text(words: list[Word]) -> str:
    return " ".join(w[0] for w in words).replace("\u202f", " ").replace("\xa0", " ")


def lines(words: list[Word]) -> list[str]:
    """The page's words grouped by line (same top, to a tenth of a mm)."""
    rows: dict[float, list[Word]] = {}
    for word in words:
        rows.setdefault(round(word[2], 1), []).append(word)
    return [text(sorted(row, key=lambda w: w[1])) for _, row in sorted(rows.items())]


def rows(words: list[Word]) -> list[list[Word]]:
    """The page's words grouped by line, each line's words from left to right."""
    found: dict[float, list[Word]] = {}
    for word in words:
        found.setdefault(round(word[2], 1), []).append(word)
    return [sorted(row, key=lambda w: w[1]) for _, row in sorted(found.items())]


def amount_ends(row: list[Word]) -> list[float]:
    """Where each amount of the line ends (the right edge of its "€"), in mm."""
    return [word[3] for word in row if word[0].endswith("€")]


# --- one page, and when not: numbered, closing never alone ----------------------------------


@pytest.mark.parametrize("name", ["LET01_FR", "LET02_FR", "LET01_DE", "LET01_EN",
                                  "LET03_FR_part", "LET01_FR_long_address", "ADM01_FR_cheque"])
def test_the_usual_letter_holds_on_one_page_and_carries_no_page_number(letters, name):
    [page] = pages(letters[name])  # exactly one page
    assert "page 1/1" not in text(page)
    assert CLOSING.split()[0] in text(page) or "Yours" in text(page) or "Grüßen" in text(page)


DEMAND = "Par la présente, nous vous mettons en demeure"


def test_a_notice_over_two_pages_carries_its_demand_to_the_page_of_its_closing(letters):
    """1FRNEG's formal notice lists each invoice's interest period by period (issue 23):
    it runs over a page, and the page of the closing starts with the demand itself,
    never the closing and the signature alone."""
    first, second = pages(letters["LET03_FR"])
    assert DEMAND not in text(first) and CLOSING not in text(first)
    assert "Détail des intérêts" in text(first)
    assert lines(second)[0].startswith(DEMAND)
    for part in (CONTACT, CLOSING, "Claire Dubois", "page 2/2"):
        assert part in text(second), part


def test_a_letter_of_forty_invoices_is_numbered_and_ends_with_more_than_its_closing(letters):
    found = pages(letters["LET03_FR_many"])
    assert len(found) >= 2
    for number, page in enumerate(found, start=1):
        assert (f"MME toulouse amelie · Mise en demeure du 15 septembre 2022 · "
                f"page {number}/{len(found)}") in text(page)
    last = text(found[-1])
    # the closing, the QR code's caption and the signature together, with the paragraph
    # before them: never a page of the closing and the signature alone
    for part in (CONTACT, CLOSING, "scannez ce code", "Claire Dubois", "Responsable comptable"):
        assert part in last, part
    assert CLOSING not in text(found[-2])
    # the invoice list runs over the page (its header is not repeated: it is no table,
    # tab_list.py), its lines go on in the same columns down to the total
    invoice_lines = {number: [row for row in rows(page) if row[0][0].startswith("FA22-")
                              and len(amount_ends(row)) == 4]  # not the interest periods
                     for number, page in enumerate(found)}
    assert invoice_lines[0] and invoice_lines[1]
    invoice_lines = [row for page in invoice_lines.values() for row in page]
    assert len(invoice_lines) == 40
    columns = amount_ends(invoice_lines[0])
    assert all(amount_ends(row) == pytest.approx(columns, abs=0.3) for row in invoice_lines)


# --- the lists: amounts right-aligned in their columns ----------------------------------------


def test_the_invoice_lists_amounts_end_in_columns_under_their_titles(letters):
    """1FRNEG's notice: each amount column's figures (6 000,00 € above 11 063,80 €)
    end at one place, under the end of their title, the last at the text's right edge;
    the invoice numbers start under theirs."""
    first = rows(pages(letters["LET03_FR"])[0])
    at = next(n for n, row in enumerate(first) if row[0][0] == "N°" and row[1][0] == "pièce")
    header, *lines, total = first[at:at + 4]
    assert [row[0][0] for row in lines] == ["FA22-0101", "FA22-0115"]
    assert total[0][0] == "Total"
    ends = amount_ends(lines[0])
    assert len(ends) == 4  # amount, left to pay, interest, indemnity
    assert amount_ends(lines[1]) == pytest.approx(ends, abs=0.3)
    assert amount_ends(total) == pytest.approx(ends, abs=0.3)
    titles = {w[0]: w[3] for w in header}
    for title, end in zip(("TTC", "dû", "Intérêts", "Indemnité"), ends, strict=True):
        assert titles[title] == pytest.approx(end, abs=0.3), title
    text_right = 20 + (TEXT_WIDTH_CM - PAD_CM) * 10  # the text's right edge, less padding
    assert ends[-1] == pytest.approx(text_right, abs=0.5)
    assert lines[0][0][1] == pytest.approx(header[0][1], abs=0.2)  # numbers under "N°"
    widths = {round(w[3] - w[1], 1) for row in (lines[0], total) for w in row[-8:]
              if w[0][0].isdigit()}
    assert len(widths) > 1  # figures of different widths, one right edge: right-aligned


# --- the address in the window of a DL envelope -----------------------------------------------


def test_the_window_area_is_the_part_of_a_dl_window_every_position_of_the_sheet_shows():
    # window 100 x 45 mm, 20 mm from the right and 15 mm from the bottom of a 220 x 110
    # envelope; the sheet (210 x 99 mm folded) may sit 10 mm across and 11 mm up or down
    assert ADDRESS_AREA_MM == (100.0, 50.0, 190.0, 84.0)


@pytest.mark.parametrize("name, block", [
    ("LET03_FR", ["MME toulouse amelie", "12 rue de Vesle", "51100 REIMS"]),
    ("LET01_FR_long_address", [LONG_NAME, LONG_ADDRESS["adresse1"], LONG_ADDRESS["adresse2"],
                               "51100 REIMS CEDEX 2", "BELGIQUE"]),
])
def test_the_address_block_sits_inside_the_envelope_window(letters, name, block):
    first = pages(letters[name])[0]
    wanted = " ".join(block).split()
    top_words = [w for w in first if 30 < w[2] < 110 and w[1] > 95]  # right half, top
    # the block's words, in order, among the words of the page's top right
    start = next(i for i in range(len(top_words)) if
                 [w[0] for w in top_words[i:i + len(wanted)]] == wanted)
    words = top_words[start:start + len(wanted)]
    left, top, right, bottom = ADDRESS_AREA_MM
    assert min(w[2] for w in words) >= 45  # the rule: 45 mm from the top at least
    assert min(w[1] for w in words) >= left + SPARE_MM
    assert min(w[2] for w in words) >= top + SPARE_MM
    assert max(w[3] for w in words) <= right - SPARE_MM
    assert max(w[4] for w in words) <= bottom - SPARE_MM


@pytest.mark.parametrize("name", ["LET03_FR", "LET01_FR_long_address"])
def test_nothing_else_shows_through_the_window(letters, name):
    """The date, the subject, the letterhead and the letter's text stay out of the window
    (the folded sheet in the middle of the envelope, and no nearer than 5 mm)."""
    first = pages(letters[name])[0]
    left, top, right, bottom = WINDOW_MIDDLE_MM
    inside = " ".join(w[0] for w in first if w[3] > left - 5 and w[1] < right
                      and w[4] > top - 5 and w[2] < bottom)
    assert inside.startswith(("MME toulouse amelie", "Société Coopérative"))
    assert inside.endswith(("51100 REIMS", "BELGIQUE"))
    assert "Objet" not in inside and "Madame" not in inside and "REIMS, le" not in inside


# --- IBAN and typography ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["LET03_FR", "LET01_DE", "LET01_EN", "ADM01_FR_cheque"])
def test_the_iban_is_never_split_across_lines(letters, name):
    found = [line for page in pages(letters[name]) for line in lines(page)
             if "FR76" in line and "IBAN" in line]
    assert found, name
    assert all("FR76 3000 6000 0112 3456 7890 189" in line for line in found)


def _visible_text(xml: str) -> list[str]:
    """The text of each paragraph of a template, with its template tags taken out."""
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs]
    return [re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", unescape(t)) for t in texts]


def _template_xml(name: str) -> str:
    with zipfile.ZipFile(TEMPLATES_DIR / name) as package:
        return "".join(package.read(part).decode("utf-8") for part in package.namelist()
                       if part.startswith("word/") and part.endswith(".xml"))


@pytest.mark.parametrize("forme", ["LET01", "LET02", "LET03", "ADM01", "ADM02", "PROP01"])
def test_french_templates_follow_french_typography(forme):
    paragraphs = _visible_text(_template_xml(f"{forme}_FR.docx"))
    joined = "\n".join(paragraphs)
    assert "'" not in joined  # typographic apostrophes only
    for wrong in (" :", " ;", " ?", " !", "« ", " »"):
        assert wrong not in joined, wrong
    assert "\u00a0:" in joined
    assert "Echéance" not in joined and "A défaut" not in joined


@pytest.mark.parametrize("forme", ["LET01", "LET02", "LET03", "ADM01", "ADM02", "PROP01"])
@pytest.mark.parametrize("langue", ["EN", "DE"])
def test_english_and_german_templates_use_typographic_apostrophes(forme, langue):
    assert "'" not in "\n".join(_visible_text(_template_xml(f"{forme}_{langue}.docx")))


def test_french_letters_print_accented_capitals_and_no_break_spaces(letters):
    raw = " ".join(text(page) for page in pages(letters["LET03_FR"]))
    assert "Échéance" in raw and "À défaut" in raw
    assert "l’échéance" in raw and "l'échéance" not in raw


# --- the footer, German and English wording ---------------------------------------------------


def test_the_footer_names_the_form_once_and_labels_the_registered_office(letters):
    page = text(pages(letters["LET01_FR"])[0])
    assert "Domaine de la Vigne SAS au capital de 150 000 €" in page
    assert "Siège social : 1 chemin des Vignes, 51100 REIMS" in page
    assert "SAS, SAS" not in page


def test_german_letters_call_an_sas_capital_grundkapital_and_translate_the_title(letters):
    page = text(pages(letters["LET01_DE"])[0])
    assert "mit einem Grundkapital von 150.000 €" in page
    assert "Stammkapital" not in page
    assert "Leitung Buchhaltung" in page and "Responsable comptable" not in page
    assert "Sitz: 1 chemin des Vignes" in page


def test_english_letters_answer_any_questions_and_translate_the_title(letters):
    page = text(pages(letters["LET01_EN"])[0])
    assert "to answer any questions:" in page
    assert "Head of Accounting" in page and "Registered office:" in page


# --- public buyers --------------------------------------------------------------------------


@pytest.mark.parametrize("forme", ["ADM01", "ADM02"])
@pytest.mark.parametrize("langue, chorus, cheque", [
    ("FR", "portail public de facturation Chorus Pro (articles L2192-1 et L2192-5", "chèque"),
    ("EN", "public invoicing portal Chorus Pro (Articles L2192-1 and L2192-5", "cheque"),
    ("DE", "Rechnungsportal Chorus Pro eingereicht (Art. L2192-1 und L2192-5", "Scheck"),
])
def test_public_buyers_are_never_offered_a_cheque_and_read_chorus_pro(letters, forme, langue,
                                                                    chorus, cheque):
    page = " ".join(text(p) for p in pages(letters[f"{forme}_{langue}_cheque"]))
    assert chorus in page
    assert cheque not in page.casefold()
    assert "IBAN FR76 3000 6000 0112 3456 7890 189" in page  # paid by transfer
    for template in (f"{forme}_{langue}.docx",):
        assert cheque not in _template_xml(template).casefold()


# --- the proposal -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proposal(demo_rows, tmp_path_factory) -> Path:
    from relances_xl.letters.context import proposal_context
    from relances_xl.letters.pdf import convert_to_pdf
    from relances_xl.letters.render import render_letter

    soffice_or_skip()
    work = tmp_path_factory.mktemp("proposal")
    ledger, settings, rows, on = demo_rows
    ctx = proposal_context(rows, ledger, settings, on, "FR")
    made = render_letter(template_path("PROP01", "FR"), ctx, work / "PROP01_FR.docx")
    return convert_to_pdf([made], work / "pdf")[0]


def test_the_proposal_opens_with_one_line_per_customer(proposal):
    found = pages(proposal)
    first = lines(found[0])
    whole = " ".join(text(page) for page in found)
    overview = whole.index("Lettres à éditer")
    assert overview < whole.index("1FRNEG – MME toulouse amelie")  # before the details
    for row in ("1FRNEG MME toulouse amelie 2 LET02 E-mail ou courrier Non FR 216,00 €",
                "3UENEG Négoce UE 1 LET01 E-mail ou courrier Non DE 2 000,00 €",
                "4HUE Hors Union"):
        assert any(line.startswith(row) for line in first), row
    # NYWINE's dollars are totalled apart, never added to the euros (on the cell's 2nd line)
    at = next(n for n, line in enumerate(first) if line.startswith("Total réclamé"))
    assert first[at].endswith("5 791,46 € +") and first[at + 1] == "2 000,00 $US"


def test_the_proposals_qr_codes_are_small(proposal):
    listing = subprocess.run(["pdfimages", "-list", str(proposal)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    widths = [int(row.split()[3]) / int(row.split()[12]) * 25.4 for row in listing]
    assert widths and all(24 <= width <= 26 for width in widths)  # 2.5 cm, the letters: 3.2


def test_a_long_page_label_is_cut_to_stay_between_the_margins():
    from relances_xl.letters.page_numbers import MAX_WIDTH_PT, page_label, stamp_text, text_width

    label = page_label({"client_nom": "W" * 300, "niveau_titre": "Relance",
                        "date_lettre": "27 juillet 2022", "langue": "FR"})
    text = stamp_text(label, "page", 10, 12)
    assert text.startswith("WWW") and text.endswith("… · page 10/12")
    assert text_width(text) <= MAX_WIDTH_PT == pytest.approx(170 / 25.4 * 72)
    assert text_width(text + "WW") > MAX_WIDTH_PT  # cut no shorter than it must
    short = {"client_nom": "MME toulouse amelie", "niveau_titre": "Mise en demeure",
             "date_lettre": "15 septembre 2022", "langue": "FR"}
    assert page_label(short) == "MME toulouse amelie · Mise en demeure du 15 septembre 2022"
    assert stamp_text(page_label(short), "page", 1, 2) == (
        "MME toulouse amelie · Mise en demeure du 15 septembre 2022 · page 1/2")
    assert page_label({**short, "langue": "DE"}).endswith("Mise en demeure vom 15 septembre 2022")
