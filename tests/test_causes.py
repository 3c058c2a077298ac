"""Ishikawa causes from the data: each planted cause leads its bone, and noise finds nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import workbench as wb
from tests.worlds import generate as generate_world
from workbench.analyses.attributes import BONES
from workbench.analyses.causes import effects_for

from .conftest import ROOT, full_model


def _check_planted_causes(model: wb.JourneyModel, truth: dict) -> None:
    ranking = wb.rank_friction(model, concentration=False)
    team = truth["low_resolution_team"]
    fb = wb.group_causes(model, f"friction:unresolved:{team['touchpoint']}")
    assert fb.leader("People")["value"] == team["team"], fb.bone("People")

    # the long queue is the whole line: within it nothing stands out, and the fishbone says how
    # the line compares with the other points instead of restating it as its own cause
    queue = truth["long_queue"]
    fb = wb.group_causes(model, f"friction:long_wait:{queue['touchpoint']}")
    assert fb.elsewhere_rate is not None and fb.base_rate > 3 * fb.elsewhere_rate
    assert "at the other points" in fb.summary()
    assert not (fb.causes["attribute"] == "touchpoint").any(), fb.causes

    # the transfer crisis at its line: when it happened
    crisis = truth["transfer_crisis"]
    fb = wb.group_causes(model, f"friction:transfer:{crisis['touchpoint']}")
    when = fb.leader("Time & environment")
    assert when is not None and when["attribute"] == "month", fb.causes
    month_start = date.fromisoformat(when["value"] + "-01")
    assert (
        date.fromisoformat(crisis["start"]).replace(day=1)
        <= month_start
        <= date.fromisoformat(crisis["end"])
    ), fb.bone("Time & environment")

    loop = truth["app_phone_loop"]
    loop_rows = ranking.table[
        (ranking.table["kind"] == "loop")
        & ranking.table["cycle"].apply(
            lambda c: isinstance(c, list) and loop["app_touchpoint"] in c
        )
    ]
    point = loop_rows.iloc[0]["point"]
    fb = wb.group_causes(model, f"friction:loop:{point}")
    lead = fb.leader("Channel & technology")
    assert (lead["attribute"], lead["value"]) == ("device", loop["device"]), fb.bone(
        "Channel & technology"
    )


def test_planted_causes_lead_their_bones(
    sample_full_model: wb.JourneyModel, sample_truth: dict
) -> None:
    _check_planted_causes(sample_full_model, sample_truth["stories"])


def test_planted_causes_lead_when_moved(moved_stories: Path) -> None:
    truth = json.loads((moved_stories / "truth.json").read_text())["stories"]
    _check_planted_causes(full_model(moved_stories), truth)


@pytest.mark.parametrize("effect", ["detractor"])
def test_no_planted_cause_no_significant_cause(calm_data: Path, effect: str) -> None:
    """Loyalty depends on nothing in the calm data: no cause may be reported."""
    fb = wb.group_causes(full_model(calm_data), effect)
    assert fb.causes.empty, fb.causes[["bone", "label", "q_value"]]
    assert sum(fb.left_out.values()) > 20  # candidates were tested, and left out


def test_every_cause_carries_its_evidence(sample_full_model: wb.JourneyModel) -> None:
    fb = wb.group_causes(sample_full_model, "low_csat")
    c = fb.causes
    assert not c.empty
    assert (c["q_value"] < 0.05).all() and (c["lift"] > 1).all()
    assert (c["units"] >= 30).all() and (c["affected"] >= 10).all()
    assert (c["ci_low"] <= c["effect_size"]).all() and (c["effect_size"] <= c["ci_high"]).all()
    assert set(c["bone"]) <= set(BONES)
    for bone in BONES:
        rows = fb.bone(bone)
        assert (rows["explained"].diff().dropna() <= 1e-9).all()  # strongest first
        assert len(rows) <= 5
    assert fb.unit == "journeys" and 0 < fb.base_rate < 1


def test_attributes_can_move_to_another_bone(sample_full_model: wb.JourneyModel) -> None:
    fb = wb.group_causes(
        sample_full_model,
        "friction:unresolved:Support call",
        bones={"team": "Policy & information"},
    )
    assert fb.bone_of["team"] == "Policy & information"
    assert fb.leader("Policy & information")["value"] == "Tech Support B"
    assert (fb.bone("People")["attribute"] != "team").all()
    with pytest.raises(wb.ValidationError):
        wb.group_causes(sample_full_model, "low_csat", bones={"team": "Luck"})


def test_workshop_causes_are_marked(sample_full_model: wb.JourneyModel) -> None:
    fb = wb.group_causes(sample_full_model, "churned")
    more = fb.with_manual("Policy & information", "Retention offers are not personal")
    row = more.bone("Policy & information").iloc[-1]
    assert bool(row["manual"]) and row["label"].endswith("(workshop)")
    assert len(more.causes) == len(fb.causes) + 1  # the original is unchanged
    assert more.leader("Policy & information") == fb.leader("Policy & information")


@pytest.mark.parametrize(
    "effect",
    [
        "has:Second-line transfer",
        "no_goal:Fault resolved",
        "friction:dropoff:Compare plans",
        "detractor",
    ],
)
def test_outcome_effects(sample_full_model: wb.JourneyModel, effect: str) -> None:
    fb = wb.group_causes(sample_full_model, effect)
    assert fb.population > fb.affected > 0
    assert not (
        (fb.causes["attribute"] == "visits")
        & (fb.causes["value"] == effect.rsplit(":", maxsplit=1)[-1])
    ).any()


@pytest.mark.parametrize(
    ("effect", "title"),
    [
        ("colour", "Unknown effect"),
        ("has:Nowhere", "Unknown touchpoint"),
        ("friction:teleport:Log in", "Unknown effect"),
        # no journey heads to a sales call often enough: nothing to explain, not a crash
        ("no_goal:Sales call", "Nothing to explain"),
    ],
)
def test_bad_effects_are_titled(
    sample_full_model: wb.JourneyModel, effect: str, title: str
) -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.group_causes(sample_full_model, effect)
    assert err.value.title == title


def test_json_document(sample_full_model: wb.JourneyModel) -> None:
    doc = wb.group_causes(sample_full_model, "friction:unresolved:Support call").to_json()
    assert doc["effect"] == "friction:unresolved:Support call"
    assert [b["name"] for b in doc["bones"]] == list(BONES)
    people = doc["bones"][0]["causes"][0]
    for key in ("attribute", "value", "effect_size", "ci_low", "ci_high", "support", "lift"):
        assert key in people
    json.dumps(doc)


def test_journey_causes_count_each_journey_once(tmp_path: Path) -> None:
    """A journey with the same team on three contacts counts once for that team, and a value
    with a quote in it is a cause like any other."""
    rows = ["customer_id,journey_id,touchpoint,channel,timestamp,team,wait_seconds"]
    for j in range(120):
        team = "O'Brien & Co" if j < 40 else ("Ann" if j < 80 else "Bo")
        refund = j < 36 or j in (40, 41, 80)  # O'Brien's journeys nearly all reach a refund
        steps = ["Support call", "Support call", "Support call"] + (["Refund"] if refund else [])
        for k, touchpoint in enumerate(steps):
            rows.append(
                f"C{j:03d},J{j:03d},{touchpoint},phone,2026-03-{1 + j % 28:02d} "
                f'10:{k:02d}:00,"{team}",{30 * (j % 7) + k}'
            )
    path = tmp_path / "teams.csv"
    path.write_text("\n".join(rows) + "\n")
    model = wb.build_journeys(wb.load_events(path))
    fb = wb.group_causes(model, "has:Refund", min_support=10, min_affected=5)
    assert (fb.population, fb.affected) == (120, 39)
    lead = fb.leader("People")
    assert (lead["attribute"], lead["value"]) == ("team", "O'Brien & Co"), fb.bone("People")
    # 40 journeys, not the 120 contacts they hold; 36 of them reach the refund
    assert (int(lead["units"]), int(lead["affected"])) == (40, 36)


def test_moving_a_bone_or_a_floor_counts_nothing_again() -> None:
    """An effect's counts are kept on the model: moving an attribute to another bone or
    changing a floor relabels and re-tests them, with the same result as a fresh model."""
    sample = Path(__file__).parents[1] / "sample_data"
    model = full_model(sample)
    effect = "friction:unresolved:Support call"
    first = wb.group_causes(model, effect)
    with model.using() as cur:
        cur.execute("drop table visits")  # counting the effect again would now fail
    moved = wb.group_causes(model, effect, bones={"team": "Policy & information"}, alpha=0.01)
    fresh = wb.group_causes(
        full_model(sample), effect, bones={"team": "Policy & information"}, alpha=0.01
    )
    assert first.leader("People")["attribute"] == "team"
    assert moved.leader("Policy & information")["attribute"] == "team"
    assert moved.to_json() == fresh.to_json()


# -- an effect limited to a period -----------------------------------------------------------


def _cause(fb: wb.Fishbone, attribute: str, value: str) -> dict | None:
    rows = fb.causes[(fb.causes["attribute"] == attribute) & (fb.causes["value"] == value)]
    return None if rows.empty else dict(rows.iloc[0])


def test_a_period_counts_only_its_units(sample_full_model: wb.JourneyModel, sample_truth: dict):
    """The transfer crisis at the moving line, seen during its weeks: far fewer contacts count,
    and the transfer rate at the line is the crisis's, not the whole log's blend."""
    crisis = sample_truth["stories"]["transfer_crisis"]
    effect = f"friction:transfer:{crisis['touchpoint']}"
    last_day = str(date.fromisoformat(crisis["end"]) - timedelta(days=1))  # the end is exclusive
    during = wb.group_causes(sample_full_model, effect, period=(crisis["start"], last_day))
    whole = wb.group_causes(sample_full_model, effect)  # kept apart from the period's counts
    before = wb.group_causes(sample_full_model, effect, period=(date(2026, 3, 2), "2026-04-26"))

    assert during.population < 0.5 * whole.population
    assert during.params["period"] == [crisis["start"], last_day] and whole.params["period"] is None
    assert during.title.endswith(f", {crisis['start']} to {last_day}")
    assert crisis["start"] in during.summary()
    assert during.base_rate > 1.5 * whole.base_rate
    assert before.base_rate < 0.5 * during.base_rate
    # every unit is at the line: the rates are the line's, in the crisis, before it, overall
    assert abs(during.base_rate - crisis["transfer_rate_in_period"]) < 0.1
    assert abs(before.base_rate - crisis["transfer_rate_otherwise"]) < 0.05
    assert before.base_rate < whole.base_rate < during.base_rate
    # every unit counted is inside the period, both days included
    with sample_full_model.using() as cur:
        first, last = cur.execute("select min(ts), max(ts) from cause_units").fetchone()
    assert first.date() >= date(2026, 3, 2) and last.date() <= date(2026, 4, 26)


@pytest.mark.parametrize(
    ("effect", "unit"),
    [("churned", "customers"), ("low_csat", "journeys"), ("not_reached:Activate SIM", "journeys")],
)
def test_a_period_limits_journeys_and_customers_too(
    sample_full_model: wb.JourneyModel, effect: str, unit: str
) -> None:
    whole = wb.group_causes(sample_full_model, effect)
    during = wb.group_causes(sample_full_model, effect, period=("2026-05-04", "2026-06-28"))
    assert during.unit == whole.unit == unit
    assert 0 < during.population < 0.6 * whole.population
    assert during.affected < whole.affected


@pytest.mark.parametrize(
    ("period", "says"),
    [
        (("2026-13-01", "x"), "'2026-13-01' is not a date"),
        (("2026-05-04", ""), "no last day"),
        (("2026-06-28", "2026-05-04"), "ends (2026-05-04) before it starts"),
        ("2026-05-04", "two dates"),
    ],
)
def test_a_bad_period_says_how_to_write_one(
    sample_full_model: wb.JourneyModel, period: object, says: str
) -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.group_causes(sample_full_model, "low_csat", period=period)  # type: ignore[arg-type]
    assert err.value.title == "Period not understood"
    assert says in err.value.message and "2026-05-04..2026-06-28" in err.value.message


def test_a_period_without_data_has_nothing_to_explain(sample_full_model: wb.JourneyModel) -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.group_causes(sample_full_model, "churned", period=("2030-01-01", "2030-01-31"))
    assert err.value.title == "Nothing to explain" and "2030-01-01" in err.value.message


# -- who never reaches a goal ----------------------------------------------------------------


@pytest.fixture(scope="module")
def clickstream(tmp_path_factory: pytest.TempPathFactory) -> Callable[[bool], tuple]:
    """The web shop of tests/worlds (and its null twin): its journeys and its truth."""
    made: dict[bool, tuple] = {}

    def get(stories: bool) -> tuple:
        if stories not in made:
            out = tmp_path_factory.mktemp(f"clickstream-{stories}")
            truth = generate_world("clickstream", out, 1, stories=stories)
            cols = truth["columns"]
            mapping = {r: cols[r] for r in ("customer", "journey", "touchpoint", "time")}
            log = wb.load_events(out / "events.csv", mapping=mapping)
            made[stories] = (wb.build_journeys(log), truth)
        return made[stories]

    return get


def test_not_reaching_the_goal_names_the_planted_segment_and_incident(clickstream) -> None:
    """Who does not buy in the web shop: android visitors (their checkouts fail), and the
    month of the payment outage. New and returning visitors buy alike there (the world plants
    no difference), so the Customer bone stays empty."""
    model, truth = clickstream(True)
    goal = truth["goals"][0]
    fb = wb.group_causes(model, f"not_reached:{goal}", goals=truth["goals"])
    assert fb.unit == "journeys" and fb.population == model.n_journeys
    stories = {s["name"]: s for s in truth["stories"]}

    segment = stories["android_checkout"]["segment"]
    android = _cause(fb, segment["attribute"], segment["value"])
    assert android is not None, fb.bone("Channel & technology")
    assert android["bone"] == "Channel & technology" and android["lift"] > 1.05

    outage = stories["payment_outage"]
    months = {outage["start"][:7], outage["end"][:7]}
    when = fb.leader("Time & environment")
    assert when is not None and (when["attribute"], when["value"] in months) == ("month", True)

    assert not (fb.causes["attribute"] == "customer_type").any(), fb.bone("Customer")
    # neither the goal nor the way to it is a cause of not reaching it
    assert not set(fb.causes.loc[fb.causes["attribute"] == "visits", "value"]) & {
        goal,
        "cart",
        "checkout",
        "payment",
    }


def test_not_reaching_the_goal_in_the_null_twin_names_no_segment(clickstream) -> None:
    model, truth = clickstream(False)
    fb = wb.group_causes(model, f"not_reached:{truth['goals'][0]}", goals=truth["goals"])
    named = set(fb.causes["attribute"])
    assert not named & {"platform", "device", "customer_type", "month"}, fb.causes


def test_not_reaching_the_goal_names_new_customers_when_they_buy_less(tmp_path: Path) -> None:
    """A shop where first sessions buy a tenth of the time and later ones four in ten: the
    Customer bone leads with customer_type = new."""
    rows = ["session_id,visitor_id,page,timestamp,customer_type"]
    for j in range(800):
        new = j % 2 == 0  # each visitor's first session, then one more
        buys = j % 20 in ((0,) if new else (1, 3, 5, 7))
        pages = ["home", "product", *(["cart", "purchase"] if buys else [])]
        for k, page in enumerate(pages):
            rows.append(
                f"s{j:04d},v{j // 2:04d},{page},2026-03-{1 + (j // 2) % 28:02d}T"
                f"{8 + j % 2}:{k:02d}:00,{'new' if new else 'returning'}"
            )
    path = tmp_path / "shop.csv"
    path.write_text("\n".join(rows) + "\n")
    model = wb.build_journeys(wb.load_events(path))
    fb = wb.group_causes(model, "not_reached:purchase", goals=["purchase"])
    lead = fb.leader("Customer")
    assert lead is not None and (lead["attribute"], lead["value"]) == ("customer_type", "new")
    assert lead["rate"] == pytest.approx(0.9) and lead["rate_without"] == pytest.approx(0.6)


def test_not_reached_is_offered_for_each_goal(sample_model: wb.JourneyModel) -> None:
    ranking = wb.rank_friction(sample_model, goals=["Activate SIM"], concentration=False)
    offered = effects_for(ranking)
    assert offered[-1] == "not_reached:Activate SIM"
    assert offered[0].startswith("friction:")
    with pytest.raises(wb.ValidationError) as err:
        wb.group_causes(sample_model, "not_reached:Nowhere")
    assert err.value.title == "Unknown touchpoint"


def test_the_causes_page_takes_a_period_from_the_link() -> None:
    """The Friction page (or a bookmark) can hand the Causes page a period in the link."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["ca_effect"] = "friction:transfer:Moving call"
    at.run()
    at.query_params["period_from"] = "2026-05-04"
    at.query_params["period_to"] = "2026-06-28"
    at.switch_page("pages/causes.py").run()
    assert not at.exception
    assert at.date_input(key="ca_period").value == (date(2026, 5, 4), date(2026, 6, 28))
    assert at.markdown[0].value.startswith(
        "**Transfers (friction at Moving call), 2026-05-04 to 2026-06-28:"
    )
    at.date_input(key="ca_period").set_value((date(2026, 3, 2), date(2026, 8, 30))).run()
    assert not at.exception  # the whole log again: no period in the title
    assert at.markdown[0].value.startswith("**Transfers (friction at Moving call): ")


def test_a_number_s_bands_are_one_cause(sample_full_model: wb.JourneyModel) -> None:
    """Two wait bands side by side say "waits are long", not two causes: each banded attribute
    shows its strongest band only (the sample's detractors have several significant bands)."""
    fb = wb.group_causes(sample_full_model, "detractor")
    banded = fb.causes[fb.causes["label"].str.contains(r" to | or more|below ", regex=True)]
    assert not banded.empty, fb.causes
    assert not banded.duplicated("attribute").any(), banded[["attribute", "label"]]


def test_a_point_s_own_line_is_not_its_cause(sample_full_model: wb.JourneyModel) -> None:
    """Long waits at the billing line: counted over the line's contacts, so neither the line
    nor the queue that is the line is offered as a cause of it."""
    fb = wb.group_causes(sample_full_model, "friction:long_wait:Billing call")
    at_line = int((sample_full_model.steps()["touchpoint"] == "Billing call").sum())
    assert 0.5 * at_line < fb.population <= at_line
    assert not fb.causes["label"].isin(["at Billing call", "queue = billing"]).any()
    assert fb.to_json()["elsewhere_rate"] == fb.elsewhere_rate < fb.base_rate


def test_the_causes_page_says_when_nothing_stands_out_and_hides_touchpoints() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["ca_effect"] = "friction:long_wait:Billing call"
    at.run()
    at.switch_page("pages/causes.py").run()
    assert not at.exception
    assert "at the other points" in at.markdown[0].value
    assert any("Nothing in the data stands out" in i.value for i in at.info)
    offered = at.selectbox(key="ca_effect").options
    assert not any(o.startswith("Journeys that pass") for o in offered)
    at.toggle(key="ca_any_touchpoint").set_value(True).run()
    assert any(o.startswith("Journeys that pass") for o in at.selectbox(key="ca_effect").options)


@pytest.mark.parametrize(
    ("effect", "attribute"),
    [
        ("detractor", "team"),  # customers: a unit has many events, their values gathered as a set
        ("friction:unresolved:Support call", "agent_id"),  # contacts: one event per unit
    ],
)
def test_each_value_s_counts_agree_with_counting_the_units_directly(
    effect: str, attribute: str
) -> None:
    """The counts the causes' queries make (bit sets per unit, or one grouping) are those of
    counting, for each value, the units with a step of that value and the affected among them."""
    model = full_model(ROOT / "sample_data")
    fb = wb.group_causes(model, effect, min_support=1, min_affected=0)
    with model.using() as cur:  # the units the counts read stay on the model's cursor
        rows = cur.execute(
            f"select distinct u.unit, u.effect, cast(e.{attribute} as varchar) as v "
            f"from cause_steps u join events e on e.row_no = u.row_no where v is not null"
        ).df()
    direct = rows.groupby("v").agg(units=("unit", "size"), affected=("effect", "sum"))
    found = fb.bone("People").query(f"attribute == '{attribute}'").set_index("value")
    assert len(found) >= 3
    for value, row in found.iterrows():
        assert (int(row["units"]), int(row["affected"])) == tuple(direct.loc[value]), value
