"""Review & edit in Debian's Chromium, network outside localhost blocked, on a copy of the register:
upload a real PDF, see its proposals marked in the text, accept one, take the quote from a
selection, save, and find the record on the map. Screenshots of every step in test-artifacts/."""
import hashlib
import json

import pytest

from geo.build.layers import layer_path
from geo.paths import DATA_DIR
from tests import review_flow as flow
from tests.data_copy import copy_data
from tests.browser import (axe_violations, chromium_or_skip, drawn_incidents, map_frame, offline_page, screenshot,
                           streamlit_server, wait_until_idle)
from tests.pdf_fixture import excerpt, make_pdf

playwright_api = pytest.importorskip("playwright.sync_api")
MAPPED = sum(1 for f in json.loads(layer_path("incidents").read_text(encoding="utf-8"))["features"] if f["geometry"])


def digest(folder) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    root = copy_data(tmp_path_factory.mktemp("review") / "data")
    pdf = make_pdf(excerpt("memorial-2020", "From our analysis of some court decisions", "6) On January 23, 2019"),
                   root.parent / "court-decisions-excerpt.pdf", "Court decisions on the expulsion of DPRK citizens")
    return root, pdf


def assert_accessible(page) -> None:
    wait_until_idle(page)      # a rerun fades the page: axe would measure the faded colours
    found = axe_violations(page)
    assert not found, "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in found)


def test_upload_a_pdf_accept_a_proposal_and_see_the_record_on_the_map(copy):
    chromium = chromium_or_skip()
    root, pdf = copy
    committed = digest(DATA_DIR / "register")
    with streamlit_server({"INCIDENT_STORE": str(root)}) as url, playwright_api.sync_playwright() as p, \
            offline_page(p, chromium, viewport=(1600, 1100)) as page:
        page.goto(url + "/review")
        r = flow.Researcher(page)
        flow.sign(r, "Ada Tester")
        flow.upload(r, pdf, "memorial-excerpt-2020", "Court decisions on expulsion (excerpt of Memorial 2020)", "2020-03")
        marks = page.locator(".docview mark.m-open")
        assert marks.count() >= 5                                  # the proposals are marked in the text
        assert page.locator(".docview").inner_text().count("Industrial District Court of Khabarovsk") >= 1
        r.step("review-1-uploaded-highlights", screenshot)
        assert_accessible(page)
        flow.accept_card(r, "Industrial District Court of Khabarovsk, I.V.")
        assert page.get_by_text("found verbatim in memorial-excerpt-2020").is_visible()
        assert page.locator(".docview mark.m-quote").count() >= 1  # the form's quote marked in the text
        r.step("review-2-form-from-proposal", screenshot)
        assert_accessible(page)
        flow.use_selection(r, "3) On October 24, 2018", "center for foreign citizens.")
        quote = page.locator(".st-key-rf_src_0_quote textarea").input_value()
        assert quote.startswith("3) On October 24, 2018") and quote.endswith("temporary detention center for foreign citizens.")
        flow.choose(r, "rf_court_outcome", "forced expulsion")
        r.step("review-3-quote-from-selection", screenshot)
        flow.save(r)
        details = page.get_by_text("Saved new record", exact=False).first
        assert details.is_visible()
        map_frame(page)
        assert drawn_incidents(page, MAPPED + 1) == MAPPED + 1     # the record is drawn on the map
        assert page.get_by_text("Industrialny District Court of Khabarovsk").first.is_visible()
        r.step("review-4-saved-on-the-map", screenshot)
        assert page.outside == [] and not page.errors
    saved = (root / "register" / "incidents-memorial-excerpt-2020.yaml").read_text(encoding="utf-8")
    assert "court_decision:\n    court: court-khabarovsk-industrialny" in saved
    assert "outcome: [forced_expulsion]" in saved and "placed in a local temporary detention" in saved
    assert digest(DATA_DIR / "register") == committed
