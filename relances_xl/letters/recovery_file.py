"""The recovery file of one customer in one company: a folder and its .zip holding the
décompte (PDF, and its figures as JSON and CSV), the bordereau de pièces with every
exhibit numbered to match, and the request of the procedure that fits (PDF, and Word
to complete and sign). The figures are `rules.recovery.Claim`'s; here they become text,
files and the exhibits found beside the workbook.

Nothing is invented: an invoice copy not found says "copie à joindre", a letter not
archived or a registered letter's number or delivery not recorded in `Suivi` is said
missing, a field the workbook does not hold (the debtor's legal form, say) reads
"à compléter".
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .. import layout
from ..config import RECOVERY_FORMES, Company, Settings
from ..model import Customer, HistoryEntry, Ledger
from ..rules.followup import RECOMMANDE, FollowUp
from ..rules.recovery import Claim
from . import copies, pdf
from .archive import resolve
from .formats import address_lines, money, short_date
from .recovery_texts import decompte_fields, request_fields
from .render import check_fields, render_letter, template_path

DECOMPTE, BORDEREAU, REQUETE = RECOVERY_FORMES
A_COMPLETER = "à compléter"
COPIE_A_JOINDRE = "copie à joindre"
_SAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Exhibit:
    """One numbered exhibit: what it is, and its file in the folder ("" when missing)."""

    numero: int
    designation: str
    fichier: str = ""  # the file's name in pieces/, "" when not in the folder
    manque: str = ""  # what is missing, said in the bordereau


@dataclass
class RecoveryFile:
    folder: Path
    archive: Path
    claim: Claim
    exhibits: list[Exhibit] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _safe(text: str) -> str:
    return _SAFE.sub("_", text).strip("_") or "x"


def _free_name(parent: Path, name: str) -> Path:
    """`parent/name`, or name_2, name_3… : an earlier file is never overwritten."""
    candidate, number = parent / name, 1
    while candidate.exists() or candidate.with_suffix(".zip").exists():
        number += 1
        candidate = parent / f"{name}_{number}"
    return candidate


def make_recovery_file(claim: Claim, ledger: Ledger, settings: Settings, customer: Customer,
                       company: Company, followups: Sequence[FollowUp], workbook_dir: Path,
                       parent: Path) -> RecoveryFile:
    """Write the folder and its .zip under `parent`; the exhibits are looked up beside
    the workbook (invoice copies in "Dossier des factures", letters in the archive).

    Made whole or not at all: in a hidden folder beside, renamed when every document is
    there (a PDF converter missing leaves nothing behind)."""
    parent.mkdir(parents=True, exist_ok=True)
    target = _free_name(parent, f"{claim.on:%Y-%m-%d}_{_safe(claim.societe)}_"
                                f"{_safe(claim.tiers)}_recouvrement")
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=parent))
    work.chmod(0o755)  # mkdtemp's 0700 would stay on the renamed folder
    try:
        made = RecoveryFile(target, target.with_suffix(".zip"), claim)
        pieces = work / "pieces"
        pieces.mkdir()
        made.exhibits = _exhibits(claim, ledger, settings, followups, workbook_dir, pieces,
                                  made)
        written = _data_files(claim, work)
        listed = work / "02_bordereau_de_pieces.json"  # the exhibits as data, for tests too
        listed.write_text(json.dumps([vars(e) for e in made.exhibits], ensure_ascii=False,
                                     indent=2), encoding="utf-8")
        written.append(listed)
        contexts = recovery_contexts(claim, customer, company, made.exhibits, settings)
        written += _documents(contexts, settings, work)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    made.files = [target / path.name for path in written]
    made.archive = Path(shutil.make_archive(str(target), "zip", parent, target.name))
    return made


# --- exhibits --------------------------------------------------------------------------


def _exhibits(claim: Claim, ledger: Ledger, settings: Settings, followups: Sequence[FollowUp],
              workbook_dir: Path, pieces: Path, made: RecoveryFile) -> list[Exhibit]:
    """The invoices, then the letters by date, then the registered letter's receipt."""
    found: list[Exhibit] = []
    wanted = {line.piece for line in claim.lines}
    invoices = [i for i in ledger.invoices if i.societe == claim.societe
                and i.tiers == claim.tiers and i.piece in wanted and not i.avoir]
    folder = settings.option(copies.SETTING).strip()
    lookup = copies.find_copies(resolve(folder, workbook_dir) if folder else None, invoices)
    made.notes += lookup.notes
    for line in claim.lines:
        numero = len(found) + 1
        text = (f"Facture n° {line.piece} du {short_date(line.date_piece, 'FR')}, "
                f"échéance {short_date(line.echeance, 'FR')}, "
                f"{money(line.principal, 'FR')}")
        source, _ = lookup.for_invoices([line.piece])
        if source:
            name = f"Piece_{numero:02d}_Facture_{_safe(line.piece)}.pdf"
            shutil.copyfile(source[0], pieces / name)
            found.append(Exhibit(numero, text, name))
        else:
            found.append(Exhibit(numero, text, "", COPIE_A_JOINDRE))
    top = claim.top
    for when, niveau, lettre, names in _letters(claim, ledger.history, wanted):
        numero = len(found) + 1
        kind = "Mise en demeure" if niveau >= top else f"Lettre de relance (niveau {niveau})"
        text = f"{kind} du {short_date(when, 'FR')} (factures {', '.join(names)})"
        source = _archived(lettre, workbook_dir)
        if source is not None:
            name = f"Piece_{numero:02d}_{'Mise_en_demeure' if niveau >= top else 'Relance'}_" \
                   f"{when:%Y-%m-%d}.pdf"
            shutil.copyfile(source, pieces / name)
            found.append(Exhibit(numero, text, name))
        elif lettre:
            found.append(Exhibit(numero, text, "", f"fichier archivé introuvable ({lettre}) : "
                                                   "copie à joindre"))
        else:
            found.append(Exhibit(numero, text, "", "lettre non archivée (Historique, "
                                                   "Lettre archivée vide) : copie à joindre"))
    found.append(_registered(len(found) + 1, claim, followups, wanted))
    return found


def _letters(claim: Claim, history: Iterable[HistoryEntry], wanted: set[str]
             ) -> list[tuple[date, int, str, list[str]]]:
    """The letters that listed the claim's invoices, oldest first: (date, level, archived
    file, invoices); a letter is the lines of one day (and one archived file)."""
    letters: dict[tuple[date, str], tuple[int, list[str]]] = {}
    for entry in history:
        if (entry.societe != claim.societe or entry.tiers != claim.tiers
                or entry.piece not in wanted or entry.date > claim.on or entry.niveau < 1):
            continue
        key = (entry.date, entry.lettre)
        niveau, names = letters.get(key, (0, []))
        letters[key] = (max(niveau, entry.niveau), [*names, entry.piece])
    return [(when, niveau, lettre, sorted(set(names)))
            for (when, lettre), (niveau, names) in sorted(letters.items())]


def _archived(lettre: str, workbook_dir: Path) -> Path | None:
    """The archived letter's file (`archive.resolve`), None when not named or not there."""
    if not lettre:
        return None
    path = resolve(lettre, workbook_dir)
    return path if path.is_file() else None


def _registered(numero: int, claim: Claim, followups: Sequence[FollowUp], wanted: set[str]
                ) -> Exhibit:
    """The registered letter of the mise en demeure, as `Suivi` recorded it: its number
    and delivery date, each said missing when not recorded."""
    lines = [line for line in followups if line.action == RECOMMANDE
             and line.societe == claim.societe and line.tiers == claim.tiers
             and (not line.piece or line.piece in wanted) and line.date <= claim.on]
    if not lines:
        return Exhibit(numero, "Preuve de l'envoi recommandé avec avis de réception de la "
                               "mise en demeure", "",
                       f"envoi recommandé non enregistré (feuille {layout.SUIVI}, action "
                       f"« {RECOMMANDE} ») : preuve de dépôt et avis de réception à joindre")
    line = max(lines, key=lambda x: (x.date, x.row or 0))
    numero_lr, distribue = line.numero_recommande, line.distribue_le
    text = (f"Lettre recommandée avec avis de réception n° {numero_lr or '(non enregistré)'}"
            f", envoyée le {short_date(line.date, 'FR')}"
            + (f", distribuée le {short_date(distribue, 'FR')}" if distribue else ""))
    missing = []
    if not numero_lr:
        missing.append("numéro non enregistré dans Suivi")
    missing.append("avis de réception à joindre" if distribue else
                   "date de distribution non enregistrée dans Suivi : avis de réception "
                   "à joindre")
    return Exhibit(numero, text, "", " ; ".join(missing))


# --- the figures as data ---------------------------------------------------------------


def claim_as_data(claim: Claim) -> dict:
    """The décompte as JSON-ready data: amounts as "1234.56", dates ISO."""
    def amount(value: Decimal) -> str:
        return f"{value:.2f}"
    return {
        "tiers": claim.tiers, "societe": claim.societe, "date": claim.on.isoformat(),
        "regime": str(claim.regime), "procedure": str(claim.procedure),
        "mises_en_demeure": [d.isoformat() for d in claim.notices],
        "factures_sans_mise_en_demeure": list(claim.left_out),
        "lignes": [{
            "piece": line.piece, "date": line.date_piece.isoformat(),
            "echeance": line.echeance.isoformat(), "principal": amount(line.principal),
            "recu": amount(line.recu), "reste": amount(line.reste),
            "interets_depuis": line.interets_depuis.isoformat() if line.interets_depuis
            else None,
            "interets": amount(line.interets), "indemnite": amount(line.indemnite),
            "total": amount(line.total), "mise_en_demeure": line.mise_en_demeure.isoformat(),
            "prescription": line.prescription.isoformat(),
        } for line in claim.lines],
        "total_principal": amount(claim.principal), "total_recu": amount(claim.recu),
        "total_reste": amount(claim.reste), "total_interets": amount(claim.interets),
        "total_indemnites": amount(claim.indemnites), "total": amount(claim.total),
    }


def _data_files(claim: Claim, folder: Path) -> list[Path]:
    data = claim_as_data(claim)
    as_json = folder / "01_decompte.json"
    as_json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    as_csv = folder / "01_decompte.csv"
    columns = ["piece", "date", "echeance", "principal", "recu", "reste", "interets",
               "indemnite", "total", "prescription"]
    with as_csv.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(columns)
        for line in data["lignes"]:
            writer.writerow([line[c] for c in columns])
        writer.writerow(["Total", "", "", data["total_principal"], data["total_recu"],
                         data["total_reste"], data["total_interets"],
                         data["total_indemnites"], data["total"], ""])
    return [as_json, as_csv]


# --- the documents ---------------------------------------------------------------------


def _documents(contexts: dict[str, dict], settings: Settings, folder: Path) -> list[Path]:
    """Each template rendered, then made PDF in one batch; the request's Word kept."""
    names = {DECOMPTE: "01_decompte", BORDEREAU: "02_bordereau_de_pieces",
             REQUETE: f"03_{contexts[REQUETE]['fichier']}"}
    templates = settings.option("dossier_modeles")
    with tempfile.TemporaryDirectory(prefix="relances-recouvrement-") as work:
        documents = []
        for forme, context in contexts.items():
            template = template_path(forme, "FR", Path(templates) if templates else None)
            check_fields(template, context)
            documents.append(render_letter(template, context,
                                           Path(work) / f"{names[forme]}.docx"))
        made = pdf.convert_to_pdf(documents, folder)
        kept = folder / documents[-1].name
        shutil.copyfile(documents[-1], kept)  # the request, to complete and sign in Word
    return [*made, kept]


def recovery_contexts(claim: Claim, customer: Customer, company: Company,
                      exhibits: list[Exhibit], settings: Settings) -> dict[str, dict]:
    """The fields of REC01, REC02 and REC03."""
    common = {
        "date": short_date(claim.on, "FR"),
        "creancier": company.raison_sociale or company.societe,
        "creancier_siret": company.siret or A_COMPLETER,
        "creancier_adresse": company.adresse or A_COMPLETER,
        "debiteur": customer.nom,
        "client_code": customer.tiers,
        "debiteur_adresse": ", ".join(address_lines(customer)) or A_COMPLETER,
    }
    missing = [e for e in exhibits if e.manque]
    bordereau = {
        **common,
        "objet": (f"Pièces produites au soutien de la demande en paiement de "
                  f"{money(claim.total, 'FR')} (décompte au {common['date']})."),
        "pieces": [{"numero": e.numero, "designation": e.designation,
                    "fichier": e.fichier or e.manque} for e in exhibits],
        "manquantes": (f"{len(missing)} pièce(s) à joindre ou à compléter : "
                       + ", ".join(f"n° {e.numero}" for e in missing) + ".")
        if missing else "Toutes les pièces sont jointes.",
    }
    decompte = {**common, **decompte_fields(claim, settings)}
    requete = {**common, **request_fields(claim, customer, company, exhibits, settings)}
    return {DECOMPTE: decompte, BORDEREAU: bordereau, REQUETE: requete}
