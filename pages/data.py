"""Data: choose the sample or upload a file, check the mapping, see what was loaded and rejected."""

from __future__ import annotations

import gc
import secrets
from pathlib import Path

import pandas as pd
import streamlit as st

import workbench as wb
from ui import cached, state, views
from ui.errors import guarded
from ui.shell import ensure_app
from workbench.ingest.schema import ROLE_LABELS, ROLES
from workbench.store.datasets import delete_dataset, list_datasets

ensure_app()  # first, deep-linked visits run inside app.py's navigation

NONE = "— none —"
TIME_CHOICES = {
    "as detected": None,
    "day/month/year": "dmy",
    "month/day/year": "mdy",
    "ISO 8601": "iso",
    "Unix epoch": "epoch",
}
# The mapping form's fields; their widgets belong to the file being mapped (state.file_key).
FORM_FIELDS = (
    *(f"map_{role}" for role in ROLES),
    "map_time_format",
    "map_time_pattern",
    "map_split",
    "map_gap",
    "map_pseudo",
    "map_salt",
)


def _apply(
    path: str,
    name: str,
    delimiter: str | None,
    encoding: str | None,
    surveys: str | None,
    customers: str | None,
) -> None:
    """Load button: make the form's mapping the session's dataset (runs before the rerun)."""
    ss = {name: st.session_state[state.file_key(name, path)] for name in FORM_FIELDS}
    chosen = {role: (None if ss[f"map_{role}"] == NONE else ss[f"map_{role}"]) for role in ROLES}
    choice = ss["map_time_format"]
    time_format = (
        TIME_CHOICES[choice] if choice in TIME_CHOICES else (ss["map_time_pattern"] or None)
    )
    by_gap = ss["map_split"] == "inactivity gap" or chosen["journey"] is None
    old = state.current()
    state.set_current(
        state.Dataset(
            path=path,
            name=name,
            mapping=tuple(sorted(chosen.items())),
            time_format=time_format,
            delimiter=delimiter,
            encoding=encoding,
            session_gap=(ss["map_gap"] or "30min") if by_gap else None,
            is_sample=(path == str(state.SAMPLE_EVENTS)),
            version=old.version if path == old.path else "",
            surveys=surveys,
            customers=customers,
            pseudonymise=(ss["map_salt"] or None) if ss["map_pseudo"] else None,
        )
    )


st.header("Data")
ds = state.current()

SOURCES = ["Sample data", "Upload a file"]
if state.local_files_allowed():
    SOURCES.append("A file on this computer")
state.default("data_source", "Sample data" if ds.is_sample else "Upload a file")
if st.session_state["data_source"] not in SOURCES:
    st.session_state["data_source"] = "Upload a file"
source = st.radio("Source", SOURCES, horizontal=True, key="data_source")
KINDS = ["csv", "tsv", "txt", "parquet", "json", "ndjson", "jsonl", "xes", "gz"]


def _local(label: str, key: str, current: str | None) -> str | None:
    """A path typed by the person, checked; ``None`` when empty or not a file."""
    state.default(key, current or "")
    text = st.text_input(label, key=key, placeholder="/path/to/file.csv").strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if not path.is_file():
        st.error(
            f"**No such file**  \n{path} does not exist or is not a file. Give the full path "
            "of a CSV, TSV, Parquet, JSON or NDJSON file.",
            icon="⚠️",
        )
        return None
    return str(path.resolve())


if source == "Sample data":
    if not ds.is_sample:
        state.set_current(state.sample_dataset())
        st.rerun()
    st.caption(
        "A Nordic telecom's customers over six months across web, app, IVR, phone, chat, "
        "e-mail, SMS and store, with planted stories (see sample_data/README.md)."
    )
    target_path, target_name = ds.path, ds.name
    survey_path, customer_path = ds.surveys, ds.customers
elif source == "A file on this computer":
    st.caption(
        "Read a file where it is, without uploading it: the way to open files larger than "
        f"the {state.max_upload_mb():,} MB upload limit. It is imported once into the data "
        "folder and reopened from there."
    )
    keep = None if ds.is_sample else ds
    local_events = _local("Event log path", "data_local_events", keep and keep.path)
    if local_events is None:
        if ds.is_sample:
            st.info("Give the path of an event log. Until then the sample data stays loaded.")
        st.stop()
    target_path, target_name = local_events, Path(local_events).name
    same = None if ds.is_sample or ds.path != target_path else ds  # attachments of this log
    u1, u2 = st.columns(2)
    with u1:
        survey_path = _local(
            "Survey responses path (optional)",
            state.file_key("data_local_surveys", target_path),
            same and same.surveys,
        )
    with u2:
        customer_path = _local(
            "Customer list path (optional)",
            state.file_key("data_local_customers", target_path),
            same and same.customers,
        )
else:
    upload = st.file_uploader(
        "Event log",
        key="data_upload",
        type=KINDS,
        help="CSV/TSV (also .gz), Parquet, JSON, NDJSON or XES (also .xes.gz). The file is "
        "stored on disk in the "
        "workbench data folder.",
    )
    st.caption(
        f"Up to {state.max_upload_mb():,} MB per file (server.maxUploadSize in "
        ".streamlit/config.toml)."
        + (
            " Larger files: choose **A file on this computer** to read them in place."
            if state.local_files_allowed()
            else ""
        )
    )
    if upload is None and ds.is_sample:
        st.info("Upload an event log to analyse it. Until then the sample data stays loaded.")
        st.stop()
    if upload is not None:
        target_path = str(state.stored_upload(upload))
        target_name = upload.name
    else:
        target_path, target_name = ds.path, ds.name
    same = None if ds.is_sample or ds.path != target_path else ds  # attachments of this log
    u1, u2 = st.columns(2)
    survey_up = u1.file_uploader(
        "Survey responses (optional)",
        key=state.file_key("data_surveys", target_path),
        type=KINDS,
        help="NPS (0-10), CSAT (1-5) and CES (1-7) answers: customer, kind, score, time; "
        "optionally journey, interaction, touchpoint, comment.",
    )
    customer_up = u2.file_uploader(
        "Customer list (optional)",
        key=state.file_key("data_customers", target_path),
        type=KINDS,
        help="One row per customer: segment, tenure, plan, revenue, churned ...",
    )
    survey_path = (
        str(state.stored_upload(survey_up)) if survey_up is not None else same and same.surveys
    )
    customer_path = (
        str(state.stored_upload(customer_up))
        if customer_up is not None
        else same and same.customers
    )
attached = [
    f"{what} {Path(path).name}"
    for what, path in (("survey responses", survey_path), ("customer list", customer_path))
    if path
]
st.caption(
    f"Attached to {target_name}: {' and '.join(attached)}."
    if attached
    else f"Nothing attached to {target_name}."
)

DELIMITERS = ["detect", ",", ";", "tab", "|"]
ENCODINGS = ["detect", "utf-8", "windows-1252"]
loaded_as = ds if target_path == ds.path else None  # this file's options, if it is loaded
delim_now = loaded_as and {"\t": "tab"}.get(str(loaded_as.delimiter), loaded_as.delimiter)
enc_now = loaded_as and loaded_as.encoding
with st.expander("File reading options", expanded=False):
    c1, c2 = st.columns(2)
    delim_label = c1.selectbox(
        "Delimiter",
        DELIMITERS,
        index=DELIMITERS.index(delim_now) if delim_now in DELIMITERS else 0,
        key=state.file_key("data_delim", target_path),
    )
    enc_label = c2.selectbox(
        "Encoding",
        ENCODINGS,
        index=ENCODINGS.index(enc_now) if enc_now in ENCODINGS else 0,
        key=state.file_key("data_encoding", target_path),
    )
delimiter = {"detect": None, "tab": "\t"}.get(delim_label, delim_label)
encoding = None if enc_label == "detect" else enc_label

info = guarded(lambda: cached.inspect(target_path, delimiter, encoding, None))
if info is None:
    st.stop()

st.subheader("Column mapping")
st.caption(
    f"{info.name}: {len(info.columns)} columns"
    + (f" · {info.dialect.describe()}" if info.dialect.describe() else "")
    + ". Roles are pre-filled from the column names; change any of them."
)
current_map = dict(ds.mapping) if target_path == ds.path else {}


def _key(name: str) -> str:
    return state.file_key(name, target_path)  # another file: another form, from its detection


with st.form("mapping_form"):
    cols = st.columns(len(ROLES))
    for col, role in zip(cols, ROLES, strict=True):
        default = current_map.get(role, getattr(info.mapping, role))
        options = [NONE, *info.columns]
        idx = options.index(default) if default in options else 0
        col.selectbox(ROLE_LABELS[role], options, index=idx, key=_key(f"map_{role}"))
    t1, t2, t3 = st.columns([2, 2, 2])
    if info.time_format is not None:
        t1.markdown(f"**Detected time format**  \n{info.time_format.describe()}")
    elif info.time_problem:
        t1.warning(info.time_problem)
    t2.selectbox(
        "Read times as",
        [*TIME_CHOICES, "custom pattern"],
        key=_key("map_time_format"),
        help="Dates such as 03/04/2026 can be read two ways: say which when asked.",
    )
    t3.text_input(
        "Custom strptime pattern",
        value="",
        key=_key("map_time_pattern"),
        placeholder="%d.%m.%Y %H:%M",
    )
    g1, g2 = st.columns([2, 4])
    g1.radio(
        "Journeys",
        ["journey column", "inactivity gap"],
        key=_key("map_split"),
        index=1 if ds.session_gap else 0,
        help="Use the journey/case/session column, or cut each customer's events where "
        "they were inactive for longer than the gap.",
    )
    g2.text_input("Gap", value=ds.session_gap or "30min", key=_key("map_gap"))
    p1, p2 = st.columns([2, 4])
    p1.checkbox(
        "Pseudonymise ids",
        value=ds.pseudonymise is not None,
        key=_key("map_pseudo"),
        help="Replace customer and journey ids by salted SHA-256 pseudonyms as the files are "
        "read, so real ids never reach the stored dataset: for workshops.",
    )
    p2.text_input(
        "Salt",
        value=ds.pseudonymise or st.session_state.setdefault("data_salt", secrets.token_hex(8)),
        key=_key("map_salt"),
        type="password",
        help="Keep it to pseudonymise a later export the same way; it is not stored.",
    )
    st.form_submit_button(
        "Load",
        type="primary",
        on_click=_apply,
        args=(target_path, target_name, delimiter, encoding, survey_path, customer_path),
    )

ds = state.current()  # _apply (run before this script) may have changed it
log = guarded(lambda: cached.event_log(ds))
if log is None:
    st.stop()
st.subheader(f"What is loaded now: {ds.name}")
if ds.path != target_path:
    st.warning(
        f"{target_name} is chosen above but not loaded yet: press **Load** to load it with the "
        f"mapping above. Until then this page and the others show {ds.name}."
    )
views.show_row_accounting(log.report, key="data")

for report, what in (
    (log.survey_report, "Survey responses"),
    (log.customer_report, "Customer list"),
):
    if report is not None:
        views.show_table_report(report, what, key=f"data_{report.table}")

classes = guarded(lambda: cached.contact_classes(ds))
if classes is not None:
    views.contact_picker(classes, "data", lambda c: state.set_current(ds.with_changes(contacts=c)))

st.subheader("Problems")
problems = guarded(lambda: cached.problems(ds))
if problems is not None:
    views.show_problems(problems, key="data")
views.show_rejected(log, key="data")

st.subheader("Events")
weekly = guarded(lambda: cached.weekly_events(ds))
if weekly is not None and not weekly.empty:
    views.chart(
        wb.charts.weekly_events_chart(weekly),
        "weekly_events",
        "data_weekly",
        title="Events by week",
    )
views.table(log.frame(limit=200), "events_preview", "data_preview", title="First events")
st.caption(
    f"First 200 of {log.n_events:,} events."
    if log.n_events > 200
    else f"All {log.n_events:,} events."
)


def _forget_open_datasets() -> None:
    """Close the cached logs and models so their files can be deleted."""
    cached.event_log.clear()
    cached.journey_model.clear()
    st.cache_data.clear()
    gc.collect()


def _delete_stored(datasets: list[str], files: list[str]) -> None:
    _forget_open_datasets()
    for path in datasets:
        delete_dataset(path)
    for path in files:
        state.delete_upload(Path(path))
    current = state.current()
    if not current.is_sample and current.path in files:
        state.set_current(state.sample_dataset())  # its file is gone: back to the sample
    st.session_state["data_deleted"] = len(datasets) + len(files)


st.subheader("Stored data")
stored = list_datasets(state.DATASETS_DIR)
files = state.uploads()
st.caption(
    f"Imported datasets and uploads live in {state.DATA_DIR} on this machine and nowhere else "
    "(set WORKBENCH_DATA_DIR to choose the folder). An import is kept so the file opens in "
    "a moment next time, with the last two journey models built on it; deleting it only "
    "means the next visit imports it again."
)
deleted = st.session_state.pop("data_deleted", None)
if deleted:
    st.success(f"Deleted {deleted} stored file{'s' if deleted != 1 else ''}.")
table = pd.DataFrame(
    [
        {
            "kind": "dataset",
            "name": Path(str(row.source or row.path)).name,
            "events": row.events,
            "created": row.created,
            "journey models": row.models,
            "MB": row.megabytes,
            "path": row.path,
        }
        for row in stored.itertuples()
    ]
    + [
        {
            "kind": "upload",
            "name": p.name,
            "events": None,
            "created": pd.Timestamp(p.stat().st_mtime, unit="s").floor("s"),
            "journey models": None,
            "MB": round(p.stat().st_size / 2**20, 1),
            "path": str(p),
        }
        for p in files
    ],
    columns=["kind", "name", "events", "created", "journey models", "MB", "path"],
)
if table.empty:
    st.info("Nothing is stored yet.")
else:
    picked = st.dataframe(
        table.drop(columns="path"),
        hide_index=True,
        width="stretch",
        key="data_stored",
        on_select="rerun",
        selection_mode="multi-row",
    )
    rows = list(picked.selection.rows) if picked is not None else []
    chosen = table.iloc[rows] if rows else table
    label = f"Delete {len(rows)} selected" if rows else "Delete all stored data"
    st.button(
        label,
        key="data_delete",
        help="Select rows in the table to delete only those.",
        on_click=_delete_stored,
        args=(
            list(chosen.loc[chosen["kind"] == "dataset", "path"]),
            list(chosen.loc[chosen["kind"] == "upload", "path"]),
        ),
    )
