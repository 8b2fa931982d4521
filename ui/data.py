"""The data every page reads, loaded once per server (st.cache_resource) and shared by the pages."""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import streamlit as st

from geo import deployment
from geo.errors import GeoError
from geo.language import _, current, using
from geo.language.localize import localize_bundle
from geo.evidence.sources import SOURCES_DIR, labels
from geo.evidence.statistics import load_statistics
from geo.outputs import briefings as briefing_files
from geo.outputs.briefings import BriefingError, load_briefings
from geo.outputs.redaction import PUBLIC, release_bundle
from geo.store import is_database, open_store, store_url
from geo.paths import DATA_DIR, layers_dir
from geo.view.dataset import Bundle, data_version, load_bundle, store_bundle
from geo.view.filters import IncidentFilter
from geo.view.source_statistics import disagreements, statistics_chart, statistics_table
from geo.view.search import search_text


# Above this many incidents a team store keeps them in the database: the map asks it for what the
# screen shows (geo.store.postgis: viewport, filter_change, listing) instead of loading them all.
SCALE_FROM = 50_000


def public_deployment() -> bool:
    """Only the public release may be shown in this session: a public deployment (INCIDENT_MAP_MODE=
    public, ./start.sh --public), or a team store whose signed-in user is a viewer."""
    if deployment.public_deployment():
        return True
    from ui import identity
    return identity.team() and not identity.allowed("view_full")


def may_edit() -> bool:
    """May this session change the register (the Review & edit page, "Correct this record")?"""
    from ui import identity
    return not deployment.public_deployment() and (not identity.team() or identity.allowed("edit"))


@st.cache_resource(show_spinner=False)
def _store(url: str | None):
    return open_store(url)


class _Reader:
    """One connection for the loads every session shares (cached below), used one at a time."""

    def __init__(self, url: str):
        self.store, self.lock = open_store(url), threading.Lock()


@st.cache_resource(show_spinner=False)
def _reader(url: str) -> _Reader:
    return _Reader(url)


def store():
    """The register this deployment reads and writes (geo.store: INCIDENT_STORE, default data/).
    A team store gives each session its own connection, so one session's save (a transaction)
    never shares a connection with another's reads; it reconnects after the server restarts."""
    url = store_url()
    if not is_database(url):
        return _store(url)
    state = st.session_state
    held = state.get("_team_store")
    if held is None or held.url != url:
        from geo.store.postgis import PostGISStore
        _reader(url)   # migrates the schema once, before any session store opens
        held = state["_team_store"] = PostGISStore(url, migrate_schema=False)
    return held


def sources_dir() -> Path:
    """Where the store's source documents are (a store in a scratch folder has its own)."""
    return getattr(store(), "sources_dir", SOURCES_DIR)


def doc_labels() -> dict[str, str]:
    """{document id: short name} of every registered document, read now (a new upload is in it)."""
    return labels(sources_dir())


def _dataset_key() -> tuple:
    """What the data is and its version: the built files (name, size, time of each) or the team
    store's last change-log entry. A save or a rebuild changes it, and the next run reloads."""
    url = store_url()
    if is_database(url):
        return ("store", url, store().data_version())
    folder = layers_dir()
    return ("files", str(folder), data_version(folder))


def _load(key: tuple, public: bool) -> Bundle:
    if key[0] == "store":
        reader = _reader(key[1])
        with reader.lock:
            loaded = store_bundle(reader.store, SCALE_FROM)
    else:
        loaded = load_bundle(Path(key[1]))
    if public and loaded.at_scale:
        # No record is in the process, so the release cannot know every name a site's quote might
        # hold: a viewer of a store this large gets counts only, and no site layer either.
        return replace(loaded, sites={name: frame.iloc[0:0] for name, frame in loaded.sites.items()}, mode=PUBLIC)
    return release_bundle(loaded, PUBLIC) if public else loaded


# The version keys change when the built files, the store or the briefings change: the next run
# loads them again, and the old copy is dropped (max_entries). A team has a public and a full copy.
@st.cache_resource(show_spinner="Loading the register…", max_entries=2)
def _file_bundle(key: tuple, public: bool) -> Bundle:
    return _load(key, public)


@st.cache_resource(show_spinner="Loading the register…", max_entries=4)
def _store_bundle(key: tuple, public: bool) -> Bundle:
    return _load(key, public)


def _bundle(key: tuple, public: bool) -> Bundle:
    return (_store_bundle if key[0] == "store" else _file_bundle)(key, public)


# One copy per language in use: the labels of types, actors, dates, places and regions in it.
@st.cache_resource(show_spinner=False, max_entries=6)
def _localized(key: tuple, public: bool, lang: str) -> Bundle:
    return localize_bundle(_bundle(key, public), lang)


@st.cache_resource(show_spinner=False, max_entries=4)
def _briefings(key: tuple, public: bool, folder: str, folder_version: tuple):
    try:
        return load_briefings(_bundle(key, public), Path(folder)), None
    except BriefingError as exc:
        return [], str(exc)


# What the map of a large team store shows for a filter and viewport, shared by every session
# until the next write (the store's version is in the key): the same view asked twice is one query.
@st.cache_data(show_spinner=False, max_entries=256)
def _map_answer(url: str, version: int, view, viewport, limit: int, pan: bool):
    if pan:     # the viewport alone, on the GiST index (no counts)
        return None, store().viewport(view, viewport, limit)
    return store().filter_change(view, viewport, limit)


def map_answer(view, viewport, limit: int, version: int, pan: bool = False):
    """(Counts, Plan) for this filter and viewport from the team store (one indexed query); with
    `pan`, (None, Plan) for the viewport only."""
    return _map_answer(store_url(), version, view, viewport, limit, pan)


@st.cache_data(show_spinner=False, max_entries=64)
def _listing(url: str, version: int, view, limit: int):
    return store().listing(view, limit)


def store_listing(view, limit: int, version: int):
    """The first `limit` records of the filter in date order (the list under the map)."""
    return _listing(store_url(), version, view, limit)


@st.cache_data(show_spinner=False)
def _source_statistics(lang: str):
    stats = load_statistics()
    return statistics_chart(stats), statistics_table(stats), disagreements(stats)


def source_statistics():
    """(chart spec, table of every figure, where the documents disagree), in the session's language."""
    return _source_statistics(current())


@st.cache_resource(show_spinner=False, max_entries=6)
def _search_index(key: tuple, public: bool, lang: str):
    return search_text(_localized(key, public, lang).incidents)


def search_index():
    """The folded search text of every record of the deployment's dataset (geo.view.search)."""
    return _search_index(_dataset_key(), public_deployment(), current())


def bundle_or_stop() -> Bundle:
    """The dataset this deployment shows, labelled in the session's language; when it cannot be
    loaded, say what to run and stop the page."""
    try:
        key = _dataset_key()
        _bundle(key, public_deployment())          # the spinner shows while the data loads
        return _localized(key, public_deployment(), current())
    except GeoError as exc:
        st.error(_("The map data could not be loaded. {problem}").format(problem=exc))
        if not is_database(store_url()) and layers_dir().resolve() == DATA_DIR.resolve():   # the build writes only data/
            st.markdown(_("To create it, run in the project folder:"))
            st.code("./start.sh        # " + _("sets up and builds what is missing") + "\n# " + _("or only the data:")
                    + "\n.venv/bin/python -m geo build")
        elif is_database(store_url()):
            st.button(_("Try again"), key="store_retry", icon=":material/refresh:")
        st.stop()


def built_bundle() -> Bundle:
    """The dataset as built (English labels; released in a public deployment): what exports and
    decks start from — they release it and then translate it (geo.outputs.export.make_view)."""
    return _bundle(_dataset_key(), public_deployment())


def briefings():
    """(briefings, problem): the guided briefings of the dataset, or why they cannot be used."""
    key = _dataset_key()
    if key[0] == "store" and _bundle(key, public_deployment()).at_scale:
        return [], "briefings are made for the register, not for a store of this size"
    briefing_folder = briefing_files.BRIEFINGS_DIR
    return _briefings(key, public_deployment(), str(briefing_folder), data_version(briefing_folder))


@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline(key: tuple, public: bool, untimed: IncidentFilter, unit: str, lang: str):
    """What the timeline shows for a filter without its time window: the records it keeps (a mask),
    the counts per period and the bars' spec (in `lang`). A playback step changes only the window,
    so every step after the first finds them here (read-only: shared by the sessions)."""
    with using(lang):
        return _timeline_in_language(_localized(key, public, lang), untimed, unit)


def _timeline_in_language(data: Bundle, untimed: IncidentFilter, unit: str):
    from geo.view import timeline
    from layers.symbols import TYPE_COLOURS
    mask = untimed.mask(data.incidents, data.coords).to_numpy()
    kept = data.incidents[mask]
    counts = timeline.counts(kept, unit)
    if kept.empty:
        first, last = data.year_range()
    else:
        first = int(kept["date_start"].fillna(kept["date_end"]).dt.year.min())
        last = int(kept["date_end"].dt.year.max())
    bars = timeline.bars_spec(counts, unit, TYPE_COLOURS, (first, last)) if not counts.empty else None
    return mask, (first, last), bars


def timeline_data(view: IncidentFilter, unit: str):
    """(mask of the records the filters but the time window keep, (first year, last year), bars
    spec or None) for the timeline under the map."""
    return _timeline(_dataset_key(), public_deployment(), view.without_time(), unit, current())


@st.cache_resource(show_spinner=False, max_entries=6)
def base_map_of(key: tuple, public: bool, lang: str):
    """The app's base map (outlines, sites, legend: the same on every run), built once per dataset
    (base_map_key) and language. Shared: whoever renders it (rendering renames its elements) works on
    a copy."""
    from geo.outputs.mapview import BASE_LAYERS, FAR_EAST_CENTER, FAR_EAST_ZOOM, build_map, map_data
    data = _localized(key, public, lang)
    with using(lang):    # the legend, layer names and site popups in the session's language
        return build_map(map_data(data, data.incidents, served_basemap=True, with_counts=False),
                         center=FAR_EAST_CENTER, zoom=FAR_EAST_ZOOM, layers=BASE_LAYERS, legend_open=False)


def base_map_key() -> tuple:
    """What the base map depends on: the dataset's version, the deployment and the language."""
    return _dataset_key(), public_deployment(), current()


