"""The fishbone: an effect, the causes on each bone with their evidence, and how they are chosen
from the candidate counts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from workbench.analyses.attributes import BONES
from workbench.core.errors import ValidationError
from workbench.core.records import json_rows
from workbench.core.stats import adjust, compare, percent

CAUSE_COLUMNS = [
    "bone",
    "attribute",
    "value",
    "label",
    "units",
    "affected",
    "rate",
    "rate_without",
    "effect_size",
    "ci_low",
    "ci_high",
    "lift",
    "lift_ci_low",
    "lift_ci_high",
    "q_value",
    "explained",
    "manual",
]


@dataclass(frozen=True)
class Fishbone:
    """An effect and the causes on each bone, with the evidence for each.

    Attributes
    ----------
    effect, title
        The effect's key (``"friction:unresolved:Support call"``) and a title for people.
    unit
        What is counted: ``contacts``, ``journeys`` or ``customers``.
    population, affected
        Units measured and units showing the effect; ``base_rate`` = affected / population.
    causes
        One row per cause shown: ``bone``, ``attribute``, ``value``, ``label``, ``units``
        (support), ``affected``, ``rate`` and ``rate_without``, ``effect_size`` (the rate
        difference) with ``ci_low``/``ci_high``, ``lift`` with its interval, ``q_value``,
        ``explained`` and ``manual`` (added by hand in a workshop).
    left_out
        Per bone, how many candidate causes were left out (below the support floor, not
        significant, or beyond ``per_bone``).
    bone_of
        The bone each attribute was put on (defaults, then the analyst's moves).
    elsewhere_rate
        For an effect at a point (long waits at the billing line), its rate at the other
        points: the baseline the point is read against. ``None`` for other effects.
    """

    effect: str
    title: str
    unit: str
    population: int
    affected: int
    base_rate: float
    causes: pd.DataFrame
    left_out: dict[str, int]
    bone_of: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)
    caveat: str = "Association, not proof of causation: these are places to look."
    elsewhere_rate: float | None = None

    def bone(self, name: str) -> pd.DataFrame:
        """The causes on one bone, strongest first."""
        return self.causes[self.causes["bone"] == name].reset_index(drop=True)

    def leader(self, bone: str) -> dict[str, Any] | None:
        """The strongest data-driven cause on ``bone`` (``None`` when the bone is empty)."""
        rows = self.causes[(self.causes["bone"] == bone) & ~self.causes["manual"]]
        return None if rows.empty else dict(rows.iloc[0])

    def with_manual(self, bone: str, text: str) -> Fishbone:
        """A copy with a hand-written cause on ``bone`` (marked as manual, no numbers)."""
        if bone not in BONES:
            raise ValidationError(
                f"There is no bone '{bone}'; bones: {', '.join(BONES)}.", "Unknown bone"
            )
        if not text.strip():
            raise ValidationError("Write what the cause is.", "Empty cause")
        row: dict[str, Any] = {c: None for c in CAUSE_COLUMNS}
        row.update(
            {
                "bone": bone,
                "attribute": "workshop",
                "value": text.strip(),
                "label": f"{text.strip()} (workshop)",
                "manual": True,
            }
        )
        causes = pd.concat([self.causes, pd.DataFrame([row])], ignore_index=True)
        return replace(self, causes=causes)

    def summary(self) -> str:
        """``"Unresolved contacts: 712 of 3,120 contacts (23 %)"``, and for an effect at a point
        ``", against 9 % at the other points"``."""
        against = (
            f", against {percent(self.elsewhere_rate)} at the other points"
            if self.elsewhere_rate is not None
            else ""
        )
        return (
            f"{self.title}: {self.affected:,} of {self.population:,} {self.unit} "
            f"({percent(self.base_rate)}){against}"
        )

    def to_json(self) -> dict[str, Any]:
        """The document ``python -m workbench causes`` prints."""
        bones = []
        for name in BONES:
            rows = self.bone(name)
            bones.append(
                {
                    "name": name,
                    "causes": json_rows(
                        rows.reindex(
                            columns=[
                                "attribute",
                                "value",
                                "label",
                                "effect_size",
                                "ci_low",
                                "ci_high",
                                "support",
                                "lift",
                                "lift_ci_low",
                                "lift_ci_high",
                                "rate",
                                "rate_without",
                                "affected",
                                "explained",
                                "q_value",
                                "manual",
                            ]
                        ).assign(support=rows["units"].to_numpy() if len(rows) else [])
                    ),
                    "left_out": self.left_out.get(name, 0),
                }
            )
        return {
            "effect": self.effect,
            "title": self.title,
            "unit": self.unit,
            "population": self.population,
            "affected": self.affected,
            "base_rate": self.base_rate,
            "elsewhere_rate": self.elsewhere_rate,
            "bones": bones,
            "bone_of": self.bone_of,
            "params": self.params,
            "caveat": self.caveat,
        }


def choose_causes(
    counts: pd.DataFrame,
    population: int,
    affected: int,
    min_support: int,
    min_affected: int,
    alpha: float,
    per_bone: int,
) -> tuple[pd.DataFrame, dict[str, int]]:
    c = counts.copy()
    c["units"] = c["units"].astype("int64")
    c["affected"] = c["affected"].astype("int64")
    c = c[c["units"] < population]  # a value every unit has explains nothing
    n0 = population - c["units"]
    k0 = affected - c["affected"]
    stats = compare(c["affected"], c["units"], k0, n0)
    c = pd.concat([c, stats], axis=1).rename(
        columns={
            "base_rate": "rate_without",
            "difference": "effect_size",
            "ci_low": "rate_ci_low",
            "ci_high": "rate_ci_high",
        }
    )
    c = c.rename(columns={"diff_ci_low": "ci_low", "diff_ci_high": "ci_high"})
    c["supported"] = (c["units"] >= min_support) & (c["affected"] >= min_affected)
    c["q_value"] = 1.0
    if c["supported"].any():
        c.loc[c["supported"], "q_value"] = adjust(c.loc[c["supported"], "p_value"])
    c["significant"] = c["supported"] & (c["q_value"] < alpha) & (c["lift"] > 1)
    c["explained"] = c["affected"] - c["units"] * c["rate_without"]
    c["manual"] = False
    c["label"] = [_label(a, v) for a, v in zip(c["attribute"], c["value"], strict=True)]
    shown, left = [], {}
    for bone in BONES:
        mine = c[c["bone"] == bone]
        sig = mine[mine["significant"]].sort_values(
            ["explained", "effect_size", "attribute", "value"],
            ascending=[False, False, True, True],
            kind="stable",
        )
        # a number's bands are one cause: its strongest band stands for the attribute (two
        # wait bands side by side say "waits are long", not two things)
        banded = sig["banded"].fillna(False).astype(bool) if "banded" in sig else False
        sig = sig[~(banded & sig.duplicated("attribute"))]
        shown.append(sig.head(per_bone))
        left[bone] = int(len(mine) - min(per_bone, len(sig)))
    out = pd.concat(shown, ignore_index=True) if shown else pd.DataFrame(columns=CAUSE_COLUMNS)
    return out.reindex(columns=CAUSE_COLUMNS).reset_index(drop=True), left


def _label(attribute: str, value: str) -> str:
    if attribute == "visits":
        return f"visits {value}"
    if attribute == "touchpoint":
        return f"at {value}"
    if attribute == "wrote":
        return f"customers wrote “{value}”"
    return f"{attribute} = {value}"
