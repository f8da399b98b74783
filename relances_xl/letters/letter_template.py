"""The reminder letters' templates (LET01 to LET03, ADM01, ADM02), block by block: the
invoices, the interest periods, the credits not taken, the charges, how to pay.

Apart from `make_templates.py` because this is the letter itself, read and changed on
its own: which blocks a letter has follows its flags in `config.TEMPLATES`, where each
sits on the page follows page_layout.py, and what each says follows wording.py. The
credits block also serves the proposal (`proposal_template.py`), as a table there.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from ..config import TEMPLATES
from . import page_layout, tab_list
from .docx_blocks import loop_table, new_document, para, stable_bytes
from .wording import CREDIT_COLUMNS, LETTERS, PUBLIC, SIGNING, WORDS

# the letters and their flags are declared once, `config.TEMPLATES`
_TEMPLATES = {template.forme: template for template in TEMPLATES}
LETTER_FORMES = tuple(_TEMPLATES)


def build_letter(forme: str, langue: str) -> bytes:
    """LET01/LET02/LET03/ADM01/ADM02 in one language, as .docx bytes: one page for a
    usual letter (page_layout.py says where each part sits, and why)."""
    words, text, signing = WORDS[langue], LETTERS[forme][langue], SIGNING[langue]
    template = _TEMPLATES[forme]
    doc = new_document(f"{forme} ({langue})", langue)
    page_layout.letter_page(doc)
    page_layout.footer(doc)
    page_layout.head_and_address(doc, signing["phone"], signing["registered"],
                                 words["subject"])
    para(doc, words["salutation"])
    _by_count(doc, text, "intro")
    if template.private_columns:  # a private customer owes no indemnity: no column for it
        para(doc, "{%p if particulier %}")
        _invoice_table(doc, langue, "invoices_private")
        para(doc, "{%p else %}")
        _invoice_table(doc, langue, "invoices_interest")
        para(doc, "{%p endif %}")
    elif template.interest:
        _invoice_table(doc, langue, "invoices_interest")
    else:
        _invoice_table(doc, langue, "invoices")
    if template.interest:
        _periods_block(doc, langue, words)
    credits_block(doc, langue, "non_imputes", "", words, as_list=True)
    para(doc, "{%p if engagement %}")  # a broken promise, a missed instalment (Suivi)
    para(doc, "{{ engagement }}")
    para(doc, "{%p endif %}")
    _agios_block(doc, langue, words)
    para(doc, words["total_due"], bold=True, after=6)
    if template.interest:  # a letter in dollars: the D441-5 indemnity, in euros, beside
        para(doc, "{%p if mention_indemnite_euros %}")
        para(doc, "{{ mention_indemnite_euros }}", after=6)
        para(doc, "{%p endif %}")
    # from the demand on, every paragraph keeps with the next down to the signature: a
    # letter that runs over a page carries its demand to the page of its closing, never
    # the closing and the signature alone
    _by_count(doc, text, "after", keep=True)
    if "pro" in text:
        para(doc, "{%p if particulier %}")
        para(doc, text["particulier"], keep=True)
        para(doc, "{%p else %}")
        para(doc, text["pro"], keep=True)
        para(doc, "{%p endif %}")
        para(doc, text["consequence"], keep=True)
    if template.public:
        _public_payment_block(doc, langue)
    else:
        _payment_block(doc, langue)
    _by_count(doc, text, "disregard", keep=True)
    para(doc, "{%p if societe_email %}")
    para(doc, words["contact"], keep=True)
    para(doc, "{%p endif %}")
    page_layout.signature_block(doc, words["closing"], signing["qr"], words["department"])
    return stable_bytes(doc)


def _by_count(doc: DocumentObject, text: dict, key: str, *, keep: bool = False) -> None:
    """The paragraphs of `key`, in the singular for a letter of one invoice when the
    wording has a `<key>_1` ("la facture ci-dessous n'est pas réglée"), else as they are;
    `keep`: each keeps with the next (the closing)."""
    singular = text.get(f"{key}_1")
    if singular is None:
        for paragraph in text.get(key, []):
            para(doc, paragraph, keep=keep)
        return
    para(doc, "{%p if nb_factures == 1 %}")
    for paragraph in singular:
        para(doc, paragraph, keep=keep)
    para(doc, "{%p else %}")
    for paragraph in text[key]:
        para(doc, paragraph, keep=keep)
    para(doc, "{%p endif %}")


def _payment_block(doc: DocumentObject, langue: str) -> None:
    """How to pay, by the letter's payment mode (the QR code goes by the signature)."""
    words = SIGNING[langue]
    para(doc, '{%p if mode_reglement == "cheque" %}')
    para(doc, words["pay_cheque"], keep=True)
    para(doc, "{%p elif societe_iban %}")
    para(doc, '{%p if mode_reglement == "lcr" %}')
    para(doc, words["pay_lcr"], keep=True)
    para(doc, '{%p elif mode_reglement == "prelevement" %}')
    para(doc, words["pay_prelevement"], keep=True)
    para(doc, "{%p else %}")
    para(doc, WORDS[langue]["pay"], keep=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")


def _public_payment_block(doc: DocumentObject, langue: str) -> None:
    """A public buyer pays by transfer, through its public accountant, once the invoice
    is received on Chorus Pro: never a cheque, whatever the customer's payment mode."""
    para(doc, PUBLIC[langue]["chorus"], keep=True)
    para(doc, "{%p if societe_iban %}")
    para(doc, PUBLIC[langue]["pay"], keep=True)
    para(doc, "{%p endif %}")


def _invoice_table(doc: DocumentObject, langue: str, name: str) -> None:
    """The invoices reminded, one line each, and their totals: the list `name` of
    tab_list.LETTER_LISTS."""
    totals = {"montant": "total_montant", "reste_du": "total_reste_du",
              "interets": "total_interets", "indemnite": "total_indemnites"}
    columns = tab_list.LETTER_LISTS[name][0]
    _list(langue, doc, "l in lignes", name, [totals.get(key, "") for key in columns],
          WORDS[langue]["total"])
    page_layout.spacer(doc)


def _list(langue: str, doc: DocumentObject, loop: str, name: str,
          totals: list[str] | None = None, total_label: str = "") -> None:
    """A letter's list on tab stops (tab_list.py), one line per item of `loop`."""
    item = loop.split()[0]
    tab_list.list_block(doc, tab_list.list_columns(name, langue), loop,
                        [f"{item}.{key}" for key in tab_list.LETTER_LISTS[name][0]], totals,
                        total_label, wrap_last=name == "credits")


def _periods_block(doc: DocumentObject, langue: str, words: dict[str, str]) -> None:
    """Each invoice's interest, one line per period: its days, the principal still owed
    on them and the annual rate (a payment or a new rate starts a new period)."""
    para(doc, "{%p if periodes %}")
    para(doc, words["periods_title"], bold=True, keep=True)
    _list(langue, doc, "p in periodes", "periods")
    page_layout.spacer(doc)
    para(doc, "{%p endif %}")


def credits_block(doc: DocumentObject, langue: str, field: str, prefix: str,
                  words: dict[str, str], *, as_list: bool = False) -> None:
    """The payments and credit notes no invoice took, deducted, and what is left to pay;
    absent when there are none (`prefix` "c." inside the proposal's loop). `as_list`: on
    tab stops (a letter), the amount before the description, which wraps under itself;
    else a table (the proposal)."""
    para(doc, f"{{%p if {prefix}{field} %}}")
    para(doc, words["credits_title"], bold=True, keep=True)
    if as_list:
        _list(langue, doc, f"n in {prefix}{field}", "credits",
              ["", "", f"{prefix}total_non_impute", ""], words["credits_total"])
    else:
        loop_table(doc, langue, f"n in {prefix}{field}", list(CREDIT_COLUMNS),
                   {"montant": f"{prefix}total_non_impute"}, words["credits_total"],
                   spec=CREDIT_COLUMNS)
    page_layout.spacer(doc, 3)
    para(doc, words["left_to_pay"].replace("{{ ", "{{ " + prefix), bold=True, after=6)
    para(doc, "{%p endif %}")


def _agios_block(doc: DocumentObject, langue: str, words: dict[str, str]) -> None:
    """The charges claimed, one line each with its legal basis; absent when none."""
    para(doc, "{%p if agios %}")
    para(doc, words["agios_title"], bold=True, keep=True)
    tab_list.list_block(doc, [(14.4, "", False), (2.5, "", True)], "a in agios",
                        ["a.libelle", "a.montant"], ["", "total_agios"],
                        words["agios_total"], header=False)
    page_layout.spacer(doc)
    para(doc, "{%p endif %}")
