"""The list of customers as the link holds it (filters, search, sort, the top N) and the controls that change it."""

from __future__ import annotations

from urllib.parse import unquote

import streamlit as st

from explain.analyses.selection import OPS, OUTPUT, Filter, ListQuery, is_number
from explain.bundle import Bundle
from explain.bundle.filters import ALL_OPS
from explain.words.escape import escape_label, escape_markdown
from ui import links

PAGE_SIZE = 25
_PAGE_KEY = "list_page"


def encode_filters(filters: tuple[Filter, ...]) -> str | None:
    """Filters as one link value: ``column~op~value`` joined by ``|``."""
    if not filters:
        return None
    return "|".join("~".join(links.escape_part(part) for part in (f.column, f.op, f.value)) for f in filters)


def decode_filters(text: str | None) -> tuple[Filter, ...]:
    """The filters in a link value; a part that does not read as a filter is left out."""
    found = []
    for item in (text or "").split("|"):
        parts = [unquote(p) for p in item.split("~")]
        if len(parts) == 3 and parts[1] in ALL_OPS:
            found.append(Filter(parts[0], parts[1], parts[2]))  # type: ignore[arg-type]
    return tuple(found)


def query_from_link(page: int = 1) -> ListQuery:
    """The list the link asks for."""
    sort = links.get(links.SORT) or ""
    top = links.get(links.TOP)
    return ListQuery(
        filters=decode_filters(links.get(links.WHERE)),
        search=links.get(links.SEARCH) or "",
        sort=sort.lstrip("+-") or OUTPUT,
        descending=not sort.startswith("+"),
        top=int(top) if top is not None and top.isdigit() else None,
        page=page,
        page_size=PAGE_SIZE,
    )


def link_for(query: ListQuery) -> dict[str, str]:
    """The context to open the list with, already filtered (the overview's and the impact page's links)."""
    return links.carried(
        **{
            links.WHERE: encode_filters(query.filters),
            links.TOP: None if query.top is None else str(query.top),
            links.SEARCH: query.search or None,
            links.SORT: None,
        }
    )


def controls(bundle: Bundle, query: ListQuery) -> None:
    """Search by id, sort, and filters on any column (or the output); each change is one change of the link."""
    card, output = bundle.card, bundle.output
    columns = [OUTPUT, *bundle.features]
    names = {OUTPUT: output.label, **{c: card.label(c) for c in bundle.features}}
    left, middle, right = st.columns([2, 2, 1])
    st.session_state["list_search"] = query.search
    left.text_input(
        escape_label(f"Find {card.entities} by id"),
        key="list_search",
        on_change=lambda: links.write(**{links.SEARCH: st.session_state["list_search"].strip() or None}),
        placeholder="Part of an id",
    )
    sorts = [OUTPUT, "id", *bundle.features]
    st.session_state["list_sort"] = query.sort if query.sort in sorts else OUTPUT
    middle.selectbox(
        "Order by",
        sorts,
        key="list_sort",
        format_func=lambda c: "Id" if c == "id" else names[c],
        on_change=lambda: _sort(st.session_state["list_sort"], query.descending),
    )
    st.session_state["list_descending"] = query.descending
    right.toggle(
        "Highest first",
        key="list_descending",
        on_change=lambda: _sort(query.sort, st.session_state["list_descending"]),
    )
    with st.expander("Narrow the list", expanded=bool(query.filters)):
        a, b, c, d = st.columns([2, 1, 2, 1])
        column = a.selectbox("Column", columns, key="filter_column", format_func=names.__getitem__)
        values = bundle.X[column] if column != OUTPUT else None
        numeric = column == OUTPUT or (values is not None and is_number(values))
        ops = [op for op in OPS if numeric or op in ("is", "is not")]
        op = b.selectbox("Is", ops, key="filter_op")
        if numeric:
            value = str(c.number_input("Value", key=f"filter_value_{column}", value=None, placeholder="A number"))
        else:
            assert values is not None
            choices = sorted({str(v) for v in values.dropna().unique()})
            value = str(c.selectbox("Value", choices, key=f"filter_value_{column}"))
        if d.button("Add", key="filter_add", disabled=numeric and value == "None"):
            added = (*query.filters, Filter(column, op, value))  # type: ignore[arg-type]
            links.write(**{links.WHERE: encode_filters(added)})
            st.rerun()


def _sort(column: str, descending: bool) -> None:
    default = column == OUTPUT and descending
    links.write(**{links.SORT: None if default else ("-" if descending else "+") + column})


def _page_key(query: ListQuery) -> str:
    same_list = encode_filters(query.filters), query.search, query.sort, query.descending, query.top
    return f"{_PAGE_KEY}_{abs(hash(same_list))}"


def current_page(query: ListQuery) -> int:
    """The page the reader is on: kept while the list stays the same, the first again when it changes."""
    return int(st.session_state.get(_page_key(query), 1))


def pages(count: int, query: ListQuery) -> None:
    """The page picker, under the list."""
    if count > 1:
        st.pagination(count, key=_page_key(query), default=1)


def filter_chips(bundle: Bundle, query: ListQuery, words: tuple[str, ...]) -> None:
    """Each filter in words, with a button that takes it away; and one that clears them all."""
    if not words and query.top is None and not query.search:
        return
    for i, text in enumerate(words):
        kept = tuple(f for j, f in enumerate(query.filters) if j != i)
        st.button(
            f"{escape_markdown(text)}  ✕",
            key=f"filter_drop_{i}",
            on_click=links.write,
            kwargs={links.WHERE: encode_filters(kept)},
            help="Take this filter away",
        )
    st.button(
        "Show everyone",
        key="filter_clear",
        on_click=links.write,
        kwargs=dict.fromkeys((links.WHERE, links.TOP, links.SEARCH)),
    )
