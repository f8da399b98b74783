"""The contexts of letters and of the proposal, on the built-in sample.

At 27/07/2022 the sample gives the guide's table; after those letters were issued,
a run on 15/09/2022 reaches the formal notice (interest, indemnity, legal wording).
Money is compared with Babel's spaces (narrow no-break, no-break) made plain.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from relances_xl import sample
from relances_xl.config import Company
from relances_xl.letters.context import letter_context, proposal_context
from relances_xl.letters.epc import remittance_text, transfer_qr
from relances_xl.letters.fields import LETTER_FIELDS, PROPOSAL_FIELDS, field_paths
from relances_xl.letters.formats import (
    langue_of,
    level_title,
    long_date,
    money,
    percent,
    short_date,
)
from relances_xl.letters.make_templates import sample_ledger
from relances_xl.letters.payment import letter_payment_kind, payment_kind
from relances_xl.letters.render import TEMPLATES_DIR
from relances_xl.letters.sender import capital_text, job_title, legal_mentions
from relances_xl.model import Filters, Invoice, Ledger, Payment
from relances_xl.rules.engine import compute_reminders
from relances_xl.rules.followup import PROMESSE, FollowUp


def plain(text: object) -> str:
    """Babel's narrow and no-break spaces as ordinary ones, runs of spaces as one."""
    return re.sub(r"\s+", " ", str(text).replace("\u202f", " ").replace("\xa0", " ")).strip()


def row_of(rows: list, tiers: str, societe: str = "VIGNE"):
    return next(r for r in rows if (r.tiers, r.societe) == (tiers, societe))


def context_for(ledger, settings, rows, tiers: str, on: date, **customer_changes) -> dict:
    row = row_of(rows, tiers)
    customer = next(c for c in ledger.customers if c.tiers == tiers)
    company = next(c for c in settings.companies if c.societe == row.societe)
    return letter_context(row, replace(customer, **customer_changes), company, settings, on)


@pytest.fixture(scope="module")
def demo():
    ledger, settings = sample_ledger()
    rows, problems = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    assert not problems
    return ledger, settings, rows


# --- formatting ------------------------------------------------------------------------


def test_money_follows_the_language():
    amount = Decimal("11063.80")
    assert plain(money(amount, "FR")) == "11 063,80 €"
    assert money(amount, "EN") == "€11,063.80"
    assert plain(money(amount, "DE")) == "11.063,80 €"


def test_unknown_or_missing_language_is_french():
    assert [langue_of(code) for code in ("de", " EN ", "IT", "", None)] == [
        "DE", "EN", "FR", "FR", "FR"]
    assert plain(money(Decimal("5"), "IT")) == "5,00 €"


def test_dates_and_rates_follow_the_language():
    day = date(2022, 6, 19)
    assert [short_date(day, lang) for lang in ("FR", "EN", "DE")] == [
        "19/06/2022", "19/06/2022", "19.06.2022"]
    assert [long_date(day, lang) for lang in ("FR", "EN", "DE")] == [
        "19 juin 2022", "19 June 2022", "19. Juni 2022"]
    assert plain(percent(Decimal("0.1215"), "FR")) == "12,15 %"
    assert percent(Decimal("0.1215"), "EN") == "12.15%"
    assert plain(percent(Decimal("0.0262"), "DE")) == "2,62 %"


def test_level_titles_end_with_the_formal_notice():
    assert [level_title(n, 3, "FR") for n in (1, 2, 3)] == [
        "Relance", "Deuxième relance", "Mise en demeure"]
    assert [level_title(n, 3, "EN") for n in (1, 2, 3)] == [
        "Payment reminder", "Second reminder", "Formal notice"]
    assert [level_title(n, 4, "DE") for n in (1, 2, 3, 4)] == [
        "Zahlungserinnerung", "Mahnung", "2. Mahnung", "Letzte Mahnung"]


# --- the letter ------------------------------------------------------------------------


def test_letter_of_the_guide_row(demo):
    ledger, settings, rows = demo
    ctx = context_for(ledger, settings, rows, "1FRNEG", sample.DEMO_DATE)
    assert [line["numero"] for line in ctx["lignes"]] == ["FA22-0101", "FA22-0115"]
    assert [line["jours_retard"] for line in ctx["lignes"]] == [38, 17]
    assert [line["niveau"] for line in ctx["lignes"]] == [2, 1]
    first = ctx["lignes"][0]
    assert (first["date"], first["echeance"]) == ("20/05/2022", "19/06/2022")
    assert plain(first["montant"]) == "6 000,00 €" and first["reste_du_brut"] == Decimal("6000")
    assert plain(ctx["total_reste_du"]) == "11 063,80 €"
    # the payment of 25/07 lettered to no invoice: listed, deducted, the balance asked
    [credit] = ctx["non_imputes"]
    assert (credit["date"], credit["numero"], credit["libelle"], plain(credit["montant"])) == (
        "25/07/2022", "RG22-0077", "Règlement reçu", "10 847,80 €")
    assert plain(ctx["total_non_impute"]) == "10 847,80 €"
    assert plain(ctx["total_a_regler"]) == "216,00 €"
    assert plain(ctx["total_reclame"]) == "216,00 €"
    assert plain(ctx["total_agios"]) == "0,00 €" and ctx["agios"] == []
    assert ctx["total_reste_du_brut"] == Decimal("11063.80")
    assert (ctx["niveau"], ctx["niveau_titre"], ctx["forme"]) == (2, "Deuxième relance", "LET02")
    assert ctx["client_nom"] == "MME toulouse amelie"
    assert ctx["client_adresse_lignes"] == ["12 rue de Vesle", "51100 REIMS"]
    assert ctx["societe_raison_sociale"] == "Domaine de la Vigne SAS"
    assert ctx["societe_iban"] == "FR76 3000 6000 0112 3456 7890 189"
    assert ctx["societe_siret"] == "123 456 789 00011"
    assert ctx["reference"] == "FA22-0101, FA22-0115"
    assert ctx["lieu_date"] == "REIMS, le 27 juillet 2022"
    assert ctx["date_limite"] == "4 août 2022"
    assert ctx["particulier"] is False


def test_letter_speaks_the_customer_language(demo):
    ledger, settings, rows = demo
    de = context_for(ledger, settings, rows, "3UENEG", sample.DEMO_DATE)
    assert (de["langue"], de["niveau_titre"]) == ("DE", "Zahlungserinnerung")
    assert plain(de["total_reste_du"]) == "2.000,00 €"
    assert de["lignes"][0]["echeance"] == "15.07.2022"
    assert de["client_adresse_lignes"] == ["Friedrichstraße 12", "B6565 BERLIN", "ALLEMAGNE"]
    assert de["lieu_date"] == "REIMS, 27. Juli 2022"
    en = context_for(ledger, settings, rows, "4HUE", sample.DEMO_DATE)
    assert (en["langue"], en["niveau_titre"]) == ("EN", "Payment reminder")
    assert en["total_reclame"] == "€1,800.00"
    assert en["client_adresse_lignes"][-1] == "ÉTATS-UNIS"


def test_formal_notice_to_a_professional(notice):
    ledger, settings, rows, on = notice
    ctx = context_for(ledger, settings, rows, "1FRNEG", on)
    assert (ctx["niveau"], ctx["niveau_titre"]) == (3, "Mise en demeure")
    # issue 23: interest on what is owed each day, at 10 % (ECB 0 % + 10 points, 2022);
    # the 10 847,80 € unlettered on 25/07/2022 imputed on FA22-0101 (6 000) then FA22-0115.
    # FA22-0101: 6000 x 0.10 x 36 (20/06-25/07) / 365 = 59.178 -> 59.18
    # FA22-0115: (5063.80 x 15 (11/07-25/07) + 216 x 52 (26/07-15/09)) x 0.10 / 365
    #            = 8718.90 / 365 = 23.887 -> 23.89      (it claimed 288,70 € at 12,15 %)
    assert [plain(line["interets"]) for line in ctx["lignes"]] == ["59,18 €", "23,89 €"]
    assert [plain(line["indemnite"]) for line in ctx["lignes"]] == ["40,00 €", "40,00 €"]
    assert plain(ctx["total_interets"]) == "83,07 €"
    assert plain(ctx["total_indemnites"]) == "80,00 €"
    assert plain(ctx["total_agios"]) == "163,07 €"
    assert plain(ctx["total_reclame"]) == "379,07 €"  # 216,00 € owed + 163,07 € of agios
    assert [(p["numero"], p["du"], p["au"], plain(p["principal"]), p["jours"])
            for p in ctx["periodes"]] == [
        ("FA22-0101", "20/06/2022", "30/06/2022", "6 000,00 €", 11),
        ("FA22-0101", "01/07/2022", "25/07/2022", "6 000,00 €", 25),
        ("FA22-0115", "11/07/2022", "25/07/2022", "5 063,80 €", 15),
        ("FA22-0115", "26/07/2022", "15/09/2022", "216,00 €", 52)]
    assert ctx["total_reclame_brut"] == ctx["total_a_regler_brut"] + ctx["total_agios_brut"]
    assert ctx["total_a_regler_brut"] == Decimal("216.00")
    interest, indemnity = (plain(a["libelle"]) for a in ctx["agios"])
    assert "10,00 %" in interest and "L441-10 du Code de commerce" in interest
    assert "40,00 € × 2" in indemnity and "D441-5 du Code de commerce" in indemnity
    assert [plain(a["montant"]) for a in ctx["agios"]] == ["83,07 €", "80,00 €"]
    assert ctx["interets_reclames"] and ctx["indemnite_reclamee"]
    assert plain(ctx["indemnite_unitaire"]) == "40,00 €"
    assert ctx["delai_jours"] == 8 and ctx["date_limite"] == "23 septembre 2022"


def test_a_first_formal_notice_to_a_private_customer_claims_no_interest(notice):
    """Art. 1231-6 Code civil: the interest runs from this very notice."""
    ledger, settings, rows, on = notice
    ctx = context_for(ledger, settings, rows, "2FRPAR", on)
    assert ctx["particulier"] is True and ctx["niveau"] == 3
    assert plain(ctx["taux"]) == "0,77 %"  # the legal rate of 2022 S2, "autres cas"
    assert ctx["base_legale_interets"] == "article 1231-6 du Code civil"
    assert ctx["agios"] == [] and ctx["periodes"] == []
    assert plain(ctx["total_interets"]) == "0,00 €"
    assert ctx["date_mise_en_demeure"] == ""
    assert plain(ctx["total_indemnites"]) == "0,00 €"
    assert ctx["indemnite_reclamee"] is False


def test_a_repeated_notice_to_a_private_customer_claims_the_days_since_the_first(repeat):
    ledger, settings, rows, on = repeat
    ctx = context_for(ledger, settings, rows, "2FRPAR", on)
    # 120.00 x 0.77 % x 16 / 365 = 0.0405 -> 0.04, from the notice of 15/09/2022
    (interest,) = ctx["agios"]
    assert "intérêt légal" in interest["libelle"] and "1231-6" in interest["libelle"]
    assert plain(interest["montant"]) == "0,04 €"
    assert ctx["date_mise_en_demeure"] == "15 septembre 2022"
    assert [(p["numero"], p["du"], p["au"], p["jours"], plain(p["taux"]))
            for p in ctx["periodes"]] == [("FA22-0109", "16/09/2022", "01/10/2022", 16, "0,77 %")]
    en = context_for(ledger, settings, rows, "2FRPAR", on, langue="EN")
    assert en["agios"][0]["montant"] == "€0.04"
    assert "Article 1231-6 of the French Civil Code" in en["agios"][0]["libelle"]
    assert en["date_mise_en_demeure"] == "15 September 2022"


def test_notice_wording_in_german(notice):
    ledger, settings, rows, on = notice
    de = context_for(ledger, settings, rows, "1FRNEG", on, langue="DE")
    assert de["niveau_titre"] == "Letzte Mahnung"
    assert "Verzugszinsen" in de["agios"][0]["libelle"]


# --- the proposal ----------------------------------------------------------------------


def test_proposal_lists_invoices_and_disputes_apart(demo):
    ledger, settings, rows = demo
    ctx = proposal_context(rows, ledger, settings, sample.DEMO_DATE)
    assert ctx["langue"] == "FR" and ctx["date"] == "27 juillet 2022"
    clients = {(c["tiers"], c["societe"]): c for c in ctx["clients"]}
    assert len(clients) == ctx["nb_clients"] == 8  # NYWINE's row, in dollars, too
    assert clients[("NYWINE", "VIGNE")]["devise"] == "USD"
    vigne = clients[("1FRNEG", "VIGNE")]
    assert vigne["nom"] == "MME toulouse amelie" and vigne["niveau"] == 2
    assert [(ln["numero"], ln["niveau"]) for ln in vigne["lignes"]] == [
        ("FA22-0101", 2), ("FA22-0115", 1)]
    assert plain(vigne["total_reste_du"]) == "11 063,80 €" and vigne["litiges"] == []
    resto = clients[("5REST", "VIGNE")]
    assert [ln["numero"] for ln in resto["lignes"]] == ["FA22-0118"]
    assert [(d["numero"], plain(d["reste_du"]), d["jours_retard"]) for d in resto["litiges"]] == [
        ("FA22-0099", "980,00 €", 27)]
    assert plain(ctx["total_litiges"]) == "980,00 €"
    assert [(d["numero"], d["niveau"]) for d in resto["litiges"]] == [("FA22-0099", 0)]
    assert ("1FRNEG", "ZNEG") not in clients  # unticked: listed apart, with why
    [zneg] = ctx["non_relances"]
    assert (zneg["tiers"], zneg["societe"]) == ("1FRNEG", "ZNEG")
    assert zneg["motif"].startswith("Solde comptable ≤ 0")
    assert plain(zneg["encours_relance"]) == "11 600,00 €" and ctx["nb_non_relances"] == 1
    ticked = [r for r in rows if r.a_relancer]
    # the raw total is the euro rows' (NYWINE's dollars are said apart in the text)
    assert ctx["total_reste_du_brut"] == sum(r.encours_relance for r in ticked
                                             if r.devise == "EUR")
    assert plain(ctx["total_reste_du"]).endswith(" € + 2 000,00 $US")
    assert ctx["nb_factures"] == sum(len(r.lines) for r in ticked)
    assert plain(vigne["solde_comptable"]) == "216,00 €"
    assert vigne["virement_qr"].amount == Decimal("216.00")  # what its letter asks
    assert clients[("2FRPAR", "VIGNE")]["virement_qr"] == ""  # pays by cheque


def test_proposal_says_its_filters_and_print_date(demo):
    ledger, settings, rows = demo
    filters = Filters(date=sample.DEMO_DATE, clients=frozenset({"2FRPAR", "1FRNEG"}),
                      societes=frozenset({"VIGNE"}))
    ctx = proposal_context(rows, ledger, settings, sample.DEMO_DATE, filters=filters,
                           printed=date(2022, 7, 28))
    assert ctx["filtres_texte"] == "Client(s) : 1FRNEG; 2FRPAR · Société : VIGNE"
    assert ctx["date_impression"] == "28 juillet 2022"
    none = proposal_context(rows, ledger, settings, sample.DEMO_DATE, "EN",
                            filters=Filters(date=sample.DEMO_DATE))
    assert none["filtres"] == [] and none["filtres_texte"] == "none (all customers)"


def test_proposal_skips_disputes_not_due_paid_or_unposted(demo):
    ledger, settings, rows = demo
    base = dict(societe="VIGNE", tiers="5REST", date_piece=date(2022, 6, 1),
                montant=Decimal("100.00"), litige=True)
    extra = (
        Invoice(piece="L-LATER", echeance=date(2022, 8, 30), **base),
        Invoice(piece="L-PAID", echeance=date(2022, 7, 1), **base),
        Invoice(piece="L-DRAFT", echeance=date(2022, 7, 1), comptabilisee=False, **base),
        Invoice(piece="L-PART", echeance=date(2022, 7, 2), **base),
    )
    payments = (
        Payment("VIGNE", "R1", "5REST", date(2022, 7, 5), Decimal("100.00"), "", "L-PAID"),
        Payment("VIGNE", "R2", "5REST", date(2022, 7, 5), Decimal("30.00"), "", "L-PART"),
    )
    ledger = Ledger(ledger.customers, ledger.invoices + extra, ledger.payments + payments,
                    ledger.history)
    ctx = proposal_context(rows, ledger, settings, sample.DEMO_DATE, "EN")
    resto = next(c for c in ctx["clients"] if c["tiers"] == "5REST")
    assert [(d["numero"], d["reste_du"]) for d in resto["litiges"]] == [
        ("FA22-0099", "€980.00"), ("L-PART", "€70.00")]
    assert resto["total_litiges"] == "€1,050.00"


# --- the schema ------------------------------------------------------------------------


def _all_contexts(demo, notice) -> tuple[list[dict], list[dict]]:
    ledger, settings, rows = demo
    letters = [context_for(ledger, settings, rows, r.tiers, sample.DEMO_DATE)
               for r in rows if r.societe == "VIGNE"]
    n_ledger, n_settings, n_rows, on = notice
    letters += [context_for(n_ledger, n_settings, n_rows, tiers, on)
                for tiers in ("1FRNEG", "2FRPAR")]
    proposals = [proposal_context(rows, ledger, settings, sample.DEMO_DATE),
                 proposal_context(n_rows, n_ledger, n_settings, on, "DE",
                                  filters=Filters(date=on, modes=frozenset({"VIR"})),
                                  followups=[FollowUp(on, "1FRNEG", "VIGNE", "", PROMESSE,
                                                      on + timedelta(days=3),
                                                      Decimal("10.00"))])]
    return letters, proposals


def test_schema_names_exactly_the_fields_produced(demo, notice):
    letters, proposals = _all_contexts(demo, notice)
    for contexts, schema in ((letters, LETTER_FIELDS), (proposals, PROPOSAL_FIELDS)):
        produced = set().union(*(field_paths(ctx) for ctx in contexts))
        assert produced == set(schema), (produced ^ set(schema))


def test_readme_lists_exactly_the_schema():
    text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
    letters, proposal = text.split("## Proposition", 1)
    pattern = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)
    assert pattern.findall(letters) == list(LETTER_FIELDS)
    assert pattern.findall(proposal) == list(PROPOSAL_FIELDS)


# --- what a French letter must carry (issue 17) ------------------------------------------


def test_legal_mentions_print_only_what_is_filled():
    full = sample_ledger()[1].companies[0]
    assert [plain(line) for line in legal_mentions(full, "FR")] == [
        "Domaine de la Vigne SAS au capital de 150 000 € · Siège social : 1 chemin des "
        "Vignes, 51100 REIMS",
        "RCS Reims 123 456 789 · SIRET 123 456 789 00011 · N° TVA FR32 123456789"]
    # the registrations never break across lines; the phone and e-mail are the letterhead's
    assert "SIRET\u00a0123\u00a0456\u00a0789\u00a000011" in legal_mentions(full, "FR")[1]
    assert legal_mentions(Company("X"), "FR") == []
    only_rcs = Company("X", rcs="RM 123 456 789 51")
    assert [plain(line) for line in legal_mentions(only_rcs, "DE")] == ["RM 123 456 789 51"]
    capital = Company("X", capital=Decimal("1500.50"))
    assert [plain(line) for line in legal_mentions(capital, "EN")] == ["share capital €1,500.50"]
    assert plain(capital_text(Decimal("150000.00"), "DE")) == "150.000 €"


@pytest.mark.parametrize(("name", "forme", "langue", "expected"), [
    ("Vigne SAS", "SAS", "FR", "Vigne SAS au capital de 1 000 €"),
    ("Vigne", "SAS", "FR", "Vigne, SAS au capital de 1 000 €"),
    ("Vigne S.A.S.", "SAS", "FR", "Vigne S.A.S. au capital de 1 000 €"),
    ("Vigne", "SAS", "DE", "Vigne, SAS mit einem Grundkapital von 1.000 €"),
    ("Vigne SA", "SA", "DE", "Vigne SA mit einem Grundkapital von 1.000 €"),
    ("Vigne", "SARL", "DE", "Vigne, SARL mit einem Stammkapital von 1.000 €"),
    ("Vigne", "SNC", "DE", "Vigne, SNC mit einem Kapital von 1.000 €"),
    ("Vigne SAS", "SAS", "EN", "Vigne SAS with a share capital of €1,000"),
])
def test_the_form_is_named_once_and_german_names_the_capital_by_form(name, forme, langue,
                                                                    expected):
    company = Company("X", raison_sociale=name, forme_juridique=forme, capital=Decimal(1000))
    assert plain(legal_mentions(company, langue)[0]) == expected


@pytest.mark.parametrize(("title", "langue", "expected"), [
    ("Responsable comptable", "EN", "Head of Accounting"),
    ("Responsable comptable", "DE", "Leitung Buchhaltung"),
    ("Responsable comptable", "FR", "Responsable comptable"),
    ("Directrice administrative et financière", "EN", "Chief Financial Officer"),
    ("GÉRANTE", "DE", "Geschäftsführerin"),
    ("Chef de culture", "DE", "Chef de culture"),  # not listed: as typed
    ("", "EN", ""),
])
def test_the_signatorys_usual_titles_are_translated(title, langue, expected):
    assert job_title(title, langue) == expected


@pytest.mark.parametrize(("code", "kind"), [
    ("VIR", "virement"), ("", "virement"), ("CB", "virement"), ("CHQ", "cheque"),
    ("Chèque", "cheque"), ("LCR", "lcr"), ("traite", "lcr"), ("PRLV", "prelevement"),
    ("Prélèvement SEPA", "prelevement")])
def test_payment_mode_codes_as_ledgers_write_them(code, kind):
    assert payment_kind(code) == kind


def test_the_invoices_mode_wins_and_the_customers_decides_when_they_differ(demo):
    ledger, _, rows = demo
    resto = row_of(rows, "5REST")
    customer = next(c for c in ledger.customers if c.tiers == "5REST")
    assert letter_payment_kind(resto, customer) == "lcr"  # invoice and customer: LCR
    by_cheque = replace(customer, mode_reglement="CHQ")
    assert letter_payment_kind(resto, by_cheque) == "lcr"  # the invoice says LCR
    lines = tuple(ln._replace(invoice=ln.invoice._replace(mode_reglement=mode))
                  for ln, mode in zip(resto.lines * 2, ("LCR", "VIR"), strict=True))
    assert letter_payment_kind(resto._replace(lines=lines), by_cheque) == "cheque"


def test_a_cheque_letter_has_no_qr_and_a_transfer_letter_has_one(demo):
    ledger, settings, rows = demo
    cheque = context_for(ledger, settings, rows, "2FRPAR", sample.DEMO_DATE)
    assert (cheque["mode_reglement"], cheque["virement_qr"]) == ("cheque", "")
    transfer = context_for(ledger, settings, rows, "1FRNEG", sample.DEMO_DATE)
    qr = transfer["virement_qr"]
    assert qr.payload() == (b"BCD\n002\n1\nSCT\nAGRIFRPP\nDomaine de la Vigne SAS\n"
                            b"FR7630006000011234567890189\nEUR216\n\n\n"
                            b"FA22-0101 FA22-0115")
    lcr = context_for(ledger, settings, rows, "5REST", sample.DEMO_DATE)
    assert lcr["mode_reglement"] == "lcr" and lcr["virement_qr"].amount == Decimal("356.40")


def test_no_qr_without_iban_or_without_amount():
    assert transfer_qr("A", "", "", Decimal("10.00"), ["F1"]) is None
    assert transfer_qr("A", "FR7630006000011234567890189", "", Decimal("0.00"), ["F1"]) is None
    assert transfer_qr("A", "FR7630006000011234567890189", "", Decimal("-5"), ["F1"]) is None
    cent = transfer_qr("A", "FR76 3000 6000 0112 3456 7890 189", "", Decimal("0.01"), ["F1"])
    assert cent.payload().split(b"\n")[6:8] == [b"FR7630006000011234567890189", b"EUR0.01"]
    assert transfer_qr("A", "FR7630006000011234567890189", "", Decimal("1E9"), ["F"]) is None


def test_remittance_text_keeps_to_140_characters_and_counts_the_rest():
    numbers = [f"FA22-{n:04d}" for n in range(30)]  # 9 characters each
    text = remittance_text(numbers)
    assert len(text) <= 140 and text.endswith(" +17") and text.startswith("FA22-0000 ")
    exact = ["A" * 140]
    assert remittance_text(exact) == "A" * 140
    name = transfer_qr("N" * 80, "FR7630006000011234567890189", "", Decimal("1"), ["F"]).name
    assert name == "N" * 70


def test_registered_post_and_the_notice_delay_follow_the_level(notice, demo):
    ledger, settings, rows, on = notice
    formal = context_for(ledger, settings, rows, "1FRNEG", on)
    assert formal["recommande"] is True and formal["delai_jours_lettres"] == "huit"
    d_ledger, d_settings, d_rows = demo
    first = context_for(d_ledger, d_settings, d_rows, "3UENEG", sample.DEMO_DATE)
    assert first["recommande"] is False and first["delai_jours_lettres"] == "acht"
    row = row_of(d_rows, "3UENEG")
    customer = next(c for c in d_ledger.customers if c.tiers == "3UENEG")
    company = d_settings.companies[0]
    imposed = letter_context(row, customer, company, d_settings, sample.DEMO_DATE, "LET03")
    assert imposed["recommande"] is True  # a LET03 imposed goes as its level does


def test_signatory_and_signature_image(demo):
    ledger, settings, rows = demo
    ctx = context_for(ledger, settings, rows, "1FRNEG", sample.DEMO_DATE)
    assert (ctx["signataire"], ctx["signataire_titre"]) == ("Claire Dubois",
                                                            "Responsable comptable")
    assert ctx["signature"] == ""  # no image given: room to sign by hand
    row = row_of(rows, "1FRNEG")
    customer = next(c for c in ledger.customers if c.tiers == "1FRNEG")
    signed = letter_context(row, customer, settings.companies[0], settings,
                            sample.DEMO_DATE, signature=b"\x89PNG")
    assert signed["signature"].image() == b"\x89PNG"
