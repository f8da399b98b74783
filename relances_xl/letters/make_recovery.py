"""Writes the recovery file's templates, in French (the language of the French court and
commissaire de justice they go to): REC01 the décompte de créance, REC02 the bordereau
de pièces, REC03 the request of the procedure that fits (its headings and fields come
from `letters/recovery_file.py`, the one template serving the three procedures).

Beside make_templates.py, which calls `recovery_files`; the same blocks (`docx_blocks`), the
same fixed bytes.
Their fields are those of `recovery_file.contexts`.
"""

from __future__ import annotations

from ..config import RECOVERY_FORMES
from . import docx_blocks as base

DECOMPTE, BORDEREAU, REQUETE = RECOVERY_FORMES
_RIGHT = True
# key -> (width, header, right-aligned)
CLAIM_COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "piece": (2.0, {"FR": "Facture"}, False),
    "echeance": (2.1, {"FR": "Échéance"}, False),
    "principal": (2.2, {"FR": "Principal"}, _RIGHT),
    "recu": (2.0, {"FR": "Reçu"}, _RIGHT),
    "reste": (2.2, {"FR": "Reste dû"}, _RIGHT),
    "interets": (2.0, {"FR": "Intérêts"}, _RIGHT),
    "indemnite": (2.0, {"FR": "Indemnité"}, _RIGHT),
    "total": (2.3, {"FR": "Total"}, _RIGHT),
}
PRESCRIPTION_COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "piece": (2.6, {"FR": "Facture"}, False),
    "date": (2.6, {"FR": "Date"}, False),
    "echeance": (2.6, {"FR": "Échéance"}, False),
    "mise_en_demeure": (3.4, {"FR": "Mise en demeure"}, False),
    "prescription": (4.5, {"FR": "Dernier jour pour agir"}, False),
}
EXHIBIT_COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "numero": (1.2, {"FR": "N°"}, False),
    "designation": (8.5, {"FR": "Pièce"}, False),
    "fichier": (5.8, {"FR": "Fichier ou état"}, False),
}
FIELD_COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "libelle": (6.0, {"FR": "Rubrique"}, False),
    "valeur": (10.5, {"FR": "Renseignement"}, False),
}


def _parties(doc) -> None:
    base.para(doc, "Créancier : {{ creancier }}, {{ creancier_adresse }} (SIRET "
               "{{ creancier_siret }})", after=2)
    base.para(doc, "Débiteur : {{ debiteur }} ({{ client_code }}), {{ debiteur_adresse }}",
               after=8)


def build_decompte() -> bytes:
    """REC01: the claim per invoice and in total, how the interest was counted, and the
    last day to act on each invoice."""
    doc = base.new_document(f"{DECOMPTE} (FR)")
    base.para(doc, "Décompte de créance au {{ date }}", bold=True, size=14, after=6)
    _parties(doc)
    base.loop_table(doc, "FR", "l in lignes", list(CLAIM_COLUMNS),
                     {"principal": "total_principal", "recu": "total_recu",
                      "reste": "total_reste", "interets": "total_interets",
                      "indemnite": "total_indemnites", "total": "total"},
                     "Total", spec=CLAIM_COLUMNS)
    base.para(doc, "", after=4)
    base.para(doc, "Somme due au {{ date }} : {{ total }}", bold=True, after=6)
    base.para(doc, "Intérêts", bold=True, after=2, keep=True)
    base.para(doc, "{{ fondement_interets }}", after=2)
    base.para(doc, "{%p for p in periodes %}")
    base.para(doc, "{{ p }}", after=0)
    base.para(doc, "{%p endfor %}")
    base.para(doc, "{{ fondement_indemnite }}", after=6)
    base.para(doc, "Prescription", bold=True, after=2, keep=True)
    base.para(doc, "{{ fondement_prescription }}", after=2)
    base.loop_table(doc, "FR", "l in lignes", list(PRESCRIPTION_COLUMNS), {}, "",
                     spec=PRESCRIPTION_COLUMNS)
    base.para(doc, "", after=4)
    base.para(doc, "{{ mentions }}", after=2)
    base.para(doc, "Établi le {{ date }} à partir du classeur de relances.", after=0)
    return base.stable_bytes(doc)


def build_bordereau() -> bytes:
    """REC02: the numbered exhibits, each file numbered to match."""
    doc = base.new_document(f"{BORDEREAU} (FR)")
    base.para(doc, "Bordereau de pièces communiquées", bold=True, size=14, after=6)
    _parties(doc)
    base.para(doc, "{{ objet }}", after=6)
    base.loop_table(doc, "FR", "p in pieces", list(EXHIBIT_COLUMNS), {}, "",
                     spec=EXHIBIT_COLUMNS)
    base.para(doc, "", after=4)
    base.para(doc, "{{ manquantes }}", after=2)
    base.para(doc, "Fait le {{ date }}.", after=0)
    return base.stable_bytes(doc)


def build_requete() -> bytes:
    """REC03: the request of the procedure that fits, its fields as the form asks them."""
    doc = base.new_document(f"{REQUETE} (FR)")
    base.para(doc, "{{ titre }}", bold=True, size=14, after=4)
    base.para(doc, "{{ destinataire }}", bold=True, after=6)
    base.para(doc, "{{ fondement }}", after=6)
    base.loop_table(doc, "FR", "r in rubriques", list(FIELD_COLUMNS), {}, "",
                     spec=FIELD_COLUMNS)
    base.para(doc, "", after=4)
    base.para(doc, "{{ demande }}", after=6)
    base.para(doc, "{{ a_completer }}", after=6)
    base.para(doc, "Fait le {{ date }}, pour {{ creancier }}", after=2)
    base.para(doc, "{{ signataire }}", after=0)
    return base.stable_bytes(doc)


def recovery_files() -> dict[str, bytes]:
    """File name -> bytes of REC01 to REC03 (French only: see the module's docstring)."""
    return {f"{DECOMPTE}_FR.docx": build_decompte(),
            f"{BORDEREAU}_FR.docx": build_bordereau(),
            f"{REQUETE}_FR.docx": build_requete()}
