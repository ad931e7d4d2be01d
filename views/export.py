"""Export: deck-ready files (a slide picture, a PDF summary, editable PowerPoint) of the overview or customers."""

import streamlit as st

from explain.errors import PlainsightError
from explain.export.files import FORMATS
from explain.export.layout import top_at_risk
from explain.words.escape import escape_label, escape_markdown
from explain.words.outcome import most_likely_words
from ui import audit, drift, group, links
from ui.context import current
from ui.export import LABELS, browser_or_message, build_changes_file, build_file, file_stem
from ui.picker import pick_customer

context = current()
bundle, card = context.view, context.bundle.card
audience = context.settings.audience

st.title("Export for a deck")
st.caption(
    escape_markdown(
        f"Files use the same charts and sentences as the pages, in the {audience}'s words (switch who is reading "
        "in the sidebar), with the assumptions set on the impact page. PDF and PowerPoint hold one page per "
        f"{card.entity}; the picture holds one slide; the table holds a row per {card.entity} with their main reasons "
        "(for What changed, a row per fact with how much it moved)."
    )
)
if context.group is not None:
    group.banner(context.group)
if not browser_or_message():
    st.stop()

most = most_likely_words(card) if bundle.is_classifier else "with the largest values"
choices = ["The overview", f"One {card.entity}", f"The {card.entities} {most}"]
newer = drift.bundle_source(context.bundle)  # the bundle's newer data: What changed can be exported too
if newer is not None:
    choices.append("What changed")
# A reader who arrives with a customer in view (from their page, or What if) exports that customer by default.
chosen = 1 if links.get(links.CUSTOMER) is not None else 0
what = st.radio("What to export", choices, index=chosen, horizontal=True, key="export_what", format_func=escape_label)
positions: list[int] = []
stem = file_stem(bundle.name, "overview")
about = {"group": links.get(links.GROUP)}  # what the file is of, for the audit trail
if what == choices[1]:
    bundle = context.bundle  # one customer's story is the same whatever group is in view
    row_id, position = pick_customer(bundle)
    positions = [position]
    stem = file_stem(bundle.name, card.entity, row_id)
    about = {"customer": row_id}
elif what == choices[2]:
    most = min(50, len(bundle.X))
    n = st.slider(escape_label(f"How many {card.entities}"), 1, most, min(20, len(bundle.X)), key="export_top")
    top = top_at_risk(bundle, n)  # the group's, when there is one; then told as each customer's own story
    positions = [int(bundle.group_rows[i]) for i in top] if bundle.group_rows is not None else top
    bundle = context.bundle
    stem = file_stem(bundle.name, f"top-{n}")
elif what == "What changed":
    assert newer is not None
    bundle = context.bundle  # newer data is compared with everyone the model knows, whatever group is in view
    changes = drift.report_or_stop(bundle, context.settings, newer)
    stem = file_stem(bundle.name, "what-changed")
    about = {}

# The same choices whatever is exported: a list that changed under the reader would shift their pick.
CHOICES = {**LABELS, ".csv": "Table (CSV)"}
suffix = st.radio("Format", list(CHOICES), format_func=CHOICES.get, horizontal=True, key="export_format")
request = (bundle.fingerprint, what, tuple(positions), suffix, context.settings)
one_picture = suffix == ".png" and len(positions) > 1
if one_picture:
    st.info(escape_markdown(f"A picture holds one slide. For several {card.entities}, pick PDF or PowerPoint."))

if st.button("Build the file", type="primary", key="export_build", disabled=one_picture):
    bar = st.progress(0.0, text="Preparing…")
    try:
        if what == "What changed":
            data = build_changes_file(changes, bundle, suffix)
        else:
            data = build_file(
                bundle, context.settings, positions, suffix, lambda done, text: bar.progress(done, text=text)
            )
    except PlainsightError as exc:
        bar.empty()
        st.error(escape_markdown(str(exc)))
    else:
        bar.empty()
        st.session_state["export_file"] = (request, data)
        audit.exported(stem, suffix, model=bundle.name, **about)

built = st.session_state.get("export_file")
if built is not None and built[0] == request:
    data = built[1]
    st.success(escape_markdown(f"Ready: {stem}{suffix} ({len(data) / 1024:,.0f} KB)."))
    st.download_button(
        f"Download {CHOICES[suffix]}",
        data=data,
        file_name=f"{stem}{suffix}",
        mime=FORMATS.get(suffix, "text/csv"),
        key="export_download",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
    )
    if suffix == ".png":
        st.image(data, caption="The slide picture", width="stretch")
