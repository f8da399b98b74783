"""What the dashboard page costs the proposal's PDF, headless (LibreOffice).

Run: python bench/dashboard_pdf.py [--repeat 3]

Builds the demo's workbook (the sample ledger, its aged balance computed), then prints
the proposal to PDF from a fresh copy of it, alternating three ways in each round: the
proposal alone (no dashboard page), the page made after the proposal, and the page
made while the proposal renders and converts (as `imprimer_proposition` does). It
prints each way's times and medians, and the ratios to the proposal alone.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from relances_xl import cli
from relances_xl.excel import dashboard_pdf

# the shipped way: imprimer_proposition imports it from dashboard_pdf when it runs, so
# each way is put there in its turn
SHIPPED = dashboard_pdf.dashboard_page


def _after(*args: object, **kwargs: object) -> dashboard_pdf.DashboardPage:
    page = SHIPPED(*args, **kwargs)
    page.pdf()  # waits for LibreOffice before the proposal starts
    return page


WAYS = {
    "proposal alone": lambda *a, **k: dashboard_pdf.DashboardPage(""),
    "page after proposal": _after,
    "page alongside (shipped)": SHIPPED,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-tableau-") as work:
        folder = Path(work)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli.main(["demo", "--dossier", str(folder / "demo")])
        times: dict[str, list[float]] = {way: [] for way in WAYS}
        for round_ in range(args.repeat):
            for way, make_page in WAYS.items():
                copy = folder / f"{round_}-{len(times[way])}-{way[:5]}.xlsm"
                shutil.copyfile(folder / "demo" / "Relances.xlsm", copy)
                dashboard_pdf.dashboard_page = make_page
                start = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()), \
                        contextlib.redirect_stderr(io.StringIO()):
                    code = cli.main(["proposition", str(copy), "--sortie", "pdf", "--dossier",
                                     str(folder / f"out-{round_}-{way[:5]}")], )
                times[way].append(time.perf_counter() - start)
                assert code == 0, way
        dashboard_pdf.dashboard_page = SHIPPED
    alone = statistics.median(times["proposal alone"])
    for way, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{way:<26} {' '.join(f'{s:6.2f}' for s in seconds)} s   median {median:6.2f} s"
              f"   x{median / alone:.2f} the proposal alone")


if __name__ == "__main__":
    main()
