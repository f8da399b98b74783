"""FEC files for the tests, written as article A47 A-1 describes them.

An entry is a few `Ln` (one accounting line each); `write_fec` lays them out under the
18 standard column names, in the order, case, separator and encoding asked, so the
tests exercise every way the text may come.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

COLUMNS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum",
           "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib",
           "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise")
COLUMNS_22 = (*COLUMNS, "DateRglt", "ModeRglt", "NatOp", "IdClient")
JOURNALS = {"VT": "Journal des ventes", "BQ": "Banque", "AN": "A nouveaux", "OD": "Opérations "
            "diverses", "AC": "Achats", "VE": "Ventes export"}


@dataclass(frozen=True)
class Ln:
    """One line. Amounts are text as the FEC writes them ("1200,00"); dates AAAAMMJJ."""

    JournalCode: str
    EcritureNum: str
    EcritureDate: str
    CompteNum: str
    Debit: str = "0,00"
    Credit: str = "0,00"
    CompAuxNum: str = ""
    CompAuxLib: str = ""
    PieceRef: str = ""
    PieceDate: str = ""
    EcritureLet: str = ""
    EcritureLib: str = ""
    CompteLib: str = ""
    DateLet: str = ""
    JournalLib: str = ""
    DateRglt: str = ""  # the 22-column variant (BNC, BA): see COLUMNS_22
    Montantdevise: str = ""  # the amount in the line's currency, as the export writes it
    Idevise: str = ""  # that currency's code

    def row(self) -> dict[str, str]:
        values = asdict(self)
        values["JournalLib"] = self.JournalLib or JOURNALS.get(self.JournalCode, "")
        values["CompteLib"] = self.CompteLib or _account_label(self.CompteNum)
        values["PieceDate"] = self.PieceDate or self.EcritureDate
        values["ValidDate"] = self.EcritureDate
        values["EcritureLib"] = self.EcritureLib or f"{values['JournalLib']} {self.PieceRef}"
        values.update(ModeRglt="", NatOp="", IdClient="")
        return values


def _account_label(account: str) -> str:
    for prefix, label in (("411", "Clients"), ("512", "Banque"), ("706", "Prestations de "
                          "services"), ("4457", "TVA collectée"), ("401", "Fournisseurs"),
                          ("607", "Achats de marchandises"), ("4456", "TVA déductible")):
        if account.startswith(prefix):
            return label
    return "Compte " + account


def sale(num: str, on: str, tiers: str, name: str, piece: str, ttc: str, let: str = "",
         journal: str = "VT", account: str = "411000", devise: tuple[str, str] = ("", "")
         ) -> list[Ln]:
    """An invoice: the customer debited, sales and VAT credited (20 %). `devise`:
    (Idevise, Montantdevise) of the customer's line."""
    total = _cents(ttc)
    vat = round(total - total / 1.2, 2)
    return [Ln(journal, num, on, account, Debit=ttc, CompAuxNum=tiers, CompAuxLib=name,
               PieceRef=piece, EcritureLet=let, Idevise=devise[0], Montantdevise=devise[1]),
            Ln(journal, num, on, "706000", Credit=_text(total - vat), PieceRef=piece),
            Ln(journal, num, on, "445710", Credit=_text(vat), PieceRef=piece)]


def credit_note(num: str, on: str, tiers: str, name: str, piece: str, ttc: str,
                let: str = "", journal: str = "VT", devise: tuple[str, str] = ("", "")
                ) -> list[Ln]:
    total = _cents(ttc)
    vat = round(total - total / 1.2, 2)
    return [Ln(journal, num, on, "411000", Credit=ttc, CompAuxNum=tiers, CompAuxLib=name,
               PieceRef=piece, EcritureLet=let, Idevise=devise[0], Montantdevise=devise[1]),
            Ln(journal, num, on, "706000", Debit=_text(total - vat), PieceRef=piece),
            Ln(journal, num, on, "445710", Debit=_text(vat), PieceRef=piece)]


def payment(num: str, on: str, tiers: str, name: str, amount: str, let: str = "",
            piece: str = "RLV", journal: str = "BQ", devise: tuple[str, str] = ("", "")
            ) -> list[Ln]:
    """Money received: the bank debited, the customer credited (`devise` as `sale`)."""
    return [Ln(journal, num, on, "512000", Debit=amount, PieceRef=piece),
            Ln(journal, num, on, "411000", Credit=amount, CompAuxNum=tiers, CompAuxLib=name,
               PieceRef=piece, EcritureLet=let, Idevise=devise[0], Montantdevise=devise[1])]


def purchase(num: str, on: str, amount: str) -> list[Ln]:
    return [Ln("AC", num, on, "401000", Credit=amount, CompAuxNum="F001",
               CompAuxLib="Fournisseur", PieceRef=f"FF{num}"),
            Ln("AC", num, on, "607000", Debit=amount, PieceRef=f"FF{num}")]


def _cents(text: str) -> float:
    return float(text.replace(",", "."))


def _text(amount: float) -> str:
    return f"{amount:.2f}".replace(".", ",")


def fec_text(lines: list[Ln], sep: str = "\t", order: tuple[str, ...] = COLUMNS,
             upper: bool = False) -> str:
    header = [c.upper() if upper else c for c in order]
    rows = [sep.join(header)]
    rows += [sep.join(line.row()[c] for c in order) for line in lines]
    return "\r\n".join(rows) + "\r\n"


def write_fec(path: Path, lines: list[Ln], sep: str = "\t", encoding: str = "utf-8",
              order: tuple[str, ...] = COLUMNS, upper: bool = False,
              extra: list[str] | None = None) -> Path:
    """The file; `extra` raw lines are appended as they are (malformed ones, say)."""
    text = fec_text(lines, sep, order, upper)
    if extra:
        text += "".join(f"{raw}\r\n" for raw in extra)
    path.write_bytes(text.encode(encoding))
    return path
