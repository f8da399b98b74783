"""Writes REL01, the statement of account ("relevé de compte"), in each language.

Beside make_templates.py (the letters and the proposal), which calls `statement_files`:
the same page, letterhead and legal footer, then the open items, the aged buckets and
the balance. Its fields are those of `statement.statement_context`.
"""

from __future__ import annotations

from ..config import LANGUES, STATEMENT_FORME
from . import docx_blocks as base
from . import page_layout
from .wording import SIGNING

WORDS = {
    "FR": {"title": "Relevé de compte au {{ date_releve }}",
           "intro": "Voici le détail de votre compte client ({{ client_code }}) dans nos "
                    "livres à cette date.",
           "total": "Solde de votre compte", "aged": "Échéancier du solde",
           "end": "Merci de nous signaler tout écart avec votre comptabilité."},
    "EN": {"title": "Statement of account at {{ date_releve }}",
           "intro": "Here is the detail of your account ({{ client_code }}) in our books at "
                    "this date.",
           "total": "Balance of your account", "aged": "Ageing of the balance",
           "end": "Please let us know of any difference with your own records."},
    "DE": {"title": "Kontoauszug zum {{ date_releve }}",
           "intro": "Hier die Einzelheiten Ihres Kundenkontos ({{ client_code }}) in unseren "
                    "Büchern zu diesem Datum.",
           "total": "Saldo Ihres Kontos", "aged": "Altersstruktur des Saldos",
           "end": "Bitte teilen Sie uns Abweichungen zu Ihrer Buchhaltung mit."},
}
COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "type": (2.2, {"FR": "Pièce", "EN": "Item", "DE": "Beleg"}, False),
    "numero": (2.1, {"FR": "N°", "EN": "No.", "DE": "Nr."}, False),
    "date": (2.2, {"FR": "Date", "EN": "Date", "DE": "Datum"}, False),
    "echeance": (2.2, {"FR": "Échéance", "EN": "Due date", "DE": "Fällig am"}, False),
    "montant": (2.4, {"FR": "Montant", "EN": "Amount", "DE": "Betrag"}, True),
    "regle": (2.1, {"FR": "Réglé", "EN": "Paid", "DE": "Bezahlt"}, True),
    "reste": (2.4, {"FR": "Reste", "EN": "Left", "DE": "Offen"}, True),
    "jours_retard": (1.5, {"FR": "Retard", "EN": "Late", "DE": "Verzug"},
                     True),
}


def build_statement(langue: str) -> bytes:
    """REL01 in one language, as .docx bytes."""
    words = WORDS[langue]
    doc = base.new_document(f"{STATEMENT_FORME} ({langue})", langue)
    page_layout.letter_page(doc)
    page_layout.footer(doc)
    page_layout.head_and_address(doc, SIGNING[langue]["phone"], "", words["title"])
    base.para(doc, words["intro"], after=8)
    base.loop_table(doc, langue, "l in lignes", list(COLUMNS), {"reste": "solde"},
                     words["total"], spec=COLUMNS)
    page_layout.spacer(doc, 6)
    base.para(doc, words["aged"], bold=True, after=4, keep=True)
    base.two_columns(doc, [("{{ t.libelle }}", "{{ t.montant }}"),
                            (words["total"], "{{ solde }}")], loop="t in tranches",
                      bold_last=True)
    page_layout.spacer(doc, 6)
    base.para(doc, words["end"])
    return base.stable_bytes(doc)


def statement_files() -> dict[str, bytes]:
    """File name -> bytes of REL01 in each language."""
    return {f"{STATEMENT_FORME}_{langue}.docx": build_statement(langue) for langue in LANGUES}
