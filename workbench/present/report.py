"""A self-contained HTML report of an analysis: one file that opens offline in any browser.

The report holds the data's provenance and row accounting, the KPIs with their trends, the
journey map and top variants, the ranked friction points, the fishbone of the top friction
point (or a chosen effect), the journey-versus-touchpoint verdict and the findings a team
pinned. Charts are Altair specifications drawn in the page by the Vega libraries, which are
written into the file itself: no CDN, no server, nothing fetched.

An analysis the data cannot support (no surveys, too few customers …) is left out with the
reason in its place; the rest of the report stands.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from workbench.analyses.causes import effects_for, group_causes
from workbench.analyses.friction import FrictionRanking, rank_friction
from workbench.analyses.kpis import kpis
from workbench.analyses.outcomes import guess_goals
from workbench.analyses.satisfaction import compare_levels
from workbench.analyses.voice import reasons
from workbench.core import db
from workbench.core.errors import WorkbenchError
from workbench.core.periods import Period, describe_period, parse_period
from workbench.core.stats import percent
from workbench.journeys.changes import PeriodComparison
from workbench.journeys.graph import SegmentComparison, journey_graph
from workbench.journeys.model import JourneyModel
from workbench.journeys.periods import journeys_between
from workbench.present import charts


@dataclass(frozen=True)
class Finding:
    """Something the team pinned, with their note: a chart, a table (e.g. a friction row) or
    both; it goes into the report's *Findings* section."""

    title: str
    note: str = ""
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    created: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M"))


@dataclass
class Section:
    """One part of the report: text, charts, tables, or why it was left out."""

    title: str
    text: list[str] = field(default_factory=list)
    charts: list[alt.TopLevelMixin] = field(default_factory=list)
    #: Finished SVG drawings (the journey map), shown before the charts.
    figures: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    left_out: str | None = None


@dataclass
class Report:
    """A built report: ``html()`` gives the page, ``save(path)`` writes it."""

    title: str
    created: str
    sections: list[Section]

    @property
    def n_charts(self) -> int:
        return sum(len(s.charts) for s in self.sections)

    def html(self) -> str:
        """The whole report as one HTML page with the chart libraries inlined."""
        return _render(self)

    def save(self, path: str | Path) -> Path:
        """Write the report to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path


def build_report(
    model: JourneyModel,
    *,
    title: str = "Customer journey report",
    goals: Sequence[str] | None = None,
    effect: str | None = None,
    outcome: str | None = None,
    findings: Sequence[Finding] = (),
    touchpoints_pct: float = 60.0,
    paths_pct: float = 30.0,
    rankdir: str = "auto",
    measure: str = "frequency",
    period: Period | None = None,
    comparison: SegmentComparison | PeriodComparison | None = None,
    top: int = 10,
    ranking: FrictionRanking | None = None,
) -> Report:
    """Build the report of ``model``'s analysis.

    Parameters
    ----------
    model
        The journeys, from :func:`workbench.build_journeys`.
    title
        The report's heading.
    goals
        Touchpoints that mean success (guessed from the data when not given).
    effect
        The fishbone's effect (see :func:`workbench.group_causes`); default: the top friction
        point's headline signal.
    outcome
        For the journey-versus-touchpoint section: ``"nps"``, ``"detractor"``, ``"churn"`` or
        ``"revenue"``; default: NPS when there are NPS answers, else churn when the customer
        list has it.
    findings
        Pinned findings with the team's notes.
    touchpoints_pct, paths_pct
        What the journey map shows (as the sliders on the Journey map page).
    rankdir
        The map's layout: ``"LR"``, ``"TB"`` or ``"auto"`` (as the Journey map page's).
    measure
        The map's labels: ``"frequency"`` (counts), ``"median"``, ``"p90"`` or ``"mean"``
        (times between steps), as the Journey map page's *Label*.
    period
        The journeys the map, its caption and the variants beside it show: those that start
        in this period (first and last day), as the Journey map page's date range; the report
        says which. None: the whole log. The other sections cover the whole log.
    comparison
        A segment against the rest (:func:`workbench.compare_segment`, of the same journeys as
        ``period`` selects) or two periods
        (:func:`workbench.journeys.changes.compare_periods`) to colour the map by, as the
        Journey map page does; the report names it and says what the colours mean.
    top
        How many friction points and variants to list.
    ranking
        A friction ranking already computed for ``model`` (saves computing it again).

    Examples
    --------
    >>> import tempfile, workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> report = wb.build_report(wb.build_journeys(log))
    >>> path = report.save(tempfile.mkdtemp() + "/report.html")
    >>> report.n_charts >= 6
    True
    """
    sections = [
        _provenance(model),
        _guarded("KPIs", lambda: _kpis(model)),
        _guarded(
            "Journey map",
            lambda: _journey_map(
                model,
                _MapAsShown(touchpoints_pct, paths_pct, rankdir, measure, period, comparison),
                top,
                goals,
            ),
        ),
    ]
    holder: dict[str, FrictionRanking] = {}

    def friction() -> Section:
        holder["ranking"] = ranking or rank_friction(model, goals=goals)
        return _friction(holder["ranking"], top)

    sections.append(_guarded("Friction points", friction))
    sections.append(_guarded("Causes", lambda: _causes(model, holder.get("ranking"), effect)))
    sections.append(
        _guarded("Journey versus touchpoint", lambda: _levels(model, outcome or _outcome(model)))
    )
    sections.append(_guarded("Voice of the customer", lambda: _voice(model)))
    if findings:
        sections.append(_findings(findings))
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Report(title, created, sections)


# -- sections -----------------------------------------------------------------------------------


def _guarded(title: str, build: Callable[[], Section]) -> Section:
    try:
        return build()
    except WorkbenchError as exc:
        return Section(title, left_out=f"{exc.title}: {exc.message}")


def _provenance(model: JourneyModel) -> Section:
    log = model.log
    rows = []
    for what, report in (
        ("events", log.report),
        ("surveys", log.survey_report),
        ("customers", log.customer_report),
    ):
        if report is None:
            continue
        rows.append(
            {
                "table": what,
                "source": report.source,
                "rows read": report.rows_read,
                "loaded": report.rows_loaded,
                "rejected": report.rows_rejected,
            }
        )
    r = log.report
    text = [
        f"{model.n_events:,} events of {model.n_customers:,} {model.customer_noun} in "
        f"{model.n_journeys:,} journeys ({model.split_by}"
        + (f" {model.session_gap}" if model.session_gap else "")
        + "). "
        + (
            "Every input row is loaded, rejected or set aside: rows read = loaded + rejected "
            f"+ set aside ({r.rows_read:,} = {r.rows_loaded:,} + {r.rows_rejected:,} + "
            f"{r.rows_set_aside:,})."
            if r.rows_set_aside
            else "Every input row is loaded or rejected: rows read = loaded + rejected "
            f"({r.rows_read:,} = {r.rows_loaded:,} + {r.rows_rejected:,})."
        ),
        f"Times: {r.time_format.describe() if r.time_format else 'none'}.",
    ]
    mapping = ", ".join(f"{role} = {col}" for role, col in r.mapping.as_dict().items() if col)
    text.append(f"Columns: {mapping}.")
    notes = [n for rep in (r, log.survey_report, log.customer_report) if rep for n in rep.notes]
    text += list(dict.fromkeys(notes))
    return Section("Data", text=text, tables=[("Row accounting", pd.DataFrame(rows))])


def _kpis(model: JourneyModel) -> Section:
    overall = kpis(model).table
    table = overall[["label", "value", "ci_low", "ci_high", "n", "unit", "warning"]].rename(
        columns={"label": "KPI", "ci_low": "95 % CI low", "ci_high": "95 % CI high"}
    )
    monthly = kpis(model, by="month")
    shown = [k for k in ("nps", "csat", "fcr", "repeat_contact_rate") if k in set(overall["kpi"])]
    trend: list[alt.TopLevelMixin] = [
        charts.kpi_trend_chart(monthly, k).properties(width=520, height=220) for k in shown
    ]
    return Section(
        "KPIs",
        text=[
            "Each figure with the number of answers or contacts behind it and its 95 % "
            "interval; a warning marks figures resting on too few to trust."
        ],
        charts=trend,
        tables=[("KPIs over the whole period", table)],
    )


@dataclass(frozen=True)
class _MapAsShown:
    """The Journey map page's settings the report's map follows."""

    touchpoints_pct: float
    paths_pct: float
    rankdir: str
    measure: str
    period: Period | None
    comparison: SegmentComparison | PeriodComparison | None

    def sentences(self, whole: JourneyModel, shown: JourneyModel) -> list[str]:
        """Which journeys the map shows, and what its labels and colours say."""
        said = []
        if self.period is not None:
            first, last = parse_period(self.period)
            said.append(
                f"Journeys that start from {describe_period(first, last)}: "
                f"{shown.n_journeys:,} of the log's {whole.n_journeys:,}; the map, its counts "
                "and the variants below are theirs."
            )
        if isinstance(self.comparison, PeriodComparison):
            said.append(
                f"{self.comparison.sentence} Period B against period A — "
                f"{self.comparison.caption}. Red: significantly more of B's journeys make the "
                "move (or visit the touchpoint) than of A's; blue: significantly fewer; grey "
                "arrows and white touchpoints: no change beyond chance. Labels: the change in "
                "percentage points of each period's journeys."
            )
        elif self.comparison is not None:
            said.append(
                f"Segment vs rest — {self.comparison.caption}. Red: the segment's journeys "
                "make the move (or visit the touchpoint) more often than the rest's, blue: "
                "less; labels in percentage points of journeys."
            )
        elif self.measure != "frequency":
            said.append(
                f"Labels: the {self.measure} time of each move (coloured from quick, green, "
                f"to slow, red) and each touchpoint's {self.measure} dwell."
            )
        return said


def _journey_map(
    model: JourneyModel,
    shown: _MapAsShown,
    top: int,
    goals: Sequence[str] | None,
) -> Section:
    drawn = model if shown.period is None else journeys_between(model, shown.period)
    view = journey_graph(
        drawn, shown.touchpoints_pct, shown.paths_pct, keep=goals or guess_goals(drawn)
    )
    variants = drawn.variants.head(top).copy()
    variants["path"] = variants["path"].map(lambda p: " → ".join(map(str, p)))
    return Section(
        "Journey map",
        text=[*shown.sentences(model, drawn), view.caption + "."],
        # the screen's map: the same view, labels and colours, drawn with its arrows apart
        figures=[charts.journey_map_svg(view, shown.rankdir, shown.measure, shown.comparison)],
        charts=[charts.variants_chart(drawn.variants)],
        tables=[(f"The {len(variants)} most frequent variants", variants)],
    )


def _friction(ranking: FrictionRanking, top: int) -> Section:
    head = ranking.top(top)
    if head.empty or "explanation" not in head.columns:
        return Section(
            "Friction points",
            text=[
                "No friction point passed the support floors and the significance test "
                f"({ranking.candidates_below_floor:,} below the floors, "
                f"{ranking.not_significant:,} not significant)."
            ],
        )
    cols = ["rank", "kind", "point", "score", "customers_affected", "rate", "base_rate", "lift"]
    cols += ["ci_low", "ci_high", "active_from", "active_to", "explanation"]
    return Section(
        "Friction points",
        text=[f"Ranked by {ranking.formula}."] + [str(e) for e in head["explanation"].head(5)],
        charts=[charts.friction_chart(ranking, top=top)],
        tables=[("Top friction points", head[[c for c in cols if c in head.columns]])],
    )


def _causes(model: JourneyModel, ranking: FrictionRanking | None, effect: str | None) -> Section:
    if effect is None:
        if ranking is None:
            raise WorkbenchError("No friction point to explain.", "No effect")
        options = effects_for(ranking)
        if not options:
            raise WorkbenchError("The ranking holds no friction point to explain.", "No effect")
        effect = options[0]
    fishbone = group_causes(model, effect)
    table = fishbone.causes.copy()
    keep = [
        c
        for c in (
            "bone",
            "label",
            "rate",
            "rate_without",
            "effect_size",
            "ci_low",
            "ci_high",
            "lift",
            "support",
            "manual",
        )
        if c in table.columns
    ]
    return Section(
        "Causes",
        text=[fishbone.summary() + ".", fishbone.caveat],
        charts=[charts.fishbone_chart(fishbone)],
        tables=[("Causes by bone", table[keep])],
    )


def _outcome(model: JourneyModel) -> str:
    cur = model.log.cursor()
    if model.log.has_surveys:
        row = db.execute(cur, "duckdb/outcomes/nps_responses").fetchone()
        if row and row[0]:
            return "nps"
    return "churn"


def _levels(model: JourneyModel, outcome: str) -> Section:
    comparison = compare_levels(model, outcome)
    return Section(
        "Journey versus touchpoint",
        text=[
            comparison.headline(),
            f"Verdict: {comparison.verdict}. {comparison.sentence()}",
        ],
        charts=[charts.levels_chart(comparison), charts.correlations_chart(comparison.measures)],
        tables=[("Measures", comparison.measures)],
    )


def _voice(model: JourneyModel) -> Section:
    """What customers wrote: the reasons, how the sentiment was made and how well it agrees,
    and the reasons rising."""
    voice = reasons(model)
    if voice.reasons.empty:
        return Section("Voice of the customer", left_out=voice.sentence())
    shown = voice.reasons[["label", "language", "count", "share", "negative_share"]].rename(
        columns={"label": "reason", "count": "texts"}
    )
    alerts = [str(a) for a in voice.alerts["explanation"].head(5)] if len(voice.alerts) else []
    return Section(
        "Voice of the customer",
        text=[voice.sentence(), voice.sentiment_sentence, *alerts],
        tables=[("Contact reasons", shown)],
    )


def _findings(findings: Sequence[Finding]) -> Section:
    section = Section("Findings")
    for f in findings:
        section.text.append(f"{f.title} ({f.created}): {f.note}" if f.note else f.title)
        if f.chart is not None:
            section.charts.append(f.chart)
        if f.table is not None:
            section.tables.append((f.title, f.table))
    return section


# -- rendering ------------------------------------------------------------------------------------


@cache
def _vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert (no network)."""

    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # snippet is optional
    return str(bundle).replace("</script", "<\\/script")


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #293241;
       max-width: 1200px; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
h1 { color: #3d5a80; margin-bottom: 0.1em; } h2 { color: #3d5a80; border-bottom: 1px solid #e0e6ee;
     padding-bottom: 0.2em; margin-top: 2em; }
.meta { color: #5c6b7a; font-size: 0.9em; }
.chart { margin: 1em 0; overflow-x: auto; }
.left-out { background: #fff4e5; border-left: 4px solid #f4a261; padding: 0.6em 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #e0e6ee; padding: 0.3em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f3f6fa; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0; }
nav a { margin-right: 1em; }
figure.map { margin: 1em 0; overflow-x: auto; }
figure.map svg { min-width: 60%; height: auto; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; margin-top: 1.2em; }
  .chart, figure.map, tr, .left-out { break-inside: avoid; }
  .chart, figure.map { overflow: visible; }
  .chart svg, figure.map svg { max-width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
}
"""


def _table_html(caption: str, frame: pd.DataFrame) -> str:
    """A table for people: durations in human units, shares as percentages, p- and q-values
    as ``< 0.001``, counts with thousands separators, and headings without underscores."""
    shown = frame.copy()
    for col in shown.columns:
        name = str(col)
        if name.endswith("_seconds"):
            shown[col] = shown[col].map(
                lambda v: "" if pd.isna(v) else charts.format_duration(float(v))
            )
        elif _is_share(name, shown[col]):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else percent(float(v)))
        elif name in _P_VALUES:
            shown[col] = shown[col].map(_p_value)
        elif pd.api.types.is_integer_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: f"{v:,}")
        elif pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(_number)
        elif shown[col].dtype == object:
            shown[col] = shown[col].map(_cell)
    shown.columns = [_heading(str(c)) for c in shown.columns]
    body = shown.to_html(index=False, escape=True, border=0, na_rep="")
    start = body.index(">", body.index("<table")) + 1
    return (
        f'<table data-rows="{len(frame)}"><caption>{html.escape(caption)}</caption>' + body[start:]
    )


#: Columns that hold p-values or q-values.
_P_VALUES = {"p_value", "q_value", "p", "q"}
#: Words in a column name that make its fractions shares (shown as percentages).
_SHARE_WORDS = ("share", "rate", "conversion")


def _is_share(name: str, column: pd.Series) -> bool:
    """A column of fractions between 0 and 1 whose name says share or rate."""
    if not pd.api.types.is_float_dtype(column) or not any(w in name for w in _SHARE_WORDS):
        return False
    values = column.dropna()
    return bool(len(values)) and bool(((values >= 0) & (values <= 1)).all())


def _p_value(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def _heading(name: str) -> str:
    """``median_duration_seconds`` -> ``median duration``."""
    return name.removesuffix("_seconds").replace("_", " ")


def _number(value: Any) -> str:
    if pd.isna(value):
        return ""
    v = float(value)
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _anchor(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title.lower())


#: Pixels a chart may take across, labels included (the page is 1200 wide, less its margins).
_CHART_WIDTH = 1100


def _render(report: Report) -> str:
    specs: list[dict[str, Any]] = []
    parts = [
        f"<h1>{html.escape(report.title)}</h1>",
        f'<p class="meta">Made by Journey Workbench on {html.escape(report.created)}.</p>',
        "<nav>"
        + "".join(
            f'<a href="#{_anchor(s.title)}">{html.escape(s.title)}</a>' for s in report.sections
        )
        + "</nav>",
    ]
    for section in report.sections:
        parts.append(f'<h2 id="{_anchor(section.title)}">{html.escape(section.title)}</h2>')
        if section.left_out:
            parts.append(f'<p class="left-out">Left out — {html.escape(section.left_out)}</p>')
            continue
        parts += [f"<p>{html.escape(t)}</p>" for t in section.text]
        parts += [
            f'<figure class="map" data-section="{_anchor(section.title)}">{svg}</figure>'
            for svg in section.figures
        ]
        for chart in section.charts:
            parts.append(
                f'<div class="chart" id="chart-{len(specs)}" '
                f'data-section="{_anchor(section.title)}"></div>'
            )
            spec = chart.to_dict()
            if spec.get("width") == "container":  # a file has no container to size from:
                # the chart, labels and all, fits the page's width
                spec["width"] = _CHART_WIDTH
                spec["autosize"] = {"type": "fit-x", "contains": "padding"}
            specs.append(spec)
        parts += [_table_html(caption, frame) for caption, frame in section.tables]
    data = json.dumps(specs, default=str).replace("</", "<\\/")
    script = (
        "const specs = " + data + ";\n"
        "specs.forEach((spec, i) => {\n"
        "  const el = document.getElementById('chart-' + i);\n"
        "  vegaEmbed(el, spec, {renderer: 'svg', actions: false})\n"
        "    .then(() => { el.dataset.drawn = 'yes'; })\n"
        "    .catch(err => { el.dataset.drawn = 'failed';\n"
        "      el.textContent = 'This chart could not be drawn: ' + err; });\n"
        "});\n"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(report.title)}</title><style>{_STYLE}</style>"
        f"<script>{_vega_bundle()}</script></head><body>\n"
        + "\n".join(parts)
        + f"\n<script>{script}</script></body></html>\n"
    )
