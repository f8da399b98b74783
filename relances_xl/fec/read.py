"""The FEC ("fichier des écritures comptables") read as typed lines on customer accounts.

Every French accounting program exports the FEC (article A47 A-1 of the Livre des
procédures fiscales): one line per accounting line, a header line naming the 18
standard columns. This module reads it as the text allows and keeps only what the
reminders need; `fec_plan` turns the lines into rows of the ledger sheets. Pure: no
I/O besides reading the file's bytes, no Excel. What a line becomes (`FecLine`, or a
`FecIssue` saying why not) and how an amount, a date or a currency is read are in
`fec.lines`; the names callers use from there are still found here (`__all__`).

How the text is read, and why:

- Encoding: UTF-8 when the bytes are valid UTF-8 (with or without BOM; UTF-16 with a
  BOM or without one), else the 8-bit code page whose reading looks most like French
  (see `encodings.guess`): ISO-8859-15 as the article allows, Windows-1252 (the usual
  "Latin-1" of French Windows software), or the DOS code pages CP850 and CP437 of old
  programs, where "é" is the byte 0x82. Nothing is ever refused for its bytes: an
  undecodable byte becomes "�" and is counted in a remark. A file that is not text
  at all (an .xlsm picked by mistake) is named for what it is.
- Line ends: LF, CRLF, CR alone, or CR CR LF as some exports write them; line numbers
  are those an editor shows.
- Separator: tabulation or `|`, whichever the header line uses.
- Columns: found by name in any order and case; extra columns are ignored. `Debit`
  and `Credit`, or the `Montant` + `Sens` pair the article also allows, are needed,
  with JournalCode, EcritureNum, EcritureDate, CompteNum, CompAuxNum, PieceRef,
  PieceDate and EcritureLet; without one of them the file cannot be read and nothing
  is imported. A missing descriptive column (JournalLib, CompteLib…) is only reported.
- Amounts: comma (or dot) decimals; a line's amount is Debit − Credit, so a negative
  debit (a storno) counts as a credit. Dates: AAAAMMJJ (JJ/MM/AAAA and AAAA-MM-JJ are
  accepted too); an empty PieceDate is the EcritureDate.
- Customer lines are those whose CompteNum starts with `411` (or the prefixes given);
  the customer is the auxiliary account (CompAuxNum) or, without one, the account
  itself. Other lines are counted, and only checked for their number of fields: a
  malformed line of a bank or VAT account cannot change the receivables. The accounts
  that carry auxiliary accounts are noted, so that a FEC without a customer line can
  say which accounts it has instead.
- DateRglt, in the 22-column variant of the article (BNC/BA), is a line's due date.
- Currency: Debit and Credit are the euro amounts of the books; `Idevise` (an ISO 4217
  code, any case) and `Montantdevise` give the line's own currency and amount, as the
  article's fields 17 and 18 allow ("à blanc si non utilisé"). The side is the
  Debit/Credit's: Montantdevise is read unsigned (many exports write it so) or signed
  as the balance (Odoo's amount_currency); a negative one on a debit is refused. Both
  blank, or Idevise EUR, or an amount equal to the euro amount without a code: the
  line is in euros. A code without amount, an amount without code (other than the
  euro amount), a code that is no ISO 4217 code, an unreadable amount: the line is
  rejected, named. Montantdevise 0 with a code: an exchange difference, nothing owed
  in that currency (`fec_plan` says so and leaves it out); Odoo exports that 0 as a
  blank Montantdevise, which is rejected like any missing amount (with a word on it):
  either way the line is not imported, and nothing is owed.
- A malformed line (wrong number of fields, bad date or amount, empty entry number)
  is reported with its line number, column and value; the other lines are read.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from ..errors import RelancesError
from ..model import DEFAULT_CURRENCY
from . import encoding as fec_encoding
from .lines import ZERO, ZERO_TEXTS, FecIssue, FecLine, fold, read_currency, read_date, read_money

# What the import, the command line, the settings, the tests and the bench use from here,
# the names moved to `fec.lines` included.
__all__ = ["ACCOUNTS_EXPECTED", "FecError", "FecFile", "FecIssue", "FecLine", "account_prefixes",
           "customer_accounts_missing", "parse_fec", "read_fec"]

COLUMNS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum",
           "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib",
           "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise")
NEEDED = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum", "CompAuxNum", "PieceRef",
          "PieceDate", "EcritureLet")
OPTIONAL = ("DateRglt",)  # the 22-column variant (BNC, BA): the line's settlement date
CUSTOMER_ACCOUNT = "411"
ACCOUNTS_EXPECTED = "débuts de comptes clients attendus, ex. 411 ou 411, 4967"
# what a rejected line's message ends with: what the user can do about it
REDO = ("ligne non importée : corrigez-la dans votre logiciel comptable (ou dans le fichier), "
        "puis importez à nouveau le FEC, rien ne sera compté deux fois")

# what a customer line is read from, in the order `_LineReader` unpacks them
_PICKED = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
           "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLet", "DateRglt",
           "Montantdevise", "Idevise")


class FecError(RelancesError):
    """The file cannot be read at all: nothing is imported."""


@dataclass
class FecFile:
    name: str
    encoding: str  # the codec the text was read with (see fec_encoding.LABELS)
    separator: str
    lines: list[FecLine] = field(default_factory=list)
    issues: list[FecIssue] = field(default_factory=list)
    line_count: int = 0  # data lines, header and blank lines excepted
    customer_count: int = 0  # lines on customer accounts, those rejected included
    other_accounts: int = 0  # lines on accounts that are not customers'
    prefixes: tuple[str, ...] = (CUSTOMER_ACCOUNT,)  # what a customer account starts with
    # accounts with auxiliary accounts (receivables, payables…): number -> [label,
    # auxiliaries seen, lines], so that a FEC without customer lines can name them
    # (kept only while no customer line has been read)
    third_party: dict[str, list] = field(default_factory=dict)

    @property
    def encoding_label(self) -> str:
        return fec_encoding.LABELS.get(self.encoding, self.encoding)


def read_fec(path: Path, prefixes: tuple[str, ...] = (CUSTOMER_ACCOUNT,)) -> FecFile:
    """The FEC at `path`; FecError when the file cannot be read at all."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FecError(f"FEC illisible : {path} ({error.strerror or error}) ; vérifiez le "
                       "chemin du fichier et qu'il n'est pas ouvert ailleurs") from error
    return parse_fec(data, Path(path).name, prefixes)


def parse_fec(data: bytes, name: str = "",
              prefixes: tuple[str, ...] = (CUSTOMER_ACCOUNT,)) -> FecFile:
    what = fec_encoding.not_text(data)
    if what:
        raise FecError(f"{name or 'ce fichier'} n'est pas un FEC : c'est {what}. Choisissez "
                       "le fichier texte (.txt ou .csv) que votre logiciel comptable exporte "
                       "comme « FEC » ou « fichier des écritures comptables ».")
    encoding = fec_encoding.guess(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding.codec, errors="replace",
                              newline=_line_end(data))
    numbered = enumerate(stream, start=1)
    for number, text in numbered:
        if text.strip():
            header, header_line = text.rstrip("\r\n"), number
            break
    else:
        raise FecError(f"FEC vide : {name or 'fichier'} n'a pas de ligne d'en-tête ; exportez "
                       "à nouveau le FEC depuis votre logiciel comptable")
    separator = _separator(header, name)
    columns = _columns(header.split(separator), name)
    fec = FecFile(name, encoding.codec, separator, prefixes=tuple(prefixes))
    fec.issues += [FecIssue(header_line, c, None, "colonne du format FEC absente", False)
                   for c in COLUMNS if c not in columns and c not in ("Debit", "Credit")]
    if encoding.replaced:
        fec.issues.append(FecIssue(
            None, None, None, f"{encoding.replaced} octet(s) illisible(s) en "
            f"{encoding.label}, remplacé(s) par « \ufffd » dans les libellés ; montants et "
            "dates sont lus normalement", False))
    reader = _LineReader(columns, len(header.split(separator)), separator, fec)
    for number, text in numbered:
        reader.read(number, text.rstrip("\r\n"))
    return fec


def _line_end(data: bytes) -> str:
    """What ends a line: LF (CRLF and CR CR LF then leave CRs, stripped), else CR alone.

    Python's universal newlines would count CR CR LF as two lines, so every line number
    after the first would be twice what an editor shows.
    """
    head = data[:1 << 16]
    return "\r" if b"\n" not in head and b"\r" in head else "\n"


def customer_accounts_missing(fec: FecFile) -> str:
    """Why a FEC without a single customer line imports nothing, and what to do."""
    prefixes = ", ".join(f"{p}…" for p in fec.prefixes)
    candidates = {a: v for a, v in fec.third_party.items() if not a.startswith("40")}
    if not candidates:
        candidates = fec.third_party
    found = sorted(candidates.items(), key=lambda item: (-item[1][2], item[0]))[:5]
    shown = "; ".join(
        f"{account} « {label} » ({len(auxiliaries)} compte(s) auxiliaire(s) : "
        f"{', '.join(sorted(auxiliaries)[:3])}{'…' if len(auxiliaries) > 3 else ''} ; "
        f"{lines} ligne(s))" for account, (label, auxiliaries, lines) in found)
    text = (f"aucune ligne sur un compte client ({prefixes}) dans {fec.name or 'le FEC'} "
            f"({fec.line_count} ligne(s) lues) : rien à importer.")
    if not found:
        return text + (" Aucun compte n'y porte de compte auxiliaire. Vérifiez que c'est le "
                       "FEC de la bonne société et de la bonne période.")
    example = found[0][0]
    return (text + f" Comptes de tiers trouvés : {shown}. Si vos clients sont sur l'un "
            f"d'eux, indiquez-le dans Paramètres, « Comptes clients du FEC » (ex. "
            f"411, {example}), ou en ligne de commande avec --comptes (ex. --comptes "
            f"411,{example}), puis importez à nouveau.")


def account_prefixes(text: str) -> tuple[str, ...] | None:
    """"411, 4967" (or ; / space between) -> ("411", "4967"): what customer accounts
    start with; None unless each is a number (the plan comptable's accounts are)."""
    found = tuple(part for part in re.split(r"[\s,;/]+", text.strip()) if part)
    return found if found and all(part.isdigit() for part in found) else None


def _separator(header: str, name: str = "") -> str:
    tabs, pipes = header.count("\t"), header.count("|")
    if not tabs and not pipes:
        shown = header[:60] + ("…" if len(header) > 60 else "")
        raise FecError(f"séparateur introuvable : {name or 'ce fichier'} n'est pas un FEC, ou "
                       f"pas dans un format connu : sa première ligne (« {shown} ») ne sépare "
                       "pas ses colonnes par des tabulations ni des « | ». Exportez le FEC "
                       "depuis votre logiciel comptable, sans le retoucher dans un tableur.")
    return "\t" if tabs >= pipes else "|"


def _columns(names: list[str], name: str = "") -> dict[str, int]:
    """Column name -> index, names compared ignoring case, spaces and quotes."""
    wanted = {fold(c): c for c in (*COLUMNS, *OPTIONAL, "Montant", "Sens")}
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        column = wanted.get(fold(_clean(name)).replace(" ", ""))
        if column and column not in found:
            found[column] = index
    amounts = () if {"Montant", "Sens"} <= found.keys() else ("Debit", "Credit")
    missing = [c for c in (*NEEDED, *amounts) if c not in found]
    if missing:
        raise FecError(f"colonne(s) du FEC absente(s) de la ligne d'en-tête de "
                       f"{name or 'ce fichier'} : {', '.join(missing)}. Ce n'est pas un FEC "
                       "complet : exportez le FEC (18 colonnes, de JournalCode à Idevise) "
                       "depuis votre logiciel comptable.")
    return found


def _clean(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"').strip()
    return text


class _LineReader:
    """Reads one data line after another into `fec`, each problem as a FecIssue.

    Most lines of a FEC are on other accounts (sales, VAT, bank): for them only the
    number of fields and the account are looked at. A customer line is split and
    cleaned once, and its fields picked by position; dates repeat from line to line
    and are read once per text.
    """

    def __init__(self, columns: dict[str, int], width: int, separator: str,
                 fec: FecFile) -> None:
        self.columns, self.width, self.separator, self.fec = columns, width, separator, fec
        self.account, self.aux = columns["CompteNum"], columns["CompAuxNum"]
        self.prefixes = fec.prefixes
        self.ranks: dict[tuple[str, str, str], int] = {}
        self.dates: dict[str, date] = {}  # text -> date, for texts read without issue
        # a column the file lacks is read as the "" put after a line's last field
        self.pick = itemgetter(*(columns.get(column, -1) for column in _PICKED))
        self.debit_credit = "Debit" in columns and "Credit" in columns

    def read(self, number: int, text: str) -> None:
        if not text.strip():
            return
        self.fec.line_count += 1
        separator = self.separator
        if text.count(separator) != self.width - 1 and not self._fits(text.split(separator)):
            count = len(text.split(separator))
            self.fec.issues.append(FecIssue(
                number, None, count,
                f"{count} champ(s) au lieu de {self.width} : ligne coupée ou "
                f"séparateur dans un libellé ; {REDO}"))
            return
        account = _clean(text.split(separator, self.account + 1)[self.account])
        if not account.startswith(self.prefixes):
            self.fec.other_accounts += 1
            if not self.fec.customer_count:  # only a FEC without customers names them
                fields = text.split(separator)
                aux = fields[self.aux].strip()
                if aux:
                    self._third_party(account, _clean(aux), fields)
            return
        if not self.fec.customer_count:
            self.fec.third_party.clear()
        self.fec.customer_count += 1
        fields = text.split(separator)
        if '"' in text:
            fields = [_clean(field) for field in fields]
        else:
            fields = [field.strip() for field in fields]
        fields.append("")  # what a missing column reads
        line = self._customer_line(number, fields)
        if line is not None:
            self.fec.lines.append(line)

    def _fits(self, fields: list[str]) -> bool:
        """The line has the header's fields, or more that are all empty."""
        return len(fields) == self.width or (
            len(fields) > self.width and not "".join(fields[self.width:]).strip())

    def _third_party(self, account: str, aux: str, fields: list[str]) -> None:
        found = self.fec.third_party.get(account)
        if found is None:
            index = self.columns.get("CompteLib")
            label = "" if index is None else _clean(fields[index])
            found = self.fec.third_party[account] = [label, set(), 0]
        found[1].add(aux)
        found[2] += 1

    def _customer_line(self, number: int, fields: list[str]) -> FecLine | None:
        """The line of cleaned `fields`, or None when a needed value is unreadable."""
        (journal, journal_lib, num, written, account, account_lib, aux, aux_lib, piece,
         piece_day, lettrage, due_day, foreign, code) = self.pick(fields)
        issues: list[FecIssue] = []
        for column, value in (("JournalCode", journal), ("EcritureNum", num)):
            if not value:
                issues.append(FecIssue(number, column, value, "valeur obligatoire manquante"))
        written_on = self._date(number, "EcritureDate", written, issues)
        piece_date = (self._date(number, "PieceDate", piece_day, issues)
                      if piece_day else written_on)
        amount = self._amount(number, fields, issues)
        devise, own = DEFAULT_CURRENCY, amount
        if code or foreign not in ZERO_TEXTS:  # most lines: both blank, nothing to do
            devise, own = read_currency(number, amount, foreign, code, issues, self.fec.issues)
        key = (journal, num, written)
        self.ranks[key] = rank = self.ranks.get(key, 0) + 1  # counted even if rejected
        if issues:
            self.fec.issues += [FecIssue(i.line, i.column, i.value, f"{i.message} ; {REDO}")
                                for i in issues]
            return None
        due = None
        if due_day:
            remarks: list[FecIssue] = []
            due = self._date(number, "DateRglt", due_day, remarks)
            if remarks:
                due = None
                self.fec.issues.append(FecIssue(
                    number, "DateRglt", due_day, "date de règlement illisible : "
                    "l'échéance est calculée (date de pièce + délai de paiement)", False))
        # the entry's date as AAAAMMJJ: the text itself when the file writes it so
        day = written if len(written) == 8 and written.isdigit() else (
            f"{written_on.year:04d}{written_on.month:02d}{written_on.day:02d}")
        return FecLine(
            line=number, journal=journal, journal_lib=journal_lib, num=num,
            ecriture_date=written_on, tiers=aux or account,
            nom=(aux_lib if aux else account_lib) or aux or account,
            piece=piece, piece_date=piece_date, amount=amount, own=own, lettrage=lettrage,
            rank=rank,
            due=due, entry=f"{journal}-{day}-{num}", devise=devise)

    def _date(self, number: int, column: str, text: str, issues: list[FecIssue]) -> date:
        found = self.dates.get(text)
        if found is None:
            before = len(issues)
            found = read_date(number, column, text, issues)
            if len(issues) == before:
                self.dates[text] = found
        return found

    def _amount(self, number: int, fields: list[str], issues: list[FecIssue]) -> Decimal:
        columns = self.columns
        if self.debit_credit:
            debit = read_money(number, "Debit", fields[columns["Debit"]], issues)
            credit = read_money(number, "Credit", fields[columns["Credit"]], issues)
            return debit - credit
        amount = read_money(number, "Montant", fields[columns["Montant"]], issues)
        sens = fields[columns.get("Sens", -1)].upper()
        if sens in ("D", "+1", "1", "+"):
            return amount
        if sens in ("C", "-1", "-"):
            return -amount
        issues.append(FecIssue(number, "Sens", sens, "sens D ou C attendu"))
        return ZERO
