"""Which text encoding a FEC is in, and whether it is text at all. Pure.

The article asks for ISO-8859-15, UTF-8 or the code page the program declares;
real exports come in all of them, and the DOS code pages of old programs too
(CP850, CP437: "é" is the byte 0x82 there, "°" 0xF8). Valid UTF-8 is UTF-8 (a
BOM says so too). Otherwise each 8-bit candidate reads the file's non-ASCII bytes,
and the reading that looks most like French accounting text wins: each character
scores by how often French ledgers write it ("é" far ahead, then "è", "à", "’",
"°"…), a character French never writes ("Æ", box drawing) or a control code
scores against. Only distinct bytes are weighed, counted once, so a guess over a
100 MB file costs one pass of C code. Nothing is ever refused for its bytes: the
caller decodes with errors="replace", and `replaced` counts what became "�".
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass

# candidates in the order a tie goes: the article's ISO-8859-15 first; Windows-1252
# (the same letters, plus quotes and dashes where ISO has control codes) wins by its
# score when those bytes occur
SINGLE_BYTE = ("iso-8859-15", "cp1252", "cp850", "cp437")
LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16",
          "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1252": "Windows-1252",
          "iso-8859-15": "ISO-8859-15", "cp850": "DOS CP850", "cp437": "DOS CP437"}
_WEIGHTS: dict[str, int] = {
    **dict.fromkeys("é", 10), **dict.fromkeys("èà’", 4), **dict.fromkeys("Éêç°€", 2),
    **dict.fromkeys("âîôûùëïüÈÀÇÊÔÎÛœŒ«»–—…²³µ§£·×½ÿ", 1),
}
_UNKNOWN = -2  # a character French text does not write
_CONTROL = -5  # C1 control codes, "�": no text has them
_ASCII = bytes(range(128))
_NOT_TEXT = (
    (b"PK\x03\x04", "une archive ZIP : un classeur Excel (.xlsx, .xlsm), un document Word "
                    "ou un fichier compressé"),
    (b"\xd0\xcf\x11\xe0", "un fichier Office binaire (classeur Excel .xls ou document .doc)"),
    (b"%PDF", "un document PDF"),
)


@dataclass(frozen=True)
class Encoding:
    codec: str  # what Python decodes with
    replaced: int = 0  # bytes that could not be decoded and became "�"

    @property
    def label(self) -> str:
        return LABELS.get(self.codec, self.codec)


def not_text(data: bytes) -> str | None:
    """What the file is when it is no text file ("une archive ZIP…"), else None."""
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            return what
    if b"\x00" in data[:4096] and _utf16_without_bom(data) is None:
        return "un fichier binaire, pas un fichier texte"
    return None


def guess(data: bytes) -> Encoding:
    """The encoding to read `data` with (see the module's docstring)."""
    if data.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Encoding(utf16)
    if _is_utf8(data):
        return Encoding("utf-8")
    counts = Counter(data.translate(None, _ASCII))  # the non-ASCII bytes, by value
    scored = [(_score({bytes([b]).decode(codec, "replace"): n for b, n in counts.items()}),
               -rank, Encoding(codec, _undecodable(counts, codec)))
              for rank, codec in enumerate(SINGLE_BYTE)]
    text = data.decode("utf-8", "replace")
    chars = Counter(re.findall(r"[^\x00-\x7f]", text))
    scored.append((_score(chars), 1, Encoding("utf-8", chars["\ufffd"])))
    return max(scored, key=lambda item: item[:2])[2]


def _score(chars: dict[str, int]) -> int:
    total = 0
    for char, count in chars.items():
        weight = _WEIGHTS.get(char)
        if weight is None:
            weight = _CONTROL if char == "\ufffd" or "\x80" <= char <= "\x9f" else _UNKNOWN
        total += weight * count
    return total


def _undecodable(counts: Counter[int], codec: str) -> int:
    return sum(n for b, n in counts.items() if bytes([b]).decode(codec, "replace") == "\ufffd")


def _is_utf8(data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view, chunk = memoryview(data), 1 << 20
    try:
        for start in range(0, len(data), chunk):  # chunk by chunk: no copy of the whole text
            decoder.decode(view[start:start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without its BOM: ASCII text then has a zero byte in every other place."""
    head = data[:512]
    if len(head) < 8 or head.count(0) < len(head) // 3:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.9 * len(head[1::2]) and even == 0:
        return "utf-16-le"
    if even > 0.9 * len(head[0::2]) and odd == 0:
        return "utf-16-be"
    return None
