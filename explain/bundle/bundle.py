"""A loaded model bundle: the fitted model, its reference data and its completed card. Shared and never mutated."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.card import Card
from explain.bundle.filters import Segment
from explain.bundle.grouping import encoded_to_raw
from explain.bundle.output import Output, describe_output
from explain.bundle.structure import ModelParts
from explain.errors import RowNotFoundError
from explain.store import Entry, kept, peek

PREDICT_CHUNK = 100_000  # rows the model scores at once when it scores every row


@dataclass(frozen=True, eq=False)
class Bundle:
    """A loaded model with its reference data and completed card. Shared and never mutated.

    Attributes
    ----------
    name : str
        The bundle's folder name (what ``?model=`` names).
    X : DataFrame of shape (n_rows, n_features)
        The raw columns the model takes, in the model's order.
    ids : list of str
        Each row's id: the card's id column, or the 0-based position when there is none.
    fingerprint : str
        Changes whenever the model, the data or the card file changes; keys every cache.
    """

    name: str
    path: Path
    parts: ModelParts
    data: pd.DataFrame
    X: pd.DataFrame
    ids: list[str]
    card: Card
    fingerprint: str
    notes: tuple[str, ...] = ()  # things the reader should know about the model file (e.g. a version mismatch)
    # A bundle narrowed to a group (:meth:`narrowed`): the group, its rows' positions in the whole bundle, and the
    # whole bundle, which explains them (its reference data, not the group's, is what "typical" means).
    group: Segment | None = None
    group_rows: np.ndarray | None = field(default=None, repr=False)
    everyone: Bundle | None = field(default=None, repr=False)

    @property
    def whole(self) -> Bundle:
        """The bundle with every reference row: itself, unless it is narrowed to a group."""
        return self.everyone if self.everyone is not None else self

    def narrowed(self, group: Segment, positions: np.ndarray) -> Bundle:
        """The same model over the rows at ``positions`` only (a group of customers), sharing the loaded model.

        Everything worked out over "every row" (counts, averages, the list, the money, the quality, what drives
        the model) is then worked out over the group's rows. Explanations are still made by the whole bundle,
        so a reason means the same in a group as outside it: each row's explanation is the one it has among
        everyone, against the same typical customer. The group's outputs are the whole bundle's, taken.
        """
        whole = self.whole
        at = np.asarray(positions, dtype=int)
        if self.group_rows is not None:
            at = self.group_rows[at]
        key = hashlib.sha256(group.key.encode()).hexdigest()[:16]
        other = replace(
            whole,
            data=whole.data.iloc[at].reset_index(drop=True),
            X=whole.X.iloc[at].reset_index(drop=True),
            ids=[whole.ids[i] for i in at],
            fingerprint=f"{whole.fingerprint}|group:{key}",
            group=group,
            group_rows=at,
            everyone=whole,
        )
        outputs = whole.outputs[at]
        outputs.flags.writeable = False
        other.__dict__.update(outputs=outputs, output=whole.output)  # the cached properties, taken not redone
        if "encoded_to_raw" in whole.__dict__:
            other.__dict__["encoded_to_raw"] = whole.encoded_to_raw
        return other

    @property
    def model(self) -> Any:
        return self.parts.model

    @property
    def features(self) -> list[str]:
        return list(self.X.columns)

    @property
    def is_classifier(self) -> bool:
        return self.card.task == "classification"

    @property
    def class_index(self) -> int:
        """The column of ``predict_proba`` that holds the positive outcome."""
        classes = self.parts.classes or []
        return classes.index(self.card.positive_class) if self.is_classifier and classes else 0

    @property
    def outcomes(self) -> list[Any]:
        """The classes a reader can pick to explain (more than two: a multiclass model), else empty."""
        return list(self.card.classes) if self.card.multiclass else []

    def for_outcome(self, outcome: Any) -> Bundle:
        """The same model explaining another class; shares the loaded model and data (never copies them)."""
        card = self.card.for_outcome(outcome)
        if card.positive_class == self.card.positive_class:
            return self
        if self.group is not None:  # the whole bundle's other outcome, narrowed to the same rows
            assert self.group_rows is not None
            return self.whole.for_outcome(outcome).narrowed(self.group, self.group_rows)
        # One bundle per outcome, kept: its outputs and explanations are worked out once, not on every page.
        made: dict[str, Bundle] = self.__dict__.setdefault("_for_outcome", {})
        key = str(card.positive_class)
        if key not in made:
            other = replace(self, card=card, fingerprint=f"{self.fingerprint}:{card.positive_class}")
            for name in ("encoded", "encoded_to_raw"):  # the same for every class: keep the work already done
                if name in self.__dict__:
                    other.__dict__[name] = self.__dict__[name]
            made[key] = other
        return made[key]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {row_id: i for i, row_id in enumerate(self.ids)}

    def position(self, row_id: str | int) -> int:
        """The 0-based position of the row with this id.

        Raises
        ------
        RowNotFoundError
            When no row has that id.
        """
        key = str(row_id).strip()
        if key in self._positions:
            return self._positions[key]
        what = f"{self.card.entity} with id" if self.card.id_column else "row number"
        raise RowNotFoundError(f"There is no {what} '{key}' in {self.name} ({len(self.ids):,} rows).")

    @cached_property
    def _categories(self) -> dict[str, pd.CategoricalDtype]:
        return {c: d for c, d in self.X.dtypes.items() if isinstance(d, pd.CategoricalDtype)}

    def as_model_takes(self, X: pd.DataFrame) -> pd.DataFrame:
        """``X`` with the column types the model reads: a bare model that splits on categories needs them as
        categories (a what-if row, an upload or a CSV holds them as text); any other frame comes back as it is."""
        stray = [c for c, d in self._categories.items() if c in X.columns and X[c].dtype != d]
        if not stray:
            return X
        return X.assign(**{c: pd.Categorical(X[c].astype(object), dtype=self._categories[c]) for c in stray})

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The model's own output: the positive outcome's chance (0-1) for classifiers, else the value."""
        X = self.as_model_takes(X)
        if self.is_classifier:
            return np.asarray(self.model.predict_proba(X), dtype=float)[:, self.class_index]
        return np.asarray(self.model.predict(X), dtype=float).reshape(-1)

    def predict_inputs(self, inputs: Any, X: pd.DataFrame) -> np.ndarray:
        """As :meth:`predict` for ``X``, from the estimator's own input for it (``parts.inputs(X)``), which an
        explanation has made already: a pipeline's preprocessing then runs once, not twice (a second of every
        eight on a large batch). A bare model is asked with ``X`` itself."""
        if self.parts.preprocessor is None:
            return self.predict(X)
        estimator = self.parts.estimator
        if self.is_classifier:
            return np.asarray(estimator.predict_proba(inputs), dtype=float)[:, self.class_index]
        return np.asarray(estimator.predict(inputs), dtype=float).reshape(-1)

    @cached_property
    def outputs(self) -> np.ndarray:
        """The model's output for every reference row (as :meth:`predict`), worked out once (kept on disk: see
        :mod:`explain.store`) and read-only."""
        out = kept(
            "outputs",
            self.fingerprint,
            self._predict_every_row,
            lambda values: Entry({"outputs": values}, {}),
            self._read_outputs,
            what=f"the model's output for every row of {self.name}",
        )
        out.flags.writeable = False
        return out  # type: ignore[no-any-return]

    def read_kept_outputs(self) -> bool:
        """Read :attr:`outputs` from the cache when it holds them (a restart), without working them out;
        whether it did."""
        if "outputs" in self.__dict__:
            return True
        found = peek("outputs", self.fingerprint, self._read_outputs, what=f"the outputs of {self.name}")
        if found is None:
            return False
        found.flags.writeable = False
        self.__dict__["outputs"] = found  # what the cached property would have kept
        return True

    def _predict_every_row(self) -> np.ndarray:
        """:meth:`predict` on every reference row, in chunks: a million rows at once held 600 MB more while the
        preprocessing ran, and took no less time."""
        X = self.X
        if len(X) <= PREDICT_CHUNK:
            return self.predict(X)
        return np.concatenate([self.predict(X.iloc[i : i + PREDICT_CHUNK]) for i in range(0, len(X), PREDICT_CHUNK)])

    def _read_outputs(self, entry: Entry) -> np.ndarray:
        values = np.asarray(entry.arrays["outputs"], dtype=float)
        if values.shape != (len(self.X),):
            raise ValueError(f"it holds {values.shape} outputs for {len(self.X)} rows")
        return values

    @cached_property
    def output(self) -> Output:
        """What the model predicts, in the card's words, with its unit, scale and rounding (one per outcome)."""
        return describe_output(self.card, self.outputs)

    @cached_property
    def encoded(self) -> np.ndarray:
        """The reference data as the estimator sees it, shape (n_rows, n_encoded)."""
        return self.parts.transform(self.X)

    @cached_property
    def encoded_to_raw(self) -> np.ndarray | None:
        """The (n_raw, n_encoded) 0/1 map from encoded to raw columns, or None if it cannot be derived."""
        if self.parts.preprocessor is None:
            # A bare estimator takes the raw columns themselves (categories included, which it may read natively).
            return np.eye(len(self.features))
        # The encoded width is fixed when the preprocessing is fitted: a few rows tell it (encoding every row to
        # learn it took 9 s and a gigabyte at a million rows).
        width = self.encoded.shape[1] if "encoded" in self.__dict__ else self.parts.transform(self.X.iloc[:5]).shape[1]
        return encoded_to_raw(self.parts.preprocessor, self.features, width)
