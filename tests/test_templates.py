"""The Word templates: found, checked, rendered safely, and readable once in PDF.

Every template is merged with a real context from the sample, all documents are
converted in one LibreOffice run, and the PDF text must show the customer, the
invoices, the amounts and the wording of the template's language.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import soffice_or_skip
from docx import Document
from pypdf import PdfReader

from relances_xl import sample
from relances_xl.config import (
    DEFAULT_LEVELS,
    PUBLIC_LEVELS,
    PUBLIC_TERMS,
    RECOVERY_FORMES,
    RatePeriod,
)
from relances_xl.letters import make_templates
from relances_xl.letters.context import letter_context, proposal_context
from relances_xl.letters.render import (
    TEMPLATES_DIR,
    TemplateError,
    check_fields,
    render_letter,
    template_path,
)
from relances_xl.model import Filters, Ledger
from relances_xl.rules.engine import compute_reminders

LANGUES = ("FR", "EN", "DE")
SPECIAL_NAME = 'Dupont & Fils <SARL> "L\'Été" Œuvre'


def plain(text: str) -> str:
    text = text.replace("\u202f", " ").replace("\xa0", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return plain(" ".join([p.text for p in doc.paragraphs] + cells))


def small_template(path: Path, *paragraphs: str, table: list[str] | None = None) -> Path:
    """A one-off .docx: a few paragraphs and, optionally, a one-column looped table."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=1)
        for row, text in zip(grid.rows, table, strict=True):
            row.cells[0].text = text
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def demo():
    ledger, settings = make_templates.sample_ledger()
    rows, _ = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    return ledger, settings, rows, sample.DEMO_DATE


@pytest.fixture(scope="module")
def by_period():
    """The notice of 15/09/2022 with two half-years' rates: 10 % then 10,50 % from 01/07."""
    ledger, settings, on = make_templates.sample_inputs()
    periods = (RatePeriod(date(2022, 1, 1), D("0.10"), D("0.0076"), D("0.08")),
               RatePeriod(date(2022, 7, 1), D("0.105"), D("0.0077"), D("0.085")))
    settings = replace(settings, taux_periodes=periods)
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    return ledger, settings, rows, on


@pytest.fixture(scope="module")
def public():
    """The sample of 27/07/2022 with three customers on the public buyers' terms."""
    ledger, settings = make_templates.sample_ledger()
    customers = tuple(replace(c, conditions=PUBLIC_TERMS)
                      if c.tiers in ("1FRNEG", "3UENEG", "4HUE") else c for c in ledger.customers)
    ledger = Ledger(customers, ledger.invoices, ledger.payments, ledger.history)
    settings = replace(settings, levels=(*DEFAULT_LEVELS, *PUBLIC_LEVELS))
    rows, _ = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    return ledger, settings, rows, sample.DEMO_DATE


def context(data, tiers: str, **changes) -> dict:
    ledger, settings, rows, on = data
    row = next(r for r in rows if (r.tiers, r.societe) == (tiers, "VIGNE"))
    customer = replace(next(c for c in ledger.customers if c.tiers == tiers), **changes)
    company = next(c for c in settings.companies if c.societe == "VIGNE")
    return letter_context(row, customer, company, settings, on)


# --- finding templates ------------------------------------------------------------------


def test_template_path_by_forme_and_language(tmp_path):
    assert template_path("LET02", "DE") == TEMPLATES_DIR / "LET02_DE.docx"
    assert template_path("let03", "xx") == TEMPLATES_DIR / "LET03_FR.docx"
    shutil.copyfile(TEMPLATES_DIR / "LET01_FR.docx", tmp_path / "let09_fr.docx")
    assert template_path("LET09", "EN", tmp_path) == tmp_path / "let09_fr.docx"


def test_missing_template_is_named(tmp_path):
    with pytest.raises(TemplateError, match=r"LET07_DE\.docx introuvable.*LET07_FR\.docx"):
        template_path("LET07", "DE", tmp_path)
    with pytest.raises(TemplateError, match="invalide"):
        template_path("../LET01", "FR")


# --- checking fields ---------------------------------------------------------------------


def test_every_template_uses_only_known_fields(demo, notice, public):
    for forme in make_templates.LETTER_FORMES:
        data = public if forme.startswith("ADM") else notice
        for langue in LANGUES:
            check_fields(template_path(forme, langue), context(data, "1FRNEG", langue=langue))
    ledger, settings, rows, on = demo
    for langue in LANGUES:
        check_fields(template_path("PROP01", langue),
                     proposal_context(rows, ledger, settings, on, langue))


def test_unknown_field_names_template_and_field(tmp_path, demo):
    template = small_template(tmp_path / "LET02_DE.docx", "{{ client_nom }} {{ foo }}")
    with pytest.raises(TemplateError) as raised:
        check_fields(template, context(demo, "1FRNEG"))
    assert str(raised.value) == "Modèle LET02_DE.docx : champ inconnu « foo »"


def test_unknown_field_inside_a_table_loop(tmp_path, demo):
    template = small_template(tmp_path / "LET01_FR.docx", "{{ reference }}", table=[
        "{%tr for l in lignes %}", "{{ l.numero }} {{ l.numro }}", "{%tr endfor %}"])
    expected = "LET01_FR.docx : champ inconnu « lignes[].numro »"
    with pytest.raises(TemplateError, match=re.escape(expected)):
        check_fields(template, context(demo, "1FRNEG"))


def test_several_unknown_fields_are_all_named(tmp_path, demo):
    template = small_template(tmp_path / "PROP01_FR.docx", "{{ zz }}", "{{ aa.b }}")
    ledger, settings, rows, on = demo
    with pytest.raises(TemplateError, match="champs inconnus « aa », « zz »"):
        check_fields(template, proposal_context(rows, ledger, settings, on))


def test_broken_template_is_a_template_error(tmp_path, demo):
    bad_tag = small_template(tmp_path / "LET01_FR.docx", "{{ client_nom ")
    with pytest.raises(TemplateError, match=r"LET01_FR\.docx : balise mal formée"):
        check_fields(bad_tag, context(demo, "1FRNEG"))
    not_word = tmp_path / "LET02_FR.docx"
    not_word.write_text("pas un document Word")
    with pytest.raises(TemplateError, match=r"LET02_FR\.docx : fichier absent"):
        check_fields(not_word, context(demo, "1FRNEG"))


# --- the sandbox and escaping -------------------------------------------------------------


@pytest.mark.parametrize("code", ["{{ ''.__class__.__mro__ }}",
                                  "{{ client_nom.__class__ }}",
                                  "{{ client_nom|attr('__class__') }}"])
def test_python_internals_are_refused(tmp_path, demo, code):
    template = small_template(tmp_path / "LET01_FR.docx", code)
    out = tmp_path / "out.docx"
    with pytest.raises(TemplateError, match=r"LET01_FR\.docx : code refusé par le bac à sable"):
        render_letter(template, context(demo, "1FRNEG"), out)
    assert not out.exists()


def test_check_fields_refuses_internals_before_any_run(tmp_path, demo):
    template = small_template(tmp_path / "LET01_FR.docx", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="accès interdit à « __class__ », « __mro__ »"):
        check_fields(template, context(demo, "1FRNEG"))


def test_xml_special_characters_render_as_typed(tmp_path, demo):
    ctx = context(demo, "1FRNEG", nom=SPECIAL_NAME, adresse1="5 rue <des> \"Tanneurs\" & Cie")
    out = render_letter(template_path("LET01", "FR"), ctx, tmp_path / "special.docx")
    text = docx_text(out)
    assert SPECIAL_NAME in text
    assert '5 rue <des> "Tanneurs" & Cie' in text
    assert "&amp;" not in text and "&lt;" not in text


# --- reproducible templates -----------------------------------------------------------------


def test_make_templates_is_reproducible_and_committed():
    first = make_templates.template_files()
    assert make_templates.template_files() == first
    committed = {p.name for p in TEMPLATES_DIR.iterdir() if p.suffix in {".docx", ".md"}}
    assert committed == set(first)
    stale = [name for name, data in first.items() if (TEMPLATES_DIR / name).read_bytes() != data]
    assert not stale, f"rerun python -m relances_xl.letters.make_templates: {stale}"


def test_main_writes_every_template(tmp_path):
    assert make_templates.main([str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = [f"{f}_{lang}.docx"
                for f in ("LET01", "LET02", "LET03", "ADM01", "ADM02", "PROP01", "REL01")
                for lang in LANGUES]
    recovery = [f"{forme}_FR.docx" for forme in RECOVERY_FORMES]  # French only
    assert names == sorted([*expected, *recovery, "README.md"])
    props = Document(str(tmp_path / "LET03_DE.docx")).core_properties
    assert (props.created.year, props.title) == (2022, "LET03 (DE)")


# --- rendered, converted, read back ---------------------------------------------------------

# name -> (template forme, langue, which data, customer code, customer changes)
CASES = {
    **{f"LET0{n}_FR": (f"LET0{n}", "FR", "demo", "1FRNEG", {}) for n in (1, 2)},
    **{f"LET0{n}_EN": (f"LET0{n}", "EN", "demo", "4HUE", {}) for n in (1, 2)},
    **{f"LET0{n}_DE": (f"LET0{n}", "DE", "demo", "3UENEG", {}) for n in (1, 2)},
    **{f"LET03_{lang}_pro": ("LET03", lang, "notice", "1FRNEG", {"langue": lang})
       for lang in LANGUES},
    **{f"LET03_{lang}_part": ("LET03", lang, "notice", "2FRPAR", {"langue": lang})
       for lang in LANGUES},
    "special": ("LET01", "FR", "demo", "1FRNEG", {"nom": SPECIAL_NAME}),
    "LET02_FR_one": ("LET02", "FR", "demo", "2FRPAR", {}),
    "LET01_FR_lcr": ("LET01", "FR", "demo", "5REST", {}),
    "LET01_EN_lcr": ("LET01", "EN", "demo", "5REST", {"langue": "EN"}),
    **{f"LET03_{lang}_part_repeat": ("LET03", lang, "repeat", "2FRPAR", {"langue": lang})
       for lang in LANGUES},
    "LET03_FR_by_period": ("LET03", "FR", "by_period", "1FRNEG", {}),
    **{f"ADM01_{lang}": ("ADM01", lang, "public", "4HUE", {"langue": lang}) for lang in LANGUES},
    **{f"ADM02_{lang}": ("ADM02", lang, "public", "1FRNEG", {"langue": lang})
       for lang in LANGUES},
}
# name -> (template, customer, customer changes, invoices' payment mode, company changes)
ODD_CASES = {
    "LET01_FR_prlv": ("LET01_FR", "1FRNEG", {}, "PRLV", {}),
    "LET01_FR_bare": ("LET01_FR", "1FRNEG", {}, None, {
        "iban": "", "bic": "", "forme_juridique": "", "capital": None, "rcs": "", "tva": "",
        "telephone": "", "signataire": "", "signataire_titre": "", "raison_sociale": ""}),
}


def odd_context(data, tiers: str, changes: dict, mode: str | None, company: dict) -> dict:
    """A letter of the sample with its invoices' payment mode or its company changed."""
    ledger, settings, rows, on = data
    row = next(r for r in rows if (r.tiers, r.societe) == (tiers, "VIGNE"))
    if mode:
        row = row._replace(lines=tuple(ln._replace(invoice=ln.invoice._replace(
            mode_reglement=mode)) for ln in row.lines))
    customer = replace(next(c for c in ledger.customers if c.tiers == tiers), **changes)
    firm = replace(next(c for c in settings.companies if c.societe == "VIGNE"), **company)
    return letter_context(row, customer, firm, settings, on,
                          signature=sample.SIGNATURE_IMAGE.read_bytes())


@pytest.fixture(scope="module")
def pdf_text(demo, notice, repeat, by_period, public, tmp_path_factory) -> dict[str, str]:
    """Every case and the three proposals, converted in one LibreOffice run."""
    soffice = soffice_or_skip()
    work = tmp_path_factory.mktemp("letters")
    data = {"demo": demo, "notice": notice, "repeat": repeat, "by_period": by_period,
            "public": public}
    documents = []
    for name, (forme, langue, which, tiers, changes) in CASES.items():
        ctx = context(data[which], tiers, **changes)
        template = template_path(forme, langue)
        check_fields(template, ctx)
        documents.append(render_letter(template, ctx, work / f"{name}.docx"))
    for name, (template, tiers, changes, mode, company) in ODD_CASES.items():
        documents.append(render_letter(TEMPLATES_DIR / f"{template}.docx", odd_context(
            demo, tiers, changes, mode, company), work / f"{name}.docx"))
    ledger, settings, rows, on = demo
    for langue in LANGUES:
        ctx = proposal_context(rows, ledger, settings, on, langue)
        documents.append(render_letter(template_path("PROP01", langue), ctx,
                                       work / f"PROP01_{langue}.docx"))
    profile = (work / "profile").as_uri()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to",
                    "pdf", "--outdir", str(work / "pdf"), *map(str, documents)],
                   check=True, capture_output=True, timeout=300)
    texts = {}
    for document in documents:
        pdf = work / "pdf" / f"{document.stem}.pdf"
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                             capture_output=True, text=True)
        texts[document.stem] = plain(out.stdout)
    texts["folder"] = str(work / "pdf")
    return texts


def qr_payloads(pdf: Path, dpi: int = 150) -> list[bytes]:
    """The QR codes zbar reads on the pages rendered by poppler, as raw bytes."""
    zbar = shutil.which("zbarimg")
    if zbar is None:
        pytest.fail("zbarimg (apt package zbar-tools) is required: .ci/run installs it")
    found = []
    for page in range(1, len(PdfReader(pdf).pages) + 1):
        png = pdf.with_name(f"{pdf.stem}-p{page}")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l",
                        str(page), str(pdf), str(png)], check=True, capture_output=True)
        done = subprocess.run([zbar, "--quiet", "--raw", "-Sbinary", "-Sqrcode.enable",
                               f"{png}.png"], capture_output=True)
        assert done.returncode in (0, 4), done.stderr  # 4: no code on the page
        found += [code for code in done.stdout.split(b"BCD\n") if code]
    return found


EPC_1FRNEG = (b"BCD\n002\n1\nSCT\nAGRIFRPP\nDomaine de la Vigne SAS\n"
              b"FR7630006000011234567890189\nEUR379.07\n\n\nFA22-0101 FA22-0115")


def test_the_qr_code_of_a_formal_notice_reads_back_byte_for_byte(pdf_text):
    folder = Path(pdf_text["folder"])
    [payload] = qr_payloads(folder / "LET03_FR_pro.pdf")
    assert b"BCD\n" + payload == EPC_1FRNEG  # what it asks (216,00 € + agios), the invoices
    assert qr_payloads(folder / "LET03_FR_part.pdf") == []  # a cheque: no QR
    assert qr_payloads(folder / "LET01_FR_bare.pdf") == []  # no IBAN: no QR


def test_the_footer_carries_the_legal_mentions_each_only_when_filled(pdf_text):
    full = pdf_text["LET01_FR"]
    for part in ("Domaine de la Vigne SAS au capital de 150 000 € · Siège social : "
                 "1 chemin des Vignes, 51100 REIMS",
                 "RCS Reims 123 456 789 · SIRET 123 456 789 00011 · N° TVA FR32 123456789",
                 "Tél. 03 26 00 00 00"):
        assert part in full, part
    assert "SAS, SAS" not in full
    assert "USt-IdNr. FR32 123456789" in pdf_text["LET01_DE"]
    bare = pdf_text["LET01_FR_bare"]
    assert "SIRET 123 456 789 00011" in bare and "compta@vigne.example.fr" in bare
    for absent in ("RCS", "capital", "TVA", "Tél.", "IBAN", "BIC"):
        assert absent not in bare, absent


def test_the_signatory_signs_and_the_department_stands_in_without_one(pdf_text):
    assert "Claire Dubois Responsable comptable" in pdf_text["LET01_FR"]
    assert "Service comptabilité" not in pdf_text["LET01_FR"]
    assert "Service comptabilité" in pdf_text["LET01_FR_bare"]
    assert "Claire Dubois" not in pdf_text["LET01_FR_bare"]


def test_one_invoice_is_singular_several_are_plural(pdf_text):
    assert "la facture ci-dessous n'est pas réglée : il en reste dû" in pdf_text["LET02_FR_one"]
    assert "procéder à son règlement" in pdf_text["LET02_FR_one"]
    assert "les factures ci-dessous ne sont pas réglées : il reste dû" in pdf_text["LET02_FR"]
    assert "procéder à leur règlement" in pdf_text["LET02_FR"]
    assert "la facture ci-dessous n'est pas réglée à ce jour" in pdf_text["LET03_FR_part"]
    assert "the invoice listed below is not settled" in pdf_text["LET03_EN_part"]
    assert "the invoices listed below are not settled" in pdf_text["LET03_EN_pro"]
    assert "Letzte Mahnung – Rechnung FA22-0109" in pdf_text["LET03_DE_part"]
    assert "Letzte Mahnung – Rechnungen FA22-0101, FA22-0115" in pdf_text["LET03_DE_pro"]
    for name, text in pdf_text.items():
        assert "(en)" not in text and "(s)" not in text, name


def test_how_to_pay_follows_the_payment_mode(pdf_text):
    cheque = pdf_text["LET02_FR_one"]
    assert ("votre chèque de 120,00 €, libellé à l'ordre de Domaine de la Vigne SAS, à "
            "l'adresse suivante : 1 chemin des Vignes, 51100 REIMS") in cheque
    assert "IBAN" not in cheque.split("RCS")[0] and "virement" not in cheque
    lcr = pdf_text["LET01_FR_lcr"]
    assert "Le règlement prévu par lettre de change (LCR) n'ayant pas abouti" in lcr
    assert "par virement sur notre compte IBAN FR76 3000 6000 0112 3456 7890 189 " in lcr
    assert "prochaines échéances seront présentées" in lcr
    assert "bill of exchange (LCR) did not go through" in pdf_text["LET01_EN_lcr"]
    prlv = pdf_text["LET01_FR_prlv"]
    assert "Le prélèvement de cette somme n'ayant pas abouti" in prlv
    assert "Votre prochaine échéance sera présentée au prélèvement" in prlv
    transfer = pdf_text["LET01_FR"]
    assert "(BIC AGRIFRPP), en rappelant la référence FA22-0101" in transfer
    assert "scannez ce code avec l'application de votre banque" in transfer


def test_german_formal_notice_headers_and_parentheses(pdf_text):
    text = pdf_text["LET03_DE_pro"]
    # the list's columns read line by line (pdftotext alone reads them column by column)
    layout = subprocess.run(["pdftotext", "-layout", str(Path(pdf_text["folder"])
                                                         / "LET03_DE_pro.pdf"), "-"],
                            check=True, capture_output=True, text=True).stdout
    assert ("Rechnung Datum Fällig am Betrag Offen Tage Verzug Zinsen Pauschale"
            in plain(layout)) and "Rechnungs" not in text
    assert "))" not in text
    assert "gemäß Art. L441-10 des französischen Handelsgesetzbuchs (Code de commerce)" in text


LANGUAGE_WORDS = {
    "FR": ["Madame, Monsieur,", "Objet :", "Total à régler", "IBAN", "Responsable comptable",
           "N° pièce", "Échéance", "Reste dû"],
    "EN": ["Dear Sir or Madam,", "Subject:", "Total amount due", "IBAN", "Yours faithfully",
           "Invoice no.", "Due date", "Outstanding"],
    "DE": ["Sehr geehrte Damen und Herren,", "Zu zahlender Gesamtbetrag", "IBAN",
           "Mit freundlichen Grüßen", "Rechnung", "Fällig am", "Offen"],
}


@pytest.mark.parametrize("forme", ["LET01", "LET02"])
def test_reminders_show_customer_invoices_and_totals(pdf_text, forme):
    fr, en, de = (pdf_text[f"{forme}_{lang}"] for lang in LANGUES)
    for text, lang in ((fr, "FR"), (en, "EN"), (de, "DE")):
        for word in LANGUAGE_WORDS[lang]:
            assert word in text, (forme, lang, word)
        assert "Domaine de la Vigne SAS" in text and "FR76 3000 6000 0112 3456 7890 189" in text
    for part in ("MME toulouse amelie", "12 rue de Vesle", "51100 REIMS", "FA22-0101",
                 "FA22-0115", "20/05/2022", "19/06/2022", "6 000,00 €", "5 063,80 €",
                 "11 063,80 €", "Deuxième relance", "REIMS, le 27 juillet 2022"):
        assert part in fr, part
    for part in ("Hors Union Européenne John", "100 Fifth Avenue", "212545 NEW YORK",
                 "ÉTATS-UNIS", "FA22-0105", "€1,800.00", "Payment reminder", "27 July 2022"):
        assert part in en, part
    for part in ("Négoce UE", "Friedrichstraße 12", "B6565 BERLIN", "ALLEMAGNE", "FA22-0112",
                 "2.450,00 €", "2.000,00 €", "Zahlungserinnerung", "27. Juli 2022"):
        assert part in de, part
    assert "L441-10" not in fr + en + de


def test_courteous_and_firm_reminders_differ(pdf_text):
    assert "sans doute d'un oubli" in pdf_text["LET01_FR"]
    assert "mise en demeure" in pdf_text["LET02_FR"]
    assert "Letzte Mahnung" not in pdf_text["LET01_DE"]
    assert "formal notice" in pdf_text["LET02_EN"]


NOTICE_WORDS = {
    "FR": ("au plus tard le 23 septembre 2022, soit huit jours après la date de la présente",
           "Mise en demeure"),
    "EN": ("by 23 September 2022 at the latest, i.e. eight days after the date of this letter",
           "Formal notice"),
    "DE": ("spätestens bis zum 23. September 2022 zu begleichen, d. h. acht Tage nach dem "
           "Datum dieses Schreibens", "Letzte Mahnung"),
}
REGISTERED = {"FR": ("Lettre recommandée", "avec accusé de réception"),  # on two lines
              "EN": ("Registered letter", "with acknowledgement of receipt"),
              "DE": ("Einschreiben mit Rückschein", "")}
FROM_RECEIPT = ("à compter de la réception", "days of receipt", "nach Erhalt")


@pytest.mark.parametrize("lang", LANGUES)
def test_formal_notice_to_a_professional(pdf_text, lang):
    text = pdf_text[f"LET03_{lang}_pro"]
    for part in (*NOTICE_WORDS[lang], "L441-10", "D441-5", "FA22-0101", "FA22-0115",
                 "MME toulouse amelie"):
        assert part in text, (lang, part)
    assert not any(words in text for words in FROM_RECEIPT)
    # the registered-post mention stands above the subject
    assert text.index(REGISTERED[lang][0]) < text.index(NOTICE_WORDS[lang][1])
    assert REGISTERED[lang][1] in text
    # issue 23: 83,07 € of interest at the 10,00 % of 2022 on what was owed each day
    # (worked out in test_letter_context), not 288,70 € at 12,15 % on all of it
    money = {"FR": ("40,00 €", "83,07 €", "379,07 €", "10,00 %", "10 847,80 €", "216,00 €"),
             "EN": ("€40.00", "€83.07", "€379.07", "10.00%", "€10,847.80", "€216.00"),
             "DE": ("40,00 €", "83,07 €", "379,07 €", "10,00 %", "10.847,80 €",
                    "216,00 €")}[lang]
    for part in money:
        assert part in text, (lang, part)
    for wrong in ("288,70", "288.70", "12,15", "12.15", "demeurent impayées"):
        assert wrong not in text, (lang, wrong)
    assert "1231-6" not in text


def amount(text: str, lang: str) -> D:
    digits = re.sub(r"[^\d,.]", "", text)
    if lang == "EN":
        return D(digits.replace(",", ""))
    return D(digits.replace(".", "").replace(",", "."))


@pytest.mark.parametrize("lang", LANGUES)
def test_the_formal_notice_asks_at_most_the_balance_plus_agios(pdf_text, notice, lang):
    """1FRNEG at 15/09/2022 owes 216,00 € (a payment of 10 847,80 € lettered to no
    invoice): the notice lists that payment and asks 216,00 € + its agios, not the
    11 432,50 € of its invoices plus agios."""
    rows = notice[2]
    row = next(r for r in rows if (r.tiers, r.societe) == ("1FRNEG", "VIGNE"))
    ceiling = row.solde_comptable + row.agios_reclames
    text = pdf_text[f"LET03_{lang}_pro"]
    credits = {"FR": "Règlements reçus non imputés", "EN": "Payments received and not yet "
               "allocated", "DE": "Eingegangene, noch nicht zugeordnete Zahlungen"}[lang]
    assert credits in text and "RG22-0077" in text
    asks = {"FR": r"(?:Total à régler :|la somme de) ([€\d  .,]+?\d)(?: €|\s|$)",
            "EN": r"(?:Total amount due:|the sum of) (€[\d,.]+\d)",
            "DE": r"(?:Gesamtbetrag:|den Betrag von) ([\d.,]+\d) €"}[lang]
    asked = [amount(found, lang) for found in re.findall(asks, text)]
    assert len(asked) == 2 and all(a <= ceiling for a in asked), (asked, ceiling)
    assert asked[0] == ceiling == D("379.07")


@pytest.mark.parametrize("lang", LANGUES)
def test_formal_notice_to_a_private_customer(pdf_text, lang):
    """The first notice: interest runs from it, so it claims none."""
    text = pdf_text[f"LET03_{lang}_part"]
    legal = {"FR": "taux de l'intérêt légal", "EN": "statutory interest rate",
             "DE": "gesetzlichen Zinssatz"}[lang]
    since = {"FR": "à compter de la présente mise en demeure",
             "EN": "from the date of this formal notice", "DE": "ab dem Datum dieser Mahnung"}
    for part in (*NOTICE_WORDS[lang], legal, "1231-6", "Particulier Martin", "FA22-0109",
                 since[lang]):
        assert part in text, (lang, part)
    assert "D441-5" not in text and "L441-10" not in text
    assert "40,00" not in text and "40.00" not in text
    title = {"FR": "Intérêts et frais réclamés", "EN": "Interest and charges claimed",
             "DE": "Geltend gemachte Zinsen"}[lang]
    assert title not in text


@pytest.mark.parametrize("lang", LANGUES)
def test_a_repeated_notice_to_a_private_customer_counts_from_the_first(pdf_text, lang):
    text = pdf_text[f"LET03_{lang}_part_repeat"]
    since = {"FR": "à compter de notre mise en demeure du 15 septembre 2022",
             "EN": "from our formal notice of 15 September 2022",
             "DE": "ab unserer Mahnung vom 15. September 2022"}[lang]
    amount = {"FR": "0,04 €", "EN": "€0.04", "DE": "0,04 €"}[lang]  # 0,77 % of 2022
    start = {"FR": "16/09/2022", "EN": "16/09/2022", "DE": "16.09.2022"}[lang]
    for part in (since, amount, start, "1231-6"):
        assert part in text, (lang, part)


def test_a_notice_across_two_half_years_shows_each_periods_days_and_rate(pdf_text):
    text = pdf_text["LET03_FR_by_period"]
    for part in ("aux taux annuels de chaque semestre", "Détail des intérêts",
                 "20/06/2022", "30/06/2022", "01/07/2022", "15/09/2022", "10,00 %", "10,50 %",
                 "Intérêts de retard aux taux annuels détaillés ci-dessus"):
        assert part in text, part
    assert "12,15 %" not in text


@pytest.mark.parametrize("lang", LANGUES)
def test_public_buyers_get_their_own_letters_and_no_threat(pdf_text, lang):
    first, second = pdf_text[f"ADM01_{lang}"], pdf_text[f"ADM02_{lang}"]
    for word in LANGUAGE_WORDS[lang]:
        assert word in first and word in second, (lang, word)
    for part in ("R2192-31", "D2192-35"):
        assert part in first and part in second, (lang, part)
    # moratory interest of 2022: ECB 0 % + 8 points (the table's 2022 rows)
    rate = {"FR": "8,00 %", "EN": "8.00%", "DE": "8,00 %"}[lang]
    assert rate in second
    assert "FA22-0105" in first and "FA22-0101" in second
    moratory = {"FR": "intérêts moratoires", "EN": "Late-payment interest",
                "DE": "Verzugszinsen"}[lang]
    assert moratory in second
    threats = {"FR": ("mise en demeure", "judiciaire", "poursuite", "L441-10"),
               "EN": ("formal notice", "proceedings", "Formal notice", "L441-10"),
               "DE": ("gerichtliche", "Letzte Mahnung", "L441-10")}[lang]
    for word in threats:
        assert word not in first + second, (lang, word)


def test_special_characters_survive_to_pdf(pdf_text):
    assert SPECIAL_NAME in pdf_text["special"]


@pytest.mark.parametrize("lang", LANGUES)
def test_proposal_shows_customers_invoices_disputes_and_totals(pdf_text, lang):
    text = pdf_text[f"PROP01_{lang}"]
    words = {"FR": ("Proposition de relance", "Factures en litige, non relancées",
                    "Récapitulatif", "11 063,80 €", "16 639,26 €"),
             "EN": ("Reminder proposal", "Disputed invoices, not reminded", "Summary",
                    "€11,063.80", "€16,639.26"),
             "DE": ("Mahnvorschlag", "Strittige Rechnungen (nicht gemahnt)",
                    "Zusammenfassung", "11.063,80 €", "16.639,26 €")}[lang]
    for part in (*words, "1FRNEG", "MME toulouse amelie", "FA22-0101", "FA22-0115",
                 "5REST", "FA22-0118", "FA22-0099", "BONSV"):
        assert part in text, (lang, part)
    disputed = text.index(words[1])
    assert text.index("FA22-0099") > disputed > text.index("FA22-0118")
    assert "ZF22-0042" not in text  # 1FRNEG/ZNEG is unticked: no invoice, a line with why


def test_proposal_lists_the_unticked_rows_filters_dates_pages_and_balances(pdf_text):
    text = pdf_text["PROP01_FR"]
    unticked = text.index("Clients non relancés (case « A relancer » décochée)")
    for part in ("1FRNEG", "MME toulouse amelie", "ZNEG", "11 600,00 €",
                 "Solde comptable ≤ 0", "Niveau", "Motif"):
        assert part in text[unticked:text.index("Récapitulatif")], part
    assert "Échéances échues au 27 juillet 2022 Imprimée le " in text
    assert "Filtres : aucun (tous les clients)" in text
    assert "Solde comptable : 216,00 €" in text and "Solde comptable : 2 750,00 €" in text
    pages = len(PdfReader(Path(pdf_text["folder"]) / "PROP01_FR.pdf").pages)
    assert pages > 1 and all(f"page {n} / {pages}" in text for n in range(1, pages + 1))
    assert "Seite 1 / " in pdf_text["PROP01_DE"]
    # the proposal's codes are small (2.5 cm): read as a printer or a scanner would
    payloads = qr_payloads(Path(pdf_text["folder"]) / "PROP01_FR.pdf", dpi=300)
    assert EPC_1FRNEG.replace(b"EUR379.07", b"EUR216") in [b"BCD\n" + p for p in payloads]


def test_proposal_disputed_table_has_the_main_tables_columns():
    doc = Document(str(TEMPLATES_DIR / "PROP01_FR.docx"))
    headers = {}
    for table in doc.tables:
        cells = [c.text for row in table.rows for c in row.cells]
        for loop in ("c.lignes", "c.litiges"):
            if any(f"for l in {loop}" in text for text in cells):
                headers[loop] = [c.text for c in table.rows[0].cells]
    assert headers["c.litiges"] == headers["c.lignes"]
    assert headers["c.lignes"][-1] == "Niveau"


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES_DIR.glob("*.docx")))
def test_each_template_says_the_language_it_is_written_in(name: str) -> None:
    """Word spell-checks a letter in the language its template declares, and a PDF made
    from it tells a screen reader that language: python-docx's own says en-US."""
    with zipfile.ZipFile(TEMPLATES_DIR / name) as package:
        styles = package.read("word/styles.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    expected = {"FR": "fr-FR", "EN": "en-GB", "DE": "de-DE"}[name[-7:-5]]
    assert re.findall(r'<w:lang w:val="([^"]+)"', defaults) == [expected]
    assert 'w:val="en-US"' not in styles
