"""Late interest of one invoice, day by day at the annual rate in force: pure, Decimal.

French late-payment rates change by half-year: the L441-10 rate (ECB rate + 10 points)
and the legal interest rate are set for each half-year, and `Paramètres` may list them
in its rates-by-period table. A rate applies from its Début to the day before the next
one, so the days of an invoice's delay are cut where the rate changes and each part is
counted at its own rate. The single rates of `Paramètres` apply when the table is
empty, and to the days before the table's first Début.

Public buyers are the exception: moratory interest is counted for the whole delay at
the rate in force on the first day of the half-year in which it began to run (art.
R2192-31 of the Code de la commande publique).

Interest = open amount x sum(rate x days) / 365, rounded half up to the cent once per
invoice (the periods are shown on the letter, not rounded one by one). With one rate this
is open amount x rate x days / 365, the same Decimal as before the table existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from ..model import (
    TAUX_PARTICULIERS,
    TAUX_PROFESSIONNELS,
    TAUX_PUBLICS,
    ZERO,
    InterestPeriod,
    Settings,
    to_cents,
)

DAYS_IN_YEAR = Decimal(365)
_ONE_DAY = timedelta(days=1)
# (first day, annual rate), in date order, the first from date.min
Schedule = tuple[tuple[date, Decimal], ...]


def rate_schedule(settings: Settings, kind: str) -> Schedule:
    """The rates of one kind (professionnels, particuliers, acheteurs publics) by date."""
    single = {TAUX_PROFESSIONNELS: settings.taux_annuel,
              TAUX_PARTICULIERS: settings.taux_particuliers,
              TAUX_PUBLICS: settings.taux_publics}[kind]
    by_period = {TAUX_PROFESSIONNELS: lambda p: p.professionnels,
                 TAUX_PARTICULIERS: lambda p: p.particuliers,
                 TAUX_PUBLICS: lambda p: p.publics}[kind]
    return ((date.min, single),
            *((p.debut, by_period(p)) for p in sorted(settings.taux_periodes,
                                                       key=lambda p: p.debut)))


def interest_periods(du: date, au: date, schedule: Schedule, fixed: bool = False
                     ) -> tuple[InterestPeriod, ...]:
    """The days `du`..`au` (both counted), cut where the rate changes; none if du > au.

    `fixed`: the whole span at the rate in force on the first day of the half-year
    of `du` (moratory interest of public buyers).
    """
    if du > au:
        return ()
    if fixed:
        half_year = date(du.year, 1 if du.month <= 6 else 7, 1)
        return (InterestPeriod(du, au, (au - du).days + 1, rate_on(half_year, schedule)),)
    if len(schedule) == 1:  # one rate for every day: the table of periods is empty
        # built from its fields in order: a NamedTuple's own __new__ is a Python function,
        # and this runs for each invoice of every row at an interest-bearing level
        return (tuple.__new__(InterestPeriod, (du, au, (au - du).days + 1, schedule[0][1])),)
    found = []
    for index, (start, rate) in enumerate(schedule):
        end = schedule[index + 1][0] - _ONE_DAY if index + 1 < len(schedule) else date.max
        first, last = max(du, start), min(au, end)
        if first <= last:
            found.append(InterestPeriod(first, last, (last - first).days + 1, rate))
    return tuple(found)


def rate_on(day: date, schedule: Schedule) -> Decimal:
    """The rate in force on `day`."""
    found = schedule[0][1]
    for start, rate in schedule:
        if start > day:
            break
        found = rate
    return found


def interest(reste: Decimal, periods: Sequence[InterestPeriod]) -> Decimal:
    """Open amount x rate x days / 365 summed over the periods, to the cent, half up."""
    if not periods:
        return ZERO
    if len(periods) == 1:  # one rate, the usual case: no sum to make
        (period,) = periods
        return to_cents(reste * period.taux * period.jours / DAYS_IN_YEAR)
    rate_days = ZERO  # sum of rate x days: x reste then / 365 gives the same exact Decimal
    for period in periods:
        rate_days += period.taux * period.jours
    return to_cents(reste * rate_days / DAYS_IN_YEAR)
