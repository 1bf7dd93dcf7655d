"""The Agreements table's name columns share the room the fixed columns leave."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from comp_tracker.tui.widgets.grid_columns import fit, share_room

NAMES = ["employee", "company", "agreement"]


def test_short_names_get_what_they_need_and_the_last_the_rest():
    # 60 cells for two names of 10 and 30: both fit, the 20 left over go to the last.
    assert share_room(["employee", "company"], {"employee": 10, "company": 30}, 60) == {
        "employee": 10,
        "company": 50,
    }


def test_long_names_share_evenly():
    assert share_room(["employee", "company"], {"employee": 90, "company": 90}, 41) == {
        "employee": 21,
        "company": 20,
    }


@given(
    count=st.integers(min_value=1, max_value=3),
    longest=st.lists(st.integers(min_value=0, max_value=120), min_size=3, max_size=3),
    room=st.integers(min_value=0, max_value=300),
)
def test_the_room_is_shared_whole_and_no_name_is_given_more_than_it_needs(count, longest, room):
    columns = NAMES[:count]
    wanted = dict(zip(NAMES, longest, strict=True))
    widths = share_room(columns, wanted, room)
    assert set(widths) == set(columns)
    assert all(w >= 4 for w in widths.values())
    assert sum(widths.values()) == max(room, 4 * count)
    if room < sum(max(4, wanted[c]) for c in columns):  # not every name fits: nothing spare
        assert all(widths[c] <= max(4, wanted[c]) for c in columns)


def test_a_cell_is_cut_with_an_ellipsis_or_padded_to_its_width():
    assert fit("Phillips S. Baker, Jr.", 10) == "Phillips …"
    assert fit("66.00", 8, right=True) == "   66.00"
    assert fit("Müller", 8) == "Müller  "
