"""The file store (the default): reading through the seam, and the cheap writes."""
from __future__ import annotations

import numpy as np
import pytest

from geo.store import open_store
from geo.store.base import ReviewDecision, StoreError, VersionConflict
from geo.store.files import FileStore
from geo.view.filters import IncidentFilter
from geo.view.scale import Viewport
from tests.data_copy import copy_data


@pytest.fixture
def store(tmp_path):
    return FileStore(copy_data(tmp_path / "data", sources=False))


def test_the_default_store_is_the_file_register(monkeypatch):
    monkeypatch.delenv("INCIDENT_STORE", raising=False)
    assert isinstance(open_store(), FileStore)
    with pytest.raises(StoreError, match="unknown store mysql://"):
        open_store("mysql://x")


def test_reads_go_through_the_seam(store):
    register = store.load_register()
    built = store.layer("incidents")
    assert len(register.incidents) == len(built) and len(register.sites) > 0
    stored = store.record("mem20-refugee-status-2011")
    assert stored.file == "incidents-memorial-2020.yaml" and len(stored.version) == 64
    counts = store.counts(IncidentFilter())
    assert (counts.total, counts.not_drawn) == (len(built), int(built.geometry.isna().sum()))
    plan = store.viewport(IncidentFilter(types=("court_decision",)), Viewport.around((47, 133), 4))
    assert set(plan.markers["type"]) == {"court_decision"} and plan.in_view == plan.markers_in_view > 0
    assert store.gazetteer()[0].id == "belogorsk-amur"


def test_a_save_rewrites_only_that_record_rebuilds_and_logs(store):
    before = (store.register_dir / "incidents-memorial-2020.yaml").read_text().splitlines()
    stored = store.record("mem20-refugee-status-2011")
    edited = stored.record.model_copy(update={"people_affected": 2})
    result = store.save_record(edited, stored.version, "editor-a", "recount")
    after = (store.register_dir / "incidents-memorial-2020.yaml").read_text().splitlines()
    assert [(a, b) for a, b in zip(before, after) if a != b] == [("  people_affected: 1", "  people_affected: 2")]
    assert store.layer("incidents").loc["mem20-refugee-status-2011", "people_affected"] == 2
    assert result.version == store.record("mem20-refugee-status-2011").version != stored.version
    entry = store.history("mem20-refugee-status-2011")[-1]
    assert (entry.user, entry.outcome, [c.field for c in entry.changes]) == ("editor-a", "saved", ["people_affected"])
    with pytest.raises(VersionConflict, match="was changed by editor-a"):
        store.save_record(stored.record.model_copy(update={"notes": "x"}), stored.version, "editor-b", "late")
    assert [e.outcome for e in store.history("mem20-refugee-status-2011")] == ["saved", "conflict"]


def test_review_decisions_latest_per_candidate(store):
    store.record_review(ReviewDecision("memorial-2020", "c1", "reject", "a", "no"))
    store.record_review(ReviewDecision("memorial-2020", "c1", "accept", "b", "yes", "mem20-x"))
    assert [(d.decision, d.user) for d in store.review_decisions("memorial-2020")] == [("accept", "b")]
    assert np.all([d.at is not None for d in store.review_decisions()])


def test_filter_change_is_counts_and_viewport(store):
    view, viewport = IncidentFilter(start_year=2018), Viewport.around((47, 133), 5)
    counts, plan = store.filter_change(view, viewport)
    assert counts == store.counts(view) and plan.in_view == store.viewport(view, viewport).in_view
