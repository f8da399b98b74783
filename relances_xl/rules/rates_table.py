"""The rates by half-year the workbook ships in `Paramètres`, "Taux par période".

One row per half-year, 2015 to 2026, each (Début, L441-10, legal interest rate,
public buyers' moratory rate) as fractions:

- L441-10 (Code de commerce): the ECB main refinancing operations rate in force on
  1 January or 1 July, + 10 points;
- the legal interest rate (taux de l'intérêt légal, art. L313-2 Code monétaire et
  financier) "pour tous les autres cas": the one a company claims from a private
  customer; set by arrêté for each half-year;
- public buyers (art. R2192-31 Code de la commande publique): the same ECB rate
  + 8 points.

docs/taux.md cites the source of every value. A half-year not listed here is never
guessed: the letters that would need it stop until the user adds it (`relances-xl
taux` adds the rows of this table an existing workbook lacks).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..config import RatePeriod

_PRO_POINTS = Decimal("0.10")  # L441-10: ECB + 10 points
_PUBLIC_POINTS = Decimal("0.08")  # R2192-31: ECB + 8 points

# (year, half 1 or 2): (ECB main refinancing rate in force on its first day, legal rate
# "autres cas"), in percent as published
_SOURCES: dict[tuple[int, int], tuple[str, str]] = {
    (2015, 1): ("0.05", "0.93"), (2015, 2): ("0.05", "0.99"),
    (2016, 1): ("0.05", "1.01"), (2016, 2): ("0.00", "0.93"),
    (2017, 1): ("0.00", "0.90"), (2017, 2): ("0.00", "0.90"),
    (2018, 1): ("0.00", "0.89"), (2018, 2): ("0.00", "0.88"),
    (2019, 1): ("0.00", "0.86"), (2019, 2): ("0.00", "0.87"),
    (2020, 1): ("0.00", "0.87"), (2020, 2): ("0.00", "0.84"),
    (2021, 1): ("0.00", "0.79"), (2021, 2): ("0.00", "0.76"),
    (2022, 1): ("0.00", "0.76"), (2022, 2): ("0.00", "0.77"),
    (2023, 1): ("2.50", "2.06"), (2023, 2): ("4.00", "4.22"),
    (2024, 1): ("4.50", "5.07"), (2024, 2): ("4.25", "4.92"),
    (2025, 1): ("3.15", "3.71"), (2025, 2): ("2.15", "2.76"),
    (2026, 1): ("2.15", "2.62"),
}


def _period(year: int, half: int, ecb: str, legal: str) -> RatePeriod:
    base = Decimal(ecb) / 100
    return RatePeriod(date(year, 1 if half == 1 else 7, 1), professionnels=base + _PRO_POINTS,
                      particuliers=Decimal(legal) / 100, publics=base + _PUBLIC_POINTS)


SHIPPED_RATES: tuple[RatePeriod, ...] = tuple(
    _period(year, half, ecb, legal) for (year, half), (ecb, legal) in sorted(_SOURCES.items()))


def missing_periods(present: tuple[RatePeriod, ...] | list[RatePeriod]
                    ) -> list[RatePeriod]:
    """The shipped rows whose Début the user's table lacks, in date order."""
    known = {period.debut for period in present}
    return [period for period in SHIPPED_RATES if period.debut not in known]
