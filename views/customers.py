"""Who to act on: every customer ranked by the model, with the value at risk and the main reason; each opens
that customer's story. Filtered, searched and sorted from the link, paged, and downloadable as CSV or Excel."""

import streamlit as st

from explain.errors import PlainsightError
from explain.export.excel import to_xlsx_bytes
from explain.export.table import list_table, table_formats, to_csv_bytes
from explain.words.escape import escape_markdown
from ui import audit, cache, group, links, listing, render
from ui.context import current
from ui.export import file_stem

context = current()
bundle, card = context.view, context.bundle.card
st.title("Who to act on")
if context.group is not None:
    group.banner(context.group)
query = listing.query_from_link()
listing.controls(bundle, query)
try:
    report = cache.customers(bundle, listing.query_from_link(listing.current_page(query)), context.settings)
except PlainsightError as exc:
    st.error(escape_markdown(str(exc)))
    st.stop()

render.sentences([report.intro])
listing.filter_chips(bundle, query, report.filters)
if query.filters:
    st.button(
        escape_markdown(f"Look at just these {card.entities} on every page"),
        key="list_to_group",
        icon=":material/filter_alt:",
        on_click=group.adopt,
        args=(context.group, query.filters),
        help="Every page (the overview, the money, how the model works) then shows this group, beside everyone.",
    )
# Each row is a line that wraps: a table on a wide screen; on a phone the reason moves under the figures.
WIDTHS = (110, 90, 110)  # id, output, value at risk (they fit a phone's line); the main reason takes the rest


def _line(cells: list[str], *, key: str, link: str | None = None) -> None:
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key=key):
        for i, (text, width) in enumerate(zip(cells, [*WIDTHS[: len(cells) - 1], "stretch"], strict=True)):
            if i == 0 and link is not None:
                st.page_link("views/customer.py", label=escape_markdown(text), width=width,
                             query_params=links.carried(customer=link))  # fmt: skip
            else:
                st.markdown(text if link is None else escape_markdown(text), width=width)


_line([f"**{escape_markdown(h)}**" for h in report.columns], key="list_head")
for i, row in enumerate(report.rows):
    values = [row.row_id, row.output_text, *([row.value_at_risk] if row.value_at_risk is not None else []), row.reason]
    _line(values, key=f"list_row_{i}", link=row.row_id)
listing.pages(report.pages, query)
if not report.rows:
    st.info(escape_markdown(f"No {card.entities} match. Take a filter away to see more."))
if report.made is not None:
    render.caption(report.made.plain)


WHO = audit.reader()  # read in the page's run: the file is built later, when its button is pressed


def _download(kind: str) -> bytes:
    table, _ = list_table(bundle, query)
    audit.exported(stem, f".{kind}", user=WHO, model=bundle.name, group=links.get(links.GROUP))
    if kind == "csv":
        return to_csv_bytes(table)
    return to_xlsx_bytes(table, title=f"{card.title}: {report.intro}", formats=table_formats(bundle))


st.subheader("Download this list")
stem = file_stem(bundle.name, "who-to-act-on")
left, right = st.columns(2)
left.download_button("Table (CSV)", data=lambda: _download("csv"), file_name=f"{stem}.csv", mime="text/csv",
                     on_click="ignore", icon=":material/download:", key="list_csv")  # fmt: skip
right.download_button(
    "Excel workbook",
    data=lambda: _download("xlsx"),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
    key="list_xlsx",
)
