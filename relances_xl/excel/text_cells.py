"""Text from data written so that Excel keeps it as text.

Excel reads a string written to a cell as if it were typed (over COM, over
AppleScript, and the headless engine does the same, see `headless/typed.py`): a
customer code "00042" becomes 42, a pièce "2022-07" a date, "1E5" 100000, and a FEC
label "=HYPERLINK(...)", a name "=MME X", "-2+3" or "@SUM(A1)" a live formula. Data
from a file or a cell is text: every non-empty string the add-in writes from data
goes with Excel's own mark of text, the leading apostrophe. Excel does not store the
apostrophe (the cell's format gets `quotePrefix`, which LibreOffice honours too), a
read gives the text back unchanged, and the user sees the text as it was.

Every string is marked, not only those that look like numbers, dates or formulas:
what Excel reads as a date or a number depends on the machine's locale ("juil-22",
"1 234,5"), which Python cannot know.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

TEXT_MARK = "'"


def as_text(value: object) -> object:
    """`value`, a non-empty string marked as text; anything else unchanged."""
    if isinstance(value, str) and value:
        return TEXT_MARK + value
    return value


def texts(row: Iterable[object]) -> list[object]:
    """A row of cells with its strings marked as text."""
    return [TEXT_MARK + v if isinstance(v, str) and v else v for v in row]


def text_block(block: Sequence[Iterable[object]]) -> list[list[object]]:
    """Rows of cells with their strings marked as text."""
    return [texts(row) for row in block]
