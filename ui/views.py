"""Reusable views: each takes a library result and a ``key`` prefix and renders it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import workbench as wb
from workbench.charts import format_duration, variant_label


def sidebar_summary(ds_name: str, log: wb.EventLog | None, model: wb.JourneyModel | None) -> None:
    """Dataset name and headline numbers in the sidebar."""
    with st.sidebar:
        st.markdown(f"**Dataset**  \n{ds_name}")
        if log is not None:
            r = log.report
            st.caption(f"{r.rows_loaded:,} events loaded · {r.rows_rejected:,} rejected")
        if model is not None:
            gap = f" ({model.session_gap})" if model.session_gap else ""
            st.caption(
                f"{model.n_journeys:,} journeys · {model.n_customers:,} customers  \n"
                f"journeys split by {model.split_by}{gap}"
            )


def show_row_accounting(report: wb.LoadReport, key: str) -> None:
    """Rows read, loaded and rejected, and the sum that must hold between them."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Rows read", f"{report.rows_read:,}")
    c2.metric("Loaded", f"{report.rows_loaded:,}")
    c3.metric("Rejected", f"{report.rows_rejected:,}")
    st.caption(
        f"rows read = loaded + rejected: {report.rows_read:,} = {report.rows_loaded:,} "
        f"+ {report.rows_rejected:,}"
    )
    lines = [f"**Time format:** {report.time_format.describe()}"]
    if report.dialect.describe():
        lines.append(f"**File:** {report.dialect.describe()}")
    m = report.mapping
    roles = ", ".join(f"{role} ← `{col}`" for role, col in m.role_columns().items() if col)
    lines.append(f"**Columns:** {roles}; {len(m.attributes)} attribute(s) kept")
    st.markdown("  \n".join(lines))
    for note in report.notes:
        st.info(note)


def show_problems(problems: pd.DataFrame, key: str) -> None:
    """The validation report as a table, worst first."""
    if problems.empty:
        st.success("No problems found.")
        return
    counts = problems["severity"].value_counts()
    st.caption(
        " · ".join(
            f"{label}: {counts.get(sev, 0)}"
            for sev, label in (("error", "errors"), ("warning", "warnings"), ("info", "notes"))
        )
    )
    st.dataframe(
        problems,
        hide_index=True,
        width="stretch",
        key=f"{key}_problems",
        column_config={
            "rows": st.column_config.NumberColumn(format="localized"),
            "message": st.column_config.TextColumn(width="large"),
            "fix": st.column_config.TextColumn(width="large"),
        },
    )


def show_rejected(log: wb.EventLog, key: str) -> None:
    """First rejected rows, and a download of all of them."""
    report = log.report
    if not report.rows_rejected:
        return
    st.dataframe(report.rejected, hide_index=True, width="stretch", key=f"{key}_rejected")
    if report.rows_rejected > len(report.rejected):
        st.caption(f"First {len(report.rejected):,} of {report.rows_rejected:,} rejected rows.")
    st.download_button(
        "Download all rejected rows (CSV)",
        log.rejected_rows().to_csv(index=False).encode(),
        file_name="rejected_rows.csv",
        mime="text/csv",
        key=f"{key}_dl",
    )


def edges_table(view: wb.GraphView) -> pd.DataFrame:
    """The edges drawn, with readable times; reconciles with the map and its caption."""
    e = view.edges.copy()
    for col in ("median_seconds", "p90_seconds", "mean_seconds"):
        e[col.replace("_seconds", "")] = e[col].map(format_duration)
    e["shown"] = e["outside_filter"].map({True: "only for the variant", False: "yes"})
    return e[
        [
            "source",
            "target",
            "kind",
            "transitions",
            "customers",
            "median",
            "p90",
            "mean",
            "on_variant",
            "shown",
        ]
    ]


def show_journey_map(view: wb.GraphView, measure: str, rankdir: str, key: str) -> None:
    """The journey map, its caption and the table of what is drawn."""
    st.markdown(f"**{view.caption}**")
    st.graphviz_chart(wb.charts.journey_map_dot(view, measure, rankdir), width="stretch")


def show_variants_table(variants: pd.DataFrame, top: int, key: str) -> None:
    data = variants.head(top).copy()
    data["path"] = [variant_label(list(p), 400) for p in data["path"]]
    data["median duration"] = data["median_duration_seconds"].map(format_duration)
    st.dataframe(
        data[["variant", "path", "journeys", "share", "cumulative_share", "median duration"]],
        hide_index=True,
        width="stretch",
        key=f"{key}_table",
        column_config={
            "share": st.column_config.ProgressColumn(
                "share", format="percent", min_value=0, max_value=1
            ),
            "cumulative_share": st.column_config.NumberColumn("cumulative", format="percent"),
            "path": st.column_config.TextColumn(width="large"),
        },
    )
