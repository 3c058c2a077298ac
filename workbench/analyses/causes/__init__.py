"""Causes of an effect, grouped Ishikawa-style from the data.

The analyst picks an *effect* -- a friction signal, or an outcome:

====================================== ====================================================
effect                                 measured on
====================================== ====================================================
``friction:<signal>:<point>``          a contact-level signal (long_wait, transfer,
                                       unresolved, abandoned, repeat_contact,
                                       channel_switch): the contacts or steps at the point
                                       where it can be seen (the point is not its own cause;
                                       its rate at the other points is the baseline read)
``friction:dropoff:<touchpoint>``      journeys through the touchpoint
``friction:loop:<source> → <target>``  journeys that make the transition
``no_goal:<touchpoint>``               journeys heading to the touchpoint (they visit a
                                       touchpoint whose journeys reach it 70 % of the time)
``not_reached:<touchpoint>``           all journeys: the effect is never reaching the
                                       touchpoint (a goal: who does not buy, and who they are)
``has:<touchpoint>``                   all journeys
``reason:<label>``                     journeys whose customers' texts were grouped into
                                       reasons (:func:`workbench.reasons`): the effect is a
                                       text in the reason called ``label`` (a label or an id;
                                       a relationship survey's comment counts for the
                                       writer's last journey before it)
``low_csat``                           journeys with a CSAT answer
``detractor``, ``churned``             customers with an NPS answer / in the customer list
====================================== ====================================================

Every attribute value (team = B, device = android, month = 2026-05, segment = Youth,
visits Support call ...) is a candidate cause: the effect's rate among units with it is compared
with the rate among the rest (Fisher test, Benjamini-Hochberg across all candidates, a support
floor). The causes that raise the effect sit on their bone -- People, Process, Channel &
technology, Policy & information, Time & environment, Customer -- strongest first, where
*strongest* means the most affected units explained beyond the base rate
(``explained = affected - units x rate without``). Causes below the floor or not significant are
left out and counted; so are touchpoints and channels that 95 % of the affected journeys pass
(they are the effect's own path: a loop through the IVR goes through the IVR). A number's
quartile bands are one cause: only its strongest band is shown.

An effect can be limited to a period (``period=("2026-05-04", "2026-06-28")``): only the units
whose time falls in it are counted, affected or not, so the fishbone says what went with the
effect *during* the period (a crisis, a campaign) rather than over the whole log.

This is association, not proof of causation: a fishbone points where to look.
"""

from __future__ import annotations

from workbench.analyses.causes.effects import HEADING_SHARE, Period
from workbench.analyses.causes.features import PATH_SHARE
from workbench.analyses.causes.fishbone import CAUSE_COLUMNS, Fishbone
from workbench.analyses.causes.group import effects_for, group_causes

__all__ = [
    "CAUSE_COLUMNS",
    "HEADING_SHARE",
    "PATH_SHARE",
    "Fishbone",
    "Period",
    "effects_for",
    "group_causes",
]
