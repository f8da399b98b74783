"""The workbook contract: the one place that names sheets, headers and cells.

Sheet and header names are French, as accountants type them; they are a public
interface (users paste exports under them). Each ledger header maps to the
field name the reader gives its value. Headers are matched ignoring case,
accents and spacing, so "code tiers" or "CODE TIERS" are the same column.
"""

from __future__ import annotations

from typing import NamedTuple

from .config import OUTPUTS, TEMPLATES, Sortie
from .model import fold
from .texts import money_format

RELANCES = "Relances"
CLIENTS = "Clients"
FACTURES = "Factures"
REGLEMENTS = "Règlements"
HISTORIQUE = "Historique"
PARAMETRES = "Paramètres"
CONTROLES = "Contrôles"
IMPORT_FEC = "Import FEC"  # the report of the last "Importer un FEC", made at the first import
LISTES = "Listes"  # hidden: sources of the filter drop-downs, refreshed at each Appliquer
PROPOSITION = "Proposition"  # hidden: the saved proposal (issue 4)
XLWINGS_CONF = "xlwings.conf"
BALANCE_AGEE = "Balance âgée"
TABLEAU_DE_BORD = "Tableau de bord"
SUIVI = "Suivi"  # between the letters: promises, payment plans, disputes, calls (issue 26)
FICHE_CLIENT = "Fiche client"  # one customer's story, filled by its button
APPELS = "Appels"  # the call list of the last `lettres` (levels whose canal is Appel)
APPELS_COLUMNS = ("Tiers", "Société", "Nom", "Téléphone", "E-mail", "Factures",
                  "Montant à régler", "Niveau", "À demander", "Réponse")

# --- ledger sheets: header -> field, in the order the builder writes them -------------

CLIENTS_COLUMNS: dict[str, str] = {
    "Code tiers": "tiers",
    "Nom": "nom",
    "Adresse 1": "adresse1",
    "Adresse 2": "adresse2",
    "Code postal": "code_postal",
    "Ville": "ville",
    "Pays": "pays",
    "Famille client": "famille",
    "Représentant": "representant",
    "Mode de règlement": "mode_reglement",
    "E-mail": "email",
    "Fax": "fax",
    "Langue": "langue",
    "Type": "type",
    "Bloqué relance": "bloque",
    "Délai de paiement (jours)": "delai_paiement",
    "Conditions de relance": "conditions",  # empty: the default set of levels
    "Téléphone": "telephone",  # shown in the call list of a level whose canal is Appel
}
CLIENTS_REQUIRED = ("Code tiers", "Nom")

FACTURES_COLUMNS: dict[str, str] = {
    "Société": "societe",
    "N° pièce": "piece",
    "Type": "type",
    "Code tiers": "tiers",
    "Date pièce": "date_piece",
    "Date échéance": "echeance",
    "Montant TTC": "montant",
    "Mode de règlement": "mode_reglement",
    "Comptabilisée": "comptabilisee",
    "Litige": "litige",
    "Devise": "devise",
}
FACTURES_REQUIRED = ("Société", "N° pièce", "Code tiers", "Date pièce", "Date échéance",
                     "Montant TTC")

REGLEMENTS_COLUMNS: dict[str, str] = {
    "Société": "societe",
    "N° règlement": "numero",
    "Code tiers": "tiers",
    "Date": "date",
    "Montant": "montant",
    "Mode de règlement": "mode_reglement",
    "N° pièce lettrée": "piece_lettree",
    "Devise": "devise",
}
REGLEMENTS_REQUIRED = ("Société", "Code tiers", "Date", "Montant")

HISTORIQUE_COLUMNS: dict[str, str] = {
    "Date": "date",
    "Société": "societe",
    "Code tiers": "tiers",
    "N° pièce": "piece",
    "Niveau": "niveau",
    "Sortie": "sortie",
    # the letter's PDF kept in "Lettres émises" (letters/archive.py): relative to the
    # workbook's folder, absolute when elsewhere; optional, older workbooks lack it
    "Lettre archivée": "lettre",
}
HISTORIQUE_REQUIRED = ("Date", "Société", "Code tiers", "N° pièce", "Niveau", "Sortie")

SUIVI_COLUMNS: dict[str, str] = {
    "Date": "date",
    "Code tiers": "tiers",
    "Société": "societe",
    "N° pièce": "piece",  # empty: all the customer's invoices in that company
    "Action": "action",
    "Jusqu'au": "jusqu_au",
    "Montant": "montant",
    "Commentaire": "commentaire",
    "Par": "par",
    # a Recommandé line: the registered letter's number, its delivery date when known
    # (optional: a workbook made before them still reads)
    "N° recommandé": "numero_recommande",
    "Distribué le": "distribue_le",
}
SUIVI_REQUIRED = ("Date", "Code tiers", "Société", "Action")
# the line the recovery file (`relances-xl recouvrement`) writes: reminders stop there
SUIVI_DOSSIER = "Dossier de recouvrement"
# the Action drop-down, in this order (rules/followup.py says what each does)
SUIVI_ACTIONS = ("Appel", "Promesse de règlement", "Échéancier", "Litige", "Suspension",
                 "Note", "Réponse reçue", "Recommandé", SUIVI_DOSSIER)

# Excel table (ListObject) names of the ledger sheets, so pasted rows extend them.
TABLE_NAMES: dict[str, str] = {
    CLIENTS: "tblClients",
    FACTURES: "tblFactures",
    REGLEMENTS: "tblReglements",
    HISTORIQUE: "tblHistorique",
    SUIVI: "tblSuivi",
}

# --- Paramètres ------------------------------------------------------------------------
INVOICES_FOLDER = "dossier_factures"  # Paramètres' key naming the folder of invoice copies
# Label in column A, value in column B; the reader finds each label wherever its row is.
# key -> (label, default shown by the builder, Excel number format or None)
PARAMETRES_SETTINGS: dict[str, tuple[str, object, str | None]] = {
    "taux_annuel": ("Taux annuel", 0.1215, "0.00%"),
    "taux_particuliers": ("Taux de l'intérêt légal", 0.0262, "0.00%"),
    "taux_publics": ("Taux annuel acheteurs publics", 0.1015, "0.00%"),
    "indemnite_forfaitaire": ("Indemnité forfaitaire", 40.0, "money"),
    "montant_minimum": ("Montant minimum", 10.0, "money"),
    "jours_grace": ("Jours de grâce", 0, "0"),
    "decocher_solde_negatif": ("Décocher si solde ≤ 0", "Oui", None),
    "imputer_non_lettres": ("Règlements non lettrés", "Signaler", None),
    "forme_defaut": ("Forme par défaut", "", None),
    "exemplaires_defaut": ("Nb exemplaires par défaut", 1, "0"),
    "sortie_defaut": ("Sortie par défaut", "PDF", None),
    "dossier_defaut": ("Dossier par défaut", "", None),
    "dossier_modeles": ("Dossier des modèles (vide : modèles fournis)", "", None),
    # the invoice copies joined to letters (letters/copies.py); relative to the workbook
    INVOICES_FOLDER: ("Dossier des factures", "", None),
    # every letter issued kept as a PDF there (letters/archive.py); relative to the workbook
    "dossier_lettres_emises": ("Dossier des lettres émises (vide : « Lettres émises » à côté "
                               "du classeur)", "", None),
    "smtp_hote": ("SMTP hôte", "", None),
    "smtp_port": ("SMTP port", 587, "0"),
    "smtp_tls": ("SMTP TLS (starttls/ssl/aucun)", "starttls", None),
    "smtp_utilisateur": ("SMTP utilisateur", "", None),
    "passerelle_fax": ("Passerelle fax (domaine)", "", None),
    "tranches_balance": ("Tranches de la balance âgée (jours)", "30/60/90", None),
    "comptes_fec": ("Comptes clients du FEC", "411", "@"),
}
# labels of older workbooks, still read: label -> key
PARAMETRES_SETTING_ALIASES: dict[str, str] = {"Taux annuel particuliers": "taux_particuliers"}
# "Règlements non lettrés": what Appliquer does with payments and credit notes lettered
# to no invoice (the drop-down's choices, the first is the default)
NON_LETTRES_CHOICES = ("Signaler", "Imputer sur les plus anciennes factures")
PARAMETRES_LEVELS_TITLE = "Niveaux de relance"
PARAMETRES_LEVELS_COLUMNS: dict[str, str] = {
    "Niveau": "niveau",
    "Jours de retard": "jours_retard",
    "Jours depuis relance précédente": "jours_depuis_precedente",
    "Forme": "forme",
    "Frais": "frais",
    "Intérêts": "interets",
    "Indemnité": "indemnite",
    "Conditions de relance": "conditions",  # the set the level belongs to; empty: default
    "Taux": "taux",  # which rate of Paramètres its interest runs at; empty: legal rate
    # empty: on for the last level of its set (the mise en demeure), off for the others
    "Envoi recommandé avec AR": "recommande",
    # what the letters carry besides themselves (PIECES_JOINTES_LABELS); empty: nothing
    "Pièces jointes": "pieces_jointes",
    "Canal": "canal",  # Courrier (empty) or Appel: config.CANAUX
}
# what the levels' "Pièces jointes" column may hold -> config.JOINT_* ("" joins nothing)
PIECES_JOINTES_LABELS: dict[str, frozenset[str]] = {
    "Relevé": frozenset({"releve"}),
    "Factures": frozenset({"factures"}),
    "Relevé et factures": frozenset({"releve", "factures"}),
}
# what the levels' "Taux" column may hold -> config.TAUX_* ("" is the legal rate by Type)
TAUX_LABELS: dict[str, str] = {
    "Professionnels": "professionnels",
    "Particuliers": "particuliers",
    "Acheteurs publics": "acheteurs publics",
}
# the rates by period: the table is found by its "Début" header, wherever it is
PARAMETRES_RATES_TITLE = "Taux par période"
PARAMETRES_RATES_COLUMNS: dict[str, str] = {
    "Début": "debut",
    "Taux professionnels": "professionnels",
    "Taux de l'intérêt légal": "particuliers",  # creditors other than private persons
    "Taux acheteurs publics": "publics",
}
# the same, with the header of older workbooks ("Taux particuliers") still read
PARAMETRES_RATES_READ: dict[str, str] = {"Taux particuliers": "particuliers",
                                         **PARAMETRES_RATES_COLUMNS}
# the exchange rates: the table is found by its "Code devise" header, wherever it is.
# The rate is how many units of the currency one euro buys (the ECB's quotation,
# "1 EUR = 1,0850 USD"): the euro amounts of the settings are multiplied by it.
PARAMETRES_CHANGE_TITLE = "Taux de change"
PARAMETRES_CHANGE_COLUMNS: dict[str, str] = {
    "Code devise": "devise",
    "Unités de la devise pour 1 €": "unites_par_euro",
    "Date du taux": "date",
}
PARAMETRES_COMPANIES_TITLE = "Sociétés"
PARAMETRES_COMPANIES_COLUMNS: dict[str, str] = {
    "Société": "societe",
    "Raison sociale": "raison_sociale",
    "Adresse": "adresse",
    "SIRET": "siret",
    "IBAN": "iban",
    "E-mail expéditeur": "email",
    # what a French business letter must show (art. R123-237 du Code de commerce),
    # and who signs it; each printed only when filled
    "BIC": "bic",
    "Forme juridique": "forme_juridique",
    "Capital": "capital",
    "RCS ou RM": "rcs",
    "N° TVA": "tva",
    "Téléphone": "telephone",
    "Signataire": "signataire",
    "Titre du signataire": "signataire_titre",
    "Image de signature": "signature",
    # a row naming a currency gives only that company's IBAN and BIC for the letters in
    # that currency; empty: the company's own row
    "Devise": "devise",
}

# --- Contrôles -------------------------------------------------------------------------
# header row of the problems found in the ledger at the last Appliquer
CONTROLES_COLUMNS = ("Gravité", "Feuille", "Ligne", "Colonne", "Valeur", "Problème")

# --- Relances sheet ----------------------------------------------------------------------

TITLE_CELL = "A1"
WARNING_CELL = "A2"  # "ATTENTION : ... uniquement les factures comptabilisées."

# filter key -> (label cell, value cell, label, name of the drop-down list in `Listes`)
FILTERS: dict[str, tuple[str, str, str, str | None]] = {
    "clients": ("A5", "B5", "Client(s)", "ListeClients"),
    "familles": ("A6", "B6", "Famille(s) client(s)", "ListeFamilles"),
    "representants": ("A7", "B7", "Représentant(s)", "ListeRepresentants"),
    "modes": ("A8", "B8", "Mode de règlement", "ListeModes"),
    "societes": ("A9", "B9", "Société", "ListeSocietes"),
}
DATE_LABEL_CELL, DATE_CELL = "A10", "B10"
DATE_LABEL = "Échéances échues au"
# the date the letters bear (empty: the Échéances échues au): interest and the formal
# notice's deadline count to and from it, for letters prepared on Friday, posted Monday
LETTERS_DATE_LABEL_CELL, LETTERS_DATE_CELL = "A11", "B11"
LETTERS_DATE_LABEL = "Date des lettres"
FILTERS_TITLE_CELL = "A4"  # "Filtres"
FILTER_SEPARATORS = ";,"  # several codes in one filter cell: "1FRNEG; 2FRPAR"
# a drop-down shows "1FRNEG — MME toulouse amelie": the filter reads the code before it
CODE_NAME_SEPARATOR = " — "

# print options ("Choix des paramètres"): key -> (label cell, value cell, label)
OPTIONS_TITLE_CELL = "D4"
OPTIONS: dict[str, tuple[str, str, str]] = {
    "defaut": ("D5", "E5", "Utiliser les paramètres par défaut"),
    "forme": ("D6", "E6", "Forme"),
    "exemplaires": ("D7", "E7", "Nb exemplaires"),
    "sortie": ("D8", "E8", "Sortie"),
    "dossier": ("D9", "E9", "Dossier"),
    "imprimante": ("D10", "E10", "Imprimante"),  # empty: the default printer
}
FORMES = tuple(template.forme for template in TEMPLATES)  # ADM: letters to public buyers
# what the "Sortie" cell shows for each output (its drop-down, in this order; the first
# is the default): declared with the output, `config.OUTPUTS`
SORTIE_LABELS: dict[Sortie, str] = {sortie: output.label for sortie, output in OUTPUTS.items()}

# buttons: caption -> (VBA macro, top-left cell)
BUTTONS: dict[str, tuple[str, str]] = {
    "Appliquer": ("Appliquer", "G4"),
    "Imprimer la proposition": ("ImprimerProposition", "G6"),
    "Imprimer toutes les lettres": ("ImprimerLettres", "G8"),
    "Sauver la proposition": ("SauverProposition", "I4"),
    "Importer un FEC": ("ImporterFec", "I6"),
    "Balance âgée": ("BalanceAgee", "I8"),
    "Relevés de compte": ("RelevesCompte", "I10"),
    "Fiche client": ("FicheClient", "G10"),
    # the customer of the selected table row, after its mise en demeure (issue 29)
    "Dossier de recouvrement": ("DossierRecouvrement", "I2"),
}
# right-click entries of the guide, added to the cell menu of the Relances sheet
CONTEXT_MENU: dict[str, str] = {
    "Imprimer la proposition vers...": "ImprimerProposition",
    "Imprimer toutes les lettres vers...": "ImprimerLettres",
}
# VBA macro -> the Python call behind it
MACROS: dict[str, str] = {
    "Appliquer": "import relances_xl.addin as a; a.appliquer()",
    "ImprimerProposition": "import relances_xl.addin as a; a.imprimer_proposition()",
    "ImprimerLettres": "import relances_xl.addin as a; a.imprimer_lettres()",
    "SauverProposition": "import relances_xl.addin as a; a.sauver_proposition()",
    "BalanceAgee": "import relances_xl.addin as a; a.balance_agee()",
    "RelevesCompte": "import relances_xl.addin as a; a.releves_de_compte()",
    "FicheClient": "import relances_xl.addin as a; a.fiche_client()",
    "DossierRecouvrement": "import relances_xl.recouvrement as r; r.dossier_de_recouvrement()",
    # not a button: the answer "Non" of the close prompt drops the saved proposal
    "AbandonnerProposition": "import relances_xl.addin as a; a.abandonner_proposition()",
    # {path}: the file chosen in Excel's file picker, as a Python string literal
    "ImporterFec": "import relances_xl.addin as a; a.importer_fec({path})",
}
# macros that first ask for a file: macro -> (file filter, dialog title)
FILE_PICKERS: dict[str, tuple[str, str]] = {
    "ImporterFec": ("Fichiers FEC (*.txt;*.csv),*.txt;*.csv", "Importer un FEC"),
}

# --- the hidden Proposition sheet: the saved proposal ------------------------------------
# label cell -> value cell; the rows of the saved table start under PROPOSAL_HEADER_ROW
PROPOSAL_CELLS: dict[str, tuple[str, str, str]] = {
    "saved_at": ("A2", "B2", "Sauvée le"),
    "date": ("A3", "B3", DATE_LABEL),
    "clients": ("A4", "B4", "Client(s)"),
    "familles": ("A5", "B5", "Famille(s) client(s)"),
    "representants": ("A6", "B6", "Représentant(s)"),
    "modes": ("A7", "B7", "Mode de règlement"),
    "societes": ("A8", "B8", "Société"),
    # read by ThisWorkbook's close prompt: VRAI when the table changed since the save
    "changed": ("A9", "B9", "Tableau modifié depuis la sauvegarde"),
    "fingerprint": ("A10", "B10", "Empreinte du tableau sauvé"),
    # written by ThisWorkbook's close prompt (CLOSE_SAVE / CLOSE_DROP), acted on by the
    # next Appliquer: on macOS RunPython returns at once, so Python cannot act while
    # Excel closes the workbook
    "a_la_fermeture": ("A11", "B11", "Choix à la fermeture"),
}
PROPOSAL_TITLE = "Proposition de relance sauvée"
PROPOSAL_HEADER_ROW = 12
CLOSE_PROMPT = "Voulez-vous sauver la proposition de relance ?"
CLOSE_SAVE, CLOSE_DROP = "sauver", "abandonner"  # the answers VBA records

MESSAGE_CELL = "A12"  # one line saying what the last action did
TABLE_HEADER_ROW = 14
TABLE_FIRST_ROW = 15  # its formats (money, checkboxes) are copied to every row written


class TableColumn(NamedTuple):
    """One column of the `Relances` table, declared once: where it is, what it holds,
    who fills it. Column letters, reading, writing, the saved proposal and "Éditée"
    all come from this declaration, so a new column is one line here."""

    header: str
    field: str  # the ReminderRow field it shows
    kind: str  # "code", "money", "int", "checkbox" or "text": how its cells are read/written
    typed: bool = False  # typed by the user (a tick): kept from the sheet and by the proposal
    saved: bool = False  # kept in the saved proposal (the identity and what the user saw)


# columns A.. in this order; (tiers, société, devise) is a row's identity
TABLE_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("Tiers", "tiers", "code", saved=True),
    TableColumn("Société", "societe", "code", saved=True),
    TableColumn("Solde comptable", "solde_comptable", "money"),
    TableColumn("Encours relancé", "encours_relance", "money", saved=True),
    TableColumn("Agios réclamés", "agios_reclames", "money"),
    TableColumn("Niveau de relance", "niveau", "int", saved=True),
    TableColumn("A relancer", "a_relancer", "checkbox", typed=True, saved=True),
    TableColumn("Éditée", "editee", "checkbox", typed=True, saved=True),
    TableColumn("Adresse du tiers", "adresse", "text"),
    TableColumn("Motif", "motif", "text", saved=True),
    # every amount of the row is in it (empty: EUR); last, so the guide's columns A-J stay
    TableColumn("Devise", "devise", "code", saved=True),
)
TABLE_IDENTITY = ("tiers", "societe", "devise")
TABLE_FIELDS = tuple(c.field for c in TABLE_COLUMNS)
TYPED_FIELDS = tuple(c.field for c in TABLE_COLUMNS if c.typed)


def table_letter(field: str) -> str:
    """The column letter of a table field ("editee" -> "H")."""
    return _letters(TABLE_FIELDS.index(field) + 1)


def _letters(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


TABLE_LAST_COLUMN = _letters(len(TABLE_COLUMNS))
MONEY_COLUMNS = tuple(table_letter(c.field) for c in TABLE_COLUMNS if c.kind == "money")
# text cells: a code "00123" written by the add-in stays "00123"
CODE_COLUMNS = tuple(table_letter(c.field) for c in TABLE_COLUMNS if c.kind == "code")
CHECKBOX_COLUMNS = tuple(table_letter(c.field) for c in TABLE_COLUMNS if c.kind == "checkbox")

# the hidden sheet's rows: the row's identity, the columns the user types, the other
# saved columns, the invoices the row covered, then whether the user changed the tick
# the rules gave (an explicit state: a choice is kept by it, whatever the motif says)
# and the rules' reasons to untick it then (a new one wins over the choice)
PROPOSAL_CHOICE_HEADER = "Choix de l'utilisateur"
_SAVED = sorted((c for c in TABLE_COLUMNS if c.saved),
                key=lambda c: (c.field not in TABLE_IDENTITY, not c.typed))
PROPOSAL_COLUMNS: tuple[tuple[str, str], ...] = (
    *((c.header, c.field) for c in _SAVED),
    ("N° pièces", "pieces"),
    (PROPOSAL_CHOICE_HEADER, "choisi"),
    ("Raisons des règles", "raisons"),  # why the rules unticked it (codes, not the motif)
)

# Excel number formats. The checkbox cells carry a number format found nowhere else:
# it shows VRAI/FAUX where cell checkboxes are unknown (LibreOffice), and it is the
# marker by which a headless save finds the checkbox styles to put back.
MONEY_FORMAT = money_format()  # '#,##0.00 "€"', the default currency's
DATE_FORMAT = "dd/mm/yyyy"
CHECKBOX_FORMAT = '"VRAI";"VRAI";"FAUX"'


def header(columns: dict[str, str], field: str) -> str:
    """The header a field is read from: what a problem about its cell names."""
    return next(h for h, f in columns.items() if f == field)


def normalize_header(text: object) -> str:
    """Fold a header the way a person reads it: no case, no accents, single spaces
    (`model.fold`), and "N°" as "No"."""
    return fold(str(text or "").replace("°", "o"))


# --- Fiche client ------------------------------------------------------------------------
# the customer typed by the user (label cell, value cell, label), then the story's table
FICHE_CELLS: dict[str, tuple[str, str, str]] = {
    "tiers": ("A1", "B1", "Code tiers"),
    "societe": ("A2", "B2", "Société (vide : toutes)"),
}
FICHE_MESSAGE_CELL = "A3"
FICHE_HEADER_ROW = 5
FICHE_COLUMNS = ("Date", "Société", "Type", "Pièce", "Montant", "Détail", "État")

# --- Balance âgée and Tableau de bord ----------------------------------------------------
# The aged balance: a title line, a line saying the date and filters, the header, the rows,
# then the total row. The bucket headers follow the limits of Paramètres.
AGED_TITLE_CELL = "A1"
AGED_SUBTITLE_CELL = "A2"
AGED_HEADER_ROW = 4
AGED_FIRST_ROW = 5
# the header before and after the buckets; the buckets' own come from `aging.bucket_labels`
AGED_LEADING = ("Code tiers", "Nom", "Société")
AGED_TRAILING = ("Non imputé", "Total", "Litige")
AGED_CURRENCY = "Devise"  # last: the currency of the row's amounts, and of each total row

# The dashboard: four blocks of fixed size that the refresh fills and the built charts
# read. block -> (title cell, header row, first row, rows, headers)
DASHBOARD_TITLE_CELL = "A1"
DASHBOARD_SUBTITLE_CELL = "A2"
DASHBOARD_BLOCKS: dict[str, tuple[str, int, int, int, tuple[str, ...]]] = {
    "aged": ("A4", 5, 6, 10, ("Société", "Non échu", "0 à 30 jours", "31 à 60 jours",
                              "61 à 90 jours", "Plus de 90 jours", "Non imputé", "Total")),
    "top": ("A18", 19, 20, 10, ("Code tiers", "Nom", "Échu")),
    "dso": ("A32", 33, 34, 10, ("Société", "Encours", "CA TTC sur 365 jours",
                                "DSO (jours)")),
    "effect": ("A46", 47, 48, 5, ("Niveau", "Relancé (15 j)", "Payé sous 15 jours",
                                  "Part payée sous 15 jours", "Relancé (30 j)",
                                  "Payé sous 30 jours", "Part payée sous 30 jours")),
}
DASHBOARD_BLOCKS["promises"] = ("A60", 61, 62, 8, ("Semaine du", "Montant promis"))
# the Suivi sheet's promises: the share kept (label, value) beside the amounts per week
DASHBOARD_KEPT_CELLS = ("D61", "D62")
DASHBOARD_DSO_NOTE_CELL = "A44"
# under the subtitle: the charts' amounts are euros, the other currencies converted at
# Paramètres' Taux de change (empty for a ledger in euros alone)
DASHBOARD_EUROS_NOTE_CELL = "A3"
PERCENT_FORMAT = "0.0%"
DAYS_FORMAT = "0.0"
