"""`relances-xl`: the buttons of the workbook, from a terminal.

Each command opens the workbook with the headless engine, sets it as the caller
and runs the very function the button runs, then saves atomically. Exit status:
0 done, 2 the ledger or the command line has problems (all listed on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from . import addin
from .excel import layout, sheets
from .model import Filters, ReminderRow
from .sample import DEMO_DATE

DEFAULT_WORKBOOK = Path("workbook") / "Relances.xlsm"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relances-xl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMANDE")

    build = commands.add_parser("build", help="écrit Relances.xlsm depuis les sources")
    build.add_argument("--out", type=Path, default=DEFAULT_WORKBOOK)
    build.set_defaults(run=_build)

    apply = commands.add_parser("appliquer", help="le bouton Appliquer, sans Excel")
    apply.add_argument("workbook", type=Path, metavar="WORKBOOK")
    apply.add_argument("--date", type=_iso_date, help="Echéances échues au (AAAA-MM-JJ)")
    for option, key in (("--client", "clients"), ("--famille", "familles"),
                        ("--representant", "representants"), ("--mode", "modes"),
                        ("--societe", "societes")):
        apply.add_argument(option, dest=key, action="append", default=[], metavar="CODE")
    apply.add_argument("--json", action="store_true", help="affiche le tableau en JSON")
    apply.set_defaults(run=_appliquer)

    demo = commands.add_parser("demo", help="le grand livre d'exemple, appliqué au 27/07/2022")
    demo.add_argument("--dossier", type=Path, default=None)
    demo.set_defaults(run=_demo)
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"date AAAA-MM-JJ attendue : {text!r}") from error


def _build(args: argparse.Namespace) -> int:
    from .excel.build import build_workbook

    path = build_workbook(args.out)
    print(f"Classeur écrit : {path}")
    return 0


def apply_workbook(path: Path, filters: Filters) -> addin.Outcome:
    """Fill the filter cells, press Appliquer, save: what a user does in Excel."""
    from .excel.headless import close_book, open_book, save_book

    book = open_book(path)
    try:
        sheets.write_filters(book.sheets[layout.RELANCES], filters, filters.date)
        outcome = addin.appliquer(today=filters.date)
        save_book(book)
    finally:
        close_book(book)
    return outcome


def _appliquer(args: argparse.Namespace) -> int:
    if not args.workbook.exists():
        print(f"Classeur introuvable : {args.workbook}", file=sys.stderr)
        return 2
    codes = {key: frozenset(getattr(args, key)) for key in layout.FILTERS}
    outcome = apply_workbook(args.workbook, Filters(date=args.date or date.today(), **codes))
    return _report(outcome, as_json=args.json)


def _report(outcome: addin.Outcome, as_json: bool) -> int:
    for problem in outcome.problems:
        label = "ERREUR" if problem.blocking else "attention"
        print(f"{label} : {problem}", file=sys.stderr)
    if outcome.blocked:
        print(outcome.message, file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps([row_as_json(r) for r in outcome.rows], ensure_ascii=False, indent=2))
    else:
        print(outcome.message)
    return 0


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
    }


def _demo(args: argparse.Namespace) -> int:
    from .excel.build import build_workbook

    folder = args.dossier or Path(tempfile.mkdtemp(prefix="relances-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    workbook = build_workbook(folder / "Relances.xlsm")
    outcome = apply_workbook(workbook, Filters(date=DEMO_DATE))
    code = _report(outcome, as_json=False)
    for row in outcome.rows:
        tick = "x" if row.a_relancer else " "
        print(f"  [{tick}] {row.tiers:<7} {row.societe:<6} niveau {row.niveau}  "
              f"encours {row.encours_relance:>10}  {row.motif}")
    print(f"Classeur : {workbook}")
    return code


if __name__ == "__main__":
    sys.exit(main())
