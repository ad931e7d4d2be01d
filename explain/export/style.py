"""The one look every export shares: the palette, the fonts, and how a line of text is measured and wrapped.

The PNG picture, the PDF and the PPTX deck take their colours and font files from here, so that a title, a
headline figure or a footer looks the same in all three. The colours have roles:

* ``ACCENT``: titles, headline figures and section headings;
* ``INK``: sentences;
* ``MUTED``: the small print (a figure's label, the footer, the PDF's "(continued)" line);
* ``TILE``: the background of a headline figure's tile; ``RULE``: the line above the PDF's footer;
  ``PAPER``: the page.

The PNG and the PPTX wrap text with :func:`wrap` (pixels at a size in pixels, points at a size in points). The PDF
keeps fpdf2's own measuring, because its lines must be the lines fpdf2 draws.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from PIL import ImageFont

RGB = tuple[int, int, int]  # Pillow and fpdf2 take these as they are; python-pptx as RGBColor(*color)

INK: RGB = (33, 37, 41)  # 212529
MUTED: RGB = (100, 106, 115)  # 646A73
ACCENT: RGB = (31, 78, 121)  # 1F4E79
TILE: RGB = (241, 244, 248)  # F1F4F8
RULE: RGB = (200, 205, 212)  # C8CDD4
PAPER: RGB = (255, 255, 255)

# Text is measured at this size and scaled: sizes in points come in halves, and a large reference keeps the
# rounding of glyph advances out of the measure. With Pillow's Raqm layout (its default where libraqm is found)
# that is what Pillow draws at any size, to a fraction of a pixel; without it Pillow hints the glyphs and a drawn
# line can come out a pixel or two in a hundred wider, which the PNG's margins take.
_REFERENCE_SIZE = 100


def font_path(bold: bool = False) -> Path:
    """The vendored DejaVu Sans TTF (regular or bold); works from a checkout and from an installed package."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(str(resources.files("explain").joinpath("fonts", name)))


@cache
def pillow_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The vendored font at ``size`` pixels, for Pillow to draw or measure with."""
    return ImageFont.truetype(str(font_path(bold)), size)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of a line of text at a font size, in the size's unit (pixels for pixels, points for points)."""
    return float(pillow_font(_REFERENCE_SIZE, bold).getlength(text)) * size / _REFERENCE_SIZE


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap into lines at most ``width`` wide (the size's unit); a word longer than a line is broken.

    Every word is kept, in order; blank text gives no lines. Only a single character wider than the line (which
    cannot be broken) makes a line wider than ``width``.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and text_width(word, size, bold=bold) > width:  # an id, a URL: break it
            cut = max(1, _fitting_prefix(word, size, width, bold))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _fitting_prefix(word: str, size: float, width: float, bold: bool) -> int:
    """How many of the word's first characters fit in ``width``."""
    low, high = 0, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(word[:middle], size, bold=bold) <= width:
            low = middle
        else:
            high = middle - 1
    return low
