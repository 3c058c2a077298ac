"""Each reason week by week, and alerts when a reason's share rises in a run of weeks.

Two series per reason: its **volume share** (of all texts in a week, those about it) and its
**negative share** (of its texts, the negative ones). A rise is found as friction finds an
incident (:mod:`workbench.analyses.friction.changes`): the run of consecutive weeks whose share
departs upwards most from the rest, tested by a likelihood ratio, the p-values controlled for
false discoveries (Benjamini-Hochberg) across every series, with a floor on the texts beyond
the baseline and a lift of at least 1.5. A reason's volume is judged against the reasons that
did not rise (:func:`rising`): the largest rise is found first and set aside, then the others
again. Alerts are ranked by those extra texts, one per
customer answer, so: the customers beyond what the rest of the time would have given.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.analyses.friction.changes import MIN_LIFT, Floors, incidents, tested_incidents
from workbench.core.records import rows
from workbench.core.stats import percent

SIGNALS = {"negative": "negative comments about", "volume": "comments about"}


def _dated(texts: pd.DataFrame) -> pd.DataFrame:
    return texts[texts["ts"].notna()].assign(
        week=lambda f: pd.to_datetime(f["ts"]).dt.to_period("W-SUN").dt.start_time,
        negative=lambda f: (f["sentiment"] == "negative").astype(int),
    )


def weekly(texts: pd.DataFrame) -> pd.DataFrame:
    """Per reason and week: ``texts``, ``negative``, ``all_texts`` (of the reason's source
    that week), ``share`` and ``negative_share``. ``texts`` has ``source``, ``ts``,
    ``reason`` and ``sentiment``."""
    dated = _dated(texts)
    totals = dated.groupby(["source", "week"]).size().rename("all_texts")
    keys = ["source", "reason", "week"]
    grouped = dated[dated["reason"].notna()].groupby(keys, as_index=False)
    out = grouped.agg(texts=("negative", "size"), negative=("negative", "sum"))
    out = out.merge(totals, left_on=["source", "week"], right_index=True)
    out["share"] = out["texts"] / out["all_texts"]
    out["negative_share"] = out["negative"] / out["texts"]
    return out.drop(columns=["source"])


def _series(texts: pd.DataFrame, set_aside: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The friction scan's input for the texts of one source: ``reason``, ``signal``,
    ``period``, ``units``, ``affected``. A reason's volume is counted against the week's texts
    of the reasons not ``set_aside`` (the reasons already found rising) and its own."""
    week_table = weekly(texts)
    dated = _dated(texts)
    all_weeks = dated["week"]
    grid = pd.MultiIndex.from_product(
        [week_table["reason"].unique(), sorted(all_weeks.unique())], names=["reason", "week"]
    )
    full = week_table.set_index(["reason", "week"]).reindex(grid).reset_index()
    full[["texts", "negative"]] = full[["texts", "negative"]].fillna(0)
    aside = dated[dated["reason"].isin(set_aside)].groupby("week").size()
    exposure = full["week"].map(all_weeks.value_counts()).fillna(0)
    exposure -= full["week"].map(aside).fillna(0)
    full["all_texts"] = exposure + full["texts"].where(full["reason"].isin(set_aside), 0)
    negative = full.assign(signal="negative", units=full["texts"], affected=full["negative"])
    volume = full.assign(signal="volume", units=full["all_texts"], affected=full["texts"])
    keep = ["reason", "signal", "week", "units", "affected"]
    both = pd.concat([negative[keep], volume[keep]], ignore_index=True)
    return both.rename(columns={"week": "period"})


def rising(dated: pd.DataFrame, floors: Floors) -> pd.DataFrame:
    """The reasons' rises that pass the tests (see the module), the volume ones found one at a
    time: the largest rise first, then the others' volume again against the texts of the
    reasons not yet found rising.

    A reason's share of a week's texts falls when another reason rises, so against every text
    the weeks before another reason's rise look like a rise of its own (measured on the chat
    world, seeds 2 and 3: *roaming* and *refund* from the first weeks to the week before the
    planted rise of *login*). Counted against the reasons that did not rise, they do not.
    """
    set_aside: frozenset[str] = frozenset()
    while True:
        scanned = [
            incidents(_series(part, set_aside), floors) for _, part in dated.groupby("source")
        ]
        found = tested_incidents(pd.concat(scanned, ignore_index=True), floors)
        if found.empty:
            return found
        new = found[(found["signal"] == "volume") & ~found["reason"].isin(set_aside)]
        if new.empty:
            return found
        set_aside |= {str(new.sort_values("excess").iloc[-1]["reason"])}


def alerts(
    texts: pd.DataFrame, labels: dict[str, str], floors: Floors | None = None
) -> pd.DataFrame:
    """Reasons whose negative or volume share rose in a run of weeks (see the module): one row
    each, ranked by the extra texts, with ``label``, ``signal``, ``from``, ``to``,
    ``rate_before``, ``rate_during``, ``extra``, ``where`` (the touchpoint most of its texts in
    the period came after), ``team`` (the team they concentrate at, :func:`team`) and
    ``explanation``."""
    floors = floors or Floors(units=30, affected=10)
    dated = _dated(texts)
    weeks = dated["week"]
    grouped = dated[dated["reason"].notna()]
    if grouped.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    found = rising(dated, floors)
    if found.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    found = found.sort_values("excess", ascending=False)
    out = []
    for r in rows(found):
        stop = pd.Timestamp(r["stop"]) + pd.Timedelta(days=7)
        weeks_in = dated[(weeks >= r["start"]) & (weeks < stop)]
        inside = weeks_in[weeks_in["reason"] == r["reason"]]
        if r["signal"] == "negative":
            inside = inside[inside["sentiment"] == "negative"]
        where = inside["touchpoint"].dropna().value_counts()
        mine = weeks_in["source"].isin(inside["source"].unique())
        others = weeks_in[mine & ~weeks_in.index.isin(inside.index)]
        label = labels.get(str(r["reason"]), str(r["reason"]))
        out.append(_alert(r, label, where, team(inside, others)))
    return pd.DataFrame(out, columns=ALERT_COLUMNS)


def team(inside: pd.DataFrame, others: pd.DataFrame) -> str | None:
    """The team most of the texts ``inside`` an alert came after, when it handled at least
    half of them and :data:`MIN_LIFT` times its share of the ``others`` (the other texts of
    those weeks): where the texts concentrate, not the team that handles most of everything.

    Examples
    --------
    >>> alert = pd.DataFrame({"team": ["B", "B", "B", "A"]})
    >>> team(alert, pd.DataFrame({"team": ["A", "B", "C"]})), team(alert, alert)
    ('B', None)
    """
    if "team" not in inside or inside["team"].isna().all():
        return None
    counts = inside["team"].dropna().value_counts()
    top, share = counts.index[0], counts.iloc[0] / counts.sum()
    usual = others["team"].dropna().value_counts(normalize=True).get(top, 0.0)
    return str(top) if share >= 0.5 and share >= MIN_LIFT * usual else None


ALERT_COLUMNS = [
    "reason",
    "label",
    "signal",
    "from",
    "to",
    "rate_before",
    "rate_during",
    "extra",
    "q_value",
    "where",
    "team",
    "explanation",
]


def _alert(r: dict[str, Any], label: str, where: pd.Series, team: str | None) -> dict[str, Any]:
    start = pd.Timestamp(r["start"])
    to = pd.Timestamp(r["stop"]) + pd.Timedelta(days=6)
    place = str(where.index[0]) if len(where) else None
    after = f", mostly after {place}" if place else ""
    after += f", team {team}" if team else ""
    week = start.isocalendar().week
    text = (
        f"{SIGNALS[str(r['signal'])]} {label} rising since week {week} ({start:%d %b %Y}): "
        f"from {percent(float(r['base_rate']))} to {percent(float(r['rate']))}{after}; "
        f"{round(float(r['excess'])):,} more than the rest of the time would give."
    )
    return {
        "reason": r["reason"],
        "label": label,
        "signal": r["signal"],
        "from": start.date().isoformat(),
        "to": to.date().isoformat(),
        "rate_before": float(r["base_rate"]),
        "rate_during": float(r["rate"]),
        "extra": float(r["excess"]),
        "q_value": float(r["q_value"]),
        "where": place,
        "team": team,
        "explanation": text,
    }
