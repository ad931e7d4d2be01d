"""Every row's explanation, worked out once per bundle and kept on disk (see :mod:`explain.store`).

The app's overview, ``/model``, the exports and ``plainsight importance`` all read it from here, so a restarted
server or the next CLI run does not work it out again. What is kept is exactly what was worked out: the arrays,
the method and its sample; the rows' raw values and ids come back from the bundle itself.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation, Provenance, Sample
from explain.methods.reasons import _rows, explain_population, population_rows, sample_rows
from explain.methods.registry import Progress
from explain.store import Entry, kept, peek

KIND = "population"


def population_explanation(bundle: Bundle, *, progress: Progress | None = None) -> Explanation:
    """Every row's explanation (a seeded sample of a large bundle's rows, or for a slow method), from the cache
    when it holds it."""
    limit = population_rows()
    if bundle.group_rows is not None:
        # A group's rows are among the whole bundle's: when it explained every one of its rows, the group's are
        # taken from it (the same values, at once), else they are explained (and kept) on their own.
        whole = population_explanation(bundle.whole, progress=progress)
        if whole.provenance.sample is None and len(whole.row_ids) == len(bundle.whole.ids):
            return whole.take(bundle.group_rows)
    return kept(  # type: ignore[no-any-return]
        _kind(bundle, limit),
        bundle.fingerprint,
        lambda: explain_population(bundle, progress=progress, max_rows=limit),
        lambda explanation: _encode(bundle, explanation),
        lambda entry: _decode(bundle, entry),
        what=_what(bundle),
    )


def kept_population_explanation(bundle: Bundle) -> Explanation | None:
    """Every row's explanation when the cache holds it, else None (nothing is worked out)."""
    found: Explanation | None = peek(
        _kind(bundle, population_rows()), bundle.fingerprint, lambda entry: _decode(bundle, entry), what=_what(bundle)
    )
    return found


def _kind(bundle: Bundle, limit: int) -> str:
    """The entry's kind: a bundle with more rows than the limit keeps its sample's entry under that limit."""
    return KIND if len(bundle.X) <= limit else f"{KIND}-{limit}"


def _what(bundle: Bundle) -> str:
    return f"every row's explanation of {bundle.name}"


def _encode(bundle: Bundle, explanation: Explanation) -> Entry:
    provenance = explanation.provenance
    arrays = {"values": explanation.values, "prediction": explanation.prediction}
    if explanation.native_values is not None:
        arrays["native_values"] = explanation.native_values
    if explanation.errors is not None:
        arrays["errors"] = explanation.errors
    if provenance.sample is not None:
        arrays["rows"] = _positions(bundle, explanation)
    header = {
        "base_value": explanation.base_value,
        "native_base": explanation.native_base,
        "features": explanation.feature_names,
        "provenance": {**asdict(provenance), "sample": None},
        "sample": None if provenance.sample is None else asdict(provenance.sample),
    }
    return Entry(arrays, header)


def _positions(bundle: Bundle, explanation: Explanation) -> np.ndarray:
    """The sampled rows' positions: the seeded sample's own when its ids match (looking up each id would build
    the bundle's map of every id, half a second at a million rows, on the first overview), else looked up."""
    sample = explanation.provenance.sample
    assert sample is not None
    rows = sample_rows(sample.of, sample.rows) if sample.of == len(bundle.ids) else None
    if rows is not None and [bundle.ids[i] for i in rows] == explanation.row_ids:
        return rows.astype(int)
    return np.array([bundle.position(i) for i in explanation.row_ids], dtype=int)


def _decode(bundle: Bundle, entry: Entry) -> Explanation:
    header, arrays = entry.header, entry.arrays
    if header["features"] != bundle.features:
        raise ValueError("its columns are not the bundle's")
    rows = arrays.get("rows")
    frame = _rows(bundle, rows, None)
    values, prediction = arrays["values"], arrays["prediction"]
    if values.shape != (len(frame), len(bundle.features)) or prediction.shape != (len(frame),):
        raise ValueError(f"its arrays have shape {values.shape}, not {(len(frame), len(bundle.features))}")
    sample = None if header["sample"] is None else Sample(**header["sample"])
    provenance = Provenance(**{**header["provenance"], "sample": sample})
    return Explanation(
        values=values,
        base_value=float(header["base_value"]),
        prediction=prediction,
        data=frame,
        feature_names=list(bundle.features),
        row_ids=[str(i) for i in frame.index],
        output=bundle.output,
        provenance=provenance,
        native_values=arrays.get("native_values"),
        native_base=None if header["native_base"] is None else float(header["native_base"]),
        errors=arrays.get("errors"),
    )
