"""Generated worlds the friction analysis is judged on, and the harness that scores it.

Each world is a module with ``generate(out, seed, stories=True, weeks=16)`` writing
``events.csv`` and ``truth.json`` into ``out`` and returning the truth; ``stories=False`` gives
its null twin. See ``README.md`` in this folder.

>>> import tempfile
>>> from pathlib import Path
>>> from tests.worlds import WORLDS
>>> truth = WORLDS["clickstream"](Path(tempfile.mkdtemp()), seed=1)
>>> [s["kind"] for s in truth["stories"]]
['incident', 'segment', 'drift', 'pattern']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.worlds import clickstream, contact_centre, tickets

Generate = Callable[..., dict[str, Any]]

WORLDS: dict[str, Generate] = {
    "clickstream": clickstream.generate,
    "contact_centre": contact_centre.generate,
    "tickets": tickets.generate,
}


def generate(
    name: str, out: Path, seed: int, stories: bool = True, weeks: int = 16
) -> dict[str, Any]:
    """Write the world called ``name`` into ``out``; return its truth."""
    return WORLDS[name](out, seed, stories=stories, weeks=weeks)
