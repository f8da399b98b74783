"""The built-in sample ledger: the customers of the user guide's screen.

Applied at 27/07/2022 it gives the guide's table: 1FRNEG/VIGNE at level 2 with
11 063,80 € reminded on a 216,00 € balance (an unallocated payment), 1FRNEG/ZNEG
at level 2 unticked (a credit note brings its balance to 0), 2FRPAR at level 2,
the five others at level 1. Around them, the cases an accountant meets: a paid
invoice, a partial payment, a disputed invoice, an unposted one, one not yet due,
a due date that is today, and a customer with nothing overdue. Besides the guide's
rows, NYWINE, a New York wine shop invoiced in dollars (issue 28): one invoice paid in
full in dollars, one partly paid, reminded in dollars at level 1.

Rows are in the column order of `layout`, so the workbook builder and the
tests write them as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from . import layout

DEMO_DATE = date(2022, 7, 27)
DEMO_NEXT_DATE = date(2022, 9, 15)  # the demo's second round: formal notices
# the demo's last step: 1FRNEG's notice of 15/09 gave it until 23/09; its recovery file
DEMO_RECOVERY_DATE = date(2022, 10, 3)
DEMO_RECOVERY = ("1FRNEG", "VIGNE")

_CLIENTS: list[list[object]] = [
    ["1FRNEG", "MME toulouse amelie", "12 rue de Vesle", "", "51100", "REIMS", "France",
     "NEGOCE", "REP01", "VIR", "amelie.toulouse@example.fr", "", "FR", "Professionnel",
     "Non", 30, "", "03 26 11 22 33"],
    ["2FRPAR", "Particulier Martin", "3 place du Vieux-Marché", "", "76000", "ROUEN", "France",
     "PARTICULIER", "REP02", "CHQ", "martin.particulier@example.fr", "", "FR", "Particulier",
     "Non", 30, "", "02 35 44 55 66"],
    ["3UENEG", "Négoce UE", "Friedrichstraße 12", "", "B6565", "BERLIN", "Allemagne",
     "EXPORT", "REP01", "VIR", "einkauf@negoce-ue.example.de", "+49 30 1234567", "DE",
     "Professionnel", "Non", 30, "", "+49 30 1234560"],
    ["4HUE", "Hors Union Européenne John", "100 Fifth Avenue", "", "212545", "NEW YORK",
     "États-Unis", "EXPORT", "REP02", "VIR", "john@hors-ue.example.com", "", "EN",
     "Professionnel", "Non", 30, "", "+1 212 555 0100"],
    ["5REST", "Restaurant La Belle Auberge", "8 rue des Trois Cailloux", "", "80000", "AMIENS",
     "France", "CHR", "REP01", "LCR", "contact@belle-auberge.example.fr", "+33 3 22 00 00 00",
     "FR", "Professionnel", "Non", 30, "", "03 22 00 00 00"],
    ["BONJE", "Bonheur Jean", "1 rue de l'Église", "", "80110", "HANGARD", "France",
     "VITI", "REP02", "CHQ", "jean.bonheur@example.fr", "", "FR", "Professionnel", "Non", 30,
     "Avec appel", "03 22 42 42 42"],  # a phone call before the mise en demeure
    ["BONSV", "AUX BONS VIVANTS", "22 quai de la Fosse", "", "44000", "NANTES", "France",
     "CHR", "REP02", "CHQ", "compta@bons-vivants.example.fr", "", "FR", "Professionnel",
     "Non", 30, "", "02 40 12 34 56"],
    ["CAVEA", "Cave des Amis", "4 rue du Chai", "", "21200", "BEAUNE", "France",
     "NEGOCE", "REP01", "VIR", "cave.amis@example.fr", "", "FR", "Professionnel", "Non", 30, "",
     "03 80 22 33 44"],
    ["NYWINE", "Big Apple Wine Merchants", "250 West 57th Street", "", "NY 10107",
     "NEW YORK", "États-Unis", "EXPORT", "REP02", "VIR", "ap@bigapplewine.example.com", "",
     "EN", "Professionnel", "Non", 30, "", "+1 212 555 0199"],  # invoiced in USD
]

_FACTURES: list[list[object]] = [
    # Société, N° pièce, Type, Code tiers, Date pièce, Date échéance, Montant TTC, Mode,
    # Comptabilisée, Litige
    ["VIGNE", "FA22-0088", "Facture", "1FRNEG", date(2022, 4, 12), date(2022, 5, 12),
     D("1500.00"), "VIR", "Oui", "Non"],
    ["VIGNE", "FA22-0101", "Facture", "1FRNEG", date(2022, 5, 20), date(2022, 6, 19),
     D("6000.00"), "VIR", "Oui", "Non"],
    ["VIGNE", "FA22-0115", "Facture", "1FRNEG", date(2022, 6, 10), date(2022, 7, 10),
     D("5063.80"), "VIR", "Oui", "Non"],
    ["ZNEG", "ZF22-0042", "Facture", "1FRNEG", date(2022, 6, 5), date(2022, 7, 5),
     D("11600.00"), "VIR", "Oui", "Non"],
    ["ZNEG", "ZA22-0003", "Avoir", "1FRNEG", date(2022, 7, 20), date(2022, 7, 20),
     D("11600.00"), "VIR", "Oui", "Non"],
    ["VIGNE", "FA22-0109", "Facture", "2FRPAR", date(2022, 6, 5), date(2022, 7, 5),
     D("120.00"), "CHQ", "Oui", "Non"],
    ["VIGNE", "FA22-0112", "Facture", "3UENEG", date(2022, 6, 15), date(2022, 7, 15),
     D("2450.00"), "VIR", "Oui", "Non"],
    ["VIGNE", "FA22-0105", "Facture", "4HUE", date(2022, 6, 20), date(2022, 7, 20),
     D("1800.00"), "VIR", "Oui", "Non"],
    ["VIGNE", "FA22-0130", "Facture", "4HUE", date(2022, 7, 15), date(2022, 8, 14),
     D("950.00"), "VIR", "Oui", "Non"],
    ["VIGNE", "FA22-0099", "Facture", "5REST", date(2022, 5, 31), date(2022, 6, 30),
     D("980.00"), "LCR", "Oui", "Oui"],
    ["VIGNE", "FA22-0118", "Facture", "5REST", date(2022, 6, 26), date(2022, 7, 26),
     D("356.40"), "LCR", "Oui", "Non"],
    ["VIGNE", "FA22-0121", "Facture", "BONJE", date(2022, 6, 27), date(2022, 7, 27),
     D("64.50"), "CHQ", "Oui", "Non"],
    ["VIGNE", "FA22-0110", "Facture", "BONSV", date(2022, 6, 12), date(2022, 7, 12),
     D("1234.56"), "CHQ", "Oui", "Non"],
    ["VIGNE", "FA22-0125", "Facture", "BONSV", date(2022, 7, 1), date(2022, 7, 1),
     D("500.00"), "CHQ", "Non", "Non"],
    ["VIGNE", "FA22-0095", "Facture", "CAVEA", date(2022, 5, 25), date(2022, 6, 24),
     D("840.00"), "VIR", "Oui", "Non"],
    # Devise (issue 28): the amounts of these rows are dollars
    ["VIGNE", "FU22-0007", "Facture", "NYWINE", date(2022, 5, 2), date(2022, 6, 1),
     D("1200.00"), "VIR", "Oui", "Non", "USD"],
    ["VIGNE", "FU22-0011", "Facture", "NYWINE", date(2022, 6, 2), date(2022, 7, 2),
     D("2450.00"), "VIR", "Oui", "Non", "USD"],
]

_REGLEMENTS: list[list[object]] = [
    # Société, N° règlement, Code tiers, Date, Montant, Mode, N° pièce lettrée
    ["VIGNE", "RG22-0040", "1FRNEG", date(2022, 5, 10), D("1500.00"), "VIR", "FA22-0088"],
    ["VIGNE", "RG22-0077", "1FRNEG", date(2022, 7, 25), D("10847.80"), "VIR", ""],
    ["VIGNE", "RG22-0070", "3UENEG", date(2022, 7, 18), D("450.00"), "VIR", "FA22-0112"],
    ["VIGNE", "RG22-0066", "CAVEA", date(2022, 6, 22), D("840.00"), "VIR", "FA22-0095"],
    # in dollars: FU22-0007 settled in full whatever the euros, FU22-0011 in part
    ["VIGNE", "RU22-0003", "NYWINE", date(2022, 5, 30), D("1200.00"), "VIR", "FU22-0007",
     "USD"],
    ["VIGNE", "RU22-0005", "NYWINE", date(2022, 7, 15), D("450.00"), "VIR", "FU22-0011",
     "USD"],
]

_HISTORIQUE: list[list[object]] = [
    # Date, Société, Code tiers, N° pièce, Niveau, Sortie, Lettre archivée (none: the
    # sample's letters were issued before the archive existed)
    [date(2022, 7, 1), "VIGNE", "1FRNEG", "FA22-0101", 1, "pdf", ""],
    [date(2022, 7, 8), "ZNEG", "1FRNEG", "ZF22-0042", 1, "pdf", ""],
    [date(2022, 7, 11), "VIGNE", "2FRPAR", "FA22-0109", 1, "email", ""],
]

_SUIVI: list[list[object]] = [
    # Date, Code tiers, Société, N° pièce, Action, Jusqu'au, Montant, Commentaire, Par. None
    # changes the guide's table of 27/07/2022: the promise covers an invoice due on 14/08
    # and is broken by the second round (15/09/2022), which names it.
    [date(2022, 7, 20), "5REST", "VIGNE", "FA22-0099", "Litige", None, None,
     "Livraison incomplète : deux cartons manquants", "CD"],
    [date(2022, 7, 22), "BONSV", "VIGNE", "", "Appel", None, None,
     "Facture transmise au service payeur, rappeler fin juillet", "CD"],
    [date(2022, 7, 26), "4HUE", "VIGNE", "FA22-0130", "Promesse de règlement",
     date(2022, 8, 31), D("950.00"), "Virement promis par John au téléphone", "CD"],
]

_COMPANIES: list[list[object]] = [
    # Société, Raison sociale, Adresse, SIRET, IBAN, E-mail expéditeur, BIC, Forme juridique,
    # Capital, RCS ou RM, N° TVA, Téléphone, Signataire, Titre du signataire,
    # Image de signature (beside the workbook: `SIGNATURE_FILE`)
    ["VIGNE", "Domaine de la Vigne SAS", "1 chemin des Vignes, 51100 REIMS",
     "123 456 789 00011", "FR76 3000 6000 0112 3456 7890 189", "compta@vigne.example.fr",
     "AGRIFRPP", "SAS", D("150000.00"), "RCS Reims 123 456 789", "FR32 123456789",
     "03 26 00 00 00", "Claire Dubois", "Responsable comptable", "signature-vigne.png"],
    ["ZNEG", "Z Négoce SARL", "10 avenue du Port, 80000 AMIENS",
     "987 654 321 00022", "FR14 2004 1010 0505 0001 3M02 606", "compta@z-negoce.example.fr",
     "PSSTFRPP", "SARL", D("20000.00"), "RCS Amiens 987 654 321", "FR05 987654321",
     "03 22 00 00 01", "Marc Lefèvre", "Gérant", ""],
    # the estate's dollar account: the letters in USD give it (Devise column, last)
    ["VIGNE", "", "", "", "FR69 3000 6000 0199 8877 6655 421", "", "AGRIFRPP", "", "", "",
     "", "", "", "", "", "USD"],
]
# Paramètres' "Taux de change": units of the currency for 1 € on that date (an example
# rate, of the order of the ECB's reference rate of the day)
_CHANGE: list[list[object]] = [
    ["USD", D("1.0150"), date(2022, 7, 27)],
]
# The sample's signature image, written beside the workbook by the builder.
SIGNATURE_FILE = "signature-vigne.png"
SIGNATURE_IMAGE = Path(__file__).resolve().parent / "signature-exemple.png"


def sheet_rows() -> dict[str, list[list[object]]]:
    """Data rows of each ledger sheet, fresh lists so a caller may change them; a row
    shorter than its sheet's columns (an euro row without its Devise) is filled with
    empty cells."""
    return {
        layout.CLIENTS: _full(_CLIENTS, layout.CLIENTS_COLUMNS),
        layout.FACTURES: _full(_FACTURES, layout.FACTURES_COLUMNS),
        layout.REGLEMENTS: _full(_REGLEMENTS, layout.REGLEMENTS_COLUMNS),
        layout.HISTORIQUE: _full(_HISTORIQUE, layout.HISTORIQUE_COLUMNS),
    }


def _full(rows: list[list[object]], columns: dict[str, str]) -> list[list[object]]:
    return [[*row, *[""] * (len(columns) - len(row))] for row in rows]


def suivi_rows() -> list[list[object]]:
    """Data rows of the `Suivi` sheet: a dispute, a call and a promise to pay."""
    return [list(row) for row in _SUIVI]


def companies() -> list[list[object]]:
    """Rows of the companies table of `Paramètres`."""
    return _full(_COMPANIES, layout.PARAMETRES_COMPANIES_COLUMNS)


def exchange_rates() -> list[list[object]]:
    """Rows of the "Taux de change" table of `Paramètres`."""
    return [list(row) for row in _CHANGE]
