"""Reusable views: each takes a library result and a ``key`` prefix and renders it."""

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import workbench as wb
from workbench.analyses.causes import Fishbone
from workbench.analyses.contacts import Contacts
from workbench.analyses.friction import LABELS, FrictionRanking
from workbench.core.durations import format_duration
from workbench.core.periods import describe_period
from workbench.core.records import rows
from workbench.ingest.report import LoadReport
from workbench.journeys.changes import PeriodComparison
from workbench.journeys.graph import GraphView, SegmentComparison
from workbench.present.charts import friction_weekly_chart, variant_label


def sidebar_summary(ds_name: str, log: wb.EventLog | None, model: wb.JourneyModel | None) -> None:
    """Dataset name and headline numbers in the sidebar."""
    with st.sidebar:
        st.markdown(f"**Dataset**  \n{ds_name}")
        if log is not None:
            r = log.report
            st.caption(f"{r.rows_loaded:,} events loaded · {r.rows_rejected:,} rejected")
        if model is not None:
            gap = f" ({model.session_gap})" if model.session_gap else ""
            kept = "  \nmodel kept in the dataset: it reopens at once" if model.kept_key else ""
            st.caption(
                f"{model.n_journeys:,} journeys · {model.n_customers:,} {model.customer_noun}  \n"
                f"journeys split by {model.split_by}{gap}{kept}"
            )


def show_row_accounting(report: LoadReport, key: str) -> None:
    """Rows read, loaded and rejected, and the sum that must hold between them."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Rows read", f"{report.rows_read:,}")
    c2.metric("Loaded", f"{report.rows_loaded:,}")
    c3.metric("Rejected", f"{report.rows_rejected:,}")
    st.caption(_accounting(report))
    lines = [f"**Time format:** {report.time_format.describe()}"]
    if report.dialect.describe():
        lines.append(f"**File:** {report.dialect.describe()}")
    m = report.mapping
    roles = ", ".join(f"{role} ← `{col}`" for role, col in m.role_columns().items() if col)
    lines.append(f"**Columns:** {roles}; {len(m.attributes)} attribute(s) kept")
    st.markdown("  \n".join(lines))
    for note in report.notes:
        st.info(note)


def _accounting(report: LoadReport) -> str:
    """The sum that must hold between the rows read, loaded, rejected (and set aside)."""
    if report.rows_set_aside:
        return (
            f"rows read = loaded + rejected + set aside: {report.rows_read:,} = "
            f"{report.rows_loaded:,} + {report.rows_rejected:,} + {report.rows_set_aside:,}"
        )
    return (
        f"rows read = loaded + rejected: {report.rows_read:,} = {report.rows_loaded:,} "
        f"+ {report.rows_rejected:,}"
    )


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
    table(
        problems,
        "data_problems",
        f"{key}_problems",
        title="Data-quality problems",
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


def edges_table(view: GraphView) -> pd.DataFrame:
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


def show_journey_map(
    view: GraphView,
    measure: str,
    rankdir: str,
    key: str,
    comparison: SegmentComparison | PeriodComparison | None = None,
) -> None:
    """The journey map (or a segment against the rest, or two periods) and its caption."""
    st.markdown(f"**{view.caption}**")
    dot = wb.charts.journey_map_dot(view, measure, rankdir, comparison)
    graph(dot, wb.charts.map_summary(view, measure, comparison))
    drawn = wb.charts.journey_map_chart(view)  # the same view, for the pinned findings

    def svg() -> bytes:  # the drawing the report holds
        return wb.charts.journey_map_svg(view, rankdir, measure, comparison).encode()

    row = _downloads(
        st,
        key,
        "journey_map",
        [("SVG", "svg", "image/svg+xml", svg), ("DOT", "dot", "text/vnd.graphviz", dot.encode)],
    )
    with row:
        pin("Journey map", key, chart=drawn)


#: Streamlit shrinks a drawn graph to the column and sets all its text to 9.6 px: a wide map
#: read at 4 px. Here the map is drawn at its own size (labels at the sizes the DOT gives,
#: 12-13 px) and scrolls sideways when it is wider than the page.
_GRAPH_STYLE = """<style>
div[data-testid="stGraphVizChart"] { overflow-x: auto; }
div[data-testid="stGraphVizChart"] svg {
  max-width: none !important; width: auto !important; height: auto !important;
  display: block; margin: 0 auto;
}
div[data-testid="stGraphVizChart"] svg text { font-size: revert-layer !important; }
.wb-unseen { position: absolute; width: 1px; height: 1px; overflow: hidden;
             clip-path: inset(50%); white-space: nowrap; }
</style>"""


def graph(dot: str, about: str) -> None:
    """A journey map drawn in the browser, legible at its own size, after its text
    alternative (``about``: what it shows, read by a screen reader where the drawing is):
    the drawing Streamlit makes takes no ``aria-label`` of ours."""
    st.html(
        _GRAPH_STYLE
        + f'<div class="wb-unseen" role="img" aria-label="{html.escape(about, quote=True)}"></div>'
    )
    st.graphviz_chart(dot, width="stretch")


def show_variants_table(variants: pd.DataFrame, top: int, key: str) -> None:
    data = variants.head(top).copy()
    data["path"] = [variant_label(list(p), 400) for p in data["path"]]
    data["median duration"] = data["median_duration_seconds"].map(format_duration)
    table(
        data[["variant", "path", "journeys", "share", "cumulative_share", "median duration"]],
        "variants",
        f"{key}_table",
        title="Journey variants",
        column_config={
            "share": st.column_config.ProgressColumn(
                "share", format="percent", min_value=0, max_value=1
            ),
            "cumulative_share": st.column_config.NumberColumn("cumulative", format="percent"),
            "path": st.column_config.TextColumn(width="large"),
        },
    )


def _concentration_text(value: object) -> str:
    if isinstance(value, dict):
        return (
            f"{value['attribute']} = {value['value']}: {value['rate']:.0%} vs "
            f"{value['rest_rate']:.0%}"
        )
    return ""


def show_friction_table(
    ranking: FrictionRanking, key: str, only: pd.DataFrame | None = None
) -> None:
    """The ranked friction points with their evidence (``only`` some of the ranking's rows)."""
    from workbench.analyses.friction import LABELS

    t = ranking.table if only is None else only
    period = [
        f"{a} → {b if isinstance(b, str) else 'now'}" if isinstance(a, str) else ""
        for a, b in zip(t["active_from"], t["active_to"], strict=True)
    ]
    data = pd.DataFrame(
        {
            "rank": t["rank"],
            "finding": t["finding"],
            "point": t["point"],
            "signal": t["kind"].map(lambda k: LABELS.get(k, k)),
            "segment": t["segment"].fillna(""),
            "score": t["score"],
            "customers": t["customers_affected"],
            "rate": t["rate"],
            "base rate": t["base_rate"],
            "lift": t["lift"],
            "95 % CI": [
                f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            "n": t["units"],
            "period": period,
            "concentrated in": t["concentration"].map(_concentration_text),
        }
    )
    table(
        data,
        "friction",
        f"{key}_table",
        title="Friction ranking",
        column_config={
            "rate": st.column_config.NumberColumn(format="percent"),
            "base rate": st.column_config.NumberColumn(format="percent"),
            "lift": st.column_config.NumberColumn(format="%.1f×"),
            "score": st.column_config.NumberColumn(format="%d"),
        },
    )


def show_signals(row: pd.Series, key: str) -> None:
    """Every significant signal of one friction point, with its base rate and concentration."""
    from workbench.analyses.friction import LABELS

    items = row["signals"] if isinstance(row["signals"], list) else []
    items = [s for s in items if "rate" in s]  # a change lists its parts' moves only
    data = pd.DataFrame(
        [
            {
                "signal": LABELS.get(s["signal"], s["signal"]),
                "rate": s["rate"],
                "base rate": s["base_rate"],
                "lift": s["lift"],
                "q value": s["q_value"],
                "customers": s["customers_affected"],
                "score": s["score"],
                "concentrated in": _concentration_text(s.get("concentration")),
            }
            for s in items
        ]
    )
    if data.empty:
        return
    table(
        data,
        "friction_signals",
        key,
        title="Signals of one friction point",
        column_config={
            "rate": st.column_config.NumberColumn(format="percent"),
            "base rate": st.column_config.NumberColumn(format="percent"),
            "lift": st.column_config.NumberColumn(format="%.1f×"),
            "q value": st.column_config.NumberColumn(format="%.2g"),
        },
    )
    st.caption(
        "Signals named 'no goal reached', 'low CSAT', 'NPS detractors' or 'churn' are "
        "what the point costs: bad outcomes among the journeys that pass it, against "
        "the journeys that do not."
    )


def show_fishbone_table(fishbone: Fishbone, key: str) -> None:
    """The fishbone's causes as a table, bone by bone."""
    c = fishbone.causes
    if c.empty:
        st.info(
            "No cause clears the support floor and the false-discovery control for this effect."
        )
        return
    data = pd.DataFrame(
        {
            "bone": c["bone"],
            "cause": c["label"],
            "rate with": c["rate"],
            "rate without": c["rate_without"],
            "effect (pp)": (100 * c["effect_size"].astype(float)).round(1),
            "95 % CI (pp)": [
                "" if m else f"{100 * lo:.1f} to {100 * hi:.1f}"
                for lo, hi, m in zip(
                    c["ci_low"].astype(float), c["ci_high"].astype(float), c["manual"], strict=True
                )
            ],
            "lift": c["lift"],
            "support": c["units"],
            "explained": c["explained"],
            "q value": c["q_value"],
            "workshop": c["manual"],
        }
    )
    table(
        data,
        "causes",
        key,
        title=f"Causes of {fishbone.title}",
        column_config={
            "rate with": st.column_config.NumberColumn(format="percent"),
            "rate without": st.column_config.NumberColumn(format="percent"),
            "lift": st.column_config.NumberColumn(format="%.1f×"),
            "explained": st.column_config.NumberColumn(format="%.0f"),
            "q value": st.column_config.NumberColumn(format="%.2g"),
        },
    )


def show_table_report(report: object, title: str, key: str) -> None:
    """Row accounting of a survey or customer file, with its rejected rows."""

    assert isinstance(report, LoadReport)
    with st.expander(
        f"{title}: {report.source} — {report.rows_loaded:,} loaded, "
        f"{report.rows_rejected:,} rejected",
        expanded=bool(report.rows_rejected),
    ):
        st.caption(_accounting(report))
        roles = ", ".join(f"{r} ← `{c}`" for r, c in report.mapping.roles if c)
        st.markdown(f"**Columns:** {roles}")
        if report.time_format is not None:
            st.markdown(f"**Time format:** {report.time_format.describe()}")
        for note in report.notes:
            st.info(note)
        if report.rows_rejected:
            st.dataframe(report.rejected, hide_index=True, width="stretch", key=f"{key}_rej")


# -- files and findings next to every chart and table --------------------------------------------

FILE_WIDTH = 1100  # charts sized to their container get this width in files


def _fixed(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = FILE_WIDTH
    return spec


def chart(
    value: alt.TopLevelMixin,
    name: str,
    key: str,
    *,
    title: str | None = None,
    where: Any = None,
) -> None:
    """Draw an Altair chart with PNG and SVG downloads (made when clicked) and a pin."""
    import vl_convert as vlc

    box = where if where is not None else st
    value = wb.charts.readable(value)  # the page's own charts too
    box.altair_chart(value, width="stretch", key=key)
    row = _downloads(
        box,
        key,
        name,
        [
            ("PNG", "png", "image/png", lambda: vlc.vegalite_to_png(_fixed(value), scale=2)),
            ("SVG", "svg", "image/svg+xml", lambda: vlc.vegalite_to_svg(_fixed(value)).encode()),
        ],
    )
    with row:
        pin(title or name.replace("_", " ").capitalize(), key, chart=value)


def _downloads(
    box: Any, key: str, name: str, files: list[tuple[str, str, str, Callable[[], bytes]]]
) -> Any:
    """A row of download buttons, one per ``(label, suffix, mime, make)``, each file made
    only when its button is clicked; returns the next free column of the row."""
    row = box.columns([1] * (len(files) + 1) + [5])
    for col, (label, suffix, mime, make) in zip(row, files, strict=False):
        col.download_button(
            label,
            data=make,
            file_name=f"{name}.{suffix}",
            mime=mime,
            key=f"{key}_{suffix}",
            on_click="ignore",
        )
    return row[len(files)]


def table(
    frame: pd.DataFrame,
    name: str,
    key: str,
    *,
    title: str | None = None,
    where: Any = None,
    **options: Any,
) -> Any:
    """Show a table with CSV and Parquet downloads of it (made when clicked) and a pin;
    ``options`` go to ``st.dataframe``."""
    box = where if where is not None else st
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    shown = box.dataframe(for_people(frame, options.get("column_config")), key=key, **options)

    def plain() -> pd.DataFrame:  # made on click: lists and dicts as text, for both formats
        out = frame.copy()
        for col in out.columns:
            if (
                out[col].dtype == object
                and out[col].map(lambda v: isinstance(v, (list, dict))).any()
            ):
                out[col] = out[col].map(str)
        return out

    def parquet() -> bytes:
        buf = io.BytesIO()
        plain().to_parquet(buf, index=False)
        return buf.getvalue()

    row = _downloads(
        box,
        key,
        name,
        [
            ("CSV", "csv", "text/csv", lambda: plain().to_csv(index=False).encode()),
            ("Parquet", "parquet", "application/vnd.apache.parquet", parquet),
        ],
    )
    with row:
        pin(title or name.replace("_", " ").capitalize(), key, table=frame)
    return shown


#: Decimals a table shows (the downloads keep every digit).
_DECIMALS = 4


def for_people(frame: pd.DataFrame, column_config: dict[str, Any] | None = None) -> pd.DataFrame:
    """The table as shown: times in seconds as ``4.2 min`` (the column named without
    ``_seconds``) and other fractions rounded to four decimals (what a screen reader reads too);
    columns the page formats itself (``column_config``) keep their seconds as numbers."""
    configured = set(column_config or {})
    shown = frame.copy()
    renamed = {}
    for col in shown.columns:
        name = str(col)
        if not pd.api.types.is_numeric_dtype(shown[col]) or pd.api.types.is_bool_dtype(shown[col]):
            continue
        if name.endswith("_seconds") and col not in configured:
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else format_duration(v))
            renamed[col] = name.removesuffix("_seconds")
        elif pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].round(_DECIMALS)
    if any(new in shown.columns for new in renamed.values()):
        return shown  # a column of that name is there already: keep both apart
    return shown.rename(columns=renamed)


def pin(
    title: str,
    key: str,
    *,
    chart: alt.TopLevelMixin | None = None,
    table: pd.DataFrame | None = None,
) -> None:
    """A *Pin* button with a note: the chart or table goes to the findings (and the report)."""
    from ui import state

    with st.popover("Pin"):
        st.text_input("Title", value=title, key=f"{key}_pin_title")
        st.text_area("Note", key=f"{key}_pin_note", placeholder="What the team saw here")

        def add() -> None:
            ss = st.session_state
            state.add_finding(
                wb.Finding(
                    str(ss.get(f"{key}_pin_title") or title),
                    str(ss.get(f"{key}_pin_note") or ""),
                    chart=chart,
                    table=table,
                )
            )
            ss[f"{key}_pin_note"] = ""
            st.toast(f"Pinned to the findings: {ss.get(f'{key}_pin_title') or title}")

        st.button("Pin to findings", key=f"{key}_pin", on_click=add, type="primary")


#: Each kind of friction finding, one and many.
_FINDING_NOUNS = {
    "incident": ("incident", "incidents"),
    "segment": ("segment finding", "segment findings"),
    "chronic": ("chronic friction point", "chronic friction points"),
    "pattern": ("pattern", "patterns"),
}


def friction_lead(ranking: FrictionRanking) -> str:
    """The Friction page's answer in one sentence: how many findings of each kind, and what
    the first costs against its baseline (its own sentence follows under *What changed* or in
    the table, so it is not said twice)."""
    t = ranking.table
    counts = t["finding"].value_counts()
    kinds = [
        f"{counts[k]:,} {_FINDING_NOUNS[k][int(counts[k] != 1)]}"
        for k in _FINDING_NOUNS
        if k in counts
    ]
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    first = t.iloc[0]
    what = f"{LABELS.get(first['kind'], first['kind'])} at {first['point']}"
    if isinstance(first.get("segment"), str) and first["segment"]:
        what += f" for {first['segment']}"
    unit = "journeys" if first["finding"] in ("incident", "segment") else "customers"
    cost = (
        f": about {first['score']:,.0f} {unit} more than {first['baseline']} would give"
        if pd.notna(first["score"]) and isinstance(first.get("baseline"), str)
        else ""
    )
    return f"**In short:** {listed}; the biggest is the {what}{cost}."


def show_changes(ranking: FrictionRanking, key: str, top: int = 3) -> pd.DataFrame:
    """What changed, since when and for whom: the incidents and segment findings of a ranking,
    each as a sentence with its period by period chart (period shaded, baseline dashed), then
    all of them in a table. Returns the findings shown."""
    t = ranking.table
    found = t[t["finding"].isin(["incident", "segment"])]
    if found.empty:
        st.success(
            "Nothing departs from its own history or from the other segments at the same point. "
            "The friction below is the same all the time and for everyone."
        )
        return found
    n_inc = int((found["finding"] == "incident").sum())
    n_seg = len(found) - n_inc
    st.markdown(
        f"**What changed:** {n_inc} incident{'s' if n_inc != 1 else ''} (a period that departs "
        f"from the point's own history) and {n_seg} segment finding{'s' if n_seg != 1 else ''} "
        "(a group that departs from the others at the same point), by the journeys they cost."
    )
    for row in rows(found.head(top)):
        st.markdown(f"**#{row['rank']}** {row['explanation']}")
        st.caption(f"Compared with {row['baseline']}.")
        if not ranking.weekly[ranking.weekly["point_id"] == row["rank"]].empty:
            chart(
                friction_weekly_chart(ranking, int(row["rank"])),
                f"change_{row['rank']}",
                f"{key}_change_{row['rank']}",
            )
    data = pd.DataFrame(
        {
            "rank": found["rank"],
            "finding": found["finding"],
            "point": found["point"],
            "segment": found["segment"].fillna(""),
            "period": [
                f"{a} → {b}" if isinstance(a, str) else ""
                for a, b in zip(found["active_from"], found["active_to"], strict=True)
            ],
            "rate": found["rate"],
            "baseline rate": found["base_rate"],
            "journeys beyond the baseline": found["score"].round(),
            "compared with": found["baseline"],
        }
    )
    table(
        data,
        "changes",
        f"{key}_changes",
        title="What changed",
        column_config={
            "rate": st.column_config.NumberColumn(format="percent"),
            "baseline rate": st.column_config.NumberColumn(format="percent"),
            "journeys beyond the baseline": st.column_config.NumberColumn(format="%d"),
        },
    )
    return found


def _pct(value: float) -> str:
    return "–" if pd.isna(value) else f"{100 * value:.1f} %"


def _pct_range(low: float, high: float) -> str:
    return "–" if pd.isna(low) else f"{100 * low:.1f}–{100 * high:.1f} %"


def show_funnel(funnel: Any, key: str) -> None:
    """A funnel (:class:`workbench.analyses.funnel.Funnel`): its chart, a table in plain
    numbers (shares in per cent, times humanised) and, behind *Details*, the statistics and
    how they are counted. The page shows :attr:`Funnel.sentence` above it."""
    t = funnel.table
    if funnel.period is not None:  # when it changed reads best over time: that chart first
        chart(
            wb.charts.funnel_trend_chart(funnel),
            f"funnel_by_{funnel.period}",
            f"{key}_trend",
            title=f"Funnel steps by {funnel.period}",
        )
    chart(wb.charts.funnel_chart(funnel), "funnel", f"{key}_chart", title="Funnel")
    shown = pd.DataFrame(
        {
            "group": t["group"],
            "step": [f"{s}. {tp}" for s, tp in zip(t["step"], t["touchpoint"], strict=True)],
            "journeys": t["journeys"],
            "from step 1": t["conversion"].map(_pct),
            "from the previous step": t["step_conversion"].map(_pct),
            "lost here": t["dropped"],
            "median time from the previous step": t["median_seconds"].map(format_duration),
            "p90 time": t["p90_seconds"].map(format_duration),
        }
    )
    if funnel.split is None:
        shown = shown.drop(columns=["group"])
    else:
        shown = shown.rename(columns={"group": str(funnel.split)})
    table(
        shown,
        "funnel",
        f"{key}_table",
        title="Funnel",
        column_config={
            "journeys": st.column_config.NumberColumn(format="localized"),
            "lost here": st.column_config.NumberColumn(format="localized"),
        },
    )
    with st.expander("Details"):
        st.markdown(
            "A journey reaches a step when it visited every step before it, in this order; "
            "other touchpoints may come between. **From step 1** is the share of the journeys "
            "that reached step 1; **from the previous step** the share of those that reached "
            "the step before; **lost here** the journeys that reached the step before but not "
            "this one. Intervals are 95 % Wilson intervals; times run from the previous step "
            "(median and 90th percentile)."
        )
        if funnel.within_seconds:
            st.markdown(
                f"Every step within **{format_duration(funnel.within_seconds)}** of the first."
            )
        stats = pd.DataFrame(
            {
                "group": t["group"],
                "step": t["step"],
                "touchpoint": t["touchpoint"],
                "journeys": t["journeys"],
                "conversion": t["conversion"],
                "95 % CI": [
                    _pct_range(lo, hi)
                    for lo, hi in zip(t["conversion_low"], t["conversion_high"], strict=True)
                ],
                "step conversion": t["step_conversion"],
                "step 95 % CI": [
                    _pct_range(lo, hi)
                    for lo, hi in zip(
                        t["step_conversion_low"], t["step_conversion_high"], strict=True
                    )
                ],
                "median seconds": t["median_seconds"],
                "p90 seconds": t["p90_seconds"],
            }
        ).round(4)
        table(stats, "funnel_statistics", f"{key}_stats", title="Funnel statistics")


def show_below_floor(ranking: FrictionRanking, key: str) -> None:
    """How the history was read when the log is too short for weeks (said plainly), and what
    had too few journeys to be tested, in a *Details* expander: one sentence, then the table.
    Nothing when every series was read week by week and every value tested."""
    if ranking.period_note:
        st.info(ranking.period_note)
    said = ranking.below_floor_sentence()
    if not said:
        return
    with st.expander("Details: below the floor"):
        st.markdown(said)
        table(
            ranking.below_floor,
            "friction_below_floor",
            f"{key}_below_floor",
            title="Below the floor",
            hide_index=True,
        )


def show_voice(voice: Any, key: str) -> None:
    """Contact reasons ranked, their trend, example texts and alerts; how sentiment was made
    and how well it agrees behind *Details*."""
    reasons = voice.reasons
    for alert in voice.alerts["explanation"]:
        st.warning(alert)
    shown = pd.DataFrame(
        {
            "reason": reasons["label"],
            "language": reasons["language"],
            "texts": reasons["count"],
            "share": (reasons["share"] * 100).round(1),
            "negative %": (reasons["negative_share"] * 100).round(1),
            "words": reasons["terms"].map(", ".join),
            "source": reasons["source"],
        }
    )
    table(shown, "contact_reasons", f"{key}_reasons", title="Contact reasons")
    st.caption(voice.sentiment_sentence)  # never a negative share without its agreement
    top = reasons.head(6)
    weeks = voice.by_week.merge(top[["reason", "label"]], on="reason")
    if not weeks.empty:
        trend = (
            alt.Chart(weeks)
            .mark_line(point=True)
            .encode(
                x=alt.X("week:T", title="week"),
                y=alt.Y("share:Q", title="share of the week's texts", axis=alt.Axis(format="%")),
                color=alt.Color("label:N", title="reason"),
                tooltip=["label", "week:T", "texts", alt.Tooltip("negative_share:Q", format=".0%")],
            )
            .properties(height=280)
        )
        chart(trend, "reasons_by_week", f"{key}_trend", title="Contact reasons week by week")
    where = voice.by_touchpoint.merge(reasons[["reason", "label"]], on="reason")
    if not where.empty:
        where = where.assign(share=(where["share"] * 100).round(1))
        table(
            where[["label", "touchpoint", "texts", "share"]].rename(columns={"label": "reason"}),
            "reasons_by_touchpoint",
            f"{key}_where",
            title="Where each reason is written (share of its texts, %)",
        )
    st.markdown("**What customers wrote** (three texts per reason, masked)")
    for r in rows(reasons.head(12)):
        with st.expander(f"{r['label']} ({r['count']:,} texts)"):
            for text in r["examples"]:
                st.markdown(f"> {text}")
    with st.expander("Details"):
        st.markdown(voice.sentiment_sentence)
        st.markdown(
            "Reasons are grouped per language and per source: words are cut to their stems "
            "(Snowball), stop words dropped, weighed by TF-IDF and grouped by NMF; the number "
            "of reasons is the largest whose top words stay their own (exclusivity). Phone "
            "numbers, e-mail addresses, personnummer and names given as one's own are masked "
            "before anything reads a text. The names, merges and splits made above are kept "
            "with the dataset."
        )
        if not voice.left_out.empty:
            table(voice.left_out, "texts_left_out", f"{key}_left", title="Texts not grouped")


# -- date ranges and periods ---------------------------------------------------------------------


def date_range(
    bounds: tuple[date, date],
    key: str,
    *,
    label: str = "Journeys that start",
    where: Any = None,
) -> tuple[date, date] | None:
    """A from/to picker over the days journeys start on (``bounds``), kept under ``key``; the
    whole log at first, and again when what is kept lies outside ``bounds`` (another dataset).

    Returns the first and last day picked (one day while the second is not picked yet), or
    None when they span the whole log: the page then uses the one model it always has.
    """
    first, last = bounds
    # a widget's value is forgotten on a page that does not draw it; this copy is not, so the
    # range is still there when the person comes back from another page
    kept = st.session_state.get(key, st.session_state.get(f"_{key}_kept"))
    if not (
        isinstance(kept, (tuple, list))
        and len(kept) in (1, 2)
        and all(isinstance(d, date) and first <= d <= last for d in kept)
    ):
        kept = (first, last)
    st.session_state[key] = tuple(kept)
    days = (where or st).date_input(
        label,
        min_value=first,
        max_value=last,
        key=key,
        format="YYYY-MM-DD",
        help="Only the journeys that start on these days, first and last included, each with "
        "all its steps. The whole log at first.",
    )
    picked = tuple(days) if isinstance(days, (tuple, list)) else (days,)
    st.session_state[f"_{key}_kept"] = picked
    if not picked:
        return None
    low, high = picked[0], picked[-1]
    return None if low <= first and high >= last else (low, high)


def range_sentence(period: tuple[date, date] | None, text: str) -> None:
    """``"From 3 Mar to 14 Apr 2025: <text>"`` as the page's first sentence; nothing when the
    page shows the whole log (it reads as it always has)."""
    if period is not None:
        st.markdown(f"**From {describe_period(*period)}:** {text}")


def period_pickers(
    bounds: tuple[date, date], defaults: tuple[tuple[date, date], tuple[date, date]], key: str
) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """Two from/to pickers, period A (the baseline) and period B, kept under ``key_a`` and
    ``key_b`` and starting at ``defaults``. None while a period lacks its last day."""
    first, last = bounds
    chosen = []
    for column, name, default in zip(st.columns(2), ("a", "b"), defaults, strict=True):
        k = f"{key}_{name}"
        kept = st.session_state.get(k)
        if not (
            isinstance(kept, (tuple, list))
            and len(kept) in (1, 2)
            and all(isinstance(d, date) and first <= d <= last for d in kept)
        ):
            st.session_state[k] = default
        days = column.date_input(
            f"Period {name.upper()}" + (" (the baseline)" if name == "a" else ""),
            min_value=first,
            max_value=last,
            key=k,
            format="YYYY-MM-DD",
        )
        picked = tuple(days) if isinstance(days, (tuple, list)) else (days,)
        if len(picked) != 2:
            st.info(f"Choose period {name.upper()}'s last day too.")
            return None
        chosen.append((picked[0], picked[1]))
    return chosen[0], chosen[1]


def show_period_changes(comparison: PeriodComparison, key: str, top: int = 30) -> None:
    """The moves and touchpoints whose share of journeys changed most from period A to B, with
    the journeys behind each share, the change's 95 % interval and the journeys it adds or
    takes away in B."""
    t = comparison.changes(top)
    shown = pd.DataFrame(
        {
            "change": t["change"],
            "direction": t["direction"],
            "journeys A": t["a_journeys"],
            "journeys B": t["b_journeys"],
            "share A": t["a_share"],
            "share B": t["b_share"],
            "change (pp)": (100 * t["difference"]).round(2),
            "95 % CI (pp)": [
                f"{100 * lo:+.1f} to {100 * hi:+.1f}"
                for lo, hi in zip(t["difference_low"], t["difference_high"], strict=True)
            ],
            "journeys of B more (+) or fewer (−)": t["extra_journeys"],
            "q-value": t["q_value"],
            "significant": t["significant"],
        }
    )
    table(
        shown,
        "period_changes",
        f"{key}_changes",
        title=f"Period B against A: {comparison.caption}",
        column_config={
            c: st.column_config.NumberColumn(format="percent") for c in ("share A", "share B")
        },
    )


def contact_picker(
    contacts: Contacts, key: str, on_change: Callable[[tuple[str, ...] | None], None]
) -> None:
    """Which channels (or touchpoints, in a log without channels) count as contacts with the
    company, and a form to change them: ``on_change`` gets the chosen ones, or None to go back
    to the guess from their names."""
    what = "channels" if contacts.by == "channel" else "touchpoints"
    how = "guessed from their names" if contacts.guessed else "chosen on this page"
    st.markdown(
        f"**Contacts with the company** ({what}, {how}): "
        f"{', '.join(contacts.contacts) or 'none'}. Not contacts: "
        f"{', '.join(contacts.others) or 'none'}."
    )
    st.caption(
        "First-contact resolution, repeat contacts, contacts per journey and the friction "
        "signals of contacts all count the steps in these. A step whose name says success "
        "(e.g. a case closed) is never a contact; where the log names who handled a step "
        "(agent, team), only handled steps count."
    )
    # the widget's key follows the names and the choice, so it always starts from what is in
    # effect (and another log's choice is never offered here)
    text = "\n".join((*contacts.names, "", *contacts.contacts))
    chosen_key = f"{key}_contacts_{hashlib.sha256(text.encode()).hexdigest()[:8]}"

    def apply() -> None:
        chosen = tuple(st.session_state[chosen_key])
        if chosen != contacts.contacts:
            on_change(chosen)

    with st.form(f"{key}_contacts_form"):
        st.multiselect(
            f"{what.capitalize()} that count as contacts",
            list(contacts.names),
            default=list(contacts.contacts),
            key=chosen_key,
        )
        left, right = st.columns(2)
        left.form_submit_button("Apply", on_click=apply)
        right.form_submit_button(
            "Use the guess", on_click=on_change, args=(None,), disabled=contacts.guessed
        )


def kpi_metrics(figures: pd.DataFrame, columns: int = 4) -> None:
    """KPI figures (rows of a :class:`~workbench.analyses.kpis.KpiTable`) as metrics with the
    interval and the number behind each, and the warning when there is one."""
    cols = st.columns(columns)
    for i, fig in enumerate(figures.to_dict(orient="records")):
        value, ci = kpi_text(fig)
        note = f"{ci}n = {fig['n']:,}"
        cols[i % columns].metric(fig["label"], value, help=note, border=True)
        if fig["warning"]:
            note += f" · ⚠ {fig['warning']}"
        cols[i % columns].caption(note)


def kpis_side_by_side(tables: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Each persona's KPIs in words, side by side: one row per KPI (conversion to each goal
    first), per persona its figure in its unit, its 95 % interval and the number behind it."""
    out: pd.DataFrame | None = None
    for name, table in tables:
        part = table[table["group"] == "all"]
        texts = [kpi_text(fig) for fig in part.to_dict(orient="records")]
        shown = pd.DataFrame(
            {
                "kpi": part["kpi"].to_numpy(),
                "KPI": part["label"].to_numpy(),
                name: [value for value, _ in texts],
                f"{name}: 95 % CI": [
                    ci.removeprefix("95 % CI ").removesuffix(" · ") for _, ci in texts
                ],
                f"{name}: n": [f"{n:,}" for n in part["n"]],
            }
        )
        out = shown if out is None else out.merge(shown, on=["kpi", "KPI"], how="outer")
    if out is None:
        return pd.DataFrame()
    first = out["kpi"].str.startswith("conversion").map({True: 0, False: 1})
    return (
        out.assign(_first=first)
        .sort_values("_first", kind="stable")
        .drop(columns=["kpi", "_first"])
        .fillna("")
        .reset_index(drop=True)
    )


def kpi_text(fig: dict[str, Any]) -> tuple[str, str]:
    """A KPI figure's value and its interval (``"95 % CI a–b · "``, or empty), in its unit."""
    unit = fig["unit"]

    def fmt(x: float) -> str:
        if unit == "seconds":
            return format_duration(x)
        if unit == "mean":
            return f"{x:.2f}"
        if unit == "steps":
            return f"{x:g}"
        return f"{x:.1f}"

    suffix = " %" if unit == "%" else ""
    value = f"{fmt(fig['value'])}{suffix}"
    low, high = fig["ci_low"], fig["ci_high"]
    ci = "" if pd.isna(low) or pd.isna(high) else f"95 % CI {fmt(low)}–{fmt(high)} · "
    return value, ci


def show_said(said: Any, key: str) -> None:
    """What customers wrote about the journeys through one point (a
    :class:`~workbench.analyses.voice.links.Said`): the sentence, the reasons said there
    against the other journeys, and a few of their texts."""
    st.markdown(said.sentence())
    if said.reasons.empty:
        return
    top = said.reasons.head(8)
    shown = pd.DataFrame(
        {
            "reason": top["label"],
            "texts": top["texts"],
            "share %": (top["share"] * 100).round(1),
            "elsewhere %": (top["share_elsewhere"] * 100).round(1),
            "negative %": (top["negative_share"] * 100).round(1),
        }
    )
    table(shown, "said_at_point", f"{key}_reasons", title="Reasons written about these journeys")
    for r in rows(top.head(3)):
        for text in r["examples"]:
            st.caption(f"{r['label']}: “{text}”")
