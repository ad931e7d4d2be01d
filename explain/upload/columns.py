"""Matching the file's columns to the model's: exact names first, then ignoring capitals and spaces."""

from __future__ import annotations

import difflib

from explain.bundle import Bundle
from explain.upload.findings import _Refused, _Report
from explain.upload.phrasing import _clean, _listed


def _wanted(bundle: Bundle, *, outcome: bool = False) -> list[str]:
    """The model's columns and the id column; with ``outcome``, the card's target too (when it is not one of them)."""
    id_column = bundle.card.id_column
    wanted = bundle.features + ([id_column] if id_column is not None and id_column not in bundle.features else [])
    target = bundle.card.target
    return wanted + ([target] if outcome and target is not None and target not in wanted else [])


def _match_columns(
    names: list[str], wanted: list[str], bundle: Bundle, report: _Report, *, word: str
) -> dict[str, int]:
    """Which of the file's columns holds each wanted column: exact names first, then ignoring capitals and spaces."""
    where: dict[str, int] = {}
    loose: list[str] = []
    for column in wanted:
        exact = [i for i, n in enumerate(names) if n == column]
        folded = [i for i, n in enumerate(names) if _fold(n) == _fold(column)]
        found = exact or folded
        if len(found) > 1:
            raise _Refused(f"The file has {len(found)} columns named '{_clean(column)}'; keep only one.", column=column)
        if found:
            where[column] = found[0]
            if not exact:
                loose.append(f"'{_clean(names[found[0]])}' as {column}")

    missing = [c for c in bundle.features if c not in where]
    if missing and len(missing) == len(bundle.features):
        raise _Refused(
            "None of the columns the model needs are in the file. Its first line must name them: "
            f"{_listed(bundle.features, 8)}."
        )
    if missing:
        unused = [n for i, n in enumerate(names) if i not in where.values() and n]
        shown = []
        for column in missing:
            close = difflib.get_close_matches(column, unused, n=1, cutoff=0.75)
            shown.append(f"{column} (the file has '{_clean(close[0])}')" if close else column)
        noun = "a column" if len(missing) == 1 else f"{len(missing)} columns"
        raise _Refused(
            f"The file lacks {noun} the model needs: {', '.join(shown)}.",
            column=missing[0] if len(missing) == 1 else None,
        )

    if loose:
        noun = "a column whose name differs" if len(loose) == 1 else f"{len(loose)} columns whose names differ"
        report.notes.append(f"Matched {noun} only in capitals or spaces: {_listed(loose, 5)}.")
    target = bundle.card.target
    used = set(where.values())
    rest = [(i, n) for i, n in enumerate(names) if i not in used]
    if target is not None and any(_fold(n) == _fold(target) for _, n in rest):
        rest = [(i, n) for i, n in rest if _fold(n) != _fold(target)]
        report.notes.append(f"The file's {target} column was not used: it is what the model predicts.")
    dropped = [_clean(n) if n else "(a column with no name)" for _, n in rest]
    if dropped:
        noun = "a column" if len(dropped) == 1 else f"{len(dropped)} columns"
        report.notes.append(f"Dropped {noun} the model does not use: {_listed(dropped, 5)}.")
    if bundle.card.id_column is not None and bundle.card.id_column not in where:
        report.notes.append(
            f"The file has no {bundle.card.id_column} column, so each row is named by its {word} in the file "
            f"({word} 2, {word} 3, ...)."
        )
    return where


def _fold(name: str) -> str:
    return name.strip().strip("\ufeff").strip().casefold()
