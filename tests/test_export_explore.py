"""Explore features in the exports: case routes in the standalone HTML and on print maps, the
within-N-km filter as an export filter (also from the command line), and descriptions of violence
behind a click in public HTML popups."""
import pytest

from geo.cli import main as cli
from geo.outputs.export import ExportError, export, export_bytes, make_view
from geo.view import proximity
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter

KHASAN = "site-khasan-border-crossing"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def everything(bundle, **kwargs):
    return make_view(bundle, IncidentFilter.from_params({}), "public", None, **kwargs)


def test_the_html_map_draws_case_routes_with_arrows_only_when_asked(bundle):
    with_routes = export_bytes(everything(bundle, routes=True), "html").decode()
    assert with_routes.count('"layer": "routes"') >= 10 and "route-arrow" in with_routes
    assert "Route of case mem20-case-1" in with_routes            # the popup lists the steps
    assert "Case routes: " in with_routes                          # and the caption says so
    plain = export_bytes(everything(bundle), "html").decode()
    assert '"layer": "routes"' not in plain and "Case routes: " not in plain


def test_print_maps_draw_case_routes_with_a_legend_row(bundle, tmp_path):
    drawn = export(everything(bundle, routes=True), "svg", tmp_path / "routes.svg").read_text()
    assert "Route of a case: its records in date order" in drawn and "Case routes: " in drawn
    plain = export(everything(bundle), "svg", tmp_path / "plain.svg").read_text()
    assert "Route of a case" not in plain


def test_an_export_within_50_km_of_a_site_holds_what_the_app_shows(bundle):
    view = make_view(bundle, IncidentFilter.from_params({"near": KHASAN, "km": "50"}, known_sites=bundle.site_places),
                     "full")
    near = proximity.near(bundle.incidents, bundle.coords, bundle.site_places[KHASAN], 50)
    assert set(view.incidents.index) == set(bundle.incidents.index[near.mask])
    assert "within 50 km of Khasan border crossing" in view.caption_lines()[0]


def test_a_distance_from_a_site_the_public_release_coarsens_is_refused(bundle):
    coarsened = "court-slavyanka-khasansky"   # a court a public release places only by its region
    wanted = IncidentFilter.from_params({"near": coarsened, "km": "50"}, known_sites=bundle.site_places)
    with pytest.raises(ExportError, match="has no precise place in a public release"):
        make_view(bundle, wanted, "public")
    assert len(make_view(bundle, wanted, "full").incidents)


def test_the_command_line_exports_routes_and_a_distance(bundle, tmp_path, capsys):
    out = tmp_path / "near.html"
    assert cli(["export", "html", "--routes", "--near", KHASAN, "--km", "250", "--out", str(out)]) == 0
    text = out.read_text()
    kept = make_view(bundle, IncidentFilter.from_params({"near": KHASAN, "km": "250"},
                                                        known_sites=bundle.site_places)).incidents
    assert f"{len(kept)} incidents" in capsys.readouterr().out
    assert "within 250 km of Khasan border crossing" in text
    assert '"radius": 250000.0' in text        # the reach drawn round the site


def popup_text(html: str) -> str:
    """The page with the popups' HTML as written (it travels JSON-escaped in the map's data)."""
    return html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')


def test_public_popups_hold_back_descriptions_of_violence_until_clicked(bundle):
    record_id = "mem20-case1-leg-cast"   # ill-treatment, with a point
    assert bundle.incidents.loc[record_id, "type"] == "ill_treatment"
    public = popup_text(export_bytes(everything(bundle), "html").decode())
    assert f'<details class="graphic" data-record="{record_id}">' in public
    assert "incident-map-descriptions" in public      # the click is remembered for the session
    full = popup_text(export_bytes(make_view(bundle, IncidentFilter.from_params({}), "full"), "html").decode())
    assert f'data-record="{record_id}"' not in full
