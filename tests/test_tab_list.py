"""The letters' lists on tab stops (letters/tab_list.py): each column's widest text stays
clear of the next column's, or the rest of the line would jump one column too far.

Measured with the font's widths, no LibreOffice: what the letters print is checked by
test_letter_layout.py (amounts right-aligned at their column's edge).
"""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from relances_xl.letters import tab_list
from relances_xl.letters.page_layout import TEXT_WIDTH_CM
from relances_xl.letters.tab_list import LETTER_LISTS, list_columns

# the widest a column's text may be: a 13-character invoice number, a German date, six
# figures in dollars, three-digit days, a rate with two decimals
WIDEST = {"numero": "FA-2022-00123", "date": "20.06.2022", "echeance": "20.06.2022",
          "du": "20.06.2022", "au": "20.06.2022", "montant": "99 999,99 $US",
          "reste_du": "99 999,99 $US", "interets": "99 999,99 $US",
          "indemnite": "99 999,99 $US", "principal": "99 999,99 $US",
          "jours_retard": "999", "jours": "999", "taux": "12,15 %",
          "libelle": ""}  # the description comes last and wraps under itself


@pytest.mark.parametrize("langue", ["FR", "EN", "DE"])
@pytest.mark.parametrize("name", list(LETTER_LISTS))
def test_no_header_or_widest_value_runs_into_the_next_column(name, langue):
    columns = list_columns(name, langue)
    keys = LETTER_LISTS[name][0]
    assert tab_list.collisions(columns, [title for _, title, _ in columns],
                               tab_list.HEADER_PT, bold=True) == []
    assert tab_list.collisions(columns, [WIDEST[key] for key in keys], tab_list.ROW_PT) == []


def test_the_lists_span_the_text_width_amounts_at_their_right_edge():
    columns = list_columns("invoices_interest", "FR")
    stops = tab_list.stops(columns)
    assert stops[0] == (pytest.approx(tab_list.PAD_CM), False)  # the invoice number
    assert stops[-1] == (pytest.approx(TEXT_WIDTH_CM - tab_list.PAD_CM), True)  # indemnity
    edges = tab_list.edges([width for width, _, _ in columns])
    assert edges[0] == 0 and edges[-1] == pytest.approx(TEXT_WIDTH_CM)


def test_a_text_one_hair_too_wide_collides_and_one_that_fits_does_not():
    """A first column of 2 cm (the list as wide as the text): its text may take 2 cm
    less the gap before the second column's."""
    columns = [(2.0, "", False), (TEXT_WIDTH_CM - 2.0, "", False)]
    room_pt = (2.0 - tab_list.GAP_CM) / 2.54 * 72
    fits = "8" * int(room_pt // stringWidth("8", "Helvetica", 9))
    wide = fits + "8"
    assert stringWidth(wide, "Helvetica", 9) > room_pt >= stringWidth(fits, "Helvetica", 9)
    assert tab_list.collisions(columns, [fits, "x"], 9) == []
    assert tab_list.collisions(columns, [wide, "x"], 9) == [(wide, "x")]
    assert tab_list.collisions(columns, [wide, ""], 9) == []  # nothing after it


def test_a_right_aligned_header_too_wide_for_its_column_is_caught():
    """The table's widths, before the lists had their own: "Tage Verzug" ran into "Offen"."""
    from relances_xl.letters.wording import COLUMNS

    keys = LETTER_LISTS["invoices_interest"][0]
    columns = [(COLUMNS[key][0], COLUMNS[key][1]["DE"], COLUMNS[key][2]) for key in keys]
    found = tab_list.collisions(columns, [title for _, title, _ in columns],
                                tab_list.HEADER_PT, bold=True)
    assert found == [("Offen", "Tage Verzug")]
