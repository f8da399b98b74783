"""The `Paramètres` sheet and the filter cells -> `Settings` and `Filters`.

`Paramètres` is read as one block: each setting is found by its label in column A
wherever its row is, the tables (levels, companies, rates by period) by their header
rows, wherever they start, so a user may move them or add notes around them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import cells, layout
from .config import (
    CANAL_COURRIER,
    CANAUX,
    TAUX_LEGAL,
    Company,
    ExchangeRate,
    Level,
    PrintOptions,
    RatePeriod,
    Settings,
    Sortie,
)
from .fec.read import ACCOUNTS_EXPECTED, account_prefixes
from .ledger import Block, Fields, Record
from .model import DEFAULT_CURRENCY, Filters, Problem, fold

_SETTING_PARSERS: dict[str, Callable[[object], cells.Parsed]] = {
    "taux_annuel": cells.parse_rate,
    "taux_particuliers": cells.parse_rate,
    "taux_publics": cells.parse_rate,
    "indemnite_forfaitaire": cells.parse_money,
    "montant_minimum": cells.parse_money,
    "jours_grace": lambda v: cells.parse_int(v, default=0),
    "decocher_solde_negatif": lambda v: cells.parse_bool(v, default=True),
    "imputer_non_lettres": lambda v: _parsed_non_lettres(v),
    "forme_defaut": cells.parse_text,
    "exemplaires_defaut": lambda v: cells.parse_int(v, default=1),
    "sortie_defaut": lambda v: _parsed_sortie(v),
    "dossier_defaut": cells.parse_text,
    "tranches_balance": lambda v: _parsed_limits(v),
    "comptes_fec": lambda v: _parsed_accounts(v),
}


def _parsed_accounts(value: object) -> cells.Parsed:
    """"411, 4967" -> ("411", "4967"): the customer accounts Importer un FEC reads."""
    if cells.is_blank(value):
        return None, None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    found = account_prefixes(text)
    return (found, None) if found else (None, ACCOUNTS_EXPECTED)


def _parsed_limits(value: object) -> cells.Parsed:
    """"30/60/90" (or 30;60;90, 30 60 90) -> (30, 60, 90): the balance âgée's buckets."""
    expected = "trois nombres de jours croissants attendus, le premier au moins 1 (ex. 30/60/90)"
    if cells.is_blank(value):
        return None, None
    parts = re.split(r"[\s/;,]+", str(value).strip())
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None, expected
    limits = tuple(int(part) for part in parts)
    if not 1 <= limits[0] < limits[1] < limits[2]:
        return None, expected
    return limits, None


def read_settings(block: Block | None) -> tuple[Settings, list[Problem]]:
    """Every setting, level and company of the sheet; a missing setting keeps its default."""
    sheet = layout.PARAMETRES
    if block is None:
        return Settings(levels=()), [Problem(sheet, None, None, None, "feuille absente")]
    problems: list[Problem] = []
    labels = {layout.normalize_header(label): key
              for key, (label, _, _) in layout.PARAMETRES_SETTINGS.items()}
    labels.update({layout.normalize_header(label): key
                   for label, key in layout.PARAMETRES_SETTING_ALIASES.items()})
    values: dict[str, object] = {}
    other: list[tuple[str, str]] = []
    for number, row in enumerate(block, start=1):
        key = labels.get(layout.normalize_header(row[0] if row else None))
        if key is None or len(row) < 2:
            continue
        raw = row[1]
        parse = _SETTING_PARSERS.get(key)
        excel_error = cells.excel_error(raw)
        if excel_error:
            label = layout.PARAMETRES_SETTINGS[key][0]
            problems.append(Problem(sheet, number, label, excel_error, cells.EXCEL_ERROR))
            continue
        if parse is None:
            other.append((key, "" if raw is None else str(raw)))
            continue
        value, error = parse(raw)
        if error:
            label = layout.PARAMETRES_SETTINGS[key][0]
            problems.append(Problem(sheet, number, label, raw, error))
        elif value is not None:
            values[key] = value
    levels = _read_levels(block, problems)
    companies = _read_companies(block, problems)
    periods = _read_rate_periods(block, problems)
    change = read_exchange_rates(block, problems)
    accounts = tuple(c for c in companies if c.devise)
    companies = [c for c in companies if not c.devise]
    settings = Settings(levels=tuple(levels), companies=tuple(companies), other=tuple(other),
                        taux_periodes=tuple(periods), taux_change=tuple(change),
                        comptes_devise=accounts, **values)
    return settings, problems


def _table(block: Block, first_header: str, columns: Mapping[str, str]) -> list[Record]:
    """The rows under the header row holding `first_header`, down to the first row
    whose cell under that header is empty; columns matched by their headers."""
    anchor = layout.normalize_header(first_header)
    wanted = {layout.normalize_header(h): (h, f) for h, f in columns.items()}
    for start, row in enumerate(block):
        first = next((c for c, text in enumerate(row or ())
                      if layout.normalize_header(text) == anchor), None)
        if first is None:
            continue
        index = {wanted[layout.normalize_header(t)][1]: c
                 for c, t in enumerate(row) if c >= first and layout.normalize_header(t) in wanted}
        headers = {f: h for h, f in columns.items()}
        records = []
        for offset, data in enumerate(block[start + 1:], start=start + 2):
            if not data or len(data) <= first or cells.is_blank(data[first]):
                break
            values = {f: (data[c] if c < len(data) else None) for f, c in index.items()}
            records.append(Record(layout.PARAMETRES, offset, values, headers))
        return records
    return []


def _read_levels(block: Block, problems: list[Problem]) -> list[Level]:
    """Every level of every set ("Conditions de relance"), each set numbered 1..N."""
    records = _table(block, "Niveau", layout.PARAMETRES_LEVELS_COLUMNS)
    levels = []
    for rec in records:
        f = Fields(rec, problems)
        level = Level(
            niveau=f.get("niveau", cells.parse_int, required=True),
            jours_retard=f.get("jours_retard", lambda v: cells.parse_int(v, 0)),
            jours_depuis_precedente=f.get("jours_depuis_precedente",
                                          lambda v: cells.parse_int(v, 0)),
            forme=f.get("forme", cells.parse_text),
            frais=f.get("frais", _money_or_zero),
            interets=f.get("interets", cells.parse_bool),
            indemnite=f.get("indemnite", cells.parse_bool),
            conditions=f.get("conditions", cells.parse_text),
            taux=f.get("taux", _parse_taux),
            recommande=f.get("recommande", lambda v: cells.parse_bool(v, default=None)),
            pieces_jointes=f.get("pieces_jointes", _parse_pieces_jointes),
            canal=f.get("canal", _parse_canal),
        )
        if f.ok:
            levels.append(level)
    sets: dict[str, list[Level]] = {}
    for level in levels:
        sets.setdefault(fold(level.conditions), []).append(level)
    if "" not in sets:
        sets = {"": [], **sets}
    for key, members in sets.items():
        numbers = sorted(level.niveau for level in members)
        if numbers != list(range(1, len(numbers) + 1)) or not numbers:
            which = "de relance" if not key else f"des conditions « {members[0].conditions} »"
            problems.append(Problem(layout.PARAMETRES, None, "Niveau", numbers or None,
                                    f"les niveaux {which} doivent être numérotés 1, 2, 3…"))
    return [level for members in sets.values()
            for level in sorted(_registered_by_default(members),
                                key=lambda level: level.niveau)]


def _registered_by_default(levels: list[Level]) -> list[Level]:
    """An empty "Envoi recommandé avec AR" (or no such column, in a workbook built
    before it) means registered post for the last level of the set, the mise en
    demeure, only."""
    last = max((level.niveau for level in levels), default=0)
    return [level if level.recommande is not None
            else replace(level, recommande=level.niveau == last) for level in levels]


def _parse_canal(value: object) -> cells.Parsed:
    """Courrier (empty) or Appel, whatever the case and accents."""
    folded = layout.normalize_header(value)
    if not folded:
        return CANAL_COURRIER, None
    for canal in CANAUX:
        if folded == layout.normalize_header(canal):
            return canal, None
    return None, " ou ".join(CANAUX) + " attendu"


def _parse_taux(value: object) -> cells.Parsed:
    """A level's "Taux": empty (the customer's legal rate) or one of the rates' names."""
    if cells.is_blank(value):
        return TAUX_LEGAL, None
    folded = layout.normalize_header(value)
    for label, kind in layout.TAUX_LABELS.items():
        if folded == layout.normalize_header(label):
            return kind, None
    return None, "vide, " + ", ".join(layout.TAUX_LABELS) + " attendu"


def _parse_pieces_jointes(value: object) -> cells.Parsed:
    """A level's "Pièces jointes": empty (nothing joined) or one of its choices."""
    if cells.is_blank(value):
        return frozenset(), None
    folded = layout.normalize_header(value)
    for label, joined in layout.PIECES_JOINTES_LABELS.items():
        if folded == layout.normalize_header(label):
            return joined, None
    return None, "vide, " + ", ".join(layout.PIECES_JOINTES_LABELS) + " attendu"


def _read_rate_periods(block: Block, problems: list[Problem]) -> list[RatePeriod]:
    """The rates by period, by date; empty when the table is (the single rates apply)."""
    records = _table(block, "Début", layout.PARAMETRES_RATES_READ)
    periods: dict[object, RatePeriod] = {}
    for rec in records:
        f = Fields(rec, problems)
        debut = f.get("debut", cells.parse_date, required=True)
        rates = {key: f.get(key, cells.parse_rate, required=True)
                 for key in ("professionnels", "particuliers", "publics")}
        if not f.ok:
            continue
        if debut in periods:
            f.fail(rec.headers["debut"], rec.values["debut"],
                   "date de début en double dans les taux par période")
            continue
        periods[debut] = RatePeriod(debut, **rates)
    return sorted(periods.values(), key=lambda period: period.debut)


def _money_or_zero(value: object) -> cells.Parsed:
    return cells.parse_money(0 if cells.is_blank(value) else value)


def _parse_foreign_currency(value: object) -> cells.Parsed:
    """A company row's Devise: empty for the company's own row, else a currency code."""
    if cells.is_blank(value):
        return "", None
    code, error = cells.parse_currency(value)
    return ("" if code == DEFAULT_CURRENCY else code), error


def _parse_units(value: object) -> cells.Parsed:
    """How many units of a currency one euro buys: a number above zero."""
    expected = "nombre positif attendu : unités de la devise pour 1 € (ex. 1,0850)"
    if isinstance(value, bool) or cells.is_blank(value):
        return None, expected
    if isinstance(value, int | float):
        number = Decimal(repr(float(value)))
    else:
        try:
            number = Decimal(str(value).strip().replace("\u00a0", "").replace(" ", "")
                             .replace(",", "."))
        except InvalidOperation:
            return None, expected
    if not number.is_finite() or number <= 0:
        return None, expected
    return number, None


def _optional_date(value: object) -> cells.Parsed:
    return (None, None) if cells.is_blank(value) else cells.parse_date(value)


def read_exchange_rates(block: Block, problems: list[Problem]) -> list[ExchangeRate]:
    """The "Taux de change" table: one rate per currency, above zero, the euro left out
    (its rate is 1 by definition). A bad or repeated row is a problem with its cell."""
    rates: dict[str, ExchangeRate] = {}
    for rec in _table(block, "Code devise", layout.PARAMETRES_CHANGE_COLUMNS):
        f = Fields(rec, problems)
        devise = f.get("devise", cells.parse_currency, required=True)
        units = f.get("unites_par_euro", _parse_units, required=True)
        on = f.get("date", _optional_date)
        if not f.ok:
            continue
        header = rec.headers["devise"]
        if devise == DEFAULT_CURRENCY:
            f.fail(header, rec.values["devise"], "l'euro n'a pas de taux de change (1 € = 1 €)")
        elif devise in rates:
            f.fail(header, rec.values["devise"], "devise en double dans les taux de change")
        else:
            rates[devise] = ExchangeRate(devise, units, on, rec.row)
    return list(rates.values())


_COMPANY_PARSERS: dict[str, Callable[[object], cells.Parsed]] = {
    "devise": _parse_foreign_currency,
    "iban": cells.parse_iban,
    "bic": cells.parse_bic,
    "capital": lambda v: (None, None) if cells.is_blank(v) else cells.parse_money(v),
}


def _read_companies(block: Block, problems: list[Problem]) -> list[Company]:
    """The companies; an IBAN whose check digits are wrong is refused with its row."""
    records = _table(block, "Société", layout.PARAMETRES_COMPANIES_COLUMNS)
    companies = []
    for rec in records:
        f = Fields(rec, problems)
        columns = layout.PARAMETRES_COMPANIES_COLUMNS.values()
        fields = {k: f.get(k, _COMPANY_PARSERS.get(k, cells.parse_text)) for k in columns}
        if f.ok:
            companies.append(Company(**fields))
    return companies


def split_codes(value: object) -> frozenset[str]:
    """"1FRNEG; 2FRPAR" -> {"1FRNEG", "2FRPAR"}: several codes in one filter cell.

    A value picked in a drop-down, "1FRNEG — MME toulouse amelie", is its code.
    """
    text, _ = cells.parse_text(value)
    for separator in layout.FILTER_SEPARATORS[1:]:
        text = (text or "").replace(separator, layout.FILTER_SEPARATORS[0])
    codes = (part.split(layout.CODE_NAME_SEPARATOR.strip())[0].strip()
             for part in (text or "").split(layout.FILTER_SEPARATORS[0]))
    return frozenset(code for code in codes if code)


def read_filters(values: Mapping[str, object], today: date) -> tuple[Filters, list[Problem]]:
    """The filter cells (key -> cell value) -> Filters; an empty date cell means today."""
    problems = []
    raw_date = values.get("date")
    on = today
    if cells.excel_error(raw_date):
        problems.append(Problem(layout.RELANCES, _row_of(layout.DATE_CELL), layout.DATE_LABEL,
                                cells.excel_error(raw_date), cells.EXCEL_ERROR))
    elif not cells.is_blank(raw_date):
        parsed, error = cells.parse_date(raw_date)
        if error:
            row = _row_of(layout.DATE_CELL)
            problems.append(Problem(layout.RELANCES, row, layout.DATE_LABEL, raw_date, error))
        else:
            on = parsed
    lettres = _letters_date(values.get("lettres"), on, problems)
    codes = {key: split_codes(values.get(key)) for key in layout.FILTERS}
    for key, (_, value_cell, label, _) in layout.FILTERS.items():
        excel_error = cells.excel_error(values.get(key))
        if excel_error:  # not "no filter": that would remind every customer
            problems.append(Problem(layout.RELANCES, _row_of(value_cell), label, excel_error,
                                    cells.EXCEL_ERROR))
    return Filters(date=on, lettres=lettres, **codes), problems


def _letters_date(raw: object, on: date, problems: list[Problem]) -> date | None:
    """"Date des lettres": empty (None, the letters bear `on`) or a date not before `on`
    (a letter cannot claim interest or set a deadline from before the table's date)."""
    if cells.is_blank(raw):
        return None
    row, label = _row_of(layout.LETTERS_DATE_CELL), layout.LETTERS_DATE_LABEL
    if cells.excel_error(raw):
        problems.append(Problem(layout.RELANCES, row, label, cells.excel_error(raw),
                                cells.EXCEL_ERROR))
        return None
    parsed, error = cells.parse_date(raw)
    if error is None and parsed < on:
        error = f"date antérieure à « {layout.DATE_LABEL} » ({on:%d/%m/%Y})"
    if error:
        problems.append(Problem(layout.RELANCES, row, label, raw, error))
        return None
    return parsed


def read_print_options(
    values: Mapping[str, object], settings: Settings, default_folder: Path
) -> tuple[PrintOptions, list[Problem]]:
    """The print options block; "Utiliser les paramètres par défaut" takes Paramètres'.

    The printer is always the sheet's (empty: the system's default printer). An empty
    folder means `default_folder` (a "Relances" folder beside the workbook).
    """
    problems: list[Problem] = [
        _option_problem(key, cells.excel_error(values.get(key)), cells.EXCEL_ERROR)
        for key in layout.OPTIONS if cells.excel_error(values.get(key))]
    if problems:  # an option in error is not its default: nothing goes out on a guess
        return PrintOptions(sortie=Sortie.PDF, dossier=default_folder), problems
    use_defaults, error = cells.parse_bool(values.get("defaut"), default=False)
    if error:
        problems.append(_option_problem("defaut", values.get("defaut"), error))
    if use_defaults:
        raw = {"sortie": settings.sortie_defaut, "forme": settings.forme_defaut,
               "exemplaires": settings.exemplaires_defaut, "dossier": settings.dossier_defaut}
    else:
        raw = {key: values.get(key) for key in ("sortie", "forme", "exemplaires", "dossier")}
    sortie = _sortie_code(raw["sortie"])
    if sortie is None:
        problems.append(_option_problem("sortie", raw["sortie"],
                                        _SORTIE_EXPECTED))
    forme = (cells.parse_text(raw["forme"])[0] or "").upper()
    copies, error = cells.parse_int(raw["exemplaires"], default=1)
    if error or copies is None or not 1 <= copies <= 99:
        problems.append(_option_problem("exemplaires", raw["exemplaires"],
                                        "nombre d'exemplaires de 1 à 99 attendu"))
        copies = 1
    folder = cells.parse_text(raw["dossier"])[0] or ""
    printer = cells.parse_text(values.get("imprimante"))[0] or ""
    options = PrintOptions(sortie=sortie or Sortie.PDF, dossier=Path(folder) if folder
                           else default_folder, forme=forme, exemplaires=copies,
                           imprimante=printer)
    return options, problems


def _parsed_non_lettres(value: object) -> cells.Parsed:
    """"Signaler" (or empty) -> False; "Imputer sur les plus anciennes factures" -> True."""
    folded = layout.normalize_header(value)
    signaler, imputer = (layout.normalize_header(c) for c in layout.NON_LETTRES_CHOICES)
    if folded in ("", signaler):
        return False, None
    if folded == imputer or folded.startswith("imputer"):
        return True, None
    return None, ("« " + " » ou « ".join(layout.NON_LETTRES_CHOICES) + " » attendu")


def _parsed_sortie(value: object) -> cells.Parsed:
    sortie = _sortie_code(value if not cells.is_blank(value) else Sortie.PDF)
    return (sortie, None) if sortie else (None, _SORTIE_EXPECTED)


_SORTIE_EXPECTED = "sortie attendue : " + ", ".join(layout.SORTIE_LABELS.values())


def _sortie_code(value: object) -> Sortie | None:
    """"PDF", "E-mail", "ecran" or "Écran" -> the output."""
    folded = layout.normalize_header(value)
    for sortie, label in layout.SORTIE_LABELS.items():
        if folded in (layout.normalize_header(label), sortie.value):
            return sortie
    return None


def _option_problem(key: str, value: object, message: str) -> Problem:
    label_cell, _, label = layout.OPTIONS[key]
    return Problem(layout.RELANCES, _row_of(label_cell), label, value, message)


def _row_of(address: str) -> int:
    return int("".join(ch for ch in address if ch.isdigit()))
