"""The fishbone: an effect and its causes on six bones, as an Altair chart."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from workbench.analyses.attributes import BONES
from workbench.present.charts.palette import HIGHLIGHT, MANUAL


def fishbone_chart(fishbone: Any, width: int | str = 1150, height: int = 600) -> alt.LayerChart:
    """The fishbone: the effect at the head, six bones, each cause a rib with its numbers.

    Drawn with Altair (rules and text), so it renders offline and saves to PNG or SVG. Give
    ``width="container"`` to fill a page's width; exports need a number.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv")
    >>> fb = wb.group_causes(wb.build_journeys(log), "friction:unresolved:Support call")
    >>> spec = wb.charts.fishbone_chart(fb).to_dict()
    >>> len(spec["layer"]) >= 4
    True
    """

    lines, texts = _fishbone_marks(fishbone)
    ldf, tdf = pd.DataFrame(lines), pd.DataFrame(texts)
    layers = [
        _fishbone_head_box(),
        _fishbone_rule(ldf, "spine", "#3d5a80", 4),
        _fishbone_rule(ldf, "bone", "#3d5a80", 2.5),
        _fishbone_rule(ldf, "rib", "#8d99ae", 1.2),
        _fishbone_rule(ldf, "manual", MANUAL, 1.2, [4, 3]),
        _fishbone_text(tdf, "bone", fontSize=13, fontWeight="bold", color="#3d5a80"),
        _fishbone_text(
            tdf, "cause", fontSize=12, align="right", baseline="middle", color="#293241"
        ),
        _fishbone_text(
            tdf,
            "manual",
            fontSize=12,
            align="right",
            baseline="middle",
            color=MANUAL,
            fontStyle="italic",
        ),
        _fishbone_text(
            tdf,
            "head",
            fontSize=12,
            fontWeight="bold",
            align="left",
            baseline="middle",
            color="#9c2c3f",
        ),
    ]
    chart: alt.LayerChart = (
        alt.layer(*layers)
        .configure_view(strokeWidth=0)
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(
                f"Why: {fishbone.title}",
                subtitle=[
                    f"{fishbone.affected:,} of {fishbone.population:,} {fishbone.unit} "
                    f"({fishbone.base_rate:.0%}); causes with rate with vs without, lift and "
                    "support. " + fishbone.caveat
                ],
                subtitleFontSize=12,
            ),
        )
    )
    return chart


# The fishbone is drawn on a fixed canvas: x from -2 to 101 (the spine runs to 84, the head's
# box fills the rest), y from -54 to 54 (three bones above the spine, three below).
_SPINE_END = 84.0
_BONE_ATTACH = {0: 30.0, 1: 57.0, 2: 84.0}


def _fishbone_marks(fishbone: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The fishbone's line segments and texts, each tagged with the ``kind`` that styles it."""
    lines: list[dict[str, Any]] = [
        {"x": 2.0, "y": 0.0, "x2": _SPINE_END, "y2": 0.0, "kind": "spine"}
    ]
    texts: list[dict[str, Any]] = []
    for i, bone in enumerate(BONES):
        _fishbone_bone(fishbone, i, bone, lines, texts)
    head_lines = [
        *_wrap(fishbone.title, 16),
        f"{fishbone.affected:,} of {fishbone.population:,}",
        fishbone.unit,
    ]
    # a multi-line text is placed by its first line: lift it by half the block
    texts.append(
        {
            "x": _SPINE_END + 1.8,
            "y": 1.25 * (len(head_lines) - 1),
            "text": "\n".join(head_lines),
            "kind": "head",
        }
    )
    return lines, texts


def _fishbone_bone(
    fishbone: Any, i: int, bone: str, lines: list[dict[str, Any]], texts: list[dict[str, Any]]
) -> None:
    """Add bone ``i`` (the first three above the spine) and a rib per cause on it."""
    up = i < 3
    ax = _BONE_ATTACH[i % 3]
    sign = 1 if up else -1
    top_x, top_y = ax - 12, sign * 44.0
    lines.append({"x": ax, "y": 0.0, "x2": top_x, "y2": top_y, "kind": "bone"})
    causes = fishbone.bone(bone)
    left = fishbone.left_out.get(bone, 0)
    head = bone + (f"  (+{left} left out)" if left else "")
    texts.append({"x": top_x, "y": sign * 48.5, "text": head, "kind": "bone"})
    n = max(len(causes), 1)
    for j, rec in enumerate(causes.to_dict(orient="records")):
        t = 0.82 - 0.62 * (j / max(n - 1, 1)) if n > 1 else 0.55
        bx, by = ax + (top_x - ax) * t, top_y * t
        lines.append(
            {
                "x": bx,
                "y": by,
                "x2": bx - 3.5,
                "y2": by,
                "kind": "manual" if rec.get("manual") else "rib",
            }
        )
        texts.append(
            {
                "x": bx - 4,
                "y": by,
                "text": _rib_label(rec),
                "kind": "manual" if rec.get("manual") else "cause",
            }
        )


def _rib_label(rec: dict[str, Any]) -> str:
    """A cause's text: a workshop cause by name, a found one with rates, lift and support."""
    if rec.get("manual"):
        return f"{_short(str(rec['value']), 30)}\n(workshop)"
    return (
        f"{_short(str(rec['label']), 30)}\n{rec['rate']:.0%} vs "
        f"{rec['rate_without']:.0%} · ×{rec['lift']:.1f} · n={rec['units']:,}"
    )


def _fishbone_x() -> alt.X:
    return alt.X("x:Q", scale=alt.Scale(domain=[-2, 101], nice=False), axis=None)


def _fishbone_y() -> alt.Y:
    return alt.Y("y:Q", scale=alt.Scale(domain=[-54, 54], nice=False), axis=None)


def _fishbone_head_box() -> alt.Chart:
    """The box around the effect at the fish's head."""
    box: alt.Chart = (
        alt.Chart(
            pd.DataFrame({"x": [_SPINE_END + 0.8], "x2": [100.5], "y": [-11.0], "y2": [11.0]})
        )
        .mark_rect(color="#fbe3e6", stroke=HIGHLIGHT, strokeWidth=1.5, cornerRadius=6)
        .encode(x=_fishbone_x(), x2="x2:Q", y=_fishbone_y(), y2="y2:Q")
    )
    return box


def _fishbone_rule(
    lines: pd.DataFrame, kind: str, colour: str, size: float, dash: list[int] | None = None
) -> alt.Chart:
    """The line segments of one ``kind`` (spine, bone, rib, manual) in one style."""
    made: alt.Chart = (
        alt.Chart(lines[lines["kind"] == kind])
        .mark_rule(color=colour, strokeWidth=size, strokeDash=dash or [1, 0])
        .encode(x=_fishbone_x(), y=_fishbone_y(), x2="x2:Q", y2="y2:Q")
    )
    return made


def _fishbone_text(texts: pd.DataFrame, kind: str, **style: Any) -> alt.Chart:
    """The texts of one ``kind`` (bone, cause, manual, head) in one style."""
    made: alt.Chart = (
        alt.Chart(texts[texts["kind"] == kind])
        .mark_text(lineBreak="\n", **style)
        .encode(x=_fishbone_x(), y=_fishbone_y(), text="text:N")
    )
    return made


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines[:4]


# -- satisfaction and KPIs ----------------------------------------------------------------------
