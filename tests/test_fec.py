"""The FEC read as the text allows, and what its lines become (pure: no workbook)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from fec_writer import COLUMNS, COLUMNS_22, Ln, credit_note, fec_text, payment, purchase, sale
from hypothesis import given
from hypothesis import strategies as st

from relances_xl.config import Company
from relances_xl.fec.plan import (
    FecOptions,
    Prior,
    company_for,
    money_text,
    owner,
    plan_targets,
)
from relances_xl.fec.read import FecError, account_prefixes, parse_fec
from relances_xl.texts import euros

ACCENTED = "Société Œnologique d'Île-de-France"


def parsed(lines: list[Ln], sep: str = "\t", encoding: str = "utf-8",
           order: tuple[str, ...] = COLUMNS, upper: bool = False, extra: str = "",
           name: str = "FEC.txt"):
    text = fec_text(lines, sep, order, upper) + extra
    return parse_fec(text.encode(encoding), name)


def targets(lines: list[Ln], options: FecOptions | None = None, prior: Prior | None = None,
            delays: dict[str, int | None] | None = None):
    return plan_targets(parsed(lines), options or FecOptions("VIGNE"), prior or Prior(),
                        delays or {})


# --- reading the text ------------------------------------------------------------------


@pytest.mark.parametrize(("sep", "encoding", "expected"), [
    ("\t", "utf-8", "utf-8"),
    ("|", "utf-8", "utf-8"),
    ("\t", "iso-8859-15", "iso-8859-15"),
    ("|", "iso-8859-15", "iso-8859-15"),
    ("\t", "utf-8-sig", "utf-8-sig"),
])
def test_both_separators_and_both_encodings_give_the_same_lines(sep, encoding, expected):
    fec = parsed(sale("12", "20230105", "ŒNO", ACCENTED, "FA23-001", "1234,56", let="AA"),
                 sep=sep, encoding=encoding)
    assert (fec.encoding, fec.separator) == (expected, sep)
    assert fec.issues == []
    assert fec.line_count == 3 and fec.other_accounts == 2
    [line] = fec.lines
    assert (line.line, line.journal, line.num, line.tiers, line.nom, line.piece) == (
        2, "VT", "12", "ŒNO", ACCENTED, "FA23-001")
    assert (line.ecriture_date, line.piece_date, line.amount, line.lettrage) == (
        date(2023, 1, 5), date(2023, 1, 5), D("1234.56"), "AA")
    assert line.ident == "VT-20230105-12-1"


def test_windows_1252_is_told_from_iso_8859_15_by_its_quotes():
    name = "L’Atelier – Vins"  # U+2019 and U+2013 exist in Windows-1252 only
    fec = parsed(sale("1", "20230105", "ATEL", name, "F1", "10,00"), encoding="cp1252")
    assert fec.encoding == "cp1252"
    assert fec.lines[0].nom == name


@pytest.mark.parametrize("encoding", ["cp850", "cp437"])
def test_a_dos_code_page_export_reads_its_accents(encoding):
    name = "Dépôt Éléonore à Nîmes, caisse N° 12"
    fec = parsed(sale("1", "20230105", "DEPOT", name, "F1", "10,00"), encoding=encoding)
    assert fec.encoding in ("cp850", "cp437")  # the same letters: either reads them right
    assert fec.lines[0].nom == name
    assert fec.issues == []


def test_bytes_windows_1252_cannot_decode_are_read_in_the_dos_code_page():
    name = "ÉCOLE DU GOÛT"  # É is 0x90 in CP850: a hole in Windows-1252
    data = fec_text(sale("1", "20230105", "ECOLE", name, "F1", "10,00")).encode("cp850")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp1252")
    fec = parse_fec(data, "f.txt")
    assert (fec.encoding, fec.encoding_label, fec.lines[0].nom) == ("cp850", "DOS CP850", name)


def test_a_stray_byte_in_utf8_is_replaced_and_said_not_refused():
    text = fec_text(sale("1", "20230105", "C1", "Société Générale", "F1", "10,00"))
    data = text.encode("utf-8").replace("Générale".encode(), b"G\x81n\xc3\xa9rale")
    fec = parse_fec(data, "f.txt")
    assert fec.encoding == "utf-8" and fec.lines[0].nom == "G\ufffdnérale".join(["Société ", ""])
    [remark] = fec.issues
    assert not remark.rejected and "1 octet(s) illisible(s) en UTF-8" in remark.message


@pytest.mark.parametrize(("data", "what"), [
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "une archive ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "un fichier Office binaire"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "un document PDF"),
    (bytes(range(256)) * 4, "un fichier binaire"),
])
def test_a_file_that_is_not_text_is_named_for_what_it_is(data, what):
    with pytest.raises(FecError, match=f"Relances.xlsm n'est pas un FEC : c'est {what}") as info:
        parse_fec(data, "Relances.xlsm")
    assert "\n" not in str(info.value) and "Choisissez le fichier texte" in str(info.value)


def test_utf16_without_its_bom_is_still_text():
    text = fec_text(sale("1", "20230105", "C1", "Société", "F1", "10,00"))
    fec = parse_fec(text.encode("utf-16-le"), "f.txt")
    assert (fec.encoding, fec.lines[0].nom) == ("utf-16-le", "Société")


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", "\r\r\n"])
def test_line_numbers_are_those_an_editor_shows_whatever_the_line_ends(end):
    lines = [*sale("1", "20230105", "C1", "Un", "F1", "10,00"),
             *sale("2", "20230106", "C2", "Deux", "F2", "20,00")]
    text = fec_text(lines).replace("\r\n", end)
    fec = parse_fec(text.encode(), "f.txt")
    assert [line.line for line in fec.lines] == [2, 5]
    assert fec.line_count == 6


def test_columns_in_any_order_and_case():
    shuffled = tuple(reversed(COLUMNS))
    fec = parsed(payment("7", "20230204", "DUPONT", "Dupont", "99,90", let="AB"),
                 order=shuffled, upper=True)
    [line] = fec.lines
    assert (line.tiers, line.amount, line.lettrage, line.rank) == ("DUPONT", D("-99.90"), "AB", 1)


def test_the_montant_and_sens_variant_of_the_article():
    order = tuple(c for c in COLUMNS if c not in ("Debit", "Credit"))
    header = "\t".join((*order, "Montant", "Sens"))
    rows = ["\t".join((*(Ln("VT", "1", "20230105", "411000", CompAuxNum="C1", PieceRef="F1")
                         .row()[c] for c in order), "120,00", sens)) for sens in ("D", "C")]
    fec = parse_fec("\n".join([header, *rows]).encode(), "f.txt")
    assert [line.amount for line in fec.lines] == [D("120.00"), D("-120.00")]
    assert fec.issues == []  # the article allows this pair in place of Debit and Credit


def test_a_customer_account_without_auxiliary_is_the_customer():
    fec = parsed([Ln("VT", "3", "20230110", "411DIVERS", Debit="50,00",
                     CompteLib="Clients divers", PieceRef="F3")])
    assert (fec.lines[0].tiers, fec.lines[0].nom) == ("411DIVERS", "Clients divers")


def test_malformed_lines_are_reported_with_their_number_and_the_rest_read():
    good = sale("1", "20230105", "C1", "Un", "F1", "100,00")
    base = good[0].row()
    bad_date = "\t".join({**base, "EcritureDate": "20231345"}[c] for c in COLUMNS)
    bad_amount = "\t".join({**base, "Debit": "12,3,4", "PieceRef": "F2"}[c] for c in COLUMNS)
    cut = "\t".join(base[c] for c in COLUMNS[:9])  # a label with a line break in it
    foreign_bad = "\t".join({**base, "CompteNum": "512000", "Debit": "n/a"}[c] for c in COLUMNS)
    extra = "\r\n".join([bad_date, bad_amount, cut, foreign_bad, ""])
    fec = parsed(good, extra=extra)
    assert [line.line for line in fec.lines] == [2]
    found = [(i.line, i.column, i.value) for i in fec.issues]
    assert found == [(5, "EcritureDate", "20231345"), (6, "Debit", "12,3,4"), (7, None, 9)]
    assert all(i.rejected and "ligne non importée" in i.message for i in fec.issues)
    assert all(i.message.endswith("puis importez à nouveau le FEC, rien ne sera compté deux "
                                  "fois") for i in fec.issues)  # what the user can do
    assert "9 champ(s) au lieu de 18" in fec.issues[2].message
    assert fec.other_accounts == 3  # the bank line with a bad amount does not matter
    assert fec.customer_count == 3  # the cut line cannot say its account


@pytest.mark.parametrize(("text", "message"), [
    (b"", "FEC vide"),
    (b"JournalCode;EcritureNum\n", "séparateur introuvable"),
    ("\t".join(c for c in COLUMNS if c != "EcritureLet").encode(), "EcritureLet"),
    ("\t".join(c for c in COLUMNS if c != "Credit").encode(), "Credit"),
])
def test_a_file_that_cannot_be_read_is_an_error(text, message):
    with pytest.raises(FecError, match=message):
        parse_fec(text, "x.txt")


# --- the company -------------------------------------------------------------------------

COMPANIES = [Company("VIGNE", siret="123 456 789 00011"), Company("ZNEG", siret="98765432100022")]


@pytest.mark.parametrize(("journal", "label", "opening"), [
    ("AN", "", True), ("RAN", "Reports", True), ("X1", "A nouveaux", True),
    ("X2", "Report à-nouveau", True), ("VT", "Ventes nouveau magasin", False),
    ("BQ", "Banque", False)])
def test_opening_entries_by_journal_code_or_label(journal, label, opening):
    fec = parsed([Ln(journal, "1", "20240101", "411000", Debit="1,00", JournalLib=label)])
    assert fec.lines[0].opening is opening


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_money_in_the_report_reads_as_the_sheet_shows_it(amount):
    assert money_text(amount) == euros(amount)


def test_the_company_from_the_option_or_the_siren_of_the_file_name():
    assert company_for("whatever.txt", FecOptions("ZNEG"), COMPANIES) == "ZNEG"
    assert company_for("123456789FEC20231231.txt", FecOptions(), COMPANIES) == "VIGNE"
    assert company_for("987654321fec20231231.csv", FecOptions(), COMPANIES) == "ZNEG"
    with pytest.raises(FecError, match="--societe"):
        company_for("export.txt", FecOptions(), COMPANIES)
    with pytest.raises(FecError, match=r"SIREN 111111111.*aucune société"):
        company_for("111111111FEC20231231.txt", FecOptions(), COMPANIES)


# --- what the lines become -------------------------------------------------------------


def test_debits_are_invoices_sales_credits_credit_notes_other_credits_payments():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "120,00"),
                    *credit_note("2", "20230110", "C1", "Un", "AV1", "24,00"),
                    *payment("3", "20230120", "C1", "Un", "50,00"),
                    *purchase("4", "20230120", "80,00")],
                   delays={"C1": 45})
    f1, av1 = plan.factures["F1"], plan.factures["AV1"]
    assert f1.values == {"type": "Facture", "tiers": "C1", "date_piece": date(2023, 1, 5),
                         "comptabilisee": True, "montant": D("120.00"), "devise": ""}
    assert f1.on_add == {"echeance": date(2023, 2, 19)}  # the customer's 45 days
    assert (av1.values["type"], av1.values["montant"]) == ("Avoir", D("24.00"))
    assert list(plan.reglements) == ["BQ-20230120-3-1"]
    assert plan.reglements["BQ-20230120-3-1"].values == {
        "tiers": "C1", "date": date(2023, 1, 20), "montant": D("50.00"), "piece_lettree": "",
        "devise": ""}
    assert plan.customers == {"C1": "Un"}


def test_sales_journals_are_vt_and_ve_or_those_given():
    lines = [*credit_note("1", "20230110", "C1", "Un", "AV1", "24,00", journal="VE"),
             *credit_note("2", "20230111", "C1", "Un", "AV2", "30,00", journal="OD")]
    assert set(targets(lines).factures) == {"AV1"}
    assert set(targets(lines).reglements) == {"OD-20230111-2-1"}
    chosen = targets(lines, FecOptions("VIGNE", journaux=("od",)))
    assert set(chosen.factures) == {"AV2"}
    assert set(chosen.reglements) == {"VE-20230110-1-1"}


def test_the_default_payment_term_is_the_option():
    plan = targets(sale("1", "20230131", "C1", "Un", "F1", "10,00"),
                   FecOptions("VIGNE", delai_jours=60))
    assert plan.factures["F1"].on_add == {"echeance": date(2023, 4, 1)}


def test_lines_of_one_invoice_due_the_same_day_make_one_row():
    lines = [Ln("VT", "1", "20230105", "411000", Debit="60,00", CompAuxNum="C1", PieceRef="F1"),
             Ln("VT", "1", "20230105", "411000", Debit="40,00", CompAuxNum="C1", PieceRef="F1",
                EcritureLet="A"),
             *payment("2", "20230201", "C1", "Un", "40,00", let="A")]
    plan = targets(lines)
    assert plan.factures["F1"].values["montant"] == D("100.00")
    assert plan.reglements["BQ-20230201-2-1"].values["piece_lettree"] == "F1"


def test_installments_by_date_de_reglement_are_one_row_each_due_on_its_date():
    """The 22-column variant: DateRglt is each installment's due date."""
    lines = [Ln("VT", "1", "20230105", "411000", Debit="50,00", CompAuxNum="C1", PieceRef="F1",
                DateRglt="20230305", EcritureLet="A"),
             Ln("VT", "1", "20230105", "411000", Debit="50,00", CompAuxNum="C1", PieceRef="F1",
                DateRglt="20230205"),
             Ln("VT", "1", "20230105", "706000", Credit="100,00", PieceRef="F1"),
             *payment("2", "20230301", "C1", "Un", "50,00", let="A")]
    text = fec_text(lines, order=COLUMNS_22)
    fec = parse_fec(text.encode(), "f.txt")
    assert [line.due for line in fec.lines[:2]] == [date(2023, 3, 5), date(2023, 2, 5)]
    plan = plan_targets(fec, FecOptions("VIGNE"), Prior(), {})
    assert {k: (t.values["montant"], t.on_add["echeance"]) for k, t in plan.factures.items()} == {
        "F1 (1/2)": (D("50.00"), date(2023, 2, 5)), "F1 (2/2)": (D("50.00"), date(2023, 3, 5))}
    assert plan.reglements["BQ-20230301-2-1"].values["piece_lettree"] == "F1 (2/2)"


def test_installments_by_piece_date_are_due_each_after_the_payment_term():
    lines = [Ln("VT", "1", "20230105", "411000", Debit="30,00", CompAuxNum="C1", PieceRef="F1"),
             Ln("VT", "1", "20230105", "411000", Debit="70,00", CompAuxNum="C1", PieceRef="F1",
                PieceDate="20230205")]
    plan = targets(lines)
    assert {k: (t.values["montant"], t.on_add["echeance"]) for k, t in plan.factures.items()} == {
        "F1 (1/2)": (D("30.00"), date(2023, 2, 4)), "F1 (2/2)": (D("70.00"), date(2023, 3, 7))}


def test_an_unreadable_date_de_reglement_is_a_remark_and_the_term_applies():
    line = Ln("VT", "1", "20230105", "411000", Debit="30,00", CompAuxNum="C1", PieceRef="F1",
              DateRglt="2023-13-45")
    fec = parse_fec(fec_text([line], order=COLUMNS_22).encode(), "f.txt")
    assert fec.lines[0].due is None
    [remark] = fec.issues
    assert (remark.rejected, remark.column) == (False, "DateRglt")


def test_a_fully_lettered_group_settles_and_a_split_payment_gets_a_row_per_invoice():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "100,00", let="AA"),
                    *sale("2", "20230106", "C1", "Un", "F2", "200,00", let="AA"),
                    *payment("3", "20230201", "C1", "Un", "300,00", let="AA")])
    rows = {k: (t.values["piece_lettree"], t.values["montant"])
            for k, t in plan.reglements.items()}
    assert rows == {"BQ-20230201-3-1": ("F1", D("100.00")),
                    "BQ-20230201-3-1/F2": ("F2", D("200.00"))}
    assert not plan.notes


def test_a_partly_lettered_group_allocates_in_date_order_what_it_lettered():
    plan = targets([*sale("1", "20230106", "C1", "Un", "F2", "200,00", let="ab"),
                    *sale("2", "20230105", "C1", "Un", "F1", "100,00", let="ab"),
                    *payment("3", "20230201", "C1", "Un", "150,00", let="ab")])
    rows = {k: (t.values["piece_lettree"], t.values["montant"])
            for k, t in plan.reglements.items()}
    assert rows == {"BQ-20230201-3-1": ("F1", D("100.00")),
                    "BQ-20230201-3-1/F2": ("F2", D("50.00"))}
    [note] = plan.notes
    assert (note.action, note.column, note.value) == ("remarque", "EcritureLet", "ab")
    assert "150,00" in note.message and "débit" in note.message


def test_a_payment_lettered_beyond_its_invoices_keeps_a_rest():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "100,00", let="X"),
                    *payment("2", "20230201", "C1", "Un", "130,00", let="X")])
    rows = {k: (t.values["piece_lettree"], t.values["montant"])
            for k, t in plan.reglements.items()}
    assert rows == {"BQ-20230201-2-1": ("F1", D("100.00")),
                    "BQ-20230201-2-1/reste": ("", D("30.00"))}


def test_lettering_codes_are_per_customer():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "100,00", let="AA"),
                    *sale("2", "20230105", "C2", "Deux", "F2", "100,00", let="AA"),
                    *payment("3", "20230201", "C2", "Deux", "100,00", let="AA")])
    assert plan.reglements["BQ-20230201-3-1"].values["piece_lettree"] == "F2"


def test_a_lettered_credit_note_is_imputed_and_only_its_rest_stays_an_avoir():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "100,00", let="AA"),
                    *credit_note("2", "20230110", "C1", "Un", "AV1", "130,00", let="AA")])
    imputed = plan.reglements["AV1/F1"]
    assert imputed.values == {"tiers": "C1", "date": date(2023, 1, 10),
                              "montant": D("100.00"), "piece_lettree": "F1", "devise": ""}
    assert imputed.on_add == {"mode_reglement": "Avoir"}
    assert plan.factures["AV1"].values["montant"] == D("30.00")


def test_a_reversal_with_the_invoices_number_does_not_collide():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "100,00", let="Z"),
                    *credit_note("2", "20230106", "C1", "Un", "F1", "100,00", let="Z")])
    assert set(plan.factures) == {"F1"}
    assert plan.reglements["F1-AV/F1"].values["montant"] == D("100.00")


def test_a_piece_ref_of_two_customers_numbers_two_invoices_by_their_customer():
    plan = targets([*sale("1", "20230105", "C1", "Un", "F1", "100,00"),
                    *sale("2", "20230106", "C2", "Deux", "F1", "50,00"),
                    *sale("3", "20230107", "C2", "Deux", "F2", "70,00")])
    assert {k: (t.values["tiers"], t.values["montant"]) for k, t in plan.factures.items()} == {
        "F1/C1": ("C1", D("100.00")), "F1/C2": ("C2", D("50.00")), "F2": ("C2", D("70.00"))}
    assert not plan.notes
    assert plan.customers == {"C1": "Un", "C2": "Deux"}


def test_a_piece_ref_of_several_entries_of_one_customer_is_qualified_by_the_entry():
    """`VE  0323`: the month's batch, one entry per invoice, several per customer."""
    plan = targets([*sale("5", "20230306", "C1", "Un", "VE  0323", "112,06", journal="VE"),
                    *sale("6", "20230306", "C2", "Deux", "VE  0323", "448,20", journal="VE"),
                    *sale("23", "20230322", "C2", "Deux", "VE  0323", "186,77", journal="VE",
                          let="AB"),
                    *payment("9", "20230413", "C2", "Deux", "186,77", let="AB")])
    assert {k: t.values["montant"] for k, t in plan.factures.items()} == {
        "VE  0323/C1": D("112.06"), "VE  0323/C2/VE-20230306-6": D("448.20"),
        "VE  0323/C2/VE-20230322-23": D("186.77")}
    assert plan.reglements["BQ-20230413-9-1"].values["piece_lettree"] == (
        "VE  0323/C2/VE-20230322-23")


def test_a_number_the_workbook_holds_for_this_piece_is_kept_when_its_ref_becomes_shared():
    """July's first export: `VE  0723` was C1's alone; the next one gives it to C2 too."""
    first = targets(sale("1", "20230703", "C1", "Un", "VE  0723", "10,00", journal="VE"))
    assert list(first.factures) == ["VE  0723"]
    later = [*sale("1", "20230703", "C1", "Un", "VE  0723", "10,00", journal="VE"),
             *sale("2", "20230704", "C2", "Deux", "VE  0723", "20,00", journal="VE")]
    assert set(targets(later).factures) == {"VE  0723/C1", "VE  0723/C2"}  # a fresh workbook
    prior = Prior(factures=[("VE  0723", date(2023, 7, 3))], owners={"VE  0723": "C1"})
    assert set(targets(later, prior=prior).factures) == {"VE  0723", "VE  0723/C2"}


def test_a_number_the_workbook_holds_for_another_customer_is_never_taken():
    prior = Prior(factures=[("F1", date(2023, 1, 1))], owners={"F1": "TYPED"})
    plan = targets(sale("1", "20230105", "C1", "Un", "F1", "100,00"), prior=prior)
    assert list(plan.factures) == ["F1/C1"]


def test_a_zero_line_is_ignored():
    plan = targets([Ln("OD", "1", "20230105", "411000", CompAuxNum="C1", PieceRef="X")])
    assert not plan.factures and not plan.reglements
    assert [(n.action, n.line) for n in plan.notes] == [("ignorée", 2)]


OPENING = [Ln("AN", "1", "20240101", "411000", Debit="300,00", CompAuxNum="C1",
              PieceRef="F1", PieceDate="20231120", EcritureLet="K"),
           Ln("AN", "1", "20240101", "411000", Credit="20,00", CompAuxNum="C1",
              PieceRef="RLV")]
NEW_YEAR = [*OPENING, *payment("5", "20240115", "C1", "Un", "300,00", let="K")]


def test_opening_entries_carry_the_balance_into_an_empty_workbook():
    plan = targets(NEW_YEAR)
    assert plan.factures["F1"].values["date_piece"] == date(2023, 11, 20)
    assert plan.reglements["AN-20240101-1-2"].values["montant"] == D("20.00")
    assert plan.reglements["BQ-20240115-5-1"].values["piece_lettree"] == "F1"


def test_opening_entries_are_skipped_when_the_workbook_has_the_year_before():
    prior = Prior(factures=[("F1", date(2023, 11, 20))],
                  reglements=[("BQ-20231201-9-1", date(2023, 12, 1))])
    plan = targets(NEW_YEAR, prior=prior)
    assert not plan.factures
    assert list(plan.reglements) == ["BQ-20240115-5-1"]
    assert plan.reglements["BQ-20240115-5-1"].values["piece_lettree"] == "F1"  # still lettered
    assert [(n.action, n.line) for n in plan.notes] == [("ignorée", 2), ("ignorée", 3)]
    assert "antérieures au 01/01/2024" in plan.notes[0].message


def test_opening_entries_imported_before_do_not_count_as_the_year_before():
    prior = Prior(factures=[("F1", date(2023, 11, 20))],
                  reglements=[("AN-20240101-1-2", date(2024, 1, 1))])
    assert "F1" in targets(NEW_YEAR, prior=prior).factures


def test_a_number_is_owned_by_its_source():
    sources = {"BQ-20230201-3-1", "AV1"}
    assert owner("BQ-20230201-3-1", sources) == "BQ-20230201-3-1"
    assert owner("BQ-20230201-3-1/F/2023/7", sources) == "BQ-20230201-3-1"
    assert owner("AV1/F1", sources) == "AV1"
    assert owner("RG22-0040", sources) is None


@pytest.mark.parametrize(("typed", "prefixes"), [
    ("411", ("411",)),
    (" 411 ; 4967 ", ("411", "4967")),
    ("411,,4967", ("411", "4967")),
    ("411/4967 416", ("411", "4967", "416")),
    ("", None),
    (" , ", None),
    ("4l1", None),
    ("411,-4967", None),
])
def test_customer_account_prefixes_are_numbers_however_separated(typed, prefixes):
    assert account_prefixes(typed) == prefixes
