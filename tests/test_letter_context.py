"""The contexts of letters and of the proposal, on the built-in sample.

At 27/07/2022 the sample gives the guide's table; after those letters were issued,
a run on 15/09/2022 reaches the formal notice (interest, indemnity, legal wording).
Money is compared with Babel's spaces (narrow no-break, no-break) made plain.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from relances_xl import sample
from relances_xl.engine import compute_reminders
from relances_xl.letters.context import (
    langue_of,
    letter_context,
    level_title,
    long_date,
    money,
    percent,
    proposal_context,
    short_date,
)
from relances_xl.letters.fields import LETTER_FIELDS, PROPOSAL_FIELDS, field_paths
from relances_xl.letters.make_templates import sample_inputs, sample_ledger
from relances_xl.letters.render import TEMPLATES_DIR
from relances_xl.model import Filters, HistoryEntry, Invoice, Ledger, Payment


def plain(text: object) -> str:
    """Babel's narrow and no-break spaces as ordinary ones, runs of spaces as one."""
    return re.sub(r"\s+", " ", str(text).replace("\u202f", " ").replace("\xa0", " ")).strip()


def row_of(rows: list, tiers: str, societe: str = "VIGNE"):
    return next(r for r in rows if (r.tiers, r.societe) == (tiers, societe))


def context_for(ledger, settings, rows, tiers: str, on: date, **customer_changes) -> dict:
    row = row_of(rows, tiers)
    customer = next(c for c in ledger.customers if c.code == tiers)
    company = next(c for c in settings.companies if c.societe == row.societe)
    return letter_context(row, replace(customer, **customer_changes), company, settings, on)


@pytest.fixture(scope="module")
def demo():
    ledger, settings = sample_ledger()
    rows, problems = compute_reminders(ledger, settings, Filters(date=sample.DEMO_DATE))
    assert not problems
    return ledger, settings, rows


@pytest.fixture(scope="module")
def notice():
    ledger, settings, on = sample_inputs()
    rows, _ = compute_reminders(ledger, settings, Filters(date=on))
    return ledger, settings, rows, on


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
    assert [plain(line["interets"]) for line in ctx["lignes"]] == ["175,76 €", "112,94 €"]
    assert [plain(line["indemnite"]) for line in ctx["lignes"]] == ["40,00 €", "40,00 €"]
    assert plain(ctx["total_interets"]) == "288,70 €"
    assert plain(ctx["total_indemnites"]) == "80,00 €"
    assert plain(ctx["total_agios"]) == "368,70 €"
    assert plain(ctx["total_reclame"]) == "584,70 €"  # 216,00 € owed + 368,70 € of agios
    assert ctx["total_reclame_brut"] == ctx["total_a_regler_brut"] + ctx["total_agios_brut"]
    assert ctx["total_a_regler_brut"] == Decimal("216.00")
    interest, indemnity = (plain(a["libelle"]) for a in ctx["agios"])
    assert "12,15 %" in interest and "L441-10 du Code de commerce" in interest
    assert "40,00 € × 2" in indemnity and "D441-5 du Code de commerce" in indemnity
    assert [plain(a["montant"]) for a in ctx["agios"]] == ["288,70 €", "80,00 €"]
    assert ctx["interets_reclames"] and ctx["indemnite_reclamee"]
    assert plain(ctx["indemnite_unitaire"]) == "40,00 €"
    assert ctx["delai_jours"] == 8 and ctx["date_limite"] == "23 septembre 2022"


def test_a_first_formal_notice_to_a_private_customer_claims_no_interest(notice):
    """Art. 1231-6 Code civil: the interest runs from this very notice."""
    ledger, settings, rows, on = notice
    ctx = context_for(ledger, settings, rows, "2FRPAR", on)
    assert ctx["particulier"] is True and ctx["niveau"] == 3
    assert plain(ctx["taux"]) == "2,62 %"
    assert ctx["base_legale_interets"] == "article 1231-6 du Code civil"
    assert ctx["agios"] == [] and ctx["periodes"] == []
    assert plain(ctx["total_interets"]) == "0,00 €"
    assert ctx["date_mise_en_demeure"] == ""
    assert plain(ctx["total_indemnites"]) == "0,00 €"
    assert ctx["indemnite_reclamee"] is False


@pytest.fixture(scope="module")
def repeat(notice):
    """The notices of 15/09/2022 issued, the last level repeated on 01/10/2022."""
    ledger, settings, rows, on = notice
    issued = tuple(HistoryEntry(on, r.societe, r.tiers, ln.invoice.numero, ln.niveau, "pdf")
                   for r in rows if r.a_relancer for ln in r.lines)
    ledger = Ledger(ledger.customers, ledger.invoices, ledger.payments, ledger.history + issued)
    later = date(2022, 10, 1)
    rows, _ = compute_reminders(ledger, settings, Filters(date=later))
    return ledger, settings, rows, later


def test_a_repeated_notice_to_a_private_customer_claims_the_days_since_the_first(repeat):
    ledger, settings, rows, on = repeat
    ctx = context_for(ledger, settings, rows, "2FRPAR", on)
    # 120.00 x 2.62 % x 16 / 365 = 0.1378 -> 0.14, from the notice of 15/09/2022
    (interest,) = ctx["agios"]
    assert "intérêt légal" in interest["libelle"] and "1231-6" in interest["libelle"]
    assert plain(interest["montant"]) == "0,14 €"
    assert ctx["date_mise_en_demeure"] == "15 septembre 2022"
    assert [(p["numero"], p["du"], p["au"], p["jours"], plain(p["taux"]))
            for p in ctx["periodes"]] == [("FA22-0109", "16/09/2022", "01/10/2022", 16, "2,62 %")]
    en = context_for(ledger, settings, rows, "2FRPAR", on, langue="EN")
    assert en["agios"][0]["montant"] == "€0.14"
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
    assert len(clients) == ctx["nb_clients"] == 8
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
    zneg = clients[("1FRNEG", "ZNEG")]
    assert zneg["a_relancer"] is False and "Solde" in zneg["motif"]
    assert ctx["total_reste_du_brut"] == sum(r.encours_relance for r in rows)
    assert ctx["nb_factures"] == sum(len(r.lines) for r in rows)


def test_proposal_skips_disputes_not_due_paid_or_unposted(demo):
    ledger, settings, rows = demo
    base = dict(societe="VIGNE", tiers="5REST", date_piece=date(2022, 6, 1),
                montant=Decimal("100.00"), litige=True)
    extra = (
        Invoice(numero="L-LATER", echeance=date(2022, 8, 30), **base),
        Invoice(numero="L-PAID", echeance=date(2022, 7, 1), **base),
        Invoice(numero="L-DRAFT", echeance=date(2022, 7, 1), comptabilisee=False, **base),
        Invoice(numero="L-PART", echeance=date(2022, 7, 2), **base),
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
                 proposal_context(n_rows, n_ledger, n_settings, on, "DE")]
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
