"""The data every page reads, loaded once per server (st.cache_resource) and shared by the pages."""
from __future__ import annotations

import copy
from pathlib import Path

import streamlit as st

from geo import deployment
from geo.errors import GeoError
from geo.evidence.sources import SOURCES_DIR, labels
from geo.evidence.statistics import load_statistics
from geo.outputs import briefings as briefing_files
from geo.outputs.briefings import BriefingError, load_briefings
from geo.outputs.redaction import PUBLIC, release_bundle
from geo.store import open_store, store_url
from geo.paths import DATA_DIR, layers_dir
from geo.view.dataset import Bundle, data_version, load_bundle
from geo.view.filters import IncidentFilter
from geo.view.source_statistics import disagreements, statistics_chart, statistics_table
from geo.view.search import search_text


def public_deployment() -> bool:
    """INCIDENT_MAP_MODE=public (./start.sh --public): names never leave the server, nothing is written."""
    return deployment.public_deployment()


@st.cache_resource(show_spinner=False)
def _store(url: str | None):
    return open_store(url)


def store():
    """The register this deployment reads and writes (geo.store: INCIDENT_STORE, default data/)."""
    return _store(store_url())


def sources_dir() -> Path:
    """Where the store's source documents are (a store in a scratch folder has its own)."""
    return getattr(store(), "sources_dir", SOURCES_DIR)


def doc_labels() -> dict[str, str]:
    """{document id: short name} of every registered document, read now (a new upload is in it)."""
    return labels(sources_dir())


# The version keys (geo.view.dataset.data_version) change when the built files or briefings are
# rewritten: the next run loads them again, and the old copy is dropped (max_entries).
@st.cache_resource(show_spinner="Loading the register…", max_entries=2)
def _bundle(data_dir: str, public: bool, version: tuple) -> Bundle:
    loaded = load_bundle(Path(data_dir))
    return release_bundle(loaded, PUBLIC) if public else loaded


@st.cache_resource(show_spinner=False, max_entries=2)
def _briefings(data_dir: str, public: bool, version: tuple, folder: str, folder_version: tuple):
    try:
        return load_briefings(_bundle(data_dir, public, version), Path(folder)), None
    except BriefingError as exc:
        return [], str(exc)


@st.cache_data(show_spinner=False)
def source_statistics():
    """(chart spec, table of every figure, where the documents disagree)."""
    stats = load_statistics()
    return statistics_chart(stats), statistics_table(stats), disagreements(stats)


@st.cache_resource(show_spinner=False, max_entries=2)
def _search_index(data_dir: str, public: bool, version: tuple):
    return search_text(_bundle(data_dir, public, version).incidents)


def search_index():
    """The folded search text of every record of the deployment's dataset (geo.view.search)."""
    folder = layers_dir()
    return _search_index(str(folder), public_deployment(), data_version(folder))


def bundle_or_stop() -> Bundle:
    """The dataset this deployment shows; when it cannot be loaded, say what to run and stop the page."""
    folder = layers_dir()
    try:
        return _bundle(str(folder), public_deployment(), data_version(folder))
    except GeoError as exc:
        st.error(f"The map data could not be loaded. {exc}")
        if folder.resolve() == DATA_DIR.resolve():   # the build writes only data/
            st.markdown("To create it, run in the project folder:")
            st.code("./start.sh        # sets up and builds what is missing\n# or only the data:\n"
                    ".venv/bin/python -m geo build")
        st.stop()


def briefings():
    """(briefings, problem): the guided briefings of the dataset, or why they cannot be used."""
    folder, briefing_folder = layers_dir(), briefing_files.BRIEFINGS_DIR
    return _briefings(str(folder), public_deployment(), data_version(folder), str(briefing_folder),
                      data_version(briefing_folder))


@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline(data_dir: str, public: bool, version: tuple, untimed: IncidentFilter, unit: str):
    """What the timeline shows for a filter without its time window: the records it keeps (a mask),
    the counts per period and the bars' spec. A playback step changes only the window, so every
    step after the first finds them here (read-only: shared by the sessions)."""
    from geo.view import timeline
    from layers.symbols import TYPE_COLOURS
    data = _bundle(data_dir, public, version)
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
    folder = layers_dir()
    return _timeline(str(folder), public_deployment(), data_version(folder), view.without_time(), unit)


@st.cache_resource(show_spinner=False, max_entries=2)
def _base_map(data_dir: str, public: bool, version: tuple):
    from geo.outputs.mapview import BASE_LAYERS, FAR_EAST_CENTER, FAR_EAST_ZOOM, build_map, map_data
    data = _bundle(data_dir, public, version)
    return build_map(map_data(data, data.incidents, served_basemap=True, with_counts=False), center=FAR_EAST_CENTER,
                     zoom=FAR_EAST_ZOOM, layers=BASE_LAYERS, legend_open=False)


def base_map():
    """The app's base map (outlines, sites, legend: the same on every run), built once per dataset;
    each run gets its own copy, because st_folium adds the incidents to the map it is given."""
    folder = layers_dir()
    return copy.deepcopy(_base_map(str(folder), public_deployment(), data_version(folder)))
