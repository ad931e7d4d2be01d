"""Loading bundles: what the card infers, and the plain messages for broken or untrusted bundles."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from explain.bundle import list_bundles, load_bundle, models_dirs
from explain.bundle.card import humanize
from explain.errors import BundleError, CardError, RowNotFoundError, UnsupportedModelError, UntrustedLocationError
from tests.conftest import write_bundle


def _frame(n: int = 50) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"monthly_charges": rng.normal(60, 10, n), "TotalSpend": rng.normal(500, 50, n)})


def _classifier_bundle(folder: Path, card: dict | None = None, **extra: object) -> Path:
    frame = _frame()
    y = (frame["monthly_charges"] > 60).astype(int)
    model = LogisticRegression().fit(frame, y)
    return write_bundle(folder, model, frame.assign(**extra) if extra else frame, card)


def test_a_card_less_bundle_infers_task_labels_and_positive_class(tmp_path):
    bundle = load_bundle(_classifier_bundle(tmp_path / "plain_model"), trusted=[tmp_path])

    card = bundle.card
    assert card.task == "classification"
    assert card.positive_class == 1
    assert card.title == "Plain model"
    assert card.label("monthly_charges") == "Monthly charges"
    assert card.label("TotalSpend") == "Total spend"
    assert bundle.ids[:3] == ["0", "1", "2"]
    assert bundle.position(2) == 2


def test_a_regressor_is_a_regression_task(tmp_path):
    frame = _frame()
    model = LinearRegression().fit(frame[["monthly_charges"]], frame["TotalSpend"])
    bundle = load_bundle(write_bundle(tmp_path / "r", model, frame, {"target": "TotalSpend"}), trusted=[tmp_path])
    assert bundle.card.task == "regression"
    assert bundle.features == ["monthly_charges"]


@pytest.mark.parametrize(
    ("card_text", "message"),
    [
        ("title: [unclosed\n", "not valid YAML on line"),
        ("- just\n- a list\n", "must be a mapping"),
        ("features:\n  nope: {label: Nope}\n", "column 'nope' that the model does not use"),
        ("positive_class: maybe\n", "positive_class 'maybe' is not one of the model's classes (0, 1)"),
        ("task: regression\n", "the model does classification"),
        ("business: {currency: USD}\n", "business needs at least value_per_entity"),
        ("features:\n  monthly_charges: {min: lots}\n", "features.monthly_charges.min must be a number"),
        ("risk_threshold: 5\n", "risk_threshold must be a chance between 0 and 1"),
        ("features:\n  monthly_charges: {cost: -5}\n", "features.monthly_charges.cost must be zero or more"),
        ("features:\n  monthly_charges: {values: [a, b]}\n", "features.monthly_charges.values must map each value"),
    ],
)
def test_broken_cards_get_one_plain_message(tmp_path, card_text, message):
    folder = _classifier_bundle(tmp_path / "b")
    (folder / "card.yaml").write_text(card_text, encoding="utf-8")
    with pytest.raises(CardError) as caught:
        load_bundle(folder, trusted=[tmp_path])
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_parts_are_named(tmp_path):
    folder = _classifier_bundle(tmp_path / "b")
    (folder / "data.csv").unlink()
    with pytest.raises(BundleError, match="has no reference data"):
        load_bundle(folder, trusted=[tmp_path])
    (folder / "model.joblib").unlink()
    with pytest.raises(BundleError, match="The folder b has no model file \\(model.joblib\\)"):
        load_bundle(folder, trusted=[tmp_path])


def test_data_without_a_model_column_names_it(tmp_path):
    folder = _classifier_bundle(tmp_path / "b")
    pd.read_csv(folder / "data.csv").drop(columns="TotalSpend").to_csv(folder / "data.csv", index=False)
    with pytest.raises(BundleError, match="lacks column\\(s\\) the model needs: TotalSpend"):
        load_bundle(folder, trusted=[tmp_path])


def test_duplicate_ids_are_refused(tmp_path):
    folder = _classifier_bundle(tmp_path / "b", {"id_column": "cid"}, cid=["A", "B"] * 25)
    with pytest.raises(BundleError, match="repeats ids"):
        load_bundle(folder, trusted=[tmp_path])


def test_ids_keep_leading_zeros_and_unknown_ids_are_named(tmp_path):
    ids = [f"{i:05d}" for i in range(50)]
    bundle = load_bundle(_classifier_bundle(tmp_path / "b", {"id_column": "cid"}, cid=ids), trusted=[tmp_path])
    assert bundle.position("00007") == 7
    with pytest.raises(RowNotFoundError, match="no case with id 'X9'"):
        bundle.position("X9")


class _Payload:
    """Unpickling this writes a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (Path.write_text, (self.marker, "ran"))


def test_a_pickle_outside_the_trusted_folders_is_never_opened(tmp_path):
    folder = _classifier_bundle(tmp_path / "elsewhere" / "evil")
    marker = tmp_path / "payload-ran"
    (folder / "model.joblib").write_bytes(pickle.dumps(_Payload(marker)))

    with pytest.raises(UntrustedLocationError, match="outside the model folders you configured"):
        load_bundle(folder, trusted=[tmp_path / "models"])
    assert not marker.exists()


def test_a_symlink_out_of_the_trusted_folder_is_not_trusted(tmp_path):
    outside = _classifier_bundle(tmp_path / "outside" / "b")
    trusted = tmp_path / "models"
    trusted.mkdir()
    (trusted / "b").mkdir()
    for f in ("data.csv",):
        (trusted / "b" / f).write_bytes((outside / f).read_bytes())
    os.symlink(outside / "model.joblib", trusted / "b" / "model.joblib")
    with pytest.raises(UntrustedLocationError):
        load_bundle(trusted / "b", trusted=[trusted])


def test_a_model_that_is_not_a_model_is_refused(tmp_path):
    folder = _classifier_bundle(tmp_path / "b")
    joblib.dump({"weights": [1, 2, 3]}, folder / "model.joblib")
    with pytest.raises(UnsupportedModelError, match="holds a dict, which cannot make predictions"):
        load_bundle(folder, trusted=[tmp_path])


def test_list_bundles_and_the_models_dir_setting(tmp_path, monkeypatch):
    _classifier_bundle(tmp_path / "one")
    _classifier_bundle(tmp_path / "two")
    (tmp_path / "not-a-bundle").mkdir()
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    assert models_dirs() == [tmp_path]
    assert list(list_bundles()) == ["one", "two"]


def test_fingerprint_changes_with_the_data(tmp_path):
    folder = _classifier_bundle(tmp_path / "b")
    before = load_bundle(folder, trusted=[tmp_path]).fingerprint
    frame = pd.read_csv(folder / "data.csv")
    frame.iloc[:10].to_csv(folder / "data.csv", index=False)
    assert load_bundle(folder, trusted=[tmp_path]).fingerprint != before


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("tenure", "Tenure"),
        ("MonthlyCharges", "Monthly charges"),
        ("num_support_calls", "Num support calls"),
        ("ID", "ID"),
        ("x", "X"),
    ],
)
def test_humanize(name, label):
    assert humanize(name) == label


def _actionable(tmp_path, card):
    folder = _classifier_bundle(tmp_path / "a", card, Plan=["basic", "premium"] * 25)
    return load_bundle(folder, trusted=[tmp_path]).card


def test_only_columns_marked_actionable_change_when_the_card_marks_any(tmp_path):
    marked = _actionable(tmp_path, {"features": {"monthly_charges": {"actionable": True}}})
    assert [c for c in ("monthly_charges", "TotalSpend") if marked.actionable(c)] == ["monthly_charges"]
    assert marked.names_actionable


def test_with_no_card_every_column_but_those_marked_false_may_change(tmp_path):
    none = load_bundle(_classifier_bundle(tmp_path / "n"), trusted=[tmp_path]).card
    assert none.actionable("monthly_charges") and none.actionable("TotalSpend") and not none.names_actionable
    only_false = _actionable(tmp_path, {"features": {"TotalSpend": {"actionable": False}}})
    assert only_false.actionable("monthly_charges") and not only_false.actionable("TotalSpend")


def test_the_card_gives_costs_and_phrases_for_values(tmp_path):
    frame = _frame().assign(Plan=["basic", "premium"] * 25, Active=[0, 1] * 25, Visits=[0, 1, 2] * 16 + [0, 1])
    model = LogisticRegression().fit(frame[["monthly_charges", "Active", "Visits"]], frame["monthly_charges"] > 60)
    card = {"features": {"monthly_charges": {"cost": 30, "values": {"yes": "a yes", 1: "one"}}}}
    card_ = load_bundle(write_bundle(tmp_path / "c", model, frame, card), trusted=[tmp_path]).card
    info = card_.feature("monthly_charges")
    assert info.cost == 30
    # a value is matched as the text the data holds, whether YAML read it as a number or not
    assert info.phrase("yes") == "a yes" and info.phrase(1) == "one" and info.phrase("1") == "one"
    assert info.phrase("No") is None
    assert card_.feature("Active").binary  # only 0 and 1: a yes/no fact
    assert not card_.feature("Visits").binary and not card_.feature("monthly_charges").binary
