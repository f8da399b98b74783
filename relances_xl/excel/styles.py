"""Cell formats of the built workbook, shared by the builder's sheet writers."""

from __future__ import annotations

from collections.abc import Mapping

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from .. import layout

HEADER = {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
           "valign": "vcenter", "align": "center"}
SECTION = {"bold": True, "font_size": 12, "bottom": 1}
INPUT = {"bg_color": "#FFF2CC", "border": 1}
CHECKBOX = {"checkbox": True, "num_format": layout.CHECKBOX_FORMAT, "align": "center"}
MONEY = {"num_format": layout.MONEY_FORMAT}
DATE = {"num_format": layout.DATE_FORMAT}
TEXT = {"num_format": "@"}  # codes stay text: Excel turns "00123" typed or written into 123
NOTE = {"italic": True, "font_color": "#595959"}


class Styles:
    """XlsxWriter formats by their properties, each created once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._made: dict[tuple[tuple[str, object], ...], Format] = {}

    def __call__(self, *parts: Mapping[str, object]) -> Format:
        props: dict[str, object] = {}
        for part in parts:
            props.update(part)
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._book.add_format(props)
        return self._made[key]
