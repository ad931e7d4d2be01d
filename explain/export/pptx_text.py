"""Text for the deck's boxes: cleaned for the file, measured, and set at the size (or cut to the length) that fits.

Text is measured with the vendored DejaVu Sans (:func:`explain.export.style.wrap`, in points). It is wider than
Calibri, the deck's font, so the estimate errs on the roomy side. Boxes are in inches, text in points.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from explain.export.style import INK, RGB, wrap

INSET_X, INSET_Y = 0.08, 0.05  # text frame margins, inches
LINE = 1.22  # a line's height as a multiple of the font size (PowerPoint's single spacing)


def clean(text: str) -> str:
    """Text that fits in the deck's XML: NFC-normalised, on one line, control characters as spaces."""
    out = []
    for char in unicodedata.normalize("NFC", str(text)):
        category = unicodedata.category(char)
        if category == "Cc" or category == "Cs" or char in "\u2028\u2029\ufffe\uffff":
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


@dataclass(frozen=True)
class Para:
    """A paragraph to lay out: its text and style; sizes scale with the box's base size."""

    text: str
    scale: float = 1.0  # font size as a multiple of the base size
    bold: bool = False
    color: RGB = INK
    before: float = 0.0  # space above, as a multiple of the base size (ignored for a box's first paragraph)
    bullet: bool = False
    min_size: float = 0.0  # the paragraph's font size never goes below this (small labels stay legible)

    def size(self, base: float) -> float:
        return max(self.min_size, base * self.scale)

    def indent(self, base: float) -> float:
        """The bullet's hanging indent, in points."""
        return self.size(base) * 1.1 if self.bullet else 0.0


def para_height(para: Para, base: float, width: float, *, first: bool) -> float:
    """The height in points of a paragraph wrapped to ``width`` points (an empty one still takes a line)."""
    size = para.size(base)
    lines = max(1, len(wrap(para.text, size, width - para.indent(base), bold=para.bold)))
    return (0.0 if first else para.before * base) + lines * size * LINE


def box_height(paras: Iterable[Para], base: float, width: float) -> float:
    """The height in points of paragraphs in a box whose text is ``width`` points wide."""
    return sum(para_height(p, base, width, first=i == 0) for i, p in enumerate(paras))


def inner(width: float, height: float) -> tuple[float, float]:
    """A box's text area, in points, for its size in inches."""
    return (width - 2 * INSET_X) * 72, (height - 2 * INSET_Y) * 72


def fit(paras: list[Para], width: float, height: float, largest: float, smallest: float) -> float | None:
    """The largest base size (whole or half points) at which the paragraphs fit the box; None if none does."""
    inner_w, inner_h = inner(width, height)
    size = largest
    while size >= smallest:
        if box_height(paras, size, inner_w) <= inner_h:
            return size
        size -= 1.0 if size > 12 else 0.5
    return None


def shorten(paras: list[Para], width: float, height: float, base: float) -> list[Para]:
    """Cut the paragraphs at the end, with "…", until they fit the box at ``base`` (the full text is elsewhere)."""
    inner_w, inner_h = inner(width, height)
    kept: list[Para] = []
    for para in paras:
        if box_height([*kept, para], base, inner_w) <= inner_h:
            kept.append(para)
            continue
        low, high = 0, len(para.text)
        while low < high:  # the most characters that still fit
            middle = (low + high + 1) // 2
            if box_height([*kept, replace(para, text=para.text[:middle] + "…")], base, inner_w) <= inner_h:
                low = middle
            else:
                high = middle - 1
        text = para.text[:low]
        space = text.rfind(" ")
        if space > max(0, low - 25):  # end at a word where one is near
            text = text[:space]
        if text.strip() or not kept:
            kept.append(replace(para, text=text.rstrip() + "…"))
        break
    return kept
