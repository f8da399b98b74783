"""Every command leaves a file Excel opens without repairing it (issue 24 §4).

A small corpus of workbooks as accountants' programs leave them, made here:
- `projet`: the workbook as built;
- `libreoffice`: the same saved by LibreOffice (its own XML, its own VBA storage);
- `openpyxl`: edited with openpyxl (a column of the user's, Factures sorted by amount,
  comments, the user's own table over Contrôles with a column of theirs);
- `excel`: hand-made to look like Excel's own files (shared formulas in a column of
  the user's, a calculation chain, x14ac row heights, revision ids, mc:Ignorable);
- `hostile`: customers whose names hold XML, control characters, Excel's escapes,
  32 767 characters, emoji.
Each runs the six commands that write (appliquer, sauver, lettres, proposition,
balance-agee, import-fec) and `xlsx_checker` reads the file after each. Then each rule
of the checker is shown to catch a breach injected into a good file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip
from fec_writer import write_fec
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table
from test_edited_rows import cli
from test_fec_import import VIGNE_FEC, year_2023
from xlsx_checker import MAIN, check

from relances_xl import layout, sample
from relances_xl.excel import headless

COMMANDS: list[tuple[str, ...]] = [
    ("appliquer", "--date", "2022-07-27"),
    ("sauver",),
    ("lettres", "--sortie", "texte", "--dossier", "{out}"),
    ("proposition", "--sortie", "texte", "--dossier", "{out}"),
    ("balance-agee", "--date", "2022-07-27"),
    ("import-fec", "{fec}"),
]


def rewrite(path: Path, changes: dict[str, Callable[[bytes], bytes] | bytes | None]) -> None:
    """The package with some parts changed (a function of the old bytes, new bytes, or
    None to leave the part out) and new ones added; the others copied."""
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    for name, change in changes.items():
        if change is None:
            parts.pop(name, None)
        else:
            parts[name] = change(parts[name]) if callable(change) else change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def sheet_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rel_id = re.search(rf'<sheet name="{re.escape(name)}" sheetId="\d+"[^>]*r:id="(\w+)"',
                       book).group(1)
    return "xl/" + re.search(rf'Id="{rel_id}"[^>]*Target="([^"]+)"', rels).group(1)


# --- the corpus ------------------------------------------------------------------------

def saved_by_libreoffice(path: Path) -> None:
    soffice = soffice_or_skip()
    out = path.parent / "lo"
    subprocess.run([soffice, f"-env:UserInstallation=file://{path.parent / 'profile'}",
                    "--headless", "--convert-to", "xlsm:Calc MS Excel 2007 VBA XML",
                    "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=120)
    shutil.move(out / path.name, path)


def edited_with_openpyxl(path: Path) -> None:
    book = openpyxl.load_workbook(path, keep_vba=True)
    clients = book[layout.CLIENTS]
    clients.cell(1, 19, "Commentaire")  # a column of the user's, beside the table
    for row in range(2, 10):
        clients.cell(row, 19, f"appelé le {row}/07")
    factures = book[layout.FACTURES]
    rows = [[c.value for c in row] for row in factures.iter_rows(min_row=2, max_row=16)]
    rows.sort(key=lambda r: -(r[6] or 0))
    for offset, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            factures.cell(offset, column).value = value
    factures["B2"].comment = Comment("à vérifier", "compta")
    clients["A3"].comment = Comment("client historique", "compta")
    controles = book[layout.CONTROLES]
    for column, header in enumerate((*layout.CONTROLES_COLUMNS, "Suite donnée"), start=1):
        controles.cell(1, column, header)
    controles.add_table(Table(displayName="MesControles", ref="A1:G2"))
    book.save(path)


def made_like_excel(path: Path) -> None:
    """Excel's own habits, written into the Factures sheet by hand."""
    k = get_column_letter(len(layout.FACTURES_COLUMNS) + 1)  # the user's column, right of it
    part = sheet_part(path, layout.FACTURES)
    with zipfile.ZipFile(path) as z:
        sheet_id = re.search(rf'<sheet name="{layout.FACTURES}" sheetId="(\d+)"',
                             z.read("xl/workbook.xml").decode()).group(1)

    last = 1 + len(sample.sheet_rows()[layout.FACTURES])  # the sample's invoices' last row

    def sheet(data: bytes) -> bytes:
        text = data.decode()
        text = text.replace(
            "<worksheet ", '<worksheet xmlns:mc="http://schemas.openxmlformats.org/'
            'markup-compatibility/2006" mc:Ignorable="x14ac xr" xmlns:x14ac="http://schemas.'
            'microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft'
            '.com/office/spreadsheetml/2014/revision" xr:uid="{00000000-0001-0000-0000-'
            '000000000000}" ', 1)
        text = re.sub(r"<row ", '<row x14ac:dyDescent="0.25" ', text)

        def with_k(match: re.Match) -> str:
            number = int(match.group(1))
            if number == 1:
                cell = f'<c r="{k}1" t="inlineStr"><is><t>TVA</t></is></c>'
            elif number == 2:
                cell = (f'<c r="{k}2"><f t="shared" ref="{k}2:{k}{last}" si="0">G2*0.2</f>'
                        '<v>0</v></c>')
            else:
                cell = f'<c r="{k}{number}"><f t="shared" si="0"/><v>0</v></c>'
            return match.group(0).replace("</row>", cell + "</row>")

        text = re.sub(r'<row [^>]*r="(\d+)".*?</row>', with_k, text, flags=re.S)
        return re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{k}{last}"/>',
                      text).encode()

    chain = "".join(f'<c r="{k}{row}"' + (f' i="{sheet_id}"' if row == 2 else "") + "/>"
                    for row in range(2, last + 1))
    rewrite(path, {part: sheet, **CALC_CHAIN,  # its parts, with this sheet's chain
                   "xl/calcChain.xml": f'<calcChain xmlns="{MAIN}">{chain}</calcChain>'.encode()})


HOSTILE = ["Dupont & Fils <SARL> \"L'Été\" — Œuvre", "contrôle\x01\x02\x1f caché",
           "_x0041_ littéral", "x" * 32_767, "  espaces  ", "émoji 🍷 ‮droite",
           "]]><!-- --></c>"]


def hostile_data(path: Path) -> None:
    """Typed through the headless engine (openpyxl refuses control characters; Excel
    keeps them, escaped as `_x0001_`), under the sample's rows, the tables resized."""
    book = headless.open_book(path)
    try:
        clients, factures = book.sheets[layout.CLIENTS], book.sheets[layout.FACTURES]
        customers, invoices = [], []
        for offset, name in enumerate(HOSTILE):
            code = f"00{offset}É"  # leading zeros, kept by the letter
            customers.append({"Code tiers": code, "Nom": name, "Adresse 1": name[:50],
                              "Code postal": "51100", "Ville": "REIMS",
                              "E-mail": "x@example.fr", "Type": "Professionnel"})
            invoices.append({"Société": "VIGNE", "N° pièce": f"H{offset}", "Type": "Facture",
                             "Code tiers": code, "Date pièce": date(2022, 5, 1),
                             "Date échéance": date(2022, 6, 1), "Montant TTC": 100.5,
                             "Comptabilisée": "Oui"})
        for sheet, rows, table in ((clients, customers, "tblClients"),
                                   (factures, invoices, "tblFactures")):
            headers = sheet.range("A1").expand("right").value
            start = sheet.range("A1").end("down").row + 1
            sheet.range((start, 1), (start + len(rows) - 1, 1)).number_format = "@"
            sheet.range((start, 1)).options(ndim=2).value = [
                [row.get(h) for h in headers] for row in rows]
            found = sheet.tables[table]
            found.resize(sheet.range((1, 1), (start + len(rows) - 1, len(headers))))
        headless.save_book(book)
    finally:
        headless.close_book(book)


CORPUS: dict[str, Callable[[Path], None] | None] = {
    "projet": None,
    "libreoffice": saved_by_libreoffice,
    "openpyxl": edited_with_openpyxl,
    "excel": made_like_excel,
    "hostile": hostile_data,
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from relances_xl.excel.build import build_workbook

    made = {}
    for name, make in CORPUS.items():
        folder = tmp_path_factory.mktemp(name)
        path = build_workbook(folder / "Relances.xlsm")
        if make is not None:
            make(path)
        assert check(path, path) == [], name  # a good file to begin with
        made[name] = path
    return made


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_command_leaves_a_file_excel_opens_without_repair(corpus, name, tmp_path,
                                                                 capsys):
    path = tmp_path / "Relances.xlsm"
    shutil.copyfile(corpus[name], path)
    shutil.copyfile(corpus[name].parent / "signature-vigne.png",
                    tmp_path / "signature-vigne.png")
    fec = write_fec(tmp_path / VIGNE_FEC, year_2023())
    for command in COMMANDS:
        argv = [a.format(out=tmp_path / "out", fec=fec) for a in command]
        if argv[0] == "import-fec":
            argv.append(str(path))
        else:
            argv.insert(1, str(path))
        code, _, err = cli(capsys, *argv)
        assert code in (0, 1), (command, err)
        assert [str(b) for b in check(path, corpus[name])] == [], command


# --- each rule catches its breach ---------------------------------------------------------

@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook after an Appliquer: cells written by the engine, a good file."""
    from relances_xl.cli import main
    from relances_xl.excel.build import build_workbook

    path = build_workbook(tmp_path_factory.mktemp("good") / "Relances.xlsm")
    assert main(["appliquer", str(path), "--date", "2022-07-27"]) == 0
    assert check(path, path) == []
    return path


def _sub(pattern: str, replacement: str, count: int = 1) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        text, done = re.subn(pattern, replacement, data.decode(), count=count, flags=re.S)
        assert done, pattern
        return text.encode()
    return change


FACTURES = "{factures}"
CALC_CHAIN = {
    "xl/calcChain.xml": f'<calcChain xmlns="{MAIN}"><c r="Z99" i="5"/></calcChain>'.encode(),
    "xl/_rels/workbook.xml.rels": lambda d: d.replace(
        b"</Relationships>", b'<Relationship Id="rId900" Type="http://schemas.openxmlformats.'
        b'org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
        b"</Relationships>"),
    "[Content_Types].xml": lambda d: d.replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>'),
}
BREACHES: dict[str, dict[str, Callable[[bytes], bytes] | bytes | None]] = {
    "well-formed": {"xl/styles.xml": lambda d: d[:len(d) // 2]},
    "content-types": {"[Content_Types].xml": _sub(r'<Override PartName="/xl/worksheets/'
                                                  r'sheet5.xml"[^>]*/>', "")},
    "relationships": {"xl/_rels/workbook.xml.rels": _sub(r'Target="worksheets/sheet12.xml"',
                                                         'Target="worksheets/absente.xml"')},
    "row-order": {FACTURES: _sub(r'(<row r="2".*?</row>)(<row r="3".*?</row>)', r"\2\1")},
    "dimension": {FACTURES: _sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:C3"/>')},
    "cell-types": {FACTURES: _sub(r'(<c r="G2"[^>]*>)<v>[^<]*</v>', r"\1<v>onze</v>")},
    "shared-strings": {FACTURES: _sub(r'(<c r="A2" t="s"[^>]*>)<v>\d+</v>', r"\1<v>99999</v>")},
    "styles": {FACTURES: _sub(r'<c r="A2"', '<c r="A2" s="999"')},
    "shared-formulas": {FACTURES: _sub(r'<c r="J2"([^>]*?)(?:/>|>.*?</c>)',
                                       r'<c r="J2"\1><f t="shared" si="7"/></c>')},
    "calc-chain": CALC_CHAIN,
    "tables": {"xl/tables/table2.xml": _sub(r'name="Montant TTC"', 'name="Montant"')},
    "defined-names": {"xl/workbook.xml": _sub(
        r"</definedNames>", "<definedName name=\"Zone\">'Absente'!$A$1</definedName>"
                            "</definedNames>")},
    "vba": {"xl/vbaProject.bin": lambda d: d[:100] + bytes([d[100] ^ 1]) + d[101:]},
}


@pytest.mark.parametrize("rule", list(BREACHES))
def test_each_rule_catches_its_breach(good, tmp_path, rule):
    path = tmp_path / "Relances.xlsm"
    shutil.copyfile(good, path)
    factures = sheet_part(path, layout.FACTURES)
    rewrite(path, {factures if part == FACTURES else part: change
                   for part, change in BREACHES[rule].items()})
    found = check(path, good)
    assert found, rule
    assert {b.rule for b in found} == {rule}, [str(b) for b in found]


def test_the_rules_list_in_the_docs_is_the_checkers():
    import xlsx_checker

    rules = set(re.findall(r"^  ([a-z-]+) {2,}", xlsx_checker.__doc__, flags=re.M))
    assert rules == set(BREACHES)
    docs = (Path(__file__).parent.parent / "docs" / "robustness.md").read_text()
    assert all(f"`{rule}`" in docs for rule in rules)
