"""Typography of the letters' fixed wording: what a French reader expects of print.

French puts a non-breaking space before the colon and a narrow one before ; ! ?, and
non-breaking spaces inside « »; every language gets the typographic apostrophe (’).
Only the text between template tags changes: `{{ … }}` and `{% … %}` stay as typed,
so a field or a condition is never altered. Pure, no I/O.
"""

from __future__ import annotations

import re

NBSP, NNBSP = "\u00a0", "\u202f"
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
_FRENCH = (
    (re.compile(r" :"), NBSP + ":"),
    (re.compile(r" ([;!?])"), NNBSP + r"\1"),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
    (re.compile(r"N° "), "N°" + NBSP),
)


def typeset(text: str, langue: str) -> str:
    """`text` with typographic apostrophes and, in French, its non-breaking spaces."""
    parts = _TAG.split(text)
    for index in range(0, len(parts), 2):  # the even parts are outside the tags
        part = parts[index].replace("'", "’")
        if langue == "FR":
            for pattern, replacement in _FRENCH:
                part = pattern.sub(replacement, part)
        parts[index] = part
    return "".join(parts)


def typeset_all(value: object, langue: str) -> object:
    """`typeset` through the strings of nested dicts, lists and tuples."""
    if isinstance(value, str):
        return typeset(value, langue)
    if isinstance(value, dict):
        return {key: typeset_all(item, langue) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(typeset_all(item, langue) for item in value)
    return value
