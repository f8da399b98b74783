"""`Paramètres` and the filter cells -> Settings and Filters."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from relances_xl import layout
from relances_xl.cli import _parser
from relances_xl.config import DEFAULT_LEVELS, PUBLIC_LEVELS, RatePeriod, Sortie
from relances_xl.parametres import read_filters, read_print_options, read_settings, split_codes


def parametres_block(rates: list[list[object]] = (), **overrides):
    """Paramètres as the builder lays it out: settings, then the levels of both sets with
    the rates by period beside them (columns K..N), then the companies."""
    block = []
    for key, (label, default, _) in layout.PARAMETRES_SETTINGS.items():
        block.append([label, overrides.get(key, default), None])
    levels = [
        [1.0, 0.0, None, "LET01", 0.0, "Non", "Non", None, None, None, "Factures"],
        [2.0, 15.0, 15.0, "LET02", 0.0, "Non", "Non", None, None, None, "Relevé et factures"],
        [3.0, 30.0, 15.0, "LET03", 0.0, "Oui", "Oui", None, None, None, "relevé et FACTURES"],
        [1.0, 0.0, None, "ADM01", 0.0, "Non", "Non", "Acheteur public", None, None,
         "Factures"],
        [2.0, 15.0, 15.0, "ADM02", 0.0, "Oui", "Oui", "Acheteur public", "Acheteurs publics",
         None, "Relevé et factures"],
    ]
    beside = [list(layout.PARAMETRES_RATES_COLUMNS), *rates]
    table = [list(layout.PARAMETRES_LEVELS_COLUMNS), *levels]
    width = len(layout.PARAMETRES_LEVELS_COLUMNS)
    for row in range(max(len(table), len(beside))):
        left = ([*table[row], *[None] * width][:width] if row < len(table)
                else [None] * width)
        right = beside[row] if row < len(beside) else [None] * 4
        table_row = [*left, None, *right]
        if row >= len(table):
            table_row[0] = None
        block.append(table_row)
    block.insert(len(layout.PARAMETRES_SETTINGS), [layout.PARAMETRES_LEVELS_TITLE, None, None])
    block.insert(len(layout.PARAMETRES_SETTINGS), [None, None, None])
    block += [
        [None] * 9,
        [layout.PARAMETRES_COMPANIES_TITLE],
        list(layout.PARAMETRES_COMPANIES_COLUMNS),
        ["VIGNE", "Domaine de la Vigne SAS", "1 chemin des Vignes", "123",
         "FR7630006000011234567890189", "a@b.fr"],
    ]
    return block


LEVELS_HEADER_ROW = len(layout.PARAMETRES_SETTINGS) + 3  # 1-based, as Excel counts


def test_defaults_of_the_built_sheet_are_the_documented_ones():
    settings, problems = read_settings(parametres_block())
    assert problems == []
    assert settings.levels == DEFAULT_LEVELS + PUBLIC_LEVELS
    assert settings.taux_annuel == Decimal("0.1215")
    assert settings.taux_particuliers == Decimal("0.0262")
    assert settings.taux_publics == Decimal("0.1015")
    assert settings.taux_periodes == ()
    assert settings.indemnite_forfaitaire == Decimal("40.00")
    assert settings.montant_minimum == Decimal("10.00")
    assert settings.jours_grace == 0
    assert settings.decocher_solde_negatif is True
    assert settings.imputer_non_lettres is False  # "Signaler"
    assert settings.sortie_defaut is Sortie.PDF
    assert settings.companies[0].raison_sociale == "Domaine de la Vigne SAS"


def test_both_sets_of_levels_are_told_apart_by_their_name_whatever_its_case():
    settings, _ = read_settings(parametres_block())
    assert settings.level_set("").top == 3 and not settings.level_set("").public
    public = settings.level_set("ACHETEUR  PUBLIC")
    assert (public.name, public.top, public.public) == ("Acheteur public", 2, True)
    assert settings.level(2, "acheteur public").forme == "ADM02"
    assert settings.level(2).forme == "LET02"


def test_a_levels_table_of_an_older_workbook_is_all_the_default_set():
    block = parametres_block()
    header = LEVELS_HEADER_ROW - 1
    block[header] = list(layout.PARAMETRES_LEVELS_COLUMNS)[:7]
    for row in range(header + 1, header + 4):
        block[row] = block[row][:7]
    block[header + 4] = [None] * 7
    settings, problems = read_settings(block)
    assert problems == []
    # no "Pièces jointes" column (built before it): its letters join nothing, as then
    assert settings.levels == tuple(replace(level, pieces_jointes=frozenset())
                                    for level in DEFAULT_LEVELS)


def test_pieces_jointes_of_a_level_reads_its_three_choices_and_empty():
    block = parametres_block()
    column = list(layout.PARAMETRES_LEVELS_COLUMNS.values()).index("pieces_jointes")
    block[LEVELS_HEADER_ROW][column] = "relevé"
    block[LEVELS_HEADER_ROW + 1][column] = None
    settings, problems = read_settings(block)
    assert problems == []
    assert [level.pieces_jointes for level in settings.levels[:3]] == [
        {"releve"}, frozenset(), {"releve", "factures"}]


def test_pieces_jointes_that_is_no_choice_is_reported_with_its_cell():
    block = parametres_block()
    column = list(layout.PARAMETRES_LEVELS_COLUMNS.values()).index("pieces_jointes")
    block[LEVELS_HEADER_ROW][column] = "Duplicata"
    _, problems = read_settings(block)
    (problem,) = [p for p in problems if p.column == "Pièces jointes"]
    assert (problem.column, problem.value) == ("Pièces jointes", "Duplicata")
    assert "Relevé et factures" in problem.message


def test_a_named_set_must_be_numbered_from_one_too():
    block = parametres_block()
    block[LEVELS_HEADER_ROW + 3][0] = 3.0  # the public buyers' level 1 renumbered 3
    _, problems = read_settings(block)
    assert [(p.column, p.value, p.message) for p in problems] == [
        ("Niveau", [2, 3], "les niveaux des conditions « Acheteur public » doivent être "
                           "numérotés 1, 2, 3…")]


def test_an_unknown_rate_name_in_the_levels_table_is_reported_with_its_cell():
    block = parametres_block()
    block[LEVELS_HEADER_ROW + 4][8] = "BCE + 8"
    _, problems = read_settings(block)
    assert [str(p) for p in problems] == [
        f"Paramètres, ligne {LEVELS_HEADER_ROW + 5}, colonne « Taux » : valeur « BCE + 8 » "
        "— vide, Professionnels, Particuliers, Acheteurs publics attendu"]


def test_the_rates_by_period_are_read_in_date_order():
    rates = [[datetime(2024, 7, 1), 0.1425, "4,92 %", 0.1225],
             [datetime(2024, 1, 1), 0.145, 0.0501, 0.125]]
    settings, problems = read_settings(parametres_block(rates))
    assert problems == []
    assert settings.taux_periodes == (
        RatePeriod(date(2024, 1, 1), Decimal("0.145"), Decimal("0.0501"), Decimal("0.125")),
        RatePeriod(date(2024, 7, 1), Decimal("0.1425"), Decimal("0.0492"), Decimal("0.1225")),
    )


def test_a_rate_period_with_a_bad_or_missing_cell_or_a_repeated_date_is_reported():
    rates = [[datetime(2024, 1, 1), 0.145, 0.0501, 0.125],
             [datetime(2024, 7, 1), "quatorze", 0.0492, None],
             [datetime(2024, 1, 1), 0.1, 0.05, 0.08]]
    settings, problems = read_settings(parametres_block(rates))
    first = LEVELS_HEADER_ROW + 1
    assert [str(p) for p in problems] == [
        f"Paramètres, ligne {first + 1}, colonne « Taux professionnels » : valeur « quatorze » "
        "— taux attendu (ex. 12,15 %)",
        f"Paramètres, ligne {first + 1}, colonne « Taux acheteurs publics » "
        "— valeur obligatoire manquante",
        f"Paramètres, ligne {first + 2}, colonne « Début » : valeur « 2024-01-01 00:00:00 » "
        "— date de début en double dans les taux par période",
    ]
    assert [p.debut for p in settings.taux_periodes] == [date(2024, 1, 1)]


def test_a_changed_setting_is_read_from_its_label_wherever_it_is():
    block = parametres_block(jours_grace=5.0, montant_minimum="25,00 €")
    block.insert(0, ["Notes de l'utilisateur", None, None])
    settings, problems = read_settings(block)
    assert problems == []
    assert settings.jours_grace == 5
    assert settings.montant_minimum == Decimal("25.00")


@pytest.mark.parametrize(("typed", "imputer"), [
    ("Signaler", False), ("signaler", False), (None, False), ("", False),
    ("Imputer sur les plus anciennes factures", True), ("IMPUTER SUR LES PLUS ANCIENNES "
                                                        "FACTURES", True), ("Imputer", True)])
def test_reglements_non_lettres_signaler_or_imputer(typed, imputer):
    settings, problems = read_settings(parametres_block(imputer_non_lettres=typed))
    assert problems == [] and settings.imputer_non_lettres is imputer


def test_reglements_non_lettres_names_its_two_choices_when_mistyped():
    _, problems = read_settings(parametres_block(imputer_non_lettres="Lettrer"))
    [problem] = problems
    assert (problem.column, problem.value) == ("Règlements non lettrés", "Lettrer")
    assert problem.message == ("« Signaler » ou « Imputer sur les plus anciennes factures » "
                               "attendu")


def test_bad_setting_names_the_row_and_label():
    _, problems = read_settings(parametres_block(jours_grace="cinq"))
    assert [str(p) for p in problems] == [
        "Paramètres, ligne 6, colonne « Jours de grâce » : valeur « cinq » "
        "— nombre entier attendu"
    ]


def test_levels_must_be_numbered_from_one():
    block = parametres_block()
    block[LEVELS_HEADER_ROW][0] = 4.0  # level 1 renumbered 4
    _, problems = read_settings(block)
    assert [p.message for p in problems] == [
        "les niveaux de relance doivent être numérotés 1, 2, 3…"
    ]


def test_several_codes_in_one_filter_cell():
    assert split_codes("1FRNEG; 2FRPAR,3UENEG ;") == {"1FRNEG", "2FRPAR", "3UENEG"}
    assert split_codes(None) == frozenset()


def test_empty_date_cell_means_today():
    filters, problems = read_filters({"clients": "1FRNEG"}, today=date(2026, 11, 28))
    assert problems == []
    assert filters.date == date(2026, 11, 28)
    assert filters.clients == {"1FRNEG"}
    assert filters.societes == frozenset()


def test_date_cell_is_used_and_a_bad_one_reported():
    filters, _ = read_filters({"date": datetime(2022, 7, 27)}, today=date(2026, 1, 1))
    assert filters.date == date(2022, 7, 27)
    _, problems = read_filters({"date": "demain"}, today=date(2026, 1, 1))
    assert [str(p) for p in problems] == [
        "Relances, ligne 10, colonne « Échéances échues au » : valeur « demain » "
        "— date attendue (ex. 27/07/2022)"
    ]


def _company_block(**cells):
    """Paramètres with one company whose cells are `cells` (header -> value)."""
    block = parametres_block()
    header = list(layout.PARAMETRES_COMPANIES_COLUMNS)
    block[-2] = header
    block[-1] = [cells.get(h, "VIGNE" if h == "Société" else None) for h in header]
    return block


def test_company_legal_mentions_and_signatory_are_read():
    settings, problems = read_settings(_company_block(**{
        "IBAN": "fr76 3000 6000 0112 3456 7890 189", "BIC": "agri frpp", "Capital": 150000.0,
        "Forme juridique": "SAS", "RCS ou RM": "RCS Reims 123 456 789", "Signataire": "C. D."}))
    assert problems == []
    [company] = settings.companies
    assert company.iban == "FR76 3000 6000 0112 3456 7890 189"
    assert (company.bic, company.capital, company.signataire) == ("AGRIFRPP",
                                                                  Decimal("150000.00"), "C. D.")
    [blank] = read_settings(_company_block())[0].companies
    assert (blank.iban, blank.bic, blank.capital) == ("", "", None)


def test_an_iban_with_a_wrong_check_digit_is_refused_with_its_cell():
    _, problems = read_settings(_company_block(IBAN="FR76 3000 6000 0112 3456 7890 188"))
    [problem] = problems
    row = len(parametres_block())
    assert str(problem) == (
        f"Paramètres, ligne {row}, colonne « IBAN » : valeur « FR76 3000 6000 0112 3456 "
        "7890 188 » — IBAN invalide : la clé de contrôle ne correspond pas (faute de frappe ?)")
    _, problems = read_settings(_company_block(IBAN="FR76-3000", BIC="AGRI"))
    assert [p.column for p in problems] == ["IBAN", "BIC"]


def test_registered_post_defaults_to_the_last_level_of_each_set_only():
    settings, _ = read_settings(parametres_block())  # no value in the column
    assert [(lv.forme, lv.recommande) for lv in settings.levels] == [
        ("LET01", False), ("LET02", False), ("LET03", True), ("ADM01", False), ("ADM02", True)]
    block = parametres_block()
    column = list(layout.PARAMETRES_LEVELS_COLUMNS.values()).index("recommande")
    for row in block:
        if len(row) > column and row[3] in ("LET02", "LET03"):
            row[column] = "Oui" if row[3] == "LET02" else "Non"
    settings, problems = read_settings(block)
    assert problems == []
    assert [lv.recommande for lv in settings.levels][:3] == [False, True, False]


def test_each_output_has_one_label_in_the_workbook_and_one_choice_on_the_command_line():
    assert list(layout.SORTIE_LABELS) == list(Sortie)
    folded = {layout.normalize_header(label) for label in layout.SORTIE_LABELS.values()}
    assert len(folded) == len(Sortie)  # no two labels read alike
    commands = _parser()._subparsers._group_actions[0].choices
    for name in ("lettres", "proposition"):
        (sortie,) = [a for a in commands[name]._actions if a.dest == "sortie"]
        assert sortie.choices == [s.value for s in Sortie]


@pytest.mark.parametrize("typed", ["Écran", "ECRAN", "ecran", " écran "])
def test_the_sortie_cell_read_by_its_label_or_its_code_gives_the_output(typed, tmp_path):
    options, problems = read_print_options({"defaut": "Non", "sortie": typed},
                                           read_settings(parametres_block())[0], tmp_path)
    assert problems == []
    assert options.sortie is Sortie.ECRAN and not options.records


def test_a_sortie_no_output_has_is_named_with_the_labels_expected(tmp_path):
    options, problems = read_print_options({"defaut": "Non", "sortie": "Télécopie"},
                                           read_settings(parametres_block())[0], tmp_path)
    assert [(p.column, p.value) for p in problems] == [("Sortie", "Télécopie")]
    assert problems[0].message == ("sortie attendue : PDF, Fichier texte, Écran, Imprimante, "
                                   "E-mail, Fax, Word")
    assert options.sortie is Sortie.PDF
