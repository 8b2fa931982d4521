"""The data every page reads, loaded once per server (st.cache_resource) and shared by the pages."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from geo.errors import GeoError
from geo.evidence.statistics import load_statistics
from geo.outputs.briefings import BriefingError, load_briefings
from geo.outputs.redaction import PUBLIC, release_bundle
from geo.paths import layers_dir
from geo.view.dataset import Bundle, load_bundle
from geo.view.source_statistics import disagreements, statistics_chart, statistics_table


def public_deployment() -> bool:
    """INCIDENT_MAP_MODE=public (./start.sh --public): names never leave the server."""
    return os.environ.get("INCIDENT_MAP_MODE", "").lower() == PUBLIC


@st.cache_resource(show_spinner="Loading the register…")
def _bundle(data_dir: str, public: bool) -> Bundle:
    loaded = load_bundle(Path(data_dir))
    return release_bundle(loaded, PUBLIC) if public else loaded


@st.cache_resource(show_spinner=False)
def _briefings(data_dir: str, public: bool):
    try:
        return load_briefings(_bundle(data_dir, public)), None
    except BriefingError as exc:
        return [], str(exc)


@st.cache_data(show_spinner=False)
def source_statistics():
    """(chart spec, table of every figure, where the documents disagree)."""
    stats = load_statistics()
    return statistics_chart(stats), statistics_table(stats), disagreements(stats)


def bundle_or_stop() -> Bundle:
    """The dataset this deployment shows; when it cannot be loaded, say what to run and stop the page."""
    try:
        return _bundle(str(layers_dir()), public_deployment())
    except GeoError as exc:
        st.error(f"The map data could not be loaded. {exc}")
        st.markdown("To create it, run in the project folder:")
        st.code("./start.sh        # sets up and builds what is missing\n# or only the data:\n"
                ".venv/bin/python -m geo build")
        st.stop()


def briefings():
    """(briefings, problem): the guided briefings of the dataset, or why they cannot be used."""
    return _briefings(str(layers_dir()), public_deployment())
