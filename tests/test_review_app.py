"""The Review & edit page through Streamlit's AppTest, on a copy of the register in a temporary
folder (INCIDENT_STORE): the committed data/ is never written."""
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.paths import DATA_DIR
from geo.store.files import FileStore
from tests.app_helpers import map_code
from tests.data_copy import copy_data

APP = str(Path(__file__).resolve().parent.parent / "app.py")
REVIEW = "ui/pages/review.py"
DOC, CANDIDATE = "amnesty-1996", "amnesty-1996-31095-31400"      # a passage on refugees in Belogorsk
REGISTER_FILE = "incidents-amnesty-1996.yaml"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A copy of the register, gazetteer, sources and built layers; the app reads and writes it."""
    root = copy_data(tmp_path / "data")
    monkeypatch.setenv("INCIDENT_STORE", str(root))
    monkeypatch.delenv("INCIDENT_DATA_DIR", raising=False)
    monkeypatch.delenv("INCIDENT_MAP_MODE", raising=False)
    return FileStore(root)


def snapshot(store) -> dict:
    return {p.relative_to(store.root): p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"}


def review(doc: str = DOC, user: str | None = "Ada", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(REVIEW).run()
    if user:
        at.text_input(key="user_name").input(user).run()
    at.selectbox(key="review_doc").set_value(doc).run()
    assert not at.exception
    return at


def accept(at: AppTest, candidate: str = CANDIDATE) -> AppTest:
    at.session_state["review_focus"] = candidate      # as "Show in text" or a click on its mark does
    at.run()
    at.button(key=f"accept_{candidate}").click().run()
    assert not at.exception and at.text_input(key="rf_title").value
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
                     + [w.value for w in at.warning] + [s.value for s in at.success] + [i.value for i in at.info])


def map_script(at: AppTest) -> str:
    return map_code(at)


def test_accepting_a_proposal_saves_one_record_that_the_map_shows(store):
    before = (store.register_dir / REGISTER_FILE).read_text(encoding="utf-8")
    at = accept(review())
    assert at.radio(key="rf_place_pick").value == "belogorsk-amur"          # the proposal's place, its alternative listed
    assert any("RU-KEM" in option or "Kemerovo" in option for option in at.radio(key="rf_place_pick").options)
    assert any("found verbatim in amnesty" in s.value for s in at.success)  # the quote checked live
    at.text_input(key="rf_title").input("Refugees seek prison terms to be safe from DPRK agents").run()
    at.button(key="rfb_save").click().run()
    assert not at.exception
    saved = at.session_state["saved"]["record_id"]
    assert saved.startswith("ai96-arrest-detention-belogorsk-1988")
    # the register file: the old text unchanged, one record appended
    after = (store.register_dir / REGISTER_FILE).read_text(encoding="utf-8")
    assert after.startswith(before) and after[len(before):].count("\n- id: ") == 1
    assert f"- id: {saved}\n" in after and "      quote: >-\n" in after[len(before):]
    others = {p.name for p in store.register_dir.glob("*.yaml")} - {REGISTER_FILE}
    assert all((store.register_dir / n).read_bytes() == (DATA_DIR / "register" / n).read_bytes() for n in others)
    # the rebuilt layer holds it, placed at Belogorsk
    layer = json.loads((store.root / "incidents.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in layer["features"] if f["id"] == saved)
    assert feature["properties"]["place_id"] == "belogorsk-amur" and feature["geometry"]["type"] == "Point"
    # the app is on the map page now, with the record selected, drawn and in the details
    assert saved in map_script(at)
    assert any(s.value.startswith("Saved new record") for s in at.success)
    assert at.session_state["selected"] == saved and at.session_state["view_request"]["focus"] == saved
    assert "Refugees seek prison terms" in texts(at)
    decisions = store.review_decisions(DOC)
    assert [(d.candidate, d.decision, d.record_id, d.user) for d in decisions] == [(CANDIDATE, "accept", saved, "Ada")]


def test_the_same_passage_is_not_made_into_a_record_twice(store):
    first, second = accept(review()), accept(review(user="Bo"))      # two reviewers, same proposal
    first.button(key="rfb_save").click().run()
    assert first.session_state["saved"]
    second.button(key="rfb_save").click().run()
    assert "saved" not in second.session_state
    assert any("already accepted by Ada" in e.value for e in second.error)
    assert (store.register_dir / REGISTER_FILE).read_text().count("belogorsk-1988") == 1
    again = review(user="Cy")
    again.session_state["review_focus"] = CANDIDATE
    again.run()
    assert again.button(key=f"accept_{CANDIDATE}").disabled


def test_a_rejection_persists_for_the_next_review(store):
    at = review()
    at.session_state["review_focus"] = CANDIDATE
    at.run()
    at.text_input(key=f"reject_reason_{CANDIDATE}").input("a general statement, no incident").run()
    at.button(key=f"reject_{CANDIDATE}").click().run()
    assert not at.exception
    decision = store.review_decisions(DOC)[-1]
    assert (decision.candidate, decision.decision, decision.reason, decision.user) == (
        CANDIDATE, "reject", "a general statement, no incident", "Ada")
    later = review(user="Bo")                      # a new session resumes the review
    later.session_state["review_focus"] = CANDIDATE
    later.run()
    assert "Rejected by Ada: a general statement, no incident" in texts(later)
    assert "1 rejected" in later.get("progress")[0].proto.text
    later.session_state["review_focus"] = None
    later.radio(key="review_show").set_value("open").run()          # "to review" no longer lists it
    assert not [b for b in later.button if b.key == f"accept_{CANDIDATE}"]


def test_a_quote_not_in_the_document_is_refused_and_nothing_is_written(store):
    before = snapshot(store)
    at = accept(review())
    at.text_area(key="rf_src_0_quote").input("Refugees were beaten in Belogorsk prison in 1988.").run()
    assert any("not found verbatim" in e.value for e in at.error)          # live, before saving
    at.button(key="rfb_save").click().run()
    assert "saved" not in at.session_state
    assert any("the quote must be found verbatim" in e.value for e in at.error)
    assert any("nothing was saved" in e.value for e in at.error)
    assert snapshot(store) == before


def test_a_name_in_the_title_is_warned_about(store):
    at = accept(review())
    at.text_area(key="rf_people_names").input("Kim Sun Ho").run()
    at.text_input(key="rf_title").input("Kim Sun Ho detained in Belogorsk").run()
    assert any(w.value.startswith("Title:") and "Kim Sun Ho" in w.value for w in at.warning)
    at.text_input(key="rf_title").input("A refugee detained in Belogorsk").run()
    assert not any(w.value.startswith("Title:") for w in at.warning)


def test_a_concurrent_change_is_refused_and_the_input_kept(store):
    record = "mem20-refugee-status-2011"
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["rec"] = record
    at.run()
    at.button(key=f"correct-{record}").click().run()              # from the details panel
    assert not at.exception and at.session_state["form"]["record_id"] == record
    at.text_input(key="user_name").input("Ada").run()
    at.number_input(key="rf_people").set_value(3).run()
    at.text_input(key="rf_reason").input("recount from Diagram 2").run()
    stored = store.record(record)                                  # meanwhile someone else saves it
    store.save_record(stored.record.model_copy(update={"outcome": "Granted to one person."}), stored.version, "Bo",
                      "shorter outcome")
    theirs = snapshot(store)
    at.button(key="rfb_save").click().run()
    assert "saved" not in at.session_state
    assert any("was changed by Bo" in e.value and "input is kept" in e.value for e in at.error)
    assert at.number_input(key="rf_people").value == 3 and at.text_input(key="rf_reason").value == "recount from Diagram 2"
    assert {k: v for k, v in snapshot(store).items() if k.name != "changes.jsonl"} == \
           {k: v for k, v in theirs.items() if k.name != "changes.jsonl"}
    assert [e.outcome for e in store.history(record)] == ["saved", "conflict"]
    at.button(key="rfb_keep_mine").click().run()                   # take their version as the base
    at.button(key="rfb_save").click().run()
    assert at.session_state["saved"]["record_id"] == record
    now = store.record(record).record
    assert (now.people_affected, now.outcome) == (3, "Granted to one person.")


def test_history_shows_the_change_in_the_details_and_on_the_about_page(store):
    record = "mem20-refugee-status-2011"
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["rec"] = record
    at.run()
    at.button(key=f"correct-{record}").click().run()
    at.text_input(key="user_name").input("Ada").run()
    at.number_input(key="rf_people").set_value(2).run()
    at.button(key="rfb_save").click().run()
    assert any("say why you change the record" in e.value for e in at.error)        # a reason is required
    at.text_input(key="rf_reason").input("second <b>grant</b> {{ 7*7 }}").run()
    at.button(key="rfb_save").click().run()
    assert not at.exception and at.session_state["saved"]["changes"] == 1
    history = next(e for e in at.expander if e.label.startswith("History (1 change)"))
    shown = "\n".join(m.value for m in history.markdown)
    assert "Ada" in shown and "people\\_affected" in shown and "“1” → “2”" in shown
    assert "second \\<b\\>grant\\</b\\> \\{\\{ 7\\*7 \\}\\}" in shown             # escaped, never markup
    at.switch_page("ui/pages/about.py").run()
    table = at.dataframe[-1].value
    assert list(table["Record"]) == [record] and list(table["Who"]) == ["Ada"]
    assert list(table["Fields changed"]) == ["people_affected"]


def test_a_researched_point_needs_the_source_of_its_coordinate(store):
    at = accept(review())
    at.session_state["placemap"] = {"last_clicked": {"lat": 50.95, "lng": 128.3}}     # a click on the small map
    at.run()
    assert at.radio(key="rf_place_pick").value == "point"
    assert at.selectbox(key="rf_precision").options == ["exact site", "region", "country"]   # as labelled
    at.text_input(key="rf_point_name").input("Belogorsk prison (researched)").run()
    at.button(key="rfb_save").click().run()
    assert any("where the point's coordinate comes from" in e.value for e in at.error)
    at.text_input(key="rf_point_note").input("satellite image, Sentinel-2, 2023-05-02").run()
    at.button(key="rfb_save").click().run()
    assert not at.exception, at.exception
    saved = at.session_state["saved"]["record_id"]
    gazetteer = store.gazetteer_csv.read_text(encoding="utf-8")
    assert 'belogorsk-prison-researched,Belogorsk prison (researched),,,site,RU-AMU,RU,50.95,128.3,exact_site,' \
           '"researched: satellite image, Sentinel-2, 2023-05-02",point set on the map in the record form' in gazetteer
    assert store.layer("incidents").loc[saved, "location_precision"] == "exact_site"


def test_a_document_uploaded_in_the_app_is_registered_and_proposed(store):
    from tests.pdf_fixture import excerpt, make_pdf
    pdf = make_pdf(excerpt("memorial-2020", "3) On October 24, 2018", "4) On October 26, 2018"),
                   store.root / "upload.pdf", "Excerpt")
    at = review(doc="memorial-2020")
    at.button(key="upload_toggle").click().run()
    at.file_uploader(key="upload_file").set_value(("court-decisions.pdf", pdf.read_bytes(), "application/pdf")).run()
    assert at.text_input(key="upload_id").value == "court-decisions"
    assert at.text_input(key="upload_title").value == "Excerpt"              # the title the PDF declares
    at.text_input(key="upload_title").input("").run()
    at.text_input(key="upload_published").input("2020-03").run()
    at.button(key="upload_go").click().run()
    assert any("Full title is empty" in e.value.replace("\\", "") for e in at.error)   # add-source's checks, one line
    at.text_input(key="upload_title").input("Court decisions (excerpt)").run()
    at.button(key="upload_go").click().run()
    assert not at.exception and at.selectbox(key="review_doc").value == "court-decisions"
    assert (store.sources_dir / "court-decisions.txt").exists() and (store.sources_dir / "originals" / "court-decisions.pdf").exists()
    assert any(b.key.startswith("accept_court-decisions-") for b in at.button if b.key)
    assert not (DATA_DIR / "sources" / "court-decisions.txt").exists()


def test_a_public_deployment_has_no_review_page_and_no_correct_button(store, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAP_MODE", "public")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["rec"] = "mem20-refugee-status-2011"
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(REVIEW)
    assert not [b for b in at.button if (b.key or "").startswith("correct-")]
    assert not [e for e in at.expander if e.label.startswith("History")]


def test_clicking_a_listed_place_on_the_small_map_chooses_it(store):
    at = accept(review())
    kemerovo = {"lat": 55.0178, "lng": 88.4897}                 # the Belogorsk in Kemerovo Oblast, listed as an alternative
    at.session_state["placemap"] = {"last_clicked": kemerovo, "last_object_clicked": kemerovo}
    at.run()
    assert at.radio(key="rf_place_pick").value == "geonames:1510514"


def test_text_typed_into_the_form_is_shown_as_text_everywhere(store):
    payload = 'Camp <img src=x onerror=alert(1)> {{ 7*7 }} {% if 1 %}x{% endif %}'
    at = accept(review())
    at.text_input(key="rf_title").input(payload).run()
    at.text_area(key="rf_outcome").input(payload).run()
    at.button(key="rfb_save").click().run()
    assert not at.exception
    saved = at.session_state["saved"]["record_id"]
    script = map_script(at)
    assert saved in script and "<img src=x" not in script and "{{ 7*7 }}" not in script and ">49<" not in script
    shown = [m.value for m in at.markdown]
    assert any("Camp \\<img src=x onerror=alert\\(1\\)\\> \\{\\{ 7\\*7 \\}\\}" in m for m in shown)
    assert not any(re.search(r"(?<!\\)<img|(?<!\\)\{\{", m) for m in shown)      # never unescaped
