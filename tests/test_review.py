"""Reviewing proposals without Streamlit: statuses, never the same record twice, the document
page as escaped HTML with offsets, saving a record with a new gazetteer row, public deployments."""
import datetime as dt
import html
import re
import shutil

import pytest

from geo.deployment import ReadOnlyDeployment
from geo.evidence import sources
from geo.evidence.register import load_register
from geo.ingest.review import (ACCEPTED, IN_REGISTER, OPEN, REJECTED, draft_from_candidate, may_create, register_spans,
                               review_items, suggest_court)
from geo.outputs.document_view import Mark, page_bounds, page_html, page_of
from geo.paths import DATA_DIR
from geo.places.gazetteer import GazetteerEntry, read_gazetteer, with_entries
from geo.store.base import ReviewDecision
from geo.store.files import FileStore
from tests.data_copy import copy_data


def candidate(start, end, cid="doc-1", **more):
    return {"id": cid, "start": start, "end": end, "quote": "q", "type": "arrest_detention", **more}


def test_statuses_come_from_the_register_and_the_latest_decision():
    spans = register_spans(load_register().incidents, "memorial-2020", sources.text("memorial-2020"))
    quoted = spans[0]
    items = review_items(
        [candidate(quoted.start, quoted.end, "c-in"), candidate(0, 5, "c-open"), candidate(6, 9, "c-rej"),
         candidate(10, 12, "c-acc")],
        [ReviewDecision("memorial-2020", "c-rej", "reject", "ada", "statistic"),
         ReviewDecision("memorial-2020", "c-acc", "reject", "ada", "first thought"),
         ReviewDecision("memorial-2020", "c-acc", "accept", "bo", "", "mem20-new")], spans)
    assert [(i.id, i.status) for i in items] == [("c-in", IN_REGISTER), ("c-open", OPEN), ("c-rej", REJECTED),
                                                 ("c-acc", ACCEPTED)]
    assert items[0].records == [quoted.record_id] and items[3].records == ["mem20-new"]


def test_register_spans_find_every_quote_of_the_register():
    register = load_register()
    for doc in sources.catalogue():
        text = sources.text(doc)
        spans = register_spans(register.incidents, doc, text)
        cited = [s.quote for r in register.incidents for s in r.sources if s.doc == doc]
        assert len(spans) == len(cited)
        for span, quote in list(zip(spans, cited))[:8]:
            assert (span.start, span.end) == sources.locate_quote(quote, text)


def test_a_passage_is_never_made_into_a_second_record():
    spans = register_spans(load_register().incidents, "memorial-2020", sources.text("memorial-2020"))
    assert "already quotes this passage" in may_create(candidate(spans[0].start, spans[0].end), [], spans)
    done = [ReviewDecision("memorial-2020", "doc-1", "accept", "ada", "", "mem20-new")]
    assert "already accepted by ada as record mem20-new" in may_create(candidate(0, 3), done, spans)
    assert may_create(candidate(0, 3), [], spans) is None


def test_a_proposal_fills_the_form():
    proposal = {"id": "c", "quote": "On 24 October 2018 the Industrial District Court of Khabarovsk expelled five",
                "start": 0, "end": 70, "locator": "item 3", "type": "court_decision", "title": "Court decision",
                "date": {"start": "2018-10-24", "end": "2018-10-24", "precision": "day", "as_written": "24 October 2018"},
                "places": [{"as_written": "Khabarovsk", "name": "Khabarovsk", "gazetteer_id": "khabarovsk",
                            "precision": "settlement", "subject": "RU-KHA", "country": "RU", "lat": 48.5, "lon": 135.1,
                            "coordinate_source": "geonames:2022890", "alternatives": []}],
                "people_affected": 5, "actors": ["ru_court"], "people_names": []}
    courts = {"court-khabarovsk-industrialny": "Industrialny District Court of Khabarovsk",
              "court-khabarovsk-zheleznodorozhny": "Zheleznodorozhny District Court of Khabarovsk"}
    draft, choice = draft_from_candidate(proposal, "memorial-2020", courts)
    assert (draft.type, draft.date_start, draft.date_precision, draft.people_affected) == (
        "court_decision", dt.date(2018, 10, 24), "day", 5)
    assert draft.court == "court-khabarovsk-industrialny" and draft.court_instance == "not_stated"
    assert choice.place["gazetteer_id"] == "khabarovsk" and draft.sources[0].quote == proposal["quote"]
    assert suggest_court("the Soviet District Court", courts) is None


def test_a_page_is_escaped_html_whose_offsets_point_into_the_text():
    text = "Intro.\n\n<script>alert(1)</script> {{ 7*7 }} and {% x %} & more.\n\nLast para."
    marks = [Mark(8, 33, "open", "c1", "a <b> label"), Mark(20, 40, "quote")]
    out = page_html(text, 0, len(text), marks)
    assert "<script>" not in out and "{{" not in out and "{%" not in out and "<b>" not in out
    for element in re.finditer(r'<(span|mark)[^>]*data-o="(\d+)"[^>]*>(.*?)</\1>', out, re.S):
        start = int(element.group(2))
        shown = html.unescape(element.group(3))
        assert text[start:start + len(shown)] == shown
    assert 'class="m-open m-quote"' in out and 'data-c="c1"' in out


def test_long_documents_are_paged_at_paragraph_breaks():
    text = sources.text("un-sr-2019")
    bounds = page_bounds(text)
    assert len(bounds) > 3 and bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(text[e - 1] == "\n" for _, e in bounds[:-1])
    assert page_of(bounds[2][0] + 5, bounds) == 2
    assert page_bounds("abc", (0, 2)) == [(0, 2), (2, 3)]


@pytest.fixture
def store(tmp_path):
    return FileStore(copy_data(tmp_path / "data", sources=False))


def test_a_new_record_with_a_new_place_is_one_save(store):
    from geo.evidence.schema import Incident
    from geo.places.search import search_places
    found = next(p for p in search_places("Zeya") if p.subject == "RU-AMU")
    zeya = GazetteerEntry("zeya", "Zeya", "Зея", (), "settlement", "RU-AMU", "RU", found.lat, found.lon, "settlement",
                          found.source, "added from the gazetteer of all Russia in the record form")
    quote = "A number of North Korean workers have left the logging sites"
    record = Incident.model_validate({
        "id": "ai96-escape-zeya-1995", "title": "Workers leave a logging site", "type": "escape",
        "date": {"as_written": "1995", "start": "1995-01-01", "precision": "year"},
        "place": {"as_written": "Zeya", "name": "Zeya", "subject": "RU-AMU", "precision": "settlement"},
        "sources": [{"doc": "amnesty-1996", "locator": "Introduction, para. 4", "quote": quote}]})
    register_before = (store.register_dir / "incidents-amnesty-1996.yaml").read_text()
    gazetteer_before = store.gazetteer_csv.read_text().splitlines()
    result = store.save_record(record, None, "ada", "new", places=(zeya,))
    gazetteer_after = store.gazetteer_csv.read_text().splitlines()
    added = [line for line in gazetteer_after if line not in gazetteer_before]
    assert added == [gazetteer_after[-1]] and len(gazetteer_after) == len(gazetteer_before) + 1
    assert added[0].startswith(f"zeya,Zeya,Зея,,settlement,RU-AMU,RU,{found.lat},{found.lon},settlement,{found.source}")
    after = (store.register_dir / "incidents-amnesty-1996.yaml").read_text()
    assert after.startswith(register_before) and "      quote: >-\n        A number of North Korean" in after
    assert 'as_written: "1995"' in after
    assert store.layer("incidents").loc["ai96-escape-zeya-1995", "place_id"] == "zeya"
    assert "gazetteer/zeya" in [c.field for c in result.changes]
    assert store.record("ai96-escape-zeya-1995").version == result.version


def test_with_entries_keeps_the_gazetteer_in_id_order():
    text = "id,name\nb,B\nd,D\n"
    entry = next(iter(read_gazetteer()))
    added = with_entries(text, [GazetteerEntry(**{**entry.__dict__, "id": "c"})])
    assert added.splitlines()[2].startswith("c,") and added.splitlines()[3] == "d,D"


def test_a_public_deployment_writes_nothing(store, monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENT_MAP_MODE", "public")
    stored = store.record("mem20-refugee-status-2011")
    before = sorted((p.name, p.read_bytes()) for p in store.root.rglob("*") if p.is_file())
    with pytest.raises(ReadOnlyDeployment, match="public deployment"):
        store.save_record(stored.record.model_copy(update={"people_affected": 2}), stored.version, "ada", "x")
    with pytest.raises(ReadOnlyDeployment):
        store.record_review(ReviewDecision("memorial-2020", "c", "reject", "ada", "no"))
    folder = tmp_path / "sources"
    shutil.copytree(DATA_DIR / "sources", folder)
    doc = sources.document("un-sr-2016")
    with pytest.raises(ReadOnlyDeployment):
        sources.register(sources.SourceDocument(**{**doc.__dict__, "id": "x-2016", "text_sha256": "0" * 64,
                                                   "original_sha256": "1" * 64, "text_file": "x-2016.txt"}),
                         "text", sources_dir=folder)
    assert sorted((p.name, p.read_bytes()) for p in store.root.rglob("*") if p.is_file()) == before
    assert not (folder / "x-2016.txt").exists()
