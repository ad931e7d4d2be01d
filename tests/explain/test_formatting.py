"""Values in raw units and natural frequencies, and text from data made safe for Markdown and HTML."""

from __future__ import annotations

import math

import pytest

from explain.bundle.card import FeatureInfo
from explain.words.escape import escape_html, escape_markdown
from explain.words.numbers import a_chance, format_chance, format_points, format_value, natural_frequency, round_count


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (36, "months", "36 months"),
        (1, "months", "1 month"),
        (70.5, "$", "$70.50"),
        (1200, "USD", "$1,200"),
        (12.25, "%", "12.25%"),
        (3.0, None, "3"),
        (1234.567, None, "1,234.6"),
        (float("nan"), "months", "not recorded"),
        ("Month-to-month", None, "Month-to-month"),
    ],
)
def test_values_are_shown_in_raw_units(value, unit, text):
    assert format_value(value, FeatureInfo(label="x", unit=unit)) == text


@pytest.mark.parametrize(
    ("chance", "text"),
    [
        # Out of 100 like the percentage beside it: 26% is "about 26 in 100", never "about 3 in 10".
        (0.73, "about 73 in 100"),
        (0.26, "about 26 in 100"),
        (0.04, "about 4 in 100"),
        (0.002, "fewer than 1 in 100"),
        (0.97, "about 97 in 100"),
        (0.996, "almost all"),
        (1.0, "all"),
    ],
)
def test_natural_frequencies(chance, text):
    assert natural_frequency(chance) == text


def test_chances_and_points():
    assert format_chance(0.734) == "73%"
    assert format_chance(0.004) == "under 1%"
    assert format_chance(0.996) == "over 99%"
    assert format_points(18.04) == "+18.0 points"
    assert format_points(-3.26) == "-3.3 points"
    assert format_points(1.0) == "+1.0 point"
    assert round_count(1790) == "about 1,800"
    assert round_count(42) == "42"


def test_markdown_escaping_shows_every_character_as_itself():
    hostile = "*bold* [link](javascript:alert(1)) $x$ <b>hi</b> :red[x] # head"
    escaped = escape_markdown(hostile)
    for token in ["*", "[", "]", "(", ")", "$", "<", ">", ":", "#"]:
        assert f"\\{token}" in escaped
    assert escaped.replace("\\", "") == hostile


def test_html_escaping():
    assert escape_html('<img src=x onerror="alert(1)">') == '&lt;img src=x onerror="alert(1)"&gt;'
    assert escape_html("a" * 80, max_length=10) == "aaaaaaaaa…"
    assert not math.isnan(len(escape_html("")))


@pytest.mark.parametrize(
    ("chance", "text"),
    [(0.73, "a 73% chance"), (0.88, "an 88% chance"), (0.08, "an 8% chance"), (0.11, "an 11% chance"),
     (0.18, "an 18% chance"), (0.81, "an 81% chance"), (0.001, "less than a 1% chance"),
     (0.999, "more than a 99% chance"), (0.5, "a 50% chance")],
)  # fmt: skip
def test_chances_read_with_the_right_article(chance, text):
    assert a_chance(chance) == text
