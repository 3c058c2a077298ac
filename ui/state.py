"""The dataset a session works on, kept in ``st.session_state`` (each browser tab has its own),
and what the session made on it.

What belongs to a dataset (pinned findings, the report made for download, the pages' settings)
is kept under that dataset and reached only through the functions here, so switching datasets
never shows or exports another dataset's results; switching back brings them back. The Data
page's widgets for one file (its reading options, column mapping and attached files) carry
that file in their keys (:func:`file_key`), so a new file starts from its own detection.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVENTS = ROOT / "sample_data" / "events.csv"
SAMPLE_SURVEYS = ROOT / "sample_data" / "surveys.csv"
SAMPLE_CUSTOMERS = ROOT / "sample_data" / "customers.csv"
DATA_DIR = Path(os.environ.get("WORKBENCH_DATA_DIR", ROOT / ".workbench"))
DATASETS_DIR = DATA_DIR / "datasets"
UPLOADS_DIR = DATA_DIR / "uploads"


@dataclass(frozen=True)
class Dataset:
    """Everything needed to load a log and rebuild its journeys; hashable, so it can key caches."""

    path: str
    name: str
    mapping: tuple[tuple[str, str | None], ...] = ()
    time_format: str | None = None
    dayfirst: bool | None = None
    delimiter: str | None = None
    encoding: str | None = None
    session_gap: str | None = None
    is_sample: bool = False
    version: str = field(default="")
    surveys: str | None = None
    customers: str | None = None
    pseudonymise: str | None = None  # the salt, when ids are to be pseudonymised
    contacts: tuple[str, ...] | None = None  # the channels that count as contacts (None: guess)

    def with_changes(self, **changes: object) -> Dataset:
        return replace(self, **changes)  # type: ignore[arg-type]


def sample_dataset() -> Dataset:
    stat = SAMPLE_EVENTS.stat()
    return Dataset(
        str(SAMPLE_EVENTS),
        "Sample: Nordic telecom (6 months)",
        is_sample=True,
        version=f"{stat.st_mtime_ns}-{stat.st_size}",
        surveys=str(SAMPLE_SURVEYS),
        customers=str(SAMPLE_CUSTOMERS),
    )


# Widgets whose values should survive a trip to another page and back.
_KEPT_PREFIXES = (
    "jm_",
    "var_top",
    "var_pick",
    "data_source",
    "data_local_",
    "data_delim",
    "data_encoding",
    "fr_goals",
    "fr_wait",
    "fr_repeat",
    "fr_segment",
    "fr_w_",
    "fr_pick",
    "ca_effect",
    "ca_bones",
    "kpi_by",
    "kpi_min_n",
    "kpi_survey_days",
    "kpi_trend",
    "sat_outcome",
    "sat_survey_days",
    "sat_team_attr",
    "pe_",
)


# Buttons, downloads and pins beside charts and tables: never kept, never part of a view.
_NOT_KEPT = re.compile(r"_(png|svg|csv|parquet|dot|pin|pin_title|pin_note)$")


def _kept(key: object) -> bool:
    return str(key).startswith(_KEPT_PREFIXES) and not _NOT_KEPT.search(str(key))


def keep_widget_values() -> None:
    """Keep page widgets' values when the person visits another page and comes back.

    Streamlit forgets a widget's value when a run does not draw it; writing the value back at
    the start of every run (before any page draws) keeps it.
    """
    for key in list(st.session_state.keys()):
        if _kept(key):
            st.session_state[key] = st.session_state[key]


# -- views: the page settings, in the link and in a file ---------------------------------------

_VIEW_SKIP = ("data_",)  # which file is loaded is not part of a view


def _plain(value: object) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, (str, int, float, bool)) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return False


def view_settings() -> dict[str, object]:
    """The settings of every page this session has set (sliders, filters, goals, effect,
    segment, outcome ...), as plain JSON values, sorted by key."""
    out = {}
    for key in sorted(str(k) for k in st.session_state):
        if _kept(key) and not key.startswith(_VIEW_SKIP):
            value = st.session_state[key]
            if _plain(value):
                out[key] = list(value) if isinstance(value, tuple) else value
    return out


def apply_view(settings: object) -> int:
    """Set the page settings from a saved view; unknown keys and odd values are ignored.
    Returns how many settings were applied."""
    if not isinstance(settings, dict):
        raise ValueError("a view is a JSON object of settings")
    n = 0
    for key, value in settings.items():
        if _kept(key) and not str(key).startswith(_VIEW_SKIP) and _plain(value):
            st.session_state[key] = value
            n += 1
    return n


def view_from_link() -> None:
    """On a session's first run, take the settings in the link (``?jm_touchpoints=40&...``;
    each value JSON, or plain text)."""
    if st.session_state.get("_view_from_link_done"):
        return
    st.session_state["_view_from_link_done"] = True
    settings: dict[str, object] = {}
    for key in st.query_params:
        raw = st.query_params.get_all(key)
        text = raw[-1] if raw else ""
        try:
            settings[key] = json.loads(text)
        except ValueError:
            settings[key] = text
    if settings:
        apply_view(settings)


def view_to_link() -> None:
    """Write the current settings into the link, so it (or a bookmark) reopens this view."""
    wanted = {k: json.dumps(v, separators=(",", ":")) for k, v in view_settings().items()}
    current = {k: st.query_params.get(k) for k in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


def default(key: str, value: object) -> None:
    """Give a kept widget its first value (widgets then take no ``value``/``index``)."""
    st.session_state.setdefault(key, value)


@dataclass(frozen=True)
class MapSettings:
    """The Journey map page's choices as the session left them, for the map drawn elsewhere
    (the report): its date range, label, layout and sliders, and the comparison in use."""

    period: tuple[date, date] | None
    measure: str
    rankdir: str
    touchpoints_pct: float
    paths_pct: float
    #: Two periods, A then B, when the page colours the map by what changed between them.
    periods: tuple[tuple[date, date], tuple[date, date]] | None
    #: The attribute and value of the segment compared with the rest (unless periods are).
    segment: tuple[str, str] | None


def _days(value: object, bounds: tuple[date, date]) -> tuple[date, date] | None:
    """A kept date picker's first and last day when they lie within ``bounds``."""
    if not (isinstance(value, (tuple, list)) and len(value) in (1, 2)):
        return None
    if not all(isinstance(d, date) and bounds[0] <= d <= bounds[1] for d in value):
        return None
    return value[0], value[-1]


def map_settings(bounds: tuple[date, date]) -> MapSettings:
    """The Journey map page's settings (``bounds``: the days the log's journeys start on), as
    the page reads them: the whole log when the range spans it, the period comparison before
    the segment one."""
    get = st.session_state.get
    picked = _days(get("jm_range", get("_jm_range_kept")), bounds)
    period = None if picked is None or picked == bounds else picked
    a = _days(get("jm_period_a"), bounds) if get("jm_periods") else None
    b = _days(get("jm_period_b"), bounds) if get("jm_periods") else None
    attr, value = get("jm_cmp_attr", "(none)"), get("jm_cmp_value")
    return MapSettings(
        period=period,
        measure=str(get("jm_measure", "frequency")),
        rankdir={"top to bottom": "TB", "left to right": "LR"}.get(str(get("jm_layout")), "auto"),
        touchpoints_pct=float(get("jm_touchpoints", 70)),
        paths_pct=float(get("jm_paths", 30)),
        periods=(a, b) if a and b else None,
        segment=(str(attr), str(value)) if attr != "(none)" and value is not None else None,
    )


def current() -> Dataset:
    """The session's dataset; the sample data until the person chooses another."""
    if "dataset" not in st.session_state:
        st.session_state["dataset"] = sample_dataset()
    ds: Dataset = st.session_state["dataset"]
    return ds


# Settings that belong to a dataset besides the kept page widgets: the workshop's own causes,
# the causes' period and the funnel's settings.
_DATASET_KEYS = frozenset(
    {"ca_manual", "ca_period", "_ca_period_linked", "fu_steps", "fu_split", "fu_dates", "fu_within"}
)
_BY_DATASET = "_by_dataset"


def _of_dataset(key: str) -> bool:
    return (_kept(key) and not key.startswith(_VIEW_SKIP)) or key in _DATASET_KEYS


def _own(ds: Dataset | None = None) -> dict[str, Any]:
    """What this session made on ``ds`` (the current dataset when not given)."""
    by: dict[Dataset, dict[str, Any]] = st.session_state.setdefault(_BY_DATASET, {})
    return by.setdefault(ds if ds is not None else current(), {})


def set_current(ds: Dataset) -> None:
    """Switch the session to another dataset: the old one's page settings are put away with
    it, and the new one's come back (none for a dataset not seen before: the pages start from
    their defaults)."""
    ss = st.session_state
    old = ss.get("dataset")
    if old == ds:
        return
    mine = [str(k) for k in ss if _of_dataset(str(k))]
    if old is not None:
        _own(old)["view"] = {k: ss[k] for k in mine}
    for key in mine:
        del ss[key]
    ss["dataset"] = ds
    for key, value in _own(ds).get("view", {}).items():
        ss[key] = value


def file_key(name: str, path: str) -> str:
    """The key of a Data-page widget ``name`` that belongs to the file at ``path``.

    A widget with a new key is a new widget, in the browser too, so a new file's mapping,
    reading options and attachments start from nothing instead of the last file's.
    """
    return f"{name}@{hashlib.sha256(path.encode()).hexdigest()[:12]}"


def save_upload(name: str, data: bytes | BinaryIO) -> Path:
    """Store an uploaded file on disk under the data folder, named by its content.

    The bytes are copied in chunks while they are hashed, into a ``.part`` file renamed when
    complete, so a half-written upload never looks complete.
    """
    UPLOADS_DIR.mkdir(parents=True, exist_ok=True)
    stream: BinaryIO = io.BytesIO(data) if isinstance(data, bytes) else data
    stream.seek(0)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=UPLOADS_DIR)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        folder = UPLOADS_DIR / digest.hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)
        path = folder / (safe or "upload")
        if path.exists():
            tmp.unlink()
        else:
            tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def stored_upload(upload: Any) -> Path:
    """``save_upload`` for a Streamlit upload, once per uploaded file in this session."""
    saved: dict[str, str] = st.session_state.setdefault("_saved_uploads", {})
    key = f"{upload.file_id}:{upload.name}"
    if key not in saved or not Path(saved[key]).exists():
        saved[key] = str(save_upload(upload.name, upload))
    return Path(saved[key])


def max_upload_mb() -> int:
    """The server's upload limit (``server.maxUploadSize`` in ``.streamlit/config.toml``)."""
    return int(st.get_option("server.maxUploadSize"))


def local_files_allowed() -> bool:
    """Reading a path on the server is offered only when the app listens on this machine
    alone: then the person at the browser is the person at the machine."""
    address = str(st.get_option("server.address") or "")
    return address in ("127.0.0.1", "localhost", "::1")


def uploads() -> list[Path]:
    """The uploaded files kept in the data folder."""
    if not UPLOADS_DIR.is_dir():
        return []
    return sorted(p for p in UPLOADS_DIR.glob("*/*") if p.is_file())


def delete_upload(path: Path) -> None:
    """Delete one uploaded file (and its folder once empty)."""
    path.unlink(missing_ok=True)
    Path(f"{path}.part").unlink(missing_ok=True)
    if path.parent.is_dir() and not any(path.parent.iterdir()):
        path.parent.rmdir()


def findings() -> list[Any]:
    """The findings pinned on the current dataset (``workbench.Finding``), oldest first."""
    found: list[Any] = _own().setdefault("findings", [])
    return list(found)


def add_finding(finding: Any) -> None:
    """Pin ``finding`` on the current dataset."""
    _own().setdefault("findings", []).append(finding)


def remove_finding(index: int) -> None:
    """Unpin the current dataset's finding at ``index`` (as in :func:`findings`)."""
    found: list[Any] = _own().setdefault("findings", [])
    if 0 <= index < len(found):
        del found[index]


def report_html() -> str | None:
    """The report last made on the current dataset, as HTML; ``None`` before one is made."""
    html: str | None = _own().get("report")
    return html


def keep_report(html: str) -> None:
    """Keep the report made on the current dataset for its download button."""
    _own()["report"] = html
