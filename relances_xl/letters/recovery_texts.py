"""The words of the recovery file: the legal grounds of the décompte, and the fields of
the request each procedure asks, filled from the workbook (docs/recouvrement.md cites
the texts). A field the workbook does not hold reads "à compléter", never a guess.
"""

from __future__ import annotations

from ..config import Company, Regime, Settings
from ..model import Customer
from ..rules.recovery import NOTICE_DAYS, SMALL_CLAIMS_LIMIT, Claim, Procedure
from .formats import address_lines, money, percent, short_date

A_COMPLETER = "à compléter"

INTERETS = {
    Regime.PRO: ("Pénalités de retard (art. L441-10 du Code de commerce) : au taux de "
                 "chaque semestre (taux de refinancement de la BCE + 10 points), jour par "
                 "jour sur le principal encore dû, du lendemain de l'échéance au {date}."),
    Regime.PARTICULIER: ("Intérêts au taux légal (art. 1231-6 du Code civil) : à compter "
                         "du lendemain de la mise en demeure, jour par jour sur le "
                         "principal encore dû, au taux de chaque semestre, jusqu'au "
                         "{date}."),
    Regime.PUBLIC: ("Intérêts moratoires (art. R2192-31 du Code de la commande "
                    "publique) : du lendemain de l'échéance au {date}, au taux en vigueur "
                    "le premier jour du semestre où ils ont commencé à courir (taux BCE + "
                    "8 points)."),
}
INDEMNITE = {
    Regime.PRO: "Indemnité forfaitaire pour frais de recouvrement : {montant} par facture "
                "(art. L441-10 et D441-5 du Code de commerce).",
    Regime.PARTICULIER: "Aucune indemnité forfaitaire n'est due par un consommateur.",
    Regime.PUBLIC: "Indemnité forfaitaire pour frais de recouvrement : {montant} par facture "
                   "(art. D2192-35 du Code de la commande publique).",
}
PRESCRIPTION = {
    Regime.PRO: "Cinq ans à compter de l'échéance (art. L110-4 du Code de commerce), "
                "comptés selon les art. 2228 et 2229 du Code civil.",
    Regime.PARTICULIER: "Deux ans à compter de l'échéance pour l'action d'un professionnel "
                        "contre un consommateur (art. L218-2 du Code de la consommation), "
                        "comptés selon les art. 2228 et 2229 du Code civil.",
    Regime.PUBLIC: "Quatre ans à compter du 1er janvier de l'année suivant l'échéance "
                   "(loi n° 68-1250 du 31 décembre 1968, art. 1er).",
}


def decompte_fields(claim: Claim, settings: Settings) -> dict:
    """REC01's fields: the lines, the totals, how interest ran, the prescription."""
    m = lambda amount: money(amount, "FR")  # noqa: E731
    d = lambda day: short_date(day, "FR")  # noqa: E731
    periodes = [f"Facture {line.piece} : du {d(p.du)} au {d(p.au)}, {p.jours} jour(s) à "
                f"{percent(p.taux, 'FR')} sur {m(p.principal)}"
                for line in claim.lines for p in line.periodes]
    left_out = (f" Factures ouvertes sans mise en demeure, non comprises : "
                f"{', '.join(claim.left_out)}." if claim.left_out else "")
    return {
        "lignes": [{
            "piece": line.piece, "date": d(line.date_piece), "echeance": d(line.echeance),
            "principal": m(line.principal), "recu": m(line.recu), "reste": m(line.reste),
            "interets": m(line.interets), "indemnite": m(line.indemnite),
            "total": m(line.total), "mise_en_demeure": d(line.mise_en_demeure),
            "prescription": d(line.prescription),
        } for line in claim.lines],
        "total_principal": m(claim.principal), "total_recu": m(claim.recu),
        "total_reste": m(claim.reste), "total_interets": m(claim.interets),
        "total_indemnites": m(claim.indemnites), "total": m(claim.total),
        "fondement_interets": INTERETS[claim.regime].format(date=d(claim.on)),
        "periodes": periodes or ["Aucun intérêt n'a couru."],
        "fondement_indemnite": INDEMNITE[claim.regime].format(
            montant=m(settings.indemnite_forfaitaire)),
        "fondement_prescription": PRESCRIPTION[claim.regime],
        "mentions": ("Mise(s) en demeure du " + ", ".join(d(x) for x in claim.notices)
                     + f" ({NOTICE_DAYS} jours pour payer), restée(s) sans effet."
                     + left_out),
    }


def _creditor(company: Company) -> list[tuple[str, str]]:
    return [
        ("LE CRÉANCIER", ""),
        ("Dénomination", company.raison_sociale or company.societe),
        ("Forme juridique", company.forme_juridique or A_COMPLETER),
        ("Siège social", company.adresse or A_COMPLETER),
        ("SIRET", company.siret or A_COMPLETER),
        ("Immatriculation", company.rcs or A_COMPLETER),
        ("Représentant légal", ", ".join(filter(None, (company.signataire,
                                                       company.signataire_titre)))
         or A_COMPLETER),
        ("Téléphone / e-mail", " / ".join(filter(None, (company.telephone, company.email)))
         or A_COMPLETER),
        ("IBAN pour le paiement", company.iban or A_COMPLETER),
    ]


def _debtor(customer: Customer, regime: Regime) -> list[tuple[str, str]]:
    person = regime is Regime.PARTICULIER
    rows = [("LE DÉBITEUR", ""),
            ("Nom et prénom" if person else "Dénomination", customer.nom)]
    if person:
        rows.append(("Profession", A_COMPLETER))
    else:
        rows.append(("Forme juridique", A_COMPLETER))
    rows += [("Domicile" if person else "Siège", ", ".join(address_lines(customer))
              or A_COMPLETER),
             ("E-mail", customer.email or A_COMPLETER),
             ("Téléphone", customer.telephone or A_COMPLETER)]
    return rows


def _claim_rows(claim: Claim) -> list[tuple[str, str]]:
    m = lambda amount: money(amount, "FR")  # noqa: E731
    pieces = ", ".join(f"{line.piece} du {short_date(line.date_piece, 'FR')}"
                       for line in claim.lines)
    return [
        ("LA CRÉANCE", ""),
        ("Origine (fondement)", f"Contrat de vente ou de prestation : factures {pieces}, "
                                "restées impayées malgré mise en demeure"),
        ("Principal restant dû", m(claim.reste)),
        ("Intérêts au " + short_date(claim.on, "FR"), m(claim.interets)),
        ("Indemnités forfaitaires", m(claim.indemnites)),
        ("Total réclamé", m(claim.total)),
        ("Détail", "voir le décompte de créance joint"),
        ("Mise(s) en demeure", ", ".join(short_date(d, "FR") for d in claim.notices)),
    ]


def _court(claim: Claim, customer: Customer) -> str:
    """The court of art. 1406 CPC: where the debtor lives; commercial between traders."""
    town = " ".join(filter(None, (customer.code_postal, customer.ville))) or A_COMPLETER
    kind = ("Président du tribunal de commerce" if claim.regime is Regime.PRO
            else "Président du tribunal judiciaire")
    return f"{kind} dans le ressort duquel demeure le débiteur ({town})"


def request_fields(claim: Claim, customer: Customer, company: Company, exhibits: list,
                   settings: Settings) -> dict:
    """REC03's fields for the procedure of the claim."""
    missing = [e.numero for e in exhibits if e.manque]
    common_rows = [*_creditor(company), *_debtor(customer, claim.regime), *_claim_rows(claim),
                   ("PIÈCES", ""),
                   ("Bordereau", f"{len(exhibits)} pièce(s) numérotée(s), voir le bordereau"
                                 " joint" + (f" ; à joindre : n° {', '.join(map(str, missing))}"
                                             if missing else ""))]
    todo = ("Les rubriques « à compléter » ne figurent pas dans le classeur : les renseigner "
            "avant l'envoi. Vérifier les montants et joindre les pièces manquantes.")
    signataire = ", ".join(filter(None, (company.signataire, company.signataire_titre)))
    if claim.procedure is Procedure.PETITES_CREANCES:
        fields = {
            "fichier": "demande_petites_creances",
            "titre": "Demande de mise en œuvre de la procédure simplifiée de recouvrement "
                     "des petites créances",
            "destinataire": "À un commissaire de justice du ressort de la cour d'appel du "
                            "domicile du débiteur ("
                            + (" ".join(filter(None, (customer.code_postal, customer.ville)))
                               or A_COMPLETER) + ")",
            "fondement": ("Art. L125-1 et R125-1 et suivants du Code des procédures civiles "
                          "d'exécution : créance de cause contractuelle n'excédant pas "
                          f"{money(SMALL_CLAIMS_LIMIT, 'FR')} en principal et intérêts "
                          f"(ici {money(claim.principal_et_interets, 'FR')})."),
            "demande": ("Le créancier demande au commissaire de justice d'inviter le débiteur "
                        "à participer à la procédure simplifiée et, en cas d'accord sur le "
                        "montant et les modalités du paiement, de délivrer un titre "
                        "exécutoire. Les frais de la procédure sont à la charge du "
                        "créancier."),
        }
    elif claim.procedure is Procedure.INJONCTION:
        fields = {
            "fichier": "requete_injonction_de_payer",
            "titre": "Requête en injonction de payer",
            "destinataire": _court(claim, customer),
            "fondement": ("Art. 1405 et suivants du Code de procédure civile : créance de "
                          "cause contractuelle, d'un montant déterminé. La requête contient "
                          "les mentions de l'art. 1407 (identité des parties, montant avec "
                          "le décompte de ses éléments, fondement) et le bordereau des "
                          "pièces ; compétence territoriale : juridiction du domicile du "
                          "débiteur (art. 1406)."),
            "demande": (f"Le créancier demande au juge d'enjoindre au débiteur de lui payer "
                        f"{money(claim.total, 'FR')}, soit {money(claim.reste, 'FR')} en "
                        f"principal, {money(claim.interets, 'FR')} d'intérêts arrêtés au "
                        f"{short_date(claim.on, 'FR')} (outre ceux à courir) et "
                        f"{money(claim.indemnites, 'FR')} d'indemnités forfaitaires."),
        }
    else:
        fields = {
            "fichier": "requete_refere_provision",
            "titre": "Requête en référé-provision",
            "destinataire": "Juge des référés du tribunal administratif compétent "
                            f"({A_COMPLETER})",
            "fondement": ("Art. R541-1 du Code de justice administrative : l'acheteur public "
                          "doit une somme non sérieusement contestable au titre de "
                          "l'exécution du contrat ; intérêts moratoires et indemnité "
                          "forfaitaire (art. R2192-31 et D2192-35 du Code de la commande "
                          "publique)."),
            "demande": (f"Le créancier demande au juge des référés de condamner l'acheteur "
                        f"public à lui verser une provision de {money(claim.total, 'FR')}."),
        }
    return {**fields,
            "rubriques": [{"libelle": label, "valeur": value} for label, value in common_rows],
            "a_completer": todo,
            "signataire": signataire or f"Signature du représentant légal ({A_COMPLETER})"}
