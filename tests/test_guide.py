"""The user guide (docs/guide/): its pictures exist and were made from the current
workbook, templates and sample; what it quotes of the program is what the program says.

The pictures are made by `python docs/guide/make_pictures.py`, which records in
`images/manifest.json` the hash of each picture's inputs and its size. When the
workbook, a template, the sample ledger or the script changes, these tests fail until
the script is run again.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest

from relances_xl import layout
from relances_xl.rules import engine, findings

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
IMAGES = GUIDE / "images"
PAGES = sorted(GUIDE.glob("*.md"))
REDO = "lancez `python docs/guide/make_pictures.py` (après `relances-xl build`) et committez"


def load_script():
    spec = importlib.util.spec_from_file_location("make_pictures", GUIDE / "make_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict[str, object]]:
    return json.loads((IMAGES / "manifest.json").read_text(encoding="utf-8"))


def pictures_named(page: Path) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(images/([^)]+)\.png\)", page.read_text(encoding="utf-8"))


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


# --- the pictures ----------------------------------------------------------------------------


def test_every_picture_a_page_names_exists_and_is_in_the_manifest(manifest):
    named = {name for page in PAGES for name in pictures_named(page)}
    assert len(named) >= 15
    for name in sorted(named):
        assert (IMAGES / f"{name}.png").is_file(), f"{name}.png manque : {REDO}"
        assert name in manifest, f"{name}.png absent du manifeste : {REDO}"


def test_no_picture_is_left_that_no_page_names(manifest):
    named = {name for page in PAGES for name in pictures_named(page)}
    on_disk = {path.stem for path in IMAGES.glob("*.png")}
    assert on_disk == set(manifest), "images et manifeste diffèrent : " + REDO
    assert on_disk <= named, f"images qu'aucune page ne montre : {sorted(on_disk - named)}"


def test_each_picture_was_made_from_the_current_inputs(script, manifest):
    """The committed workbook (which test_build holds equal to the builder's output), the
    templates, the sample ledger and the script: the hashes the script recorded."""
    stale = [name for name, entry in manifest.items()
             if entry["entrées"] != script.digest(list(entry["entrées"]))]
    assert not stale, f"images faites d'entrées anciennes : {stale} ; {REDO}"


def test_the_inputs_of_letters_and_sheets_are_the_ones_they_depend_on(manifest):
    for name, entry in manifest.items():
        inputs = set(entry["entrées"])
        assert {"classeur", "exemple", "script"} <= inputs, name
        if name.startswith(("lettre", "proposition")):
            assert "modeles" in inputs, name


def test_each_picture_has_the_size_the_script_recorded(script, manifest):
    for name, entry in manifest.items():
        assert script.png_size(IMAGES / f"{name}.png") == (entry["largeur"], entry["hauteur"]), \
            f"{name}.png n'a pas la taille enregistrée : {REDO}"


def test_a_changed_template_makes_the_letters_stale(script, manifest, monkeypatch, tmp_path):
    """The check above can fail: a template one byte longer changes the digest the
    letter pictures were recorded with, and only theirs."""
    templates = script.input_files()["modeles"]
    changed = tmp_path / templates[0].name
    changed.write_bytes(templates[0].read_bytes() + b"\0")
    original = script.input_files
    monkeypatch.setattr(script, "input_files",
                        lambda: {**original(), "modeles": [changed, *templates[1:]]})
    stale = {name for name, entry in manifest.items()
             if entry["entrées"] != script.digest(list(entry["entrées"]))}
    assert stale == {name for name, entry in manifest.items() if "modeles" in entry["entrées"]}
    assert "lettre-relance" in stale and "clients" not in stale


def test_png_size_reads_the_header_and_refuses_what_is_not_a_png(script, tmp_path):
    fake = tmp_path / "pas-une-image.png"
    fake.write_bytes(b"GIF89a" + b"\0" * 30)
    with pytest.raises(ValueError, match="n'est pas une image PNG"):
        script.png_size(fake)


# --- what the guide quotes -----------------------------------------------------------------------


def test_the_contents_links_every_page_in_order():
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(([0-9]{2}-[^)]+\.md)\)", index)
    chapters = sorted(p.name for p in GUIDE.glob("[0-9][0-9]-*.md"))
    assert linked == chapters and len(chapters) == 10
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text(encoding="utf-8")):
            assert (GUIDE / target).is_file(), f"{page.name} : lien vers {target}"


def test_every_motif_the_table_can_show_is_explained():
    """The motifs are the one list of texts in the code that the guide must cover: each
    one, its placeholders as "…", is quoted on the Appliquer page."""
    page = (GUIDE / "04-appliquer.md").read_text(encoding="utf-8")
    motifs = [value for module in (engine, findings) for name, value in vars(module).items()
              if name.startswith("MOTIF_") and isinstance(value, str)]
    assert len(motifs) >= 7
    for motif in motifs:
        assert f"`{re.sub(r'{[^}]*}', '…', motif)}`" in page, motif


def source_texts() -> list[str]:
    """Every string literal of the package, an f-string as its literal parts, plus the
    VBA modules' text: where a message the user sees is written."""
    texts = []
    for path in (ROOT / "relances_xl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    for path in (ROOT / "relances_xl" / "excel" / "vba").iterdir():
        texts.append(path.read_text(encoding="utf-8"))
    return texts


def test_every_message_the_guide_quotes_is_one_the_program_says():
    """Page 9's tables quote messages as `text … text`: each part between the "…" (the
    punctuation around it aside) is written, as is, in the code. A message reworded in
    the code fails here until the guide follows."""
    texts = source_texts()
    page = (GUIDE / "09-questions.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    assert len(rows) >= 60
    missing = []
    for row in rows:
        quoted = code_spans(row.split("|")[1])[0]
        for part in (p.strip(" :;,.") for p in quoted.split("…")):
            if len(part) >= 3 and not any(part in text for text in texts):
                missing.append((quoted, part))
    assert not missing, missing


def test_the_fields_of_the_word_page_are_fields_of_the_templates():
    fields_doc = (ROOT / "templates" / "README.md").read_text(encoding="utf-8")
    known = set(re.findall(r"^\| `([a-z_\[\].]+)` \|", fields_doc, re.MULTILINE))
    page = (GUIDE / "08-modeles.md").read_text(encoding="utf-8")
    used = re.findall(r"\{\{ ([a-z_.]+) \}\}", page)
    assert len(set(used)) >= 25
    for field in used:
        name = re.sub(r"^l\.", "lignes[].", field)
        assert name in known, field


def guide_text() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


def test_every_button_and_right_click_entry_is_in_the_guide():
    """A caption renamed in the workbook's layout fails here until the guide says it."""
    text = guide_text()
    for caption in layout.BUTTONS:
        assert f"**{caption}**" in text, caption
    for entry in layout.CONTEXT_MENU:
        assert f"« {entry} »" in text, entry


def test_the_appliquer_page_names_every_filter_and_column_and_the_print_page_every_output():
    appliquer = (GUIDE / "04-appliquer.md").read_text(encoding="utf-8")
    for _, _, label, _ in layout.FILTERS.values():
        assert f"| {label} |" in appliquer, label
    assert f"| {layout.DATE_LABEL} |" in appliquer
    for column in layout.TABLE_COLUMNS:
        assert column.header in appliquer, column.header
    imprimer = (GUIDE / "05-imprimer.md").read_text(encoding="utf-8")
    for _, _, label in layout.OPTIONS.values():
        assert f"| {label} |" in imprimer, label
    for label in layout.SORTIE_LABELS.values():
        assert f"| {label} |" in imprimer, label


def test_every_sheet_a_user_sees_is_in_the_guide():
    text = guide_text()
    hidden = {layout.LISTES, layout.PROPOSITION, layout.XLWINGS_CONF}
    shown = {value for name, value in vars(layout).items() if name.isupper()
             and isinstance(value, str) and name in (
                 "RELANCES", "CLIENTS", "FACTURES", "REGLEMENTS", "HISTORIQUE", "PARAMETRES",
                 "CONTROLES", "IMPORT_FEC", "BALANCE_AGEE", "TABLEAU_DE_BORD")}
    assert len(shown) == 10 and not shown & hidden
    for sheet in shown:
        assert f"**{sheet}**" in text, sheet
