"""Word files without the styles nobody uses: the same letters, half the work.

python-docx starts every document from a default holding some 350 KB of styles and
a 440 KB `stylesWithEffects.xml`; LibreOffice parses all of it for each letter.
Keeping only the styles the document refers to (and those they build on), as Word
itself does when it saves, gives pixel-identical PDFs in about half the time
(see bench/letters.py).
"""

from __future__ import annotations

import re

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
_USED = re.compile(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"')


def lean_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts of a .docx (name -> bytes) with unused styles and heavy extras dropped."""
    parts = dict(parts)
    styles = etree.fromstring(parts["word/styles.xml"])
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    shown = [name for name in parts if name == "word/document.xml"
             or name.startswith(("word/header", "word/footer"))]
    wanted = {style for name in shown for style in _USED.findall(parts[name].decode())}
    wanted |= {i for i, s in by_id.items() if s.get(f"{W}default") == "1"}
    kept: set[str] = set()
    while wanted - kept:
        style_id = (wanted - kept).pop()
        kept.add(style_id)
        if style_id in by_id:
            for link in by_id[style_id].iter(f"{W}basedOn", f"{W}link", f"{W}next"):
                wanted.add(link.get(f"{W}val"))
    for style_id, style in by_id.items():
        if style_id not in kept:
            styles.remove(style)
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
    for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
        if name not in parts:
            continue
        text = parts[name].decode()
        for dropped in DROPPED_PARTS:
            base = re.escape(dropped.rsplit("/", 1)[-1])
            text = re.sub(rf'<[^<>]*"[^"<>]*{base}"[^<>]*/>', "", text)  # its rel or override
        parts[name] = text.encode()
    return {name: data for name, data in parts.items() if name not in DROPPED_PARTS}
