"""Your customers: explain rows from a file the reader uploads, checked against what the model expects first.

Only data is uploaded here, never a model. A file with problems is explained as far as it can be, with one plain
message per problem; a file that cannot be used at all leaves the customers already loaded in place.
"""

import hashlib

import streamlit as st

from explain.errors import PlainsightError
from explain.export.table import explanation_table, to_csv_bytes
from explain.upload import read_upload
from explain.words.escape import escape_label, escape_markdown
from ui import audit, cache, render, story
from ui.context import current
from ui.export import file_stem

MAX_MB = 50

context = current()
bundle, card = context.bundle, context.bundle.card
loaded_key = f"upload_loaded_{bundle.name}"
seen_key = f"upload_seen_{bundle.name}"


st.title(escape_markdown(f"Explain your own {card.entities}"))
st.caption(
    escape_markdown(
        f"Upload a CSV or Parquet file with one row per {card.entity} and the columns the model uses "
        f"({', '.join(bundle.features)}). It is checked before anything is predicted, and it stays in this browser "
        "session only."
    )
)
file = st.file_uploader("Data file", type=["csv", "txt", "tsv", "parquet"], key=f"upload_file_{bundle.name}")

if file is not None:
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    if st.session_state.get(seen_key, (None, None))[0] != digest:
        result = read_upload(data, file.name, bundle, max_bytes=MAX_MB * 2**20)
        st.session_state[seen_key] = (digest, result)
        if result.ok:
            st.session_state[loaded_key] = (digest, file.name, result)
    _, checked = st.session_state[seen_key]
    for problem in checked.problems:
        (st.error if problem.fatal else st.warning)(escape_markdown(problem.message))
    if checked.notes:
        render.bullets(checked.notes)
    if not checked.ok and loaded_key in st.session_state:
        earlier = st.session_state[loaded_key][1]
        st.info(escape_markdown(f"Nothing from this file was used; the {card.entities} from {earlier} are still here."))

loaded = st.session_state.get(loaded_key)
if loaded is None:
    st.info(escape_markdown(f"No file yet. The other pages explain the model's own {card.entities}."))
    st.stop()

digest, name, upload = loaded
try:
    explanation = cache.uploaded(bundle, digest, upload)
except PlainsightError as exc:
    st.error(escape_markdown(f"The model could not explain this file: {exc}"))
    st.stop()

st.subheader(escape_markdown(f"{len(explanation):,} {card.entities} from {name}"))
if upload.frame is not None and len(explanation) < len(upload.frame):
    st.caption(
        escape_markdown(
            f"This model needs a slower method, so the first {len(explanation):,} rows of "
            f"{len(upload.frame):,} are explained."
        )
    )
table = explanation_table(explanation, card)
st.dataframe(table, hide_index=True)
who, table_stem = audit.reader(), file_stem(bundle.name, "uploaded", name.rsplit(".", 1)[0])


def _table_file() -> bytes:
    audit.exported(table_stem, ".csv", user=who, model=bundle.name)
    return to_csv_bytes(table)


st.download_button(
    "Download this table (CSV)",
    data=_table_file,
    file_name=f"{table_stem}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)

row_id = st.selectbox(escape_label(f"Look at one {card.entity}"), explanation.row_ids, key=f"upload_pick_{bundle.name}")
report = cache.uploaded_customer(bundle, digest, explanation.row_ids.index(row_id), explanation)
st.subheader(escape_markdown(report.title))
render.sentences(report.headline)
story.why(report, key="upload_waterfall")
story.what_would_change_it(report)
