"""A table of customers as a formatted Excel workbook: a title, bold headings, numbers in their formats, frozen
headings and filters, columns wide enough to read. Text from data stays text: a cell that could start a formula
is written as text, as in the CSV."""

from __future__ import annotations

import io
import numbers

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from explain.export.style import ACCENT, TILE
from explain.export.table import neutralise

MAX_WIDTH = 60


def _hex(color: tuple[int, int, int]) -> str:
    return "".join(f"{c:02X}" for c in color)


def to_xlsx_bytes(
    frame: pd.DataFrame, *, title: str, sheet: str = "Customers", formats: dict[str, str] | None = None
) -> bytes:
    """The table as an .xlsx file's bytes.

    Parameters
    ----------
    frame : DataFrame
        The rows, as the CSV holds them.
    title : str
        A line above the table (the model and what the list holds).
    formats : dict, optional
        Excel number formats by column, like ``{"Chance to leave (%)": '0.0"%"'}``.
    """
    formats = formats or {}
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet[:31]
    page.cell(row=1, column=1, value=str(neutralise(title))).font = Font(bold=True, size=13, color=_hex(ACCENT))
    header_row = 3
    for j, name in enumerate(frame.columns, start=1):
        cell = page.cell(row=header_row, column=j, value=str(neutralise(str(name))))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_hex(TILE))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for j, (name, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            cell = page.cell(row=i, column=j)
            if isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value):
                cell.value = float(value)
                if name in formats:
                    cell.number_format = formats[name]
            elif value is None or (isinstance(value, float) and pd.isna(value)):
                cell.value = None
            else:
                cell.value = str(neutralise(str(value)))
                cell.data_type = "s"  # text from data is never read as a formula
    for j, name in enumerate(frame.columns, start=1):
        longest = max([len(str(name))] + [len(str(v)) for v in frame.iloc[:200, j - 1]])
        page.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(10, longest + 2))
    page.freeze_panes = page.cell(row=header_row + 1, column=2)
    if len(frame):
        page.auto_filter.ref = f"A{header_row}:{get_column_letter(len(frame.columns))}{header_row + len(frame)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
