"""The fields a template may use: the schema of the letter and proposal contexts.

`templates/README.md` is generated from it, and a test checks that the contexts
produce exactly these fields, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Mapping


def field_paths(context: Mapping[str, object], prefix: str = "") -> set[str]:
    """Every name a template can write: `lignes`, and `lignes[].numero` inside its loop.

    The README and the template check both speak in these paths, so a field added
    here and forgotten in the schema (or the reverse) fails a test.
    """
    paths: set[str] = set()
    for key, value in context.items():
        path = f"{prefix}{key}"
        paths.add(path)
        if isinstance(value, Mapping):
            paths |= field_paths(value, f"{path}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    paths |= field_paths(item, f"{path}[].")
    return paths


_LINE_FIELDS = {
    "numero": "N° pièce de la facture",
    "date": "date de la pièce",
    "echeance": "date d'échéance",
    "montant": "montant TTC",
    "montant_brut": "montant TTC (nombre Decimal)",
    "reste_du": "reste dû",
    "reste_du_brut": "reste dû (nombre Decimal)",
    "jours_retard": "jours de retard à la date de la relance",
}
_REMINDED_LINE_FIELDS = {
    **_LINE_FIELDS,
    "niveau": "niveau de relance atteint par cette facture",
    "interets": "intérêts réclamés sur cette facture",
    "interets_brut": "intérêts (nombre Decimal)",
    "indemnite": "indemnité forfaitaire réclamée sur cette facture (en euros, même dans "
                 "une lettre en une autre devise : art. D441-5)",
    "indemnite_brut": "indemnité (nombre Decimal)",
}

# What a French business letter must show of its sender (art. R123-237 Code de commerce)
# and who signs it (letters/sender.py).
_SENDER_FIELDS = {
    "societe_bic": "BIC de la banque de la société",
    "societe_forme_juridique": "forme juridique (SAS, SARL…)",
    "societe_capital": "capital social, mis en forme",
    "societe_rcs": "RCS (ville et numéro) ou RM",
    "societe_tva": "numéro de TVA intracommunautaire",
    "societe_telephone": "téléphone",
    "societe_mentions": "lignes des mentions légales du pied de page, chacune seulement si l'un "
                        "de ses champs est rempli",
    "signataire": "nom du signataire (vide : « Service comptabilité »)",
    "signataire_titre": "titre du signataire",
    "signature": "image de la signature (vide sans fichier : place pour signer à la main) ; "
                 "seule dans son paragraphe : `{{ signature }}`",
}
# Registered post and the formal notice's delay (context._dispatch_fields).
_DISPATCH_FIELDS = {
    "recommande": "vrai quand le niveau est envoyé en recommandé avec AR (Paramètres, "
                  "colonne « Envoi recommandé avec AR »)",
    "delai_jours_lettres": "le délai de la mise en demeure en toutes lettres",
}
# How to pay (letters/payment.py).
_PAYMENT_FIELDS = {
    "mode_reglement": "comment payer, d'après le mode de règlement des factures (à défaut du "
                      "client) : virement, cheque, lcr ou prelevement",
    "virement_qr": "code QR EPC du virement (montant total réclamé, IBAN, BIC, référence = "
                   "N° pièce) que l'application d'une banque lit pour préremplir le virement ; "
                   "vide pour un chèque, sans IBAN ou sans montant. Seul dans son paragraphe : "
                   "`{{ virement_qr }}` (3,2 cm de côté)",
}
_CREDIT_FIELDS = {
    "non_imputes": "règlements et avoirs reçus qu'aucune facture n'a pris (vide sinon)",
    "non_imputes[].date": "date du règlement ou de l'avoir",
    "non_imputes[].numero": "N° règlement ou N° d'avoir",
    "non_imputes[].libelle": "règlement reçu, avoir, ou règlements au-delà des factures lettrées",
    "non_imputes[].montant": "montant",
    "non_imputes[].montant_brut": "montant (nombre Decimal)",
    "total_non_impute": "total des règlements et avoirs non imputés",
    "total_non_impute_brut": "total non imputé (nombre Decimal)",
    "total_a_regler": "reste à régler sur les factures relancées : reste dû − non imputé, "
                      "au plus le solde du client",
    "total_a_regler_brut": "reste à régler (nombre Decimal)",
}

LETTER_FIELDS: dict[str, str] = {
    "langue": "langue de la lettre (FR, EN ou DE), d'après la colonne Langue du client",
    "forme": "modèle prévu pour le niveau dans Paramètres",
    "date_lettre": "date de la lettre, en toutes lettres",
    "lieu": "ville de la société (fin de son adresse)",
    "lieu_date": "lieu et date, prêts à imprimer",
    "engagement": "la phrase d'une promesse de règlement non tenue ou d'une échéance "
                  "non réglée (feuille Suivi), vide sinon",
    "delai_jours": "délai de paiement laissé par la mise en demeure, en jours",
    "date_limite": "date de la lettre + délai",
    "niveau": "niveau de relance de la lettre (le plus haut de ses factures)",
    "niveau_titre": "titre du niveau (Relance, Deuxième relance, Mise en demeure…)",
    "societe": "code de la société",
    "societe_raison_sociale": "raison sociale (le code à défaut)",
    "societe_adresse": "adresse de la société",
    "societe_siret": "SIRET",
    "societe_iban": "IBAN où payer",
    "societe_email": "e-mail de contact (expéditeur)",
    **_SENDER_FIELDS,
    "client_code": "code tiers",
    "client_nom": "nom du client",
    "client_adresse_lignes": "lignes de l'adresse sous le nom (pays seulement hors France)",
    "client_email": "e-mail du client",
    "particulier": "vrai pour un client Particulier",
    "acheteur_public": "vrai quand le client suit des conditions de relance d'acheteur public "
                       "(intérêts moratoires)",
    "lignes": "factures relancées, une par ligne du tableau",
    **{f"lignes[].{key}": text for key, text in _REMINDED_LINE_FIELDS.items()},
    "nb_factures": "nombre de factures relancées",
    "mention_premiere_relance": "au-delà de la première relance, la phrase (précédée d'une "
                                "espace) qui nomme les factures rappelées pour la première "
                                "fois ; vide si toutes l'ont déjà été",
    "reference": "référence à rappeler au paiement : les N° pièce",
    "total_montant": "total des montants TTC",
    "total_reste_du": "total reste dû (encours relancé)",
    "total_reste_du_brut": "encours relancé (nombre Decimal)",
    **_CREDIT_FIELDS,
    "total_interets": "total des intérêts",
    "total_indemnites": "total des indemnités forfaitaires (en euros, même dans une lettre "
                        "en une autre devise)",
    "devise": "code ISO 4217 de la devise de la lettre (EUR, USD…) : tous ses montants y "
              "sont, sauf l'indemnité forfaitaire, en euros",
    "mention_indemnite_euros": "dans une lettre en une autre devise que l'euro réclamant "
                               "l'indemnité forfaitaire, la phrase qui la réclame en euros en "
                               "sus du total ; vide sinon",
    "frais": "frais fixes du niveau",
    "total_agios": "agios réclamés : intérêts + indemnités + frais",
    "total_agios_brut": "agios réclamés (nombre Decimal)",
    "total_reclame": "total réclamé : reste à régler + agios (jamais plus que le solde du "
                     "client, agios en sus)",
    "total_reclame_brut": "total réclamé (nombre Decimal)",
    "agios": "lignes d'agios réclamés (vide quand il n'y en a pas)",
    "agios[].libelle": "libellé avec taux et base légale",
    "agios[].montant": "montant",
    "agios[].montant_brut": "montant (nombre Decimal)",
    "agios[].devise": "devise du montant (l'indemnité forfaitaire : toujours EUR)",
    "interets_reclames": "vrai quand le niveau réclame des intérêts",
    "indemnite_reclamee": "vrai quand le niveau réclame l'indemnité (jamais à un particulier)",
    "taux": "taux annuel appliqué (taux de l'intérêt légal pour un particulier, taux des acheteurs "
            "publics pour eux) ; s'il y en a plusieurs, celui en vigueur à la date de la lettre",
    "taux_variable": "vrai quand les intérêts réclamés courent à plusieurs taux (taux par "
                     "période de Paramètres)",
    "periodes": "détail des intérêts : une ligne par facture et par période (un taux, un "
                "principal dû) ; vide sans intérêts",
    "periodes[].numero": "N° pièce de la facture",
    "periodes[].du": "premier jour compté à ce taux",
    "periodes[].au": "dernier jour compté à ce taux",
    "periodes[].jours": "nombre de jours comptés à ce taux",
    "periodes[].taux": "taux annuel de la période",
    "periodes[].principal": "principal encore dû chaque jour de la période, sur lequel "
                            "les intérêts courent",
    "periodes[].principal_brut": "le même, en nombre",
    "periodes[].reste_du": "reste dû de la facture à la date du tableau",
    "date_mise_en_demeure": "pour un particulier, date de la première mise en demeure d'où "
                            "courent les intérêts ; vide quand cette lettre est la première",
    "base_legale_interets": "base légale des intérêts",
    "base_legale_indemnite": "base légale de l'indemnité forfaitaire",
    "indemnite_unitaire": "indemnité forfaitaire par facture",
    **_DISPATCH_FIELDS,
    **_PAYMENT_FIELDS,
}

# Per customer of the proposal (letters/proposal_parts.py).
_PROPOSAL_CLIENT_FIELDS = {
    "clients[].solde_comptable": "solde comptable du client dans la société",
    "clients[].solde_comptable_brut": "solde comptable (nombre Decimal)",
    "clients[].virement_qr": "code QR EPC du virement que sa lettre demandera (vide pour un "
                             "chèque, sans IBAN ou sans montant) ; seul dans son paragraphe",
    # How its letter goes (letters/proposal_parts.py, dispatch_summary).
    "clients[].modele": "modèle de lettre de son niveau (LET01…)",
    "clients[].canal": "envoi : courrier, e-mail ou courrier (le client a une adresse "
                       "e-mail), recommandé AR",
    "clients[].recommande": "vrai quand sa lettre part en recommandé avec AR",
    "clients[].langue_lettre": "langue de sa lettre (FR, EN ou DE)",
}
# Who is not reminded and why, the filters and the print date (letters/proposal_parts.py).
_PROPOSAL_RUN_FIELDS = {
    "filtres": "les filtres de la feuille Relances qui contiennent des codes",
    "filtres[].libelle": "nom du filtre",
    "filtres[].valeur": "codes du filtre",
    "filtres_texte": "les filtres en une ligne (« aucun » sans filtre)",
    "date_impression": "date d'impression, en toutes lettres",
    "non_relances": "lignes du tableau laissées décochées « A relancer » : pas de lettre",
    "non_relances[].tiers": "code tiers",
    "non_relances[].societe": "code de la société",
    "non_relances[].nom": "nom du client",
    "non_relances[].niveau": "niveau de relance",
    "non_relances[].solde_comptable": "solde comptable",
    "non_relances[].encours_relance": "encours relancé",
    "non_relances[].motif": "pourquoi la ligne n'est pas cochée",
    "non_relances[].devise": "devise de la ligne (code ISO 4217)",
    "nb_non_relances": "nombre de lignes non relancées",
}

PROPOSAL_FIELDS: dict[str, str] = {
    "langue": "langue de la proposition",
    "date": "date des échéances échues, en toutes lettres",
    "clients": "une entrée par ligne (client, société) cochée « A relancer »",
    "clients[].tiers": "code tiers",
    "clients[].societe": "code de la société",
    "clients[].societe_raison_sociale": "raison sociale de la société",
    "clients[].nom": "nom du client",
    "clients[].adresse": "adresse courte du tableau",
    "clients[].niveau": "niveau de relance",
    "clients[].a_relancer": "vrai quand la case A relancer est cochée",
    "clients[].motif": "pourquoi la ligne n'est pas cochée",
    "clients[].devise": "devise de la ligne (code ISO 4217) : tous ses montants y sont",
    "clients[].lignes": "factures relancées",
    **{f"clients[].lignes[].{key}": text for key, text in _REMINDED_LINE_FIELDS.items()},
    "clients[].nb_factures": "nombre de factures relancées",
    "clients[].total_reste_du": "encours relancé",
    **{f"clients[].{key}": text for key, text in _CREDIT_FIELDS.items()},
    "clients[].total_agios": "agios réclamés",
    "clients[].total_reclame": "reste à régler + agios",
    "clients[].litiges": "factures échues en litige, non relancées",
    **{f"clients[].litiges[].{key}": text for key, text in _LINE_FIELDS.items()},
    "clients[].litiges[].niveau": "niveau de relance que lui a donné sa dernière lettre "
                                  "(0 : jamais relancée)",
    "clients[].nb_litiges": "nombre de factures en litige",
    "clients[].total_litiges": "reste dû en litige",
    "clients[].total_litiges_brut": "reste dû en litige (nombre Decimal)",
    **_PROPOSAL_CLIENT_FIELDS,
    "nb_clients": "nombre de lignes (client, société)",
    "nb_factures": "nombre de factures relancées",
    "total_reste_du": "encours relancé, toutes lignes, par devise (« 5 791,46 € + "
                      "1 234,56 $US »)",
    "total_reste_du_brut": "encours relancé des lignes en euros (nombre Decimal)",
    "total_non_impute": "règlements et avoirs non imputés, toutes lignes",
    "total_a_regler": "reste à régler, toutes lignes",
    "total_agios": "agios réclamés, toutes lignes",
    "total_reclame": "total réclamé, toutes lignes",
    "total_litiges": "reste dû en litige, non relancé, toutes lignes",
    "promesses": "promesses et échéances (feuille Suivi) à échéance dans les 7 jours, puis "
                 "promesses non tenues et échéances non réglées",
    "promesses[].tiers": "code tiers",
    "promesses[].societe": "code de la société",
    "promesses[].piece": "N° pièce couverte (vide : toutes les factures du client)",
    "promesses[].date": "date promise ou date de l'échéance",
    "promesses[].montant": "montant promis, de l'échéance, ou resté dû",
    "promesses[].etat": "Promesse à échéance, Échéance, ou le motif (promesse non tenue…)",
    "nb_promesses": "nombre de lignes de `promesses`",
    **_PROPOSAL_RUN_FIELDS,
}
