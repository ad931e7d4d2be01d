"""One entry point for every export format, chosen by the file's extension."""

from __future__ import annotations

import functools
from collections.abc import Callable

from explain.errors import PlainsightError
from explain.export.png import Render, slide_png
from explain.export.slide import Slide

FORMATS = {".png": "image/png", ".pdf": "application/pdf", ".pptx": (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)}  # fmt: skip

Progress = Callable[[float, str], None]


class ExportError(PlainsightError):
    """An export that cannot be made as asked (a format we do not write, several slides in one picture)."""


def export_bytes(slides: list[Slide], suffix: str, render: Render, *, progress: Progress | None = None) -> bytes:
    """The slides as a ``.png`` (exactly one slide), ``.pdf`` or ``.pptx`` file's bytes."""
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"Plainsight writes .png, .pdf or .pptx files, not '{suffix or 'no extension'}'.")
    if not slides:
        raise ExportError("There is nothing to export.")
    if suffix == ".png":
        if len(slides) != 1:
            raise ExportError(
                f"A picture holds one slide, and this export has {len(slides)}; use .pdf or .pptx for several."
            )
        return slide_png(slides[0], render)
    # Documents are zoomed and printed: draw their charts at twice the pixels, laid out at the same size.
    sharp = functools.partial(render, scale=2.0)
    if suffix == ".pdf":
        from explain.export.pdf import pdf_document

        return pdf_document(slides, sharp, progress=progress)
    from explain.export.pptx import pptx_document

    return pptx_document(slides, sharp)
