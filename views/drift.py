"""What changed: newer data against the data the model knows, in plain words, with the analyst's measures.

The newer data is the bundle's own current.parquet or current.csv when it has one; otherwise the reader uploads a
file. It is read through the upload's checks; the report is composed once by the engine (as for the CLI and the
export) and only shown here.
"""

import streamlit as st

from explain.errors import NotAvailable
from explain.export.drift_layout import drift_slide
from explain.figures.explanation import pair_figure
from explain.words.escape import escape_markdown
from ui import drift, render
from ui.context import current
from ui.export import download_buttons, file_stem

context = current()
bundle, card = context.bundle, context.bundle.card  # every row: newer data is compared with all the model knows

st.title("What changed")
if context.group is not None:
    render.caption(f"This page compares all {card.entities}, not only the group you picked.")
source = drift.bundle_source(bundle)
if source is None:
    render.caption(
        f"Compare newer {card.entities} with the {len(bundle.X):,} the model knows. Upload a CSV or Parquet file "
        f"with one row per {card.entity} and the same columns. It stays in this browser session only."
    )
    file = st.file_uploader("Newer data file", type=["csv", "txt", "tsv", "parquet"], key=f"drift_file_{bundle.name}")
    if file is None:
        st.info(
            escape_markdown(
                "There is no newer data to compare yet. Upload a file above, or put a file named current.csv "
                "(or current.parquet) with the same columns beside the model's data file."
            )
        )
        st.stop()
    source = drift.uploaded_source(file.name, file.getvalue())

report = drift.report_or_stop(bundle, context.settings, source)

render.caption(f"Newer data: {report.source}")
render.sentences(report.headline[:1], size="large")
render.sentences(report.headline[1:])
render.metrics(report.facts, columns=4)
if report.warning:
    st.warning(escape_markdown(" ".join(report.warning)))

st.subheader("What changed")
if report.changes:
    render.bullets([sentence for change in report.changes for sentence in change.sentences])
else:
    render.text(f"Nothing about the newer {card.entities} changed enough to matter.")

st.subheader("On average")
render.sentences(report.chance)

st.subheader(escape_markdown(report.drivers_heading))
if report.sample_note:
    render.caption(report.sample_note)
render.chart(render.figure(pair_figure, report.drivers_chart), key="drift_drivers_chart")
render.bullets(report.drivers)

st.subheader("How good the model is on the newer data")
if isinstance(report.quality, NotAvailable):
    render.not_available(report.quality)
else:
    render.sentences(report.quality)

if report.file_notes:
    with st.expander("About the file"):
        render.bullets(report.file_notes)

if context.analyst:
    with st.expander("Analyst detail", expanded=True):
        render.analyst_lines(report.analyst)
        st.dataframe(render.frame(report.table), hide_index=True)
        st.dataframe(render.frame(report.drivers_table), hide_index=True)
        if report.quality_table is not None:
            st.dataframe(render.frame(report.quality_table), hide_index=True)

st.subheader("Export for a deck")
download_buttons(
    lambda: [drift_slide(report, bundle)], file_stem(bundle.name, "what-changed"), key="drift_export", model=bundle.name
)
