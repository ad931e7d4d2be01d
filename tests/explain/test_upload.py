"""Uploaded files read against a model: every kind of bad input becomes a plain problem, never an exception."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.bundle import Bundle, load_bundle
from explain.upload import Problem, Upload, read_upload
from tests.conftest import write_bundle

TECHNICAL = ("Traceback", "Error", "Exception", "errno", "<class", "line 1,", "dtype", "NaN")


@pytest.fixture(scope="module")
def churn(demo_dir: Path) -> Bundle:
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """A model that cannot take gaps or unseen categories, with an accented category column and a yes/no column."""
    rng = np.random.default_rng(0)
    n = 120
    frame = pd.DataFrame(
        {
            "id": [f"C{i:03d}" for i in range(n)],
            "City": rng.choice(["São Paulo", "München", "€ Zone", "Lyon"], n),
            "Score": rng.integers(0, 100, n),
            "Active": rng.random(n) < 0.5,
        }
    )
    y = (frame["Score"] > 50).astype(int)
    prepare = ColumnTransformer(
        [("num", StandardScaler(), ["Score"]), ("cat", OneHotEncoder(handle_unknown="error"), ["City"])],
        remainder="passthrough",
    )
    model = Pipeline([("prepare", prepare), ("model", LogisticRegression())])
    model.fit(frame[["City", "Score", "Active"]], y)
    root = tmp_path_factory.mktemp("strict")
    folder = write_bundle(root / "strict", model, frame.assign(y=y), {"target": "y", "id_column": "id"})
    return load_bundle(folder, trusted=[root])


def _csv(frame: pd.DataFrame, **kwargs: Any) -> bytes:
    return frame.to_csv(index=False, **kwargs).encode("utf-8")


def _plain(upload: Upload) -> Upload:
    """Every message reads as plain words: no exception names, no tracebacks."""
    for problem in upload.problems:
        assert isinstance(problem, Problem)
        for word in TECHNICAL:
            assert word not in problem.message, problem.message
    for note in upload.notes:
        assert "Traceback" not in note and "Error" not in note, note
    fatal = [p.fatal for p in upload.problems]
    assert fatal == sorted(fatal, reverse=True), "fatal problems come first"
    assert upload.ok == (upload.frame is not None)
    if upload.frame is not None:
        assert len(upload.ids) == len(upload.frame) == len(set(upload.ids))
    return upload


def _fatal(upload: Upload) -> str:
    _plain(upload)
    assert not upload.ok and upload.frame is None
    assert upload.problems[0].fatal
    return upload.problems[0].message


def _only(upload: Upload, column: str | None = None) -> Problem:
    found = [p for p in upload.problems if column is None or p.column == column]
    assert len(found) == 1, upload.problems
    return found[0]


# --- the round trip --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["churn-demo", "churn-demo-linear", "spend-demo"])
def test_reference_data_uploaded_back_predicts_the_same(demo_dir: Path, name: str) -> None:
    bundle = load_bundle(demo_dir / name, trusted=[demo_dir])
    upload = _plain(read_upload(_csv(bundle.data), "customers.csv", bundle))

    assert upload.ok and upload.problems == []
    assert upload.frame is not None
    pd.testing.assert_frame_equal(upload.frame, bundle.X.reset_index(drop=True))
    assert list(upload.frame.dtypes) == list(bundle.X.dtypes)
    assert np.array_equal(bundle.predict(upload.frame), bundle.predict(bundle.X))
    assert upload.ids == bundle.ids
    assert any("missing" in n and "fills" in n for n in upload.notes)  # the demo data has gaps the imputer fills


def test_parquet_is_read_by_magic_bytes_or_by_name(churn: Bundle) -> None:
    buffer = io.BytesIO()
    churn.data.to_parquet(buffer)
    for name in ("customers.parquet", "customers.bin", "customers.csv"):
        upload = _plain(read_upload(buffer.getvalue(), name, churn))
        assert upload.ok and upload.problems == []
        assert upload.frame is not None
        pd.testing.assert_frame_equal(upload.frame, churn.X.reset_index(drop=True))
        assert np.array_equal(churn.predict(upload.frame), churn.predict(churn.X))
        assert upload.ids == churn.ids

    damaged = _fatal(read_upload(b"PAR1 this is not really parquet", "x.parquet", churn))
    assert "Parquet" in damaged and "could not be read" in damaged


def test_parquet_columns_of_other_types_are_converted(churn: Bundle) -> None:
    frame = churn.data.head(6).astype({"SupportCalls": "Int64", "tenure": "float32"})
    frame.loc[[2], "SupportCalls"] = pd.NA
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    upload = _plain(read_upload(buffer.getvalue(), "x.parquet", churn))
    assert upload.ok and upload.problems == [] and upload.frame is not None
    assert list(upload.frame.dtypes) == list(churn.X.dtypes)
    assert np.isnan(upload.frame["SupportCalls"][2])
    assert upload.frame["tenure"].tolist() == churn.X["tenure"].head(6).tolist()


def test_parquet_without_an_id_column_names_rows(churn: Bundle) -> None:
    buffer = io.BytesIO()
    churn.data.drop(columns="customerID").head(3).to_parquet(buffer)
    upload = _plain(read_upload(buffer.getvalue(), "x.parquet", churn))
    assert upload.ids == ["row 1", "row 2", "row 3"]


# --- size and shape --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"])
def test_an_empty_file_is_refused(churn: Bundle, data: bytes) -> None:
    assert _fatal(read_upload(data, "x.csv", churn)) == "The file is empty."


def test_a_header_without_rows_is_refused(churn: Bundle) -> None:
    message = _fatal(read_upload(_csv(churn.data.head(0)), "x.csv", churn))
    assert message == "The file names its columns but has no rows to explain."


def test_one_row_is_enough(churn: Bundle) -> None:
    upload = _plain(read_upload(_csv(churn.data.iloc[[4]]), "x.csv", churn))
    assert upload.ok and upload.frame is not None and len(upload.frame) == 1
    assert upload.ids == [churn.ids[4]]
    assert np.array_equal(churn.predict(upload.frame), churn.predict(churn.X.iloc[[4]]))


def test_more_rows_than_the_cap_are_refused_and_the_limit_said(churn: Bundle) -> None:
    message = _fatal(read_upload(_csv(churn.data.head(11)), "x.csv", churn, max_rows=10))
    assert "more than 10 rows" in message and "the limit is 10" in message
    assert _plain(read_upload(_csv(churn.data.head(10)), "x.csv", churn, max_rows=10)).ok

    buffer = io.BytesIO()
    churn.data.head(11).to_parquet(buffer)
    assert "the limit is 10" in _fatal(read_upload(buffer.getvalue(), "x.parquet", churn, max_rows=10))


def test_a_file_over_the_size_cap_is_refused_and_the_limit_said(churn: Bundle) -> None:
    message = _fatal(read_upload(_csv(churn.data.head(50)), "x.csv", churn, max_bytes=1000))
    assert "the limit is 1,000 bytes" in message
    message = _fatal(read_upload(b"x" * (3 * 2**20), "x.csv", churn, max_bytes=2 * 2**20))
    assert message.startswith("The file is 3 MB; the limit is 2 MB.")


# --- not data --------------------------------------------------------------------------------------------------


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("customers.csv", "tenure,Contract\n1,One year\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "photo.png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "customers.csv"),
        (_zip(), "customers.zip"),
        (_zip(), "customers.xlsx"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.pdf"),
        (b"\x1f\x8b\x08\x00" + bytes(50), "customers.csv.gz"),
        (os.urandom(4096), "noise.csv"),
        (bytes(range(1, 32)) * 40, "controls.csv"),
    ],
)
def test_binary_junk_is_refused(churn: Bundle, data: bytes, name: str) -> None:
    message = _fatal(read_upload(data, name, churn))
    assert "this does not look like a csv or parquet file" in message.lower()


def test_a_workbook_is_told_to_be_saved_as_csv(churn: Bundle) -> None:
    assert "save it as CSV" in _fatal(read_upload(_zip(), "customers.xlsx", churn))


# --- encodings -------------------------------------------------------------------------------------------------


def test_a_utf8_bom_does_not_reach_the_first_column_name(churn: Bundle) -> None:
    with_id_first = b"\xef\xbb\xbf" + _csv(churn.data.head(5))
    upload = _plain(read_upload(with_id_first, "x.csv", churn))
    assert upload.ok and upload.ids == churn.ids[:5]
    assert not any("encod" in n or "Matched" in n or "no customerID" in n for n in upload.notes)

    feature_first = churn.data.head(5)[["tenure", *[c for c in churn.data.columns if c != "tenure"]]]
    upload = _plain(read_upload(b"\xef\xbb\xbf" + _csv(feature_first), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert upload.frame is not None and upload.frame["tenure"].tolist() == churn.X["tenure"].head(5).tolist()


def _cities(strict: Bundle, rows: list[int]) -> pd.DataFrame:
    return strict.data.iloc[rows].drop(columns="y")


def test_utf8_with_accents_needs_no_note(strict: Bundle) -> None:
    frame = _cities(strict, list(range(20)))
    upload = _plain(read_upload(_csv(frame), "x.csv", strict))
    assert upload.ok and upload.problems == [] and upload.notes == []
    assert upload.frame is not None
    assert set(upload.frame["City"]) <= {"São Paulo", "München", "€ Zone", "Lyon"}


def test_windows_1252_is_read_and_said(strict: Bundle) -> None:
    frame = _cities(strict, list(range(20)))
    assert {"São Paulo", "€ Zone"} <= set(frame["City"])
    upload = _plain(read_upload(frame.to_csv(index=False).encode("cp1252"), "x.csv", strict))
    assert upload.ok and upload.problems == []  # "São Paulo" and "€ Zone" are the model's own categories
    assert upload.frame is not None
    pd.testing.assert_frame_equal(upload.frame, strict.X.head(20).reset_index(drop=True))
    assert any("Windows-1252" in n and "not UTF-8" in n for n in upload.notes)


def test_latin_1_is_the_last_resort(strict: Bundle) -> None:
    # 0x81 has no character in Windows-1252, so only Latin-1 decodes this file.
    frame = _cities(strict, [0, 1, 2]).assign(City=["São Paulo", "München", "Lyon"], Remark=["ok", "", "\x81"])
    upload = _plain(read_upload(frame.to_csv(index=False).encode("latin-1"), "x.csv", strict))
    assert upload.ok and upload.problems == []
    assert upload.frame is not None and upload.frame["City"].tolist() == ["São Paulo", "München", "Lyon"]
    assert any("Latin-1" in n for n in upload.notes)


def test_utf16_with_a_bom_is_read(strict: Bundle) -> None:
    frame = _cities(strict, list(range(5)))
    upload = _plain(read_upload(frame.to_csv(index=False, sep="\t").encode("utf-16"), "x.txt", strict))
    assert upload.ok and any("UTF-16" in n for n in upload.notes)
    assert upload.frame is not None and upload.frame["City"].tolist() == frame["City"].tolist()


# --- delimiters and lines --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters_are_found(churn: Bundle, sep: str) -> None:
    upload = _plain(read_upload(_csv(churn.data.head(30), sep=sep), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert upload.frame is not None
    pd.testing.assert_frame_equal(upload.frame, churn.X.head(30).reset_index(drop=True))


def test_excel_sep_line_and_a_single_semicolon_row(churn: Bundle) -> None:
    for sep in (";", "\t"):
        text = f"sep={sep}\r\n" + churn.data.head(3).to_csv(index=False, sep=sep)
        upload = _plain(read_upload(text.encode(), "x.csv", churn))
        assert upload.ok and upload.ids == churn.ids[:3]
    one = _plain(read_upload(_csv(churn.data.head(1), sep=";"), "x.csv", churn))
    assert one.ok and one.ids == churn.ids[:1]


def test_the_header_decides_when_values_hold_another_delimiter(churn: Bundle) -> None:
    frame = churn.data.head(10).copy()
    frame["Note"] = "a;b;c;d;e;f;g;h;i;j;k"  # every line has more semicolons than commas
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert upload.frame is not None and len(upload.frame) == 10


def test_ragged_lines_are_named_and_left_out(churn: Bundle) -> None:
    lines = churn.data.head(8).to_csv(index=False).splitlines()
    lines[3] += ",surplus"  # line 4
    lines[6] = ",".join(lines[6].split(",")[:-3])  # line 7
    upload = _plain(read_upload("\n".join(lines).encode(), "x.csv", churn))
    assert upload.ok and upload.frame is not None and len(upload.frame) == 6
    many = next(p for p in upload.problems if "more values" in p.message)
    few = next(p for p in upload.problems if "fewer values" in p.message)
    assert many.rows == (4,) and many.message.startswith("Line 4 has more values")
    assert few.rows == (7,) and few.message.startswith("Line 7 has fewer values")
    assert not many.fatal and not few.fatal
    assert "Explaining 6 of 8 rows" in " ".join(upload.notes)
    assert churn.ids[2] not in upload.ids and churn.ids[5] not in upload.ids


def test_line_numbers_count_blank_lines_and_values_spanning_lines(churn: Bundle) -> None:
    frame = churn.data.head(4).copy()
    frame["Note"] = ["one", "two\nlines", "three", "four"]
    text = frame.to_csv(index=False).replace("\n", "\n\n", 1)  # a blank line 2: data starts on line 3
    lines = text.split("\n")
    text = "\n".join(lines[:-2] + [lines[-2] + ",surplus", ""])
    upload = _plain(read_upload(text.encode(), "x.csv", churn))
    # header 1, blank 2, rows on 3, 4-5 (two lines), 6 and 7
    assert _only(upload).rows == (7,)
    assert upload.ids == churn.ids[:3]


def test_every_row_ragged_is_fatal_and_fatal_comes_first(churn: Bundle) -> None:
    lines = churn.data.head(3).to_csv(index=False).splitlines()
    text = "\n".join([lines[0]] + [line + ",x" for line in lines[1:]])
    upload = read_upload(text.encode(), "x.csv", churn)
    assert "No rows are left" in _fatal(upload)
    assert not upload.problems[1].fatal and upload.problems[1].rows == (2, 3, 4)


def test_a_quote_never_closed_names_its_line(churn: Bundle) -> None:
    lines = churn.data.head(5).to_csv(index=False).splitlines()
    lines[2] = lines[2].replace(",", ',"', 1)
    upload = _plain(read_upload("\n".join(lines).encode(), "x.csv", churn))
    assert 3 in _only(upload).rows
    assert upload.ids == churn.ids[:1]


# --- columns ---------------------------------------------------------------------------------------------------


def test_missing_columns_are_named_and_fatal(churn: Bundle) -> None:
    frame = churn.data.head(5).drop(columns=["MonthlyCharges", "SupportCalls"])
    message = _fatal(read_upload(_csv(frame), "x.csv", churn))
    assert message == "The file lacks 2 columns the model needs: MonthlyCharges, SupportCalls."

    renamed = churn.data.head(5).rename(columns={"MonthlyCharges": "Monthly_Charges"})
    upload = read_upload(_csv(renamed), "x.csv", churn)
    assert _fatal(upload) == "The file lacks a column the model needs: MonthlyCharges (the file has 'Monthly_Charges')."
    assert upload.problems[0].column == "MonthlyCharges"


def test_a_file_without_a_header_is_told_what_the_first_line_must_be(churn: Bundle) -> None:
    text = churn.data.head(5).to_csv(index=False, header=False)
    message = _fatal(read_upload(text.encode(), "x.csv", churn))
    assert message.startswith("None of the columns the model needs are in the file. Its first line must name them")
    assert "tenure, Contract" in message


def test_extra_columns_are_dropped_and_said(churn: Bundle) -> None:
    frame = churn.data.head(5).assign(Region="North", Notes="x")
    frame.insert(0, "", range(5))  # an index column pandas wrote without a name
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert "Dropped 3 columns the model does not use: (a column with no name), Region, Notes." in upload.notes
    assert "The file's Churn column was not used: it is what the model predicts." in upload.notes


def test_columns_in_another_order_are_reordered_silently(churn: Bundle) -> None:
    frame = churn.data.head(20).drop(columns="Churn")
    frame = frame[list(reversed(frame.columns))]
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert all(n.startswith("1 value is missing") for n in upload.notes)  # nothing said about the order
    assert upload.frame is not None and list(upload.frame.columns) == churn.features
    assert np.array_equal(churn.predict(upload.frame), churn.predict(churn.X.head(20)))


def test_names_differing_in_case_or_spaces_are_matched_and_said(churn: Bundle) -> None:
    frame = churn.data.head(5).drop(columns="Churn").rename(columns={"tenure": " Tenure ", "Contract": "contract"})
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert upload.notes == ["Matched 2 columns whose names differ only in capitals or spaces: 'Tenure' as tenure, "
                            "'contract' as Contract."]  # fmt: skip
    assert upload.frame is not None
    pd.testing.assert_frame_equal(upload.frame, churn.X.head(5).reset_index(drop=True))


def test_a_column_named_twice_is_fatal(churn: Bundle) -> None:
    text = churn.data.head(3).to_csv(index=False).replace("Contract", "tenure", 1)
    assert _fatal(read_upload(text.encode(), "x.csv", churn)) == "The file has 2 columns named 'tenure'; keep only one."


# --- values ----------------------------------------------------------------------------------------------------


def test_text_in_a_number_column_names_the_column_and_lines_and_leaves_the_rows_out(churn: Bundle) -> None:
    frame = churn.data.head(20).copy()
    frame["MonthlyCharges"] = frame["MonthlyCharges"].astype(object)
    bad = [1, 3, 5, 7, 9, 11, 13]
    frame.loc[bad, "MonthlyCharges"] = ["abc", "12 dollars", "abc", "abc", "abc", "abc", "abc"]
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    problem = _only(upload, "MonthlyCharges")
    assert problem.message == (
        "MonthlyCharges should hold numbers, but 7 rows hold other text, such as 'abc', '12 dollars' "
        "(lines 3, 5, 7, 9, 11 and 2 more); those rows were left out."
    )
    assert problem.rows == tuple(i + 2 for i in bad) and not problem.fatal
    good = [i for i in range(20) if i not in bad]
    assert upload.ids == [churn.ids[i] for i in good]
    assert upload.frame is not None
    assert np.array_equal(churn.predict(upload.frame), churn.predict(churn.X.iloc[good]))


def test_decimal_commas_in_a_semicolon_file_are_read(churn: Bundle) -> None:
    text = churn.data.head(10).to_csv(index=False, sep=";", decimal=",")
    upload = _plain(read_upload(text.encode(), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert any("MonthlyCharges uses decimal commas" in n for n in upload.notes)
    assert upload.frame is not None
    pd.testing.assert_frame_equal(upload.frame, churn.X.head(10).reset_index(drop=True))


@pytest.mark.parametrize("token", ["", "NaN", "nan", "NA", "N/A", "null", "NULL", "-", "  "])
def test_missing_value_tokens_become_gaps_the_model_fills(churn: Bundle, token: str) -> None:
    frame = churn.data.head(10).astype({"MonthlyCharges": object, "Contract": object})
    frame.loc[[2, 4], "MonthlyCharges"] = token
    frame.loc[[6], "Contract"] = token
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.ok and upload.problems == []
    assert upload.frame is not None and len(upload.frame) == 10
    assert upload.frame["MonthlyCharges"].isna().sum() == 2 + churn.X["MonthlyCharges"].head(10).isna().sum()
    assert upload.frame["Contract"].isna().tolist() == [i == 6 for i in range(10)]
    assert any(n.startswith(f"{int(upload.frame.isna().sum().sum())} values are missing") for n in upload.notes)
    assert np.all(np.isfinite(churn.predict(upload.frame)))


def test_infinite_numbers_are_named(churn: Bundle) -> None:
    frame = churn.data.head(10).astype({"SupportCalls": object})
    frame.loc[[3, 8], "SupportCalls"] = ["inf", "-inf"]
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    problem = _only(upload, "SupportCalls")
    assert problem.message == (
        "SupportCalls holds an infinite number on lines 5, 10, which the model cannot use; those rows were left out."
    )
    assert problem.rows == (5, 10)
    assert upload.frame is not None and len(upload.frame) == 8


def test_categories_the_model_never_saw_are_named_and_kept(churn: Bundle) -> None:
    frame = churn.data.head(12).copy()
    frame.loc[[0, 1, 2, 3, 4], "Contract"] = ["Weekly", "Daily", "Weekly", "Hourly", "Lifetime"]
    frame.loc[[5], "Contract"] = "month-to-month"  # only the capitals differ: matched, not unknown
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    problem = _only(upload, "Contract")
    assert problem.message == (
        "Contract has 4 values the model never saw: 'Weekly', 'Daily', 'Hourly' and 1 more (lines 2, 3, 4, 5, 6). "
        "The model treats them as unknown, so the explanations of those rows are less sure."
    )
    assert not problem.fatal and problem.rows == (2, 3, 4, 5, 6)
    assert upload.ok and upload.frame is not None and len(upload.frame) == 12
    assert upload.frame["Contract"][5] == "Month-to-month"
    assert any("'month-to-month' as 'Month-to-month'" in n for n in upload.notes)
    assert upload.frame["Contract"].dtype == churn.X["Contract"].dtype
    assert len(churn.predict(upload.frame)) == 12


def test_a_model_without_an_imputer_leaves_rows_with_gaps_out(strict: Bundle) -> None:
    frame = _cities(strict, list(range(10))).astype({"Score": object})
    frame.loc[[1, 4], "Score"] = ["", "NA"]
    upload = _plain(read_upload(_csv(frame), "x.csv", strict))
    problem = _only(upload)
    assert (
        problem.message == "The model cannot work with missing values, so 2 rows with a gap (lines 3, 6) were left out."
    )
    assert upload.frame is not None and len(upload.frame) == 8
    assert not any("missing" in n for n in upload.notes if "values are missing" in n)
    assert upload.frame["Score"].dtype == strict.X["Score"].dtype  # whole numbers again once the gaps are gone


def test_a_model_that_refuses_unseen_categories_leaves_those_rows_out(strict: Bundle) -> None:
    frame = _cities(strict, list(range(6)))
    frame.loc[[2], "City"] = "Atlantis"
    upload = _plain(read_upload(_csv(frame), "x.csv", strict))
    problem = _only(upload, "City")
    assert problem.message == (
        "City has 1 value the model never saw: 'Atlantis' (line 4). The model cannot score values it never saw, "
        "so that row was left out."
    )
    assert upload.ids == [strict.ids[i] for i in (0, 1, 3, 4, 5)]


def test_yes_no_columns_are_read_as_the_model_s_booleans(strict: Bundle) -> None:
    frame = _cities(strict, list(range(6))).astype({"Active": object})
    frame["Active"] = ["yes", "No", "TRUE", "false", "1", "maybe"]
    upload = _plain(read_upload(_csv(frame), "x.csv", strict))
    problem = _only(upload, "Active")
    assert problem.message.startswith("Active should hold yes/no values, but 1 row holds other text, such as 'maybe'")
    assert upload.frame is not None
    assert upload.frame["Active"].dtype == strict.X["Active"].dtype == bool
    assert upload.frame["Active"].tolist() == [True, False, True, False, True]


def test_whole_number_columns_with_fractions_or_gaps_become_floats(churn: Bundle) -> None:
    frame = churn.data.head(5).astype({"tenure": object})
    frame.loc[[0], "tenure"] = "12.5"
    frame.loc[[1], "tenure"] = ""
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.frame is not None and upload.frame["tenure"].dtype == np.float64
    assert upload.frame["tenure"][0] == 12.5 and np.isnan(upload.frame["tenure"][1])
    assert any("tenure holds numbers with decimals (such as 12.5)" in n for n in upload.notes)
    assert len(churn.predict(upload.frame)) == 5

    whole = churn.data.head(5).astype({"tenure": float})  # written as 12.0: still whole numbers
    upload = _plain(read_upload(_csv(whole), "x.csv", churn))
    assert upload.frame is not None and upload.frame["tenure"].dtype == churn.X["tenure"].dtype


def test_a_column_empty_in_every_row_is_a_problem(churn: Bundle) -> None:
    frame = churn.data.head(5).assign(SupportCalls="")
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    problem = _only(upload, "SupportCalls")
    assert problem.message.startswith("SupportCalls is empty in every row") and not problem.fatal
    assert upload.ok


# --- ids -------------------------------------------------------------------------------------------------------


def test_repeated_ids_are_named_and_made_unique(churn: Bundle) -> None:
    frame = churn.data.head(10).copy()
    frame.loc[[5, 6, 7, 8], "customerID"] = [churn.ids[0], churn.ids[1], churn.ids[2], churn.ids[3]]
    frame.loc[[9], "customerID"] = churn.ids[0]
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    problem = _only(upload, "customerID")
    a, b, c = churn.ids[:3]
    assert problem.message == (
        f"The customerID column repeats 4 ids: '{a}', '{b}', '{c}' and 1 more (lines 7, 8, 9, 10, 11). "
        f"Every row is kept; a repeat is named like '{a} (line 7)'."
    )
    assert not problem.fatal and upload.ok
    assert upload.ids[:5] == churn.ids[:5]
    assert upload.ids[5] == f"{a} (line 7)" and upload.ids[9] == f"{a} (line 11)"


def test_without_the_id_column_rows_are_named_by_line(churn: Bundle) -> None:
    upload = _plain(read_upload(_csv(churn.data.head(3).drop(columns="customerID")), "x.csv", churn))
    assert upload.ids == ["line 2", "line 3", "line 4"]
    assert any("no customerID column" in n for n in upload.notes)


def test_blank_ids_are_named_by_line(churn: Bundle) -> None:
    frame = churn.data.head(4).copy()
    frame.loc[[2], "customerID"] = " "
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    assert upload.ids == [*churn.ids[:2], "line 4", churn.ids[3]]
    assert "1 row has no customerID; it is named by line (line 4)." in upload.notes


def test_ids_keep_their_leading_zeros(churn: Bundle) -> None:
    frame = churn.data.head(2).assign(customerID=["007", "0042"])
    assert _plain(read_upload(_csv(frame), "x.csv", churn)).ids == ["007", "0042"]


# --- hostile text ----------------------------------------------------------------------------------------------


def test_text_from_the_file_is_quoted_as_plain_data(churn: Bundle) -> None:
    frame = churn.data.head(3).copy()
    frame.loc[[0, 1, 2], "Contract"] = ["=cmd|' /C calc'!A0", "<b>bold</b>\nnext\x07line", "x" * 200]
    upload = _plain(read_upload(_csv(frame), "x.csv", churn))
    message = _only(upload, "Contract").message
    assert "'=cmd|' /C calc'!A0'" in message
    assert "'<b>bold</b> next line'" in message  # newline and bell became spaces, tags left as text
    assert "'" + "x" * 39 + "…'" in message and "x" * 41 not in message
    assert upload.frame is not None and upload.frame["Contract"][1] == "<b>bold</b>\nnext\x07line"  # the data itself


@pytest.mark.parametrize(
    "data",
    [
        b",,,,\n,,,\n",
        b"\n\n\n",
        b"tenure\n",
        b'"',
        b'tenure,Contract\n"1,2\n',
        b"a" * 200_000,
        b"a" * 200_000 + b"\n1\n",
        b'a,"' * 30_000,  # csv.Sniffer is slow on this: sniffed from a short sample only
        b'"' + b"a" * 200_000,
        b"PAR1",
        b"\xff\xfe",
        b"\xff\xfe\x00",
        b"sep=",
        b"sep=;\n",
        b'sep="\ntenure\n1\n',
        b"sep=a\ntenure\n1\n",
        "тенюре,Контракт\n1,2\n".encode(),
        b"\r\r\r",
    ],
)
def test_odd_input_never_raises(churn: Bundle, data: bytes, caplog: pytest.LogCaptureFixture) -> None:
    upload = _plain(read_upload(data, "x.csv", churn))
    assert not upload.ok
    assert upload.problems[0].message != "The file could not be read."  # each is foreseen, not the last resort
    assert not caplog.records


def test_an_unexpected_failure_is_one_plain_fatal_problem(churn: Bundle, monkeypatch: pytest.MonkeyPatch) -> None:
    import explain.upload.values as values_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(values_module, "_typed", broken)
    assert _fatal(read_upload(_csv(churn.data.head(2)), "x.csv", churn)) == "The file could not be read."
