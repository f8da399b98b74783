"""Late interest of one invoice, day by day on what is still owed, at the rate of each
half-year: pure, Decimal.

French late-payment rates are set for each half-year: the L441-10 rate (the ECB main
refinancing rate in force on 1 January or 1 July + 10 points), public buyers' moratory
interest (+ 8 points) and the legal interest rate. `Paramètres` lists them in its table
"Taux par période", one row per half-year (see docs/taux.md for the sources of the rows
the workbook ships). A row's rates apply from its Début to the end of its half-year (or
to the day before the next row's Début, if sooner). A day no row covers has no rate:
`interest_periods` names the first such day, and the letter that would claim interest
on it is stopped (`MissingRate`) rather than computed at a guessed rate. The single
rates of `Paramètres` apply only when the table is empty.

Public buyers are the exception: moratory interest is counted for the whole delay at
the rate in force on the first day of the half-year in which it began to run (art.
R2192-31 of the Code de la commande publique).

Interest runs on the principal still owed each day: a payment or a credit note stops
interest on what it settles from the day after its date (the day it is paid still
counts, as the debtor had not paid before it). Interest = sum over the periods of
principal x rate x days / 365, rounded half up to the cent once per invoice (the periods
are shown on the letter, not rounded one by one).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from ..config import TAUX_PARTICULIERS, TAUX_PROFESSIONNELS, TAUX_PUBLICS, Settings
from ..model import ZERO, InterestPeriod, to_cents

DAYS_IN_YEAR = Decimal(365)
_ONE_DAY = timedelta(days=1)
_END = attrgetter("au")


class Segment(NamedTuple):
    """Days `du`..`au` (both counted) at one annual rate."""

    du: date
    au: date
    taux: Decimal


# the rates of one kind, in date order; days no segment covers have no rate
Schedule = tuple[Segment, ...]


class MissingRate(Exception):
    """A day of interest falls in a half-year the rates table does not list."""

    def __init__(self, day: date) -> None:
        super().__init__(day)
        self.day = day

    @property
    def half_year(self) -> str:
        return half_year_label(self.day)


def half_year_start(day: date) -> date:
    """1 January or 1 July: the first day of `day`'s half-year, where every French
    late-payment rate changes (the one place this rule is written)."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_end(day: date) -> date:
    """30 June or 31 December: the last day of `day`'s half-year."""
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def half_year_label(day: date) -> str:
    """"1er semestre 2027" or "2e semestre 2027", as the user adds it to the table."""
    return f"{'1er' if day.month <= 6 else '2e'} semestre {day.year}"


def rate_schedule(settings: Settings, kind: str) -> Schedule:
    """The rates of one kind (professionnels, particuliers, acheteurs publics) by date:
    the table's rows, or, when the table is empty, the single rate for every day."""
    if not settings.taux_periodes:
        single = {TAUX_PROFESSIONNELS: settings.taux_annuel,
                  TAUX_PARTICULIERS: settings.taux_particuliers,
                  TAUX_PUBLICS: settings.taux_publics}[kind]
        return (Segment(date.min, date.max, single),)
    field = {TAUX_PROFESSIONNELS: "professionnels", TAUX_PARTICULIERS: "particuliers",
             TAUX_PUBLICS: "publics"}[kind]
    periods = sorted(settings.taux_periodes, key=lambda p: p.debut)
    found = []
    for index, period in enumerate(periods):
        end = half_year_end(period.debut)
        if index + 1 < len(periods):
            end = min(end, periods[index + 1].debut - _ONE_DAY)
        found.append(Segment(period.debut, end, getattr(period, field)))
    return tuple(found)


def rate_on(day: date, schedule: Schedule) -> Decimal:
    """The rate in force on `day`; MissingRate if no row covers it."""
    for segment in schedule:
        if segment.du <= day <= segment.au:
            return segment.taux
    raise MissingRate(day)


class Rates:
    """The rates of a schedule for the days from a start to `au`, the last day of
    interest: its segments clipped to them, or for a public buyer (`fixed`) the whole
    span at one rate (see `interest_periods`). Remembered per start day: a run asks the
    same few hundred due dates for thousands of invoices."""

    def __init__(self, schedule: Schedule, au: date, fixed: bool = False) -> None:
        self.schedule, self.au, self.fixed = schedule, au, fixed
        self._since: dict[date, Sequence[Segment] | date] = {}  # a date: the one missing

    def since(self, du: date) -> Sequence[Segment]:
        """The segments of `du`..`au`; MissingRate at the first day without a rate."""
        found = self._since.get(du)
        if found is None:
            try:
                found = self._between(du)
            except MissingRate as error:
                found = error.day
            self._since[du] = found
        if isinstance(found, date):
            raise MissingRate(found)
        return found

    def _between(self, du: date) -> Sequence[Segment]:
        if self.fixed:
            return (Segment(du, self.au, rate_on(half_year_start(du), self.schedule)),)
        return _rates_between(du, self.au, self.schedule)


def interest_periods(du: date, au: date, schedule: Schedule, fixed: bool = False,
                     principal: Decimal = ZERO,
                     settlements: Iterable[tuple[date, Decimal]] = ()
                     ) -> tuple[InterestPeriod, ...]:
    """The days `du`..`au` (both counted) cut where the rate or the principal changes;
    none if du > au or nothing is owed. MissingRate names the first day without a rate.

    `principal` is what the invoice asks before any settlement; `settlements`, the
    (date, amount) that settled part of it, in any order: each lowers the principal from
    the day after its date. `fixed`: the whole span at the rate in force on the first
    day of the half-year of `du` (moratory interest of public buyers).
    """
    return periods_owed(du, Rates(schedule, au, fixed), principal, settlements)


def periods_owed(du: date, rates: Rates, principal: Decimal,
                 settlements: Iterable[tuple[date, Decimal]]) -> tuple[InterestPeriod, ...]:
    """`interest_periods` up to `rates.au`, with rates a run keeps for all its invoices."""
    au = rates.au
    if du > au:
        return ()
    owed = principal
    changes: list[tuple[date, Decimal]] = []
    for day, amount in settlements:
        if day < du:
            owed -= amount
        elif day < au:
            changes.append((day + _ONE_DAY, amount))
    if owed <= ZERO and not changes:
        return ()
    changes.sort()
    found: list[InterestPeriod] = []
    step = 0
    for segment in rates.since(du):
        start = segment.du
        while True:
            while step < len(changes) and changes[step][0] <= start:
                owed -= changes[step][1]
                step += 1
            end = segment.au
            if step < len(changes) and changes[step][0] <= end:
                end = changes[step][0] - _ONE_DAY
            if owed > ZERO:
                # built from its fields in order: NamedTuple's __new__ is a Python function
                found.append(tuple.__new__(InterestPeriod, (
                    start, end, (end - start).days + 1, segment.taux, owed)))
            if end >= segment.au:
                break
            start = end + _ONE_DAY
    return tuple(found)


def _rates_between(du: date, au: date, schedule: Schedule) -> list[Segment]:
    """The schedule's segments clipped to du..au; MissingRate at the first day between
    them that no segment covers."""
    found = []
    expected = du
    # the first segment ending on or after du, by bisection: a table of 24 half-years
    # is searched for each invoice of every interest-bearing row
    for segment in schedule[bisect_left(schedule, du, key=_END):]:
        if segment.du > au:
            break
        if segment.du > expected:
            raise MissingRate(expected)
        first, last = max(du, segment.du), min(au, segment.au)
        found.append(Segment(first, last, segment.taux))
        expected = last + _ONE_DAY
        if last >= au:
            return found
    raise MissingRate(expected)


def interest(periods: Sequence[InterestPeriod]) -> Decimal:
    """Principal x rate x days / 365 summed over the periods, to the cent, half up."""
    if not periods:
        return ZERO
    total = ZERO  # exact Decimals summed, divided and rounded once
    for period in periods:
        total += period.principal * period.taux * period.jours
    return to_cents(total / DAYS_IN_YEAR)
