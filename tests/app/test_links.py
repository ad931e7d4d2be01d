"""The link's own values: what-if changes and list filters survive any text a column or a value can hold."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest

from explain.analyses.selection import Filter
from ui.links import decode_changes, encode_changes
from ui.listing import decode_filters, encode_filters

ODD = ["Two year", "50% off", "a~b", "x|y", "%7C", "Bank transfer (automatic)", "<b>é</b>", "=1+1", "100"]


@pytest.mark.parametrize("value", ODD)
def test_changes_round_trip_through_an_address(value):
    changes = (("Contract", value), (f"col {value}", 3.5))
    # as the browser carries it: encoded once more by the address, decoded once by the server
    carried = parse_qs(urlencode({"try": encode_changes(changes)}))["try"][0]
    assert decode_changes(carried) == {"Contract": value, f"col {value}": "3.5"}


@pytest.mark.parametrize("value", ODD)
def test_filters_round_trip_through_an_address(value):
    filters = (Filter("Contract", "is not", value), Filter(value, "at least", "5"))
    carried = parse_qs(urlencode({"where": encode_filters(filters)}))["where"][0]
    assert decode_filters(carried) == filters


def test_the_link_stays_readable_and_odd_parts_are_left_out():
    assert encode_changes((("Contract", "Two year"),)) == "Contract~Two year"
    assert encode_filters((Filter("tenure", "at most", "12"),)) == "tenure~at most~12"
    assert decode_filters("tenure~at most~12|junk|a~bigger than~3") == (Filter("tenure", "at most", "12"),)
    assert decode_changes("junk|tenure~4") == {"tenure": "4"} and decode_changes(None) == {}
