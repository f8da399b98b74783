"""The balance âgée, computed on a ledger with every edge, against figures worked by hand
and against the engine's solde comptable."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relances_xl.config import DEFAULT_LEVELS, Settings
from relances_xl.model import Customer, Filters, Invoice, Ledger, Payment
from relances_xl.parametres import _parsed_limits
from relances_xl.rules.aging import BUCKET_KEYS, balance_agee, bucket_labels, bucket_of, totals
from relances_xl.rules.engine import compute_reminders

ON = date(2024, 6, 30)
SETTINGS = Settings(levels=DEFAULT_LEVELS)


def due(days_late: int) -> date:
    return ON - timedelta(days=days_late)


def inv(numero: str, tiers: str, days_late: int, montant: str, societe: str = "A",
        **kw) -> Invoice:
    echeance = due(days_late)
    return Invoice(societe, numero, tiers, kw.pop("date_piece", echeance - timedelta(days=30)),
                   echeance, D(montant), **kw)


def pay(numero: str, tiers: str, montant: str, piece: str = "", societe: str = "A",
        on: date = ON) -> Payment:
    return Payment(societe, numero, tiers, on, D(montant), piece_lettree=piece)


CUSTOMERS = (
    Customer("C1", "Un", famille="GROS", mode_reglement="VIR"),
    Customer("C2", "Deux", famille="DETAIL", mode_reglement="CHQ"),
    Customer("C3", "Trois", famille="GROS"),
    Customer("C4", "Quatre"),
)

LEDGER = Ledger(
    customers=CUSTOMERS,
    invoices=(
        inv("F-TODAY", "C1", 0, "100.00"),  # due today: not late
        inv("F-FUTURE", "C1", -10, "0.40"),  # due in 10 days, under 1 €
        inv("F-1", "C1", 1, "1.00"),
        inv("F-30", "C1", 30, "30.00"),
        inv("F-31", "C1", 31, "31.00"),
        inv("F-60", "C1", 60, "60.00"),
        inv("F-61", "C1", 61, "61.00"),
        inv("F-90", "C1", 90, "90.00"),
        inv("F-91", "C1", 91, "91.00", litige=True),  # disputed: counts, marks the row
        inv("F-PART", "C1", 45, "500.00"),  # 200 lettered: 300 open in 31-60
        inv("F-PAID", "C1", 200, "80.00"),  # wholly lettered: nothing open
        inv("F-DRAFT", "C1", 100, "999.00", comptabilisee=False),  # not posted: ignored
        inv("F-LATER", "C1", -40, "70.00", date_piece=ON + timedelta(days=1)),  # after D
        inv("AV-1", "C1", 0, "25.00", avoir=True),  # an open credit note
        inv("B-1", "C1", 5, "10.00", societe="B"),  # the other company
        inv("G-1", "C2", 120, "1000.00", mode_reglement="VIR"),
        inv("G-OVER", "C2", 10, "50.00"),  # overpaid by 5
        inv("H-1", "C3", 10, "40.00"),  # paid after D: still open at D
    ),
    payments=(
        pay("R1", "C1", "200.00", "F-PART"),
        pay("R2", "C1", "80.00", "F-PAID"),
        pay("R3", "C1", "12.34"),  # not lettered
        pay("R4", "C2", "55.00", "G-OVER"),
        pay("R5", "C3", "40.00", "H-1", on=ON + timedelta(days=1)),
        pay("R6", "C4", "7.00"),  # a customer with only a payment on account
    ),
)


def row_dict(row) -> dict[str, object]:
    return {"key": (row.tiers, row.societe), **dict(zip(BUCKET_KEYS, row.buckets, strict=True)),
            "non_impute": row.non_impute, "total": row.total, "litige": row.litige}


def test_every_edge_falls_in_the_bucket_worked_by_hand():
    rows = {(r.tiers, r.societe): row_dict(r) for r in balance_agee(LEDGER, SETTINGS,
                                                                     Filters(ON))}
    assert list(rows) == [("C1", "A"), ("C1", "B"), ("C2", "A"), ("C3", "A"), ("C4", "A")]
    c1 = rows["C1", "A"]
    # the 100.00 due on the date is échu, 0 days late (as on the Relances table)
    assert (c1["non_echu"], c1["j1_30"], c1["j31_60"], c1["j61_90"], c1["plus_90"]) == (
        D("0.40"), D("131.00"), D("391.00"), D("151.00"), D("91.00"))
    assert c1["non_impute"] == D("-37.34")  # the credit note and the payment on account
    assert c1["litige"] is True
    assert rows["C1", "B"]["j1_30"] == D("10.00") and rows["C1", "B"]["litige"] is False
    assert (rows["C2", "A"]["plus_90"], rows["C2", "A"]["j1_30"]) == (D("1000.00"), ZERO2)
    assert rows["C2", "A"]["non_impute"] == D("-5.00")  # the surplus of G-OVER
    assert rows["C3", "A"]["j1_30"] == D("40.00")  # its payment came after the date
    assert rows["C4", "A"] == {"key": ("C4", "A"), **dict.fromkeys(BUCKET_KEYS, ZERO2),
                               "non_impute": D("-7.00"), "total": D("-7.00"), "litige": False}


ZERO2 = D("0.00")


def engine_soldes(ledger: Ledger, on: date) -> dict[tuple[str, str], D]:
    """The solde comptable of every (customer, company) as Appliquer shows it, from the
    engine, with settings that list every customer having an open invoice."""
    everyone = Settings(levels=DEFAULT_LEVELS, montant_minimum=D("0"))
    rows, _ = compute_reminders(ledger, everyone, Filters(on))
    return {(r.tiers, r.societe): r.solde_comptable for r in rows}


def test_each_total_is_the_solde_comptable_of_appliquer():
    aged = {(r.tiers, r.societe): r.total for r in balance_agee(LEDGER, SETTINGS, Filters(ON))}
    soldes = engine_soldes(LEDGER, ON)
    assert soldes  # Appliquer lists C1, C2 and C3 in company A and C1 in B
    assert {key: aged[key] for key in soldes} == soldes


def test_the_last_line_sums_each_column():
    rows = balance_agee(LEDGER, SETTINGS, Filters(ON))
    buckets, non_impute, total = totals(rows)
    assert buckets == (D("0.40"), D("181.00"), D("391.00"), D("151.00"), D("1091.00"))
    assert non_impute == D("-49.34")
    assert total == sum((r.total for r in rows), ZERO2)


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(ON, clients=frozenset({"c2"})), [("C2", "A")]),
    (Filters(ON, familles=frozenset({"GROS"})), [("C1", "A"), ("C1", "B"), ("C3", "A")]),
    (Filters(ON, societes=frozenset({"b"})), [("C1", "B")]),
    # the mode of the invoice, else the customer's: G-1 is VIR although C2 pays by CHQ
    (Filters(ON, modes=frozenset({"VIR"})), [("C1", "A"), ("C1", "B"), ("C2", "A")]),
    (Filters(ON, modes=frozenset({"LCR"})), []),
])
def test_the_filters_of_appliquer_select_the_rows(filters, expected):
    assert [(r.tiers, r.societe) for r in balance_agee(LEDGER, SETTINGS, filters)] == expected


def test_a_mode_filter_keeps_the_whole_row_so_its_total_is_the_balance():
    [row] = [r for r in balance_agee(LEDGER, SETTINGS, Filters(ON, modes=frozenset({"VIR"})))
             if r.tiers == "C2"]
    assert row.buckets == (ZERO2, ZERO2, ZERO2, ZERO2, D("1000.00"))  # G-OVER is paid
    assert row.total == D("995.00")


@pytest.mark.parametrize(("days", "bucket"), [
    (-1, 0), (0, 1), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (10**5, 4)])
def test_bucket_limits_are_inclusive(days, bucket):
    assert bucket_of(days, (30, 60, 90)) == bucket


def test_other_limits_from_parametres_move_the_buckets_and_their_headers():
    assert bucket_labels((15, 45, 120)) == ("Non échu", "0 à 15 jours", "16 à 45 jours",
                                            "46 à 120 jours", "Plus de 120 jours")
    assert bucket_of(16, (15, 45, 120)) == 2 and bucket_of(121, (15, 45, 120)) == 4
    other = Settings(levels=DEFAULT_LEVELS, tranches_balance=(1, 2, 3))
    c1 = next(r for r in balance_agee(LEDGER, other, Filters(ON)) if r.tiers == "C1")
    assert c1.buckets == (D("0.40"), D("101.00"), ZERO2, ZERO2, D("663.00"))


@pytest.mark.parametrize(("text", "limits"), [
    ("30/60/90", (30, 60, 90)), ("15; 45; 120", (15, 45, 120)), ("1 2 3", (1, 2, 3)),
    (None, None)])
def test_limits_as_typed_in_parametres(text, limits):
    assert _parsed_limits(text) == (limits, None)


@pytest.mark.parametrize("text", ["30/60", "0/60/90", "60/30/90", "30/30/90", "a/b/c",
                                  "30/60/90/120", "-1/2/3"])
def test_limits_that_cannot_make_buckets_are_refused(text):
    value, error = _parsed_limits(text)
    assert value is None and "trois nombres de jours croissants" in error


cents = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-60, 200), cents, st.booleans(), st.sampled_from("AB"),
                          st.sampled_from(["X", "Y"])), min_size=1, max_size=12),
       st.lists(st.tuples(cents, st.integers(-1, 11), st.sampled_from(["X", "Y"])),
                max_size=8))
def test_total_is_always_the_balance_and_buckets_hold_only_open_invoices(invoices, payments):
    """Independently of the module: the balance is debits - credits up to the date, and
    the buckets hold at most what the invoices amount to."""
    customers = (Customer("X", "x"), Customer("Y", "y"))
    facts = tuple(
        Invoice(societe, f"F{i}", tiers, due(late) - timedelta(days=1), due(late), amount,
                avoir=avoir)
        for i, (late, amount, avoir, societe, tiers) in enumerate(invoices))
    pays = tuple(
        Payment(facts[target].societe if 0 <= target < len(facts) else "A", f"R{i}", tiers, ON,
                amount,
                piece_lettree=(facts[target].piece if 0 <= target < len(facts)
                               and not facts[target].avoir and facts[target].tiers == tiers
                               else ""))
        for i, (amount, target, tiers) in enumerate(payments))
    ledger = Ledger(customers, facts, pays)
    rows = balance_agee(ledger, SETTINGS, Filters(ON))
    for row in rows:
        balance = sum((-f.montant if f.avoir else f.montant for f in facts
                       if (f.tiers, f.societe) == (row.tiers, row.societe)
                       and f.date_piece <= ON), ZERO2)
        balance -= sum((p.montant for p in pays
                        if (p.tiers, p.societe) == (row.tiers, row.societe)), ZERO2)
        assert row.total == balance
        assert all(b >= 0 for b in row.buckets)
        assert sum(row.buckets, ZERO2) <= sum((f.montant for f in facts if not f.avoir
                                               and (f.tiers, f.societe)
                                               == (row.tiers, row.societe)), ZERO2)
    listed = {(r.tiers, r.societe) for r in rows}
    for key, solde in engine_soldes(ledger, ON).items():
        assert key in listed
        assert next(r.total for r in rows if (r.tiers, r.societe) == key) == solde


def test_with_imputer_the_buckets_follow_the_oldest_first_allocation():
    """Paramètres « Imputer sur les plus anciennes factures »: Appliquer allocates before
    anything is computed, so the aged balance shows what the letters claim."""
    from relances_xl.rules.allocation import allocate_oldest_first

    ledger = Ledger(customers=(Customer("C1", "Un"),),
                    invoices=(inv("OLD", "C1", 95, "100.00"), inv("NEW", "C1", 10, "100.00")),
                    payments=(pay("R1", "C1", "150.00"),))
    [plain] = balance_agee(ledger, SETTINGS, Filters(ON))
    assert (plain.buckets[1], plain.buckets[4], plain.non_impute) == (
        D("100.00"), D("100.00"), D("-150.00"))
    allocated, count = allocate_oldest_first(ledger, ON)
    [imputed] = balance_agee(allocated, SETTINGS, Filters(ON))
    assert count == 1
    assert (imputed.buckets[1], imputed.buckets[4], imputed.non_impute) == (
        D("50.00"), ZERO2, ZERO2)
    assert imputed.total == plain.total == D("50.00")
