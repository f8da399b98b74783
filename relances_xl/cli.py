"""`relances-xl`: the buttons of the workbook, from a terminal.

Each command opens the workbook with the headless engine, fills the cells a user
would fill, runs the very function the button runs, then saves atomically. Exit
status: 0 done, 1 some letters failed, 2 nothing done (problems listed on stderr).
What the commands share to open the workbook and press a button is `terminal`'s; the
`demo` command, a script over the others, is `demo`'s, imported when it runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import xlwings as xw

from . import addin, installer, layout
from .config import OUTPUTS, Sortie
from .errors import RelancesError
from .excel import aged_sheets, journal, session, sheets
from .fec.plan import DEFAULT_DELAY
from .fec.read import ACCOUNTS_EXPECTED, account_prefixes
from .model import Filters, ReminderRow
from .terminal import READS_LEDGER, apply_workbook, opened, print_workbook, report
from .texts import euros

# `terminal`'s opened, apply_workbook, print_workbook and READS_LEDGER stay names of this
# module too: tests, benches and docs take them from here.

DEFAULT_WORKBOOK = Path("workbook") / "Relances.xlsm"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (RelancesError, FileNotFoundError) as error:  # their message is for the user
        print(f"ERREUR : {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relances-xl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMANDE")

    build = commands.add_parser("build", help="écrit Relances.xlsm depuis les sources")
    build.add_argument("--out", type=Path, default=DEFAULT_WORKBOOK)
    build.set_defaults(run=_build)

    for name, button, shown, action in (
        ("appliquer", "Appliquer", "le tableau", _appliquer),
        ("balance-agee", "Balance âgée", "la balance", _balance_agee),
    ):  # two buttons of the Relances sheet: the same date and filters
        command = commands.add_parser(name, help=f"le bouton {button}, sans Excel")
        command.add_argument("workbook", type=Path, metavar="WORKBOOK")
        command.add_argument("--date", type=_iso_date, help="Échéances échues au (AAAA-MM-JJ)")
        command.add_argument("--date-lettres", type=_iso_date, dest="date_lettres",
                             help="Date des lettres (AAAA-MM-JJ ; vide : --date)")
        _filter_options(command)
        command.add_argument("--json", action="store_true", help=f"affiche {shown} en JSON")
        command.set_defaults(run=action)

    for name, helptext, action in (
        ("lettres", "Imprimer toutes les lettres vers…", _lettres),
        ("proposition", "Imprimer la proposition vers…", _proposition),
    ):
        command = commands.add_parser(name, help=helptext)
        command.add_argument("workbook", type=Path, metavar="WORKBOOK")
        command.add_argument("--sortie", choices=[s.value for s in Sortie], required=True)
        command.add_argument("--dossier", type=Path, help="dossier des fichiers produits")
        command.add_argument("--forme", help="modèle imposé (LET01, LET02…)")
        command.add_argument("--exemplaires", type=int, default=1)
        command.add_argument("--imprimante", help="nom de l'imprimante (défaut : celle du système)")
        command.set_defaults(run=action)

    releves = commands.add_parser("releves", help="Relevés de compte : un relevé par client "
                                  "ayant un solde, sans niveau ni « Éditée »")
    releves.add_argument("workbook", type=Path, metavar="WORKBOOK")
    releves.add_argument("--sortie", required=True,
                         choices=[s.value for s, o in OUTPUTS.items()
                                  if o.document in ("pdf", "docx") and o.recipient != "fax"])
    releves.add_argument("--dossier", type=Path, help="dossier des fichiers produits")
    releves.add_argument("--imprimante", help="nom de l'imprimante (défaut : celle du système)")
    releves.add_argument("--date", type=_iso_date, help="relevés au (AAAA-MM-JJ)")
    _filter_options(releves)
    releves.set_defaults(run=_releves)

    save = commands.add_parser("sauver", help="Sauver la proposition (ou l'abandonner)")
    save.add_argument("workbook", type=Path, metavar="WORKBOOK")
    save.add_argument("--abandonner", action="store_true",
                      help="abandonne la proposition sauvée")
    save.set_defaults(run=_sauver)

    fec = commands.add_parser("import-fec", help="Importer un FEC dans le grand livre")
    fec.add_argument("fichier", type=Path, metavar="FICHIER")
    fec.add_argument("workbook", type=Path, metavar="WORKBOOK")
    fec.add_argument("--societe", help="code Société (défaut : d'après le SIREN du nom du "
                     "fichier et les SIRET de Paramètres)")
    fec.add_argument("--delai-jours", type=int, default=DEFAULT_DELAY, metavar="N",
                     help="délai de paiement des clients sans délai dans Clients (défaut 30)")
    fec.add_argument("--journaux", type=lambda text: tuple(filter(None, text.split(","))),
                     default=(), metavar="VT,VE,…",
                     help="journaux de ventes (défaut : codes commençant par VT ou VE)")
    fec.add_argument("--comptes", type=_prefixes, metavar="411,…",
                     help="débuts des comptes clients (défaut : « Comptes clients du FEC » "
                          "de Paramètres, 411)")
    fec.set_defaults(run=_import_fec)

    setup = commands.add_parser("installer", help="met Relances.xlsm et son Python (.venv) "
                                "dans un dossier, prêts pour Excel")
    installer.add_arguments(setup)
    setup.set_defaults(run=lambda args: installer.install(args.dossier, args.paquet,
                                                          args.classeur))

    taux = commands.add_parser("taux", help="ajoute à la table Taux par période de "
                               "Paramètres les semestres fournis qui lui manquent, sans rien "
                               "changer d'autre")
    taux.add_argument("workbook", type=Path, metavar="WORKBOOK")
    taux.set_defaults(run=_taux)
    _suivi_parser(commands)
    _recouvrement_parser(commands)

    demo = commands.add_parser("demo", help="le grand livre d'exemple, au 27/07/2022 puis au "
                               "15/09/2022, en PDF")
    demo.add_argument("--dossier", type=Path, default=Path("relances-demo"))
    demo.set_defaults(run=_demo)
    return parser


# --ajouter's words -> the Action of the Suivi sheet
_ADD_ACTIONS = {"promesse": "Promesse de règlement", "echeancier": "Échéancier",
                "litige": "Litige", "suspension": "Suspension", "appel": "Appel",
                "note": "Note", "reponse": "Réponse reçue", "recommande": "Recommandé"}


def _suivi_parser(commands: argparse._SubParsersAction) -> None:
    """`suivi`: a customer's story by date, or, with --ajouter, a line added to Suivi."""
    suivi = commands.add_parser("suivi", help="l'historique d'un client (fiche client), ou "
                                "--ajouter une ligne à la feuille Suivi")
    suivi.add_argument("workbook", type=Path, metavar="WORKBOOK")
    suivi.add_argument("--tiers", required=True, help="code tiers du client")
    suivi.add_argument("--societe", default="", help="société (défaut : toutes ; pour "
                       "--ajouter, la seule du client)")
    suivi.add_argument("--date", type=_iso_date, help="jusqu'à cette date (AAAA-MM-JJ, défaut "
                       "aujourd'hui) ; pour --ajouter, la date de la ligne")
    suivi.add_argument("--json", action="store_true", help="affiche l'historique en JSON")
    suivi.add_argument("--ajouter", choices=list(_ADD_ACTIONS), help="ajoute une ligne")
    suivi.add_argument("--jusqu-au", dest="jusqu_au", type=_iso_date, metavar="AAAA-MM-JJ")
    suivi.add_argument("--montant", type=_amount, metavar="M")
    suivi.add_argument("--piece", default="", metavar="P", help="n° de pièce (défaut : toutes)")
    suivi.add_argument("--commentaire", default="", metavar="C")
    suivi.add_argument("--par", default="", metavar="INITIALES")
    suivi.add_argument("--numero-recommande", dest="numero_recommande", default="",
                       metavar="N", help="recommande : le n° de la lettre recommandée")
    suivi.add_argument("--distribue-le", dest="distribue_le", type=_iso_date,
                       metavar="AAAA-MM-JJ", help="recommande : le jour de la distribution")
    suivi.set_defaults(run=_suivi)


def _recouvrement_parser(commands: argparse._SubParsersAction) -> None:
    """`recouvrement`: the recovery file after an unanswered mise en demeure."""
    command = commands.add_parser("recouvrement", help="le dossier de recouvrement d'un client "
                                  "après la mise en demeure (décompte, pièces, procédure)")
    command.add_argument("workbook", type=Path, metavar="WORKBOOK")
    command.add_argument("--tiers", required=True, help="code tiers du client")
    command.add_argument("--societe", default="", help="société (défaut : la seule du client)")
    command.add_argument("--date", type=_iso_date, help="date du décompte (AAAA-MM-JJ, défaut "
                         "aujourd'hui)")
    command.add_argument("--dossier", type=Path, required=True, metavar="DIR",
                         help="dossier où écrire le dossier de recouvrement et son .zip")
    command.add_argument("--apres-echec", dest="apres_echec", action="store_true",
                         help="la procédure simplifiée des petites créances a échoué : "
                         "requête en injonction de payer")
    command.set_defaults(run=_recouvrement)


def _recouvrement(args: argparse.Namespace) -> int:
    from . import recouvrement  # as the add-in's buttons: imported when used

    on = args.date or date.today()
    with opened(args.workbook):
        outcome = recouvrement.dossier_de_recouvrement(
            today=on, tiers=args.tiers, societe=args.societe or None,
            dossier=args.dossier.resolve(), apres_echec=args.apres_echec)
    return report(outcome)


def _amount(text: str) -> Decimal:
    from .cells import parse_money

    value, error = parse_money(text)
    if error:
        raise argparse.ArgumentTypeError(f"{error} : {text!r}")
    return value


def _suivi(args: argparse.Namespace) -> int:
    from .rules.followup import FollowUp

    on = args.date or date.today()
    if args.ajouter:
        line = FollowUp(on, args.tiers, args.societe, args.piece, _ADD_ACTIONS[args.ajouter],
                        args.jusqu_au, args.montant, args.commentaire, args.par,
                        args.numero_recommande, args.distribue_le)
        with opened(args.workbook):
            outcome = addin.ajouter_suivi(line, today=on)
        return report(outcome)
    with session.read_only(args.workbook):
        outcome = addin.fiche_client(today=on, tiers=args.tiers, societe=args.societe,
                                     write=False)
    if outcome.blocked:
        return report(outcome)
    if args.json:
        print(json.dumps([_event_json(e) for e in outcome.events], ensure_ascii=False,
                         indent=2))
        return 0
    print(outcome.message)
    for event in outcome.events:
        amount = euros(event.montant) if event.montant is not None else ""
        state = f"  [{event.state}]" if event.state else ""
        print(f"  {event.date:%d/%m/%Y}  {event.societe:<6} {event.kind:<10} {amount:>14}  "
              f"{event.text}{state}")
    return 0


def _event_json(event: object) -> dict[str, object]:
    data = event._asdict()  # type: ignore[attr-defined]
    data["date"] = data["date"].isoformat()
    data["montant"] = None if data["montant"] is None else f"{data['montant']:.2f}"
    return data


def _filter_options(command: argparse.ArgumentParser) -> None:
    """--client, --famille… : the filter cells of the Relances sheet, each repeatable."""
    for option, key in (("--client", "clients"), ("--famille", "familles"),
                        ("--representant", "representants"), ("--mode", "modes"),
                        ("--societe", "societes")):
        command.add_argument(option, dest=key, action="append", default=[], metavar="CODE")


def _filters(args: argparse.Namespace) -> Filters:
    codes = {key: frozenset(getattr(args, key)) for key in layout.FILTERS}
    lettres = getattr(args, "date_lettres", None)
    return Filters(date=args.date or date.today(), lettres=lettres, **codes)


def _prefixes(text: str) -> tuple[str, ...]:
    found = account_prefixes(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{ACCOUNTS_EXPECTED} : {text!r}")
    return found


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"date AAAA-MM-JJ attendue : {text!r}") from error


def _build(args: argparse.Namespace) -> int:
    from .excel.build import build_workbook

    print(f"Classeur écrit : {build_workbook(args.out)}")
    return 0


def _appliquer(args: argparse.Namespace) -> int:
    outcome = apply_workbook(args.workbook, _filters(args))
    return report(outcome, [row_as_json(r) for r in outcome.rows] if args.json else None)


def _balance_agee(args: argparse.Namespace) -> int:
    filters = _filters(args)
    with opened(args.workbook, READS_LEDGER) as book:
        sheets.write_filters(book.sheets[layout.RELANCES], filters, filters.date)
        outcome = addin.balance_agee(today=filters.date)
    return report(outcome, aged_sheets.as_json(outcome.aged) if args.json else None)


def _lettres(args: argparse.Namespace) -> int:
    outcome = print_workbook(args.workbook, addin.imprimer_lettres, args.sortie, args.dossier,
                             args.forme, args.exemplaires, args.imprimante)
    if outcome.report is not None:  # the run replayed it: it is all in the saved workbook
        journal.clear(journal.journal_path(args.workbook))
    code = report(outcome)
    if code == 0 and outcome.report and outcome.report.failed:
        for failed in outcome.report.failed:
            print(f"échec : {failed.row.tiers} / {failed.row.societe} : {failed.error}",
                  file=sys.stderr)
        return 1
    return code


def _releves(args: argparse.Namespace) -> int:
    filters = _filters(args)

    def press() -> addin.Outcome:  # the filter cells as typed, then the button
        sheets.write_filters(xw.Book.caller().sheets[layout.RELANCES], filters, filters.date)
        return addin.releves_de_compte(today=filters.date)

    outcome = print_workbook(args.workbook, press, args.sortie, args.dossier, None, 1,
                             args.imprimante)
    code = report(outcome)
    if code == 0 and outcome.statements and outcome.statements.failed:
        for tiers, societe, why in outcome.statements.failed:
            print(f"échec : {tiers} / {societe} : {why}", file=sys.stderr)
        return 1
    return code


def _proposition(args: argparse.Namespace) -> int:
    outcome = print_workbook(args.workbook, addin.imprimer_proposition, args.sortie,
                             args.dossier, args.forme, args.exemplaires, args.imprimante)
    return report(outcome)


def _sauver(args: argparse.Namespace) -> int:
    with opened(args.workbook, () if args.abandonner else READS_LEDGER):
        action = addin.abandonner_proposition if args.abandonner else addin.sauver_proposition
        outcome = action()
    return report(outcome)


def _import_fec(args: argparse.Namespace) -> int:
    """Exit 0: imported; 1: imported, some lines rejected; 2: nothing done (file not saved)."""
    with opened(args.workbook):
        outcome = addin.importer_fec(str(args.fichier), societe=args.societe,
                                     delai_jours=args.delai_jours, journaux=args.journaux,
                                     comptes=args.comptes, alert=False)
        if outcome.plan is None:
            raise RelancesError(outcome.error or outcome.message)  # leaves the file as it was
    shown = [e for e in outcome.plan.entries if e.action in ("rejetée", "ignorée", "remarque")]
    for entry in shown[:50]:
        where = f"ligne {entry.line}" + (f", {entry.column}" if entry.column else "")
        value = f" « {entry.value} »" if entry.value not in (None, "") else ""
        print(f"{entry.action} : {where}{value} — {entry.detail}", file=sys.stderr)
    if len(shown) > 50:
        print(f"… et {len(shown) - 50} autre(s) : feuille {layout.IMPORT_FEC}", file=sys.stderr)
    print(outcome.message)
    return 1 if outcome.rejected else 0


def row_as_json(row: ReminderRow) -> dict[str, object]:
    """The table row as the --json output promises it: amounts as "11063.80"."""
    return {
        "tiers": row.tiers,
        "societe": row.societe,
        "solde_comptable": f"{row.solde_comptable:.2f}",
        "encours_relance": f"{row.encours_relance:.2f}",
        "agios_reclames": f"{row.agios_reclames:.2f}",
        "niveau": row.niveau,
        "a_relancer": row.a_relancer,
        "editee": row.editee,
        "adresse": row.adresse,
        "motif": row.motif,
        "devise": row.devise,  # ISO 4217: every amount of the row is in it
    }


def _taux(args: argparse.Namespace) -> int:
    """The shipped half-years an existing workbook lacks, added under the same guards as
    every command that saves (see `opened`)."""
    from .excel.rates_sheet import add_missing_rates, added_text

    with opened(args.workbook) as book:
        added, problems = add_missing_rates(book)
        if problems:  # raised inside: the workbook is not saved
            raise RelancesError("rien n'est ajouté : " + " ; ".join(map(str, problems)))
    print(added_text(added))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from . import demo  # as the add-in's buttons: imported when used

    return demo.run(args.dossier)


if __name__ == "__main__":
    sys.exit(main())
