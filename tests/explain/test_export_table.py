"""The CSV table: formulas from data become text, numbers stay numbers, and it reads back as written."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from explain.bundle import load_bundle
from explain.export.table import customers_table, neutralise, to_csv_bytes


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so spreadsheets read accents right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://e","x")'])
def test_text_that_could_start_a_formula_becomes_text(cell):
    assert neutralise(cell) == "'" + cell
    rows = _rows(to_csv_bytes(pd.DataFrame({"name": [cell], "n": [1]})))
    assert rows[1][0] == "'" + cell


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    frame = pd.DataFrame({"=evil header": ["São Paulo", "ok"], "n": [-1.5, 2.0], "k": [-3, 4]})
    rows = _rows(to_csv_bytes(frame))
    assert rows[0] == ["'=evil header", "n", "k"]
    assert rows[1] == ["São Paulo", "-1.5", "-3"] and rows[2] == ["ok", "2.0", "4"]
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
    assert back["n"].tolist() == [-1.5, 2.0] and back["k"].dtype.kind == "i"


def test_a_mixed_column_keeps_its_numbers(tmp_path):
    frame = pd.DataFrame({"v": pd.Series([-5, "-5", "=x"], dtype=object)})
    assert [r[0] for r in _rows(to_csv_bytes(frame))[1:]] == ["-5", "'-5", "'=x"]


def test_the_customers_table_matches_the_explanations(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    table = customers_table(bundle, [0, 1, 2])
    assert list(table.columns[:2]) == ["Customer ID", "Chance to leave (%)"]
    np.testing.assert_allclose(table["Chance to leave (%)"], (bundle.predict(bundle.X.iloc[:3]) * 100).round(2))
    assert table["Customer ID"].tolist() == bundle.ids[:3]
    effects = table[["Reason 1 effect", "Reason 2 effect", "Reason 3 effect"]].abs().to_numpy()
    assert (effects[:, 0] >= effects[:, 1]).all() and (effects[:, 1] >= effects[:, 2]).all()
