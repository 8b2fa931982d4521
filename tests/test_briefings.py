"""Guided briefings: the shipped files are sound, bad files fail clearly, and they step in the app."""
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.outputs.briefings import BRIEFINGS_DIR, BriefingError, load_briefing, load_briefings
from geo.view.dataset import load_bundle
from geo.outputs.redaction import register_names
from geo.view.scale import Viewport
from tests.app_helpers import in_view, view_request

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def test_shipped_briefings_load_and_their_records_pass_their_filters(bundle):
    briefings = load_briefings(bundle)
    assert {b.id for b in briefings} >= {"memorial-2020-case-1", "court-expulsions-2018-2019"}
    for briefing in briefings:
        assert len(briefing.steps) >= 2
        for step in briefing.steps:
            assert set(step.highlight) <= set(step.filter.apply(bundle.incidents)["id"])


def test_every_step_view_shows_its_highlighted_records_on_a_narrow_map(bundle):
    """A step's centre and zoom must frame the records it highlights on the app's map at its
    narrowest (about 480 × 600 px, a 1280 px window with the sidebar open), clear of the edges."""
    for briefing in load_briefings(bundle):
        for number, step in enumerate(briefing.steps, start=1):
            view = Viewport.around(step.center, step.zoom, width_px=480 - 40, height_px=600 - 40)
            for record in step.highlight:
                point = bundle.incidents.loc[record].geometry
                if point is not None:
                    assert view.west <= point.x <= view.east and view.south <= point.y <= view.north, \
                        f"{briefing.id} step {number}: {record} is outside the step's view"


def test_briefing_texts_name_no_one(bundle):
    names = register_names(bundle.incidents, *bundle.sites.values())
    for path in BRIEFINGS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        hits = [n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text, re.I)]
        assert not hits, f"{path.name} names {hits}"


GOOD = """id: test
title: A test
summary: Testing.
steps:
  - heading: Khabarovsk
    text: Court decisions.
    filters: {type: court_decision, subject: RU-KHA}
    view: {center: [48.5, 135.1], zoom: 6}
    highlight: [mem20-court-03-khabarovsk]
"""


@pytest.mark.parametrize("change, message", [
    (("mem20-court-03-khabarovsk", "mem20-court-99"), "step 1: highlight: no record 'mem20-court-99'"),
    (("subject: RU-KHA", "subject: RU-TA"), "is not kept by the step's filters"),
    (("type: court_decision", "type: kidnapping"), "step 1: filters: unknown type 'kidnapping'"),
    (("zoom: 6", "zoom: 40"), "steps.0.view.zoom"),
    (("heading: Khabarovsk", "headline: Khabarovsk"), "steps.0"),
    (("id: test", "id: [unclosed"), "not valid YAML"),
])
def test_bad_briefing_files_fail_with_one_line_naming_file_step_and_field(bundle, tmp_path, change, message):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(BriefingError) as caught:
        load_briefing(path, bundle)
    assert message in str(caught.value) and "bad.yaml" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_stepping_through_a_briefing_moves_filters_view_and_url():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="briefing").set_value("court-expulsions-2018-2019").run()
    assert not at.exception
    assert at.query_params["briefing"] == "court-expulsions-2018-2019" and at.query_params["step"] == "1"
    assert at.multiselect(key="types").value == ["court_decision"]
    overview = in_view(at)
    assert view_request(at)["center"] == [55.0, 90.0] and view_request(at)["zoom"] == 2.5
    at.button(key="step_next").click().run()
    assert at.query_params["step"] == "2"
    assert in_view(at) < overview
    assert any("Primorsky" in m.value for m in at.markdown)
    assert view_request(at)["center"] == [43.45, 131.6] and at.query_params["c"] == "43.450,131.600"
    at.button(key="step_back").click().run()
    assert at.query_params["step"] == "1"


def test_a_briefing_link_opens_at_its_step():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["briefing"] = "court-expulsions-2018-2019"
    at.query_params["step"] = "3"
    at.run()
    assert not at.exception
    assert at.multiselect(key="subjects").value == ["RU-KHA"]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_briefing_exports_one_page_per_step(bundle, tmp_path, fmt):
    from geo.outputs.briefing_export import export_briefing
    briefing = next(b for b in load_briefings(bundle) if b.id == "court-expulsions-2018-2019")
    path = export_briefing(bundle, briefing, fmt, tmp_path / f"deck.{fmt}")
    raw = path.read_bytes()
    if fmt == "html":
        assert raw.decode("utf-8").count('<section class="step"') == len(briefing.steps)
        assert b"data:image/png;base64," in raw
    else:
        assert raw.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", raw)) == len(briefing.steps) + 1


# -- briefing PDFs: vector maps, a cover that fits, sensible overview and regional pages ------

@pytest.fixture(scope="module")
def court_deck(bundle, tmp_path_factory):
    from pypdf import PdfReader
    from geo.outputs.briefing_export import export_briefing
    briefing = next(b for b in load_briefings(bundle) if b.id == "court-expulsions-2018-2019")
    path = export_briefing(bundle, briefing, "pdf", tmp_path_factory.mktemp("deck") / "courts.pdf")
    return briefing, PdfReader(path)


def test_briefing_pdf_maps_are_vectors_not_pictures(court_deck):
    briefing, pdf = court_deck
    assert len(pdf.pages) == len(briefing.steps) + 1
    for page in pdf.pages:
        assert not page.images, "a map was embedded as a raster image"
        assert float(page.mediabox.width) > float(page.mediabox.height)        # A4 landscape
    assert "Kazan" in pdf.pages[4].extract_text()                             # map labels are text


def test_regional_pages_name_their_places(court_deck):
    briefing, pdf = court_deck
    expected = {"Primorsky Krai": "Vladivostok", "Khabarovsk": "Khabarovsk", "Tatarstan (Kazan)": "Kazan",
                "Bashkortostan (Ufa) and Perm": "Perm", "Moscow Oblast (Khimki)": "Khimki"}
    for number, step in enumerate(briefing.steps, start=1):
        if step.heading in expected:
            assert expected[step.heading] in _map_text(pdf.pages[number]), step.heading


def _map_text(page) -> str:
    """The text drawn on a deck page's map: its labels are in small type, the page's own text is not."""
    small = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: small.append(text)
                      if text.strip() and abs(size * cm[0] * (tm[0] or 1)) < 7.5 else None)
    return " ".join(small)


def test_overview_pages_have_sensible_graticule_and_scale(court_deck):
    briefing, pdf = court_deck
    overview = _map_text(pdf.pages[1])              # step 1: all of Russia
    latitudes = [int(n) for n in re.findall(r"(\d+)°N", overview)]
    assert latitudes and min(latitudes) >= 25, latitudes
    scale = re.search(r"scale true at (\d+)°N", overview)
    assert scale and 40 <= int(scale.group(1)) <= 70


def test_a_long_cover_title_wraps_inside_the_page(bundle, tmp_path):
    from pypdf import PdfReader
    from geo.outputs.briefing_export import DECK_MARGIN, DECK_W, export_briefing
    from geo.outputs.briefings import Briefing
    base = next(b for b in load_briefings(bundle) if b.id == "court-expulsions-2018-2019")
    long = Briefing(base.id, "Court expulsions of citizens of the Democratic People's Republic of Korea ordered by "
                    "Russian district courts, region by region, between October 2018 and September 2019",
                    base.summary, base.steps[:1], base.path)
    page = PdfReader(export_briefing(bundle, long, "pdf", tmp_path / "long.pdf")).pages[0]
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from geo.outputs.static_map.legend import _Measure
    measure = _Measure(FigureCanvasAgg(Figure()).get_renderer(), 100)
    lines = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: lines.append((tm[4] * cm[0] + cm[4], text))
                      if text.strip() and size * cm[0] >= 20 else None)
    assert len(lines) >= 2, "the title should wrap onto several lines"
    for x, text in lines:
        with matplotlib.rc_context({"text.parse_math": False}):
            width = measure.size(text.strip(), 24, bold=True)[0]
        assert x + width <= (DECK_W - DECK_MARGIN) * 72, text
