"""Text to the model's types: numbers, yes/no values and categories checked and cast like ``bundle.X``; gaps; ids."""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle import Bundle
from explain.upload.findings import Problem, Upload, _ordered, _Refused, _Report
from explain.upload.phrasing import _clean, _count, _lines, _listed, _quoted, _those
from explain.upload.reading import _Table

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "-"})
_TRIAL_ROWS = 50
_BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False, "t": True, "f": False,
               "1": True, "0": False, "1.0": True, "0.0": False}  # fmt: skip
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _typed(table: _Table, bundle: Bundle, report: _Report) -> Upload:
    n = len(table.lines)
    word = table.word
    bad = np.zeros(n, dtype=bool)
    gaps = np.zeros((n, len(bundle.features)), dtype=bool)
    unknown_rows = np.zeros(n, dtype=bool)
    unknown_problems: list[tuple[int, str]] = []  # (position in problems, the message's start): reworded if unscorable
    converted: dict[str, tuple[pd.Series, str]] = {}

    for j, column in enumerate(bundle.features):
        reference = bundle.X[column]
        raw = table.columns[column]
        if pd.api.types.is_bool_dtype(reference.dtype):
            values, missing, failed = _booleans(raw)
            kind = "bool"
            what = "yes/no values"
        elif pd.api.types.is_numeric_dtype(reference.dtype):
            values, missing, failed = _numbers(raw, column, report)
            kind = "number"
            what = "numbers"
        else:
            values, missing, unseen = _categories(raw, reference, column, report)
            failed = np.zeros(n, dtype=bool)
            kind = "category"
            if unseen.any():
                shown = pd.unique(np.asarray(values, dtype=object)[unseen])
                rows = table.lines[unseen]
                head = (
                    f"{column} has {_count(len(shown), 'value')} the model never saw: {_quoted(shown)} "
                    f"({_lines(word, rows)})."
                )
                unknown_problems.append((len(report.problems), head))
                report.problems.append(
                    Problem(
                        f"{head} The model treats {'it' if len(shown) == 1 else 'them'} as unknown, so the "
                        f"explanations of {'that row' if len(rows) == 1 else 'those rows'} are less sure.",
                        column=column,
                        rows=tuple(int(r) for r in rows),
                    )
                )
                unknown_rows |= unseen
        if failed.any():
            texts = np.asarray(raw.astype(str).str.strip())[failed]
            if kind == "number":
                as_numbers = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
                infinite = np.isinf(np.asarray(as_numbers, dtype=float))
            else:
                infinite = np.zeros(len(texts), dtype=bool)
            rows = table.lines[failed]
            if infinite.any():
                inf_rows = rows[infinite]
                report.problems.append(
                    Problem(
                        f"{column} holds an infinite number on {_lines(word, inf_rows)}, which the model cannot use; "
                        f"{_those(inf_rows)} left out.",
                        column=column,
                        rows=tuple(int(r) for r in inf_rows),
                    )
                )
            if (~infinite).any():
                text_rows = rows[~infinite]
                report.problems.append(
                    Problem(
                        f"{column} should hold {what}, but {_count(len(text_rows), 'row')} "
                        f"{'holds' if len(text_rows) == 1 else 'hold'} other text, such as "
                        f"{_quoted(pd.unique(texts[~infinite]))} ({_lines(word, text_rows)}); "
                        f"{_those(text_rows)} left out.",
                        column=column,
                        rows=tuple(int(r) for r in text_rows),
                    )
                )
            bad |= failed
        gaps[:, j] = missing
        converted[column] = (values, kind)

    keep = ~bad
    lines = table.lines
    missing_rows = gaps.any(axis=1)

    frame = pd.DataFrame({c: v.reset_index(drop=True) for c, (v, _) in converted.items()})
    # Try the model on a few rows with gaps, and on a few with unseen categories: drop them if it cannot score them.
    if (keep & missing_rows).any():
        trial = _sample(keep & missing_rows & ~unknown_rows) or _sample(keep & missing_rows)
        if not _scores(bundle, _cast(frame.iloc[trial], bundle)):
            rows = lines[keep & missing_rows]
            report.problems.append(
                Problem(
                    f"The model cannot work with missing values, so {_count(len(rows), 'row')} with a gap "
                    f"({_lines(word, rows)}) {'was' if len(rows) == 1 else 'were'} left out.",
                    rows=tuple(int(r) for r in rows),
                )
            )
            keep &= ~missing_rows
    if (keep & unknown_rows).any():
        trial = _sample(keep & unknown_rows)
        if not _scores(bundle, _cast(frame.iloc[trial], bundle)):
            for position, head in unknown_problems:
                old = report.problems[position]
                report.problems[position] = Problem(
                    f"{head} The model cannot score values it never saw, so {_those(old.rows)} left out.",
                    column=old.column,
                    rows=old.rows,
                )
            keep &= ~unknown_rows

    if not keep.any():
        raise _Refused("No rows are left to explain: every row has one of the problems listed.")
    frame = _cast(frame[keep].reset_index(drop=True), bundle)
    lines = lines[keep]
    _note_gaps(frame, gaps[keep], bundle, report)
    _note_fractions(frame, bundle, report)
    if not _scores(bundle, frame.iloc[:5]):
        raise _Refused(
            "The model could not score the rows in this file. Check that each column holds the same kind of values "
            "as the model's own data."
        )
    ids = _ids(table, keep, lines, bundle, report)
    if not keep.all() or table.skipped:
        report.notes.append(
            f"Explaining {int(keep.sum()):,} of {len(keep) + table.skipped:,} rows; the others were left out "
            "because of the problems listed."
        )
    outcome = None if table.outcome is None else table.outcome[keep].reset_index(drop=True)
    return Upload(frame, ids, _ordered(report.problems), report.notes, lines=lines, outcome=outcome)


def _is_missing(texts: pd.Series) -> np.ndarray:
    return np.asarray(texts.str.casefold().isin(MISSING_TOKENS), dtype=bool)


def _texts(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The values as stripped text, and where they are missing (NaN, None, blank or a missing-value token)."""
    codes, uniques = _distinct(raw)
    texts = pd.Series(uniques, dtype=object).astype(str).str.strip()
    missing = _is_missing(texts)
    # Each distinct value is worked on once: a category column of a million rows holds a handful.
    return (
        pd.Series(np.append(texts.to_numpy(dtype=object), "")[codes], dtype=object),
        np.append(missing, True)[codes],
    )


def _distinct(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code and the distinct values; a gap (NaN, None) gets the code one past the last value."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes), np.asarray(uniques, dtype=object)


def _numbers(raw: pd.Series, column: str, report: _Report) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = pd.Series(raw.to_numpy(dtype=float, na_value=np.nan))
        missing = np.asarray(numbers.isna(), dtype=bool)
        failed = np.isinf(np.asarray(numbers))
        return numbers.where(~failed), missing, failed
    codes, uniques = _distinct(raw)
    # Each distinct text is parsed once, then spread back over the rows (a slot past the end for the gaps).
    texts = pd.Series(np.append(uniques, ""), dtype=object).astype(str).str.strip()
    missing = _is_missing(texts).copy()
    missing[-1] = True
    numbers = pd.to_numeric(texts.where(~missing), errors="coerce").astype(float)
    failed = np.asarray(numbers.isna(), dtype=bool) & ~missing
    if failed.any():
        # A semicolon-separated export from a European spreadsheet writes 70,5 for 70.5.
        strange = texts[failed]
        if (
            strange.str.fullmatch(_DECIMAL_COMMA.pattern).all()
            and not texts[~missing].str.contains(".", regex=False).any()
        ):
            numbers = pd.to_numeric(texts.where(~missing).str.replace(",", ".", regex=False), errors="coerce")
            numbers = numbers.astype(float)
            failed = np.asarray(numbers.isna(), dtype=bool) & ~missing
            report.notes.append(
                f"{column} uses decimal commas (such as {_clean(str(strange.iloc[0]))}); they were read as decimal "
                "points."
            )
    failed |= np.isinf(np.asarray(numbers, dtype=float))
    values = np.where(failed, np.nan, np.asarray(numbers, dtype=float))
    return pd.Series(values[codes]), missing[codes], failed[codes]


def _booleans(raw: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    texts, missing = _texts(raw)
    mapped = texts.str.casefold().map(_BOOL_WORDS)
    failed = np.asarray(mapped.isna(), dtype=bool) & ~missing
    return mapped.where(~failed & ~missing), missing, failed


def _categories(
    raw: pd.Series, reference: pd.Series, column: str, report: _Report
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Uploaded values mapped onto the reference's own values; those it never holds stay as text (unseen)."""
    known = pd.unique(reference.dropna())
    exact: dict[str, Any] = {}
    for value in known:
        exact.setdefault(str(value).strip(), value)
    folded: dict[str, list[Any]] = {}
    for text, value in exact.items():
        folded.setdefault(text.casefold(), []).append(value)
    codes, uniques = _distinct(raw)
    distinct = pd.Series(np.append(uniques, ""), dtype=object).astype(str).str.strip()
    distinct.iloc[-1] = ""  # the gaps' slot
    tokens = distinct.str.casefold()
    gap = np.zeros(len(distinct), dtype=bool)
    gap[-1] = True
    distinct_missing = gap | np.array(tokens.isin(MISSING_TOKENS) & ~tokens.isin(folded), dtype=bool)
    missing = distinct_missing[codes]

    lookup: dict[str, Any] = {}
    fixed: list[str] = []
    for text in pd.unique(distinct[~distinct_missing]):
        if text in exact:
            lookup[text] = exact[text]
        elif len(folded.get(text.casefold(), [])) == 1:
            lookup[text] = folded[text.casefold()][0]
            fixed.append(f"'{_clean(text)}' as '{_clean(str(lookup[text]))}'")
    if fixed:
        report.notes.append(
            f"{column}: matched values that differ only in capitals to the model's: {_listed(fixed, 3)}."
        )
    mapped = distinct.map(lookup)
    distinct_unseen = np.asarray(mapped.isna(), dtype=bool) & ~distinct_missing
    shown = np.where(distinct_unseen, distinct.to_numpy(dtype=object), mapped.to_numpy(dtype=object))
    shown[distinct_missing] = np.nan
    return pd.Series(shown[codes], dtype=object), missing, distinct_unseen[codes]


def _cast(frame: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """Each column in ``bundle.X``'s dtype; a whole-number column with gaps or fractions stays float64."""
    out = {}
    for column in bundle.features:
        dtype = bundle.X[column].dtype
        values = frame[column]
        if pd.api.types.is_bool_dtype(dtype):
            out[column] = values.astype(dtype) if values.notna().all() else values.astype(float)
        elif pd.api.types.is_numeric_dtype(dtype):
            numbers = np.asarray(values, dtype=float)
            out[column] = pd.Series(numbers, index=frame.index)
            if pd.api.types.is_integer_dtype(dtype):
                whole = np.isfinite(numbers).all() and bool((numbers == np.round(numbers)).all())
                if whole and bool((np.abs(numbers) < 2**53).all()):
                    out[column] = out[column].astype(dtype)
                elif not isinstance(dtype, np.dtype):  # a nullable integer holds gaps, not fractions
                    try:
                        out[column] = out[column].astype(dtype)
                    except (TypeError, ValueError):
                        pass
            else:
                out[column] = out[column].astype(dtype)
        else:
            try:
                out[column] = values.astype(dtype)
            except (TypeError, ValueError):
                out[column] = values
    return pd.DataFrame(out, index=frame.index)


def _scores(bundle: Bundle, frame: pd.DataFrame) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = bundle.predict(frame)
    except Exception:  # noqa: BLE001 - any failure means "cannot score these rows"; the caller says it plainly
        return False
    return len(scores) == len(frame)


def _sample(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)[:_TRIAL_ROWS]]


def _note_gaps(frame: pd.DataFrame, gaps: np.ndarray, bundle: Bundle, report: _Report) -> None:
    counts = {c: int(gaps[:, j].sum()) for j, c in enumerate(bundle.features) if gaps[:, j].any()}
    if not counts:
        return
    total = sum(counts.values())
    each = ", ".join(f"{c}: {n:,}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    report.notes.append(
        f"{_count(total, 'value')} {'is' if total == 1 else 'are'} missing ({each}); the model fills such gaps the "
        "way it was trained to."
    )
    for column, n in counts.items():
        if n == len(frame) and len(frame) > 1:
            report.problems.append(
                Problem(
                    f"{column} is empty in every row; the model fills it in, so the explanations say nothing real "
                    "about it.",
                    column=column,
                )
            )


def _note_fractions(frame: pd.DataFrame, bundle: Bundle, report: _Report) -> None:
    for column in bundle.features:
        dtype = bundle.X[column].dtype
        if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_integer_dtype(frame[column].dtype):
            numbers = np.asarray(frame[column], dtype=float)
            fractions = numbers[np.isfinite(numbers) & (numbers != np.round(numbers))]
            if len(fractions):
                report.notes.append(
                    f"{column} holds numbers with decimals (such as {fractions[0]:g}), where the model's own data "
                    "holds whole numbers."
                )


def _ids(table: _Table, keep: np.ndarray, lines: np.ndarray, bundle: Bundle, report: _Report) -> list[str]:
    word = table.word
    if table.id_values is None:
        return [f"{word} {n}" for n in lines]
    texts, _ = _texts(table.id_values)
    texts = texts[keep].reset_index(drop=True)
    absent = np.asarray(table.id_values.isna(), dtype=bool)[keep] | np.asarray(texts == "", dtype=bool)
    id_column = bundle.card.id_column
    ids = [f"{word} {n}" if gone else str(t) for t, gone, n in zip(texts, absent, lines, strict=True)]
    if absent.any():
        unnamed = [ids[i] for i in np.flatnonzero(absent)]
        one = len(unnamed) == 1
        report.notes.append(
            f"{_count(len(unnamed), 'row')} {'has' if one else 'have'} no {id_column}; "
            f"{'it is' if one else 'they are'} named by {word} ({_listed(unnamed, 3)})."
        )
    seen: set[str] = set()
    repeated: list[str] = []
    repeat_lines: list[int] = []
    if not pd.Series(ids, dtype=object).duplicated().any():  # the usual case, found without a Python loop
        return ids
    for i, row_id in enumerate(ids):
        if row_id in seen:
            if row_id not in repeated:
                repeated.append(row_id)
            repeat_lines.append(int(lines[i]))
            ids[i] = f"{row_id} ({word} {lines[i]})"
        seen.add(ids[i])
    if repeated:
        example = next(i for i in ids if i.startswith(repeated[0] + " ("))
        report.problems.append(
            Problem(
                f"The {id_column} column repeats {_count(len(repeated), 'id')}: {_quoted(repeated)} "
                f"({_lines(word, repeat_lines)}). Every row is kept; a repeat is named like '{_clean(example)}'.",
                column=id_column,
                rows=tuple(repeat_lines),
            )
        )
    return ids
