"""Deck-ready files (PNG, PDF, PPTX) built from the same figures and sentences the pages show.

``slides`` gathers what one customer or the overview says, in the reader's words, into a :class:`Slide`;
``render`` turns Plotly figures into pictures with a warm Kaleido browser; ``png``, ``pdf`` and ``pptx`` lay slides
out as files and return their bytes (the caller saves them or hands them to a download button).
"""
