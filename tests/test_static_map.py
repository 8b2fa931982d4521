"""The print map: PNG at 300 dpi and A4 width, SVG with real text, atomic writes, clear errors."""
import csv
import os
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from geo.outputs import static_map
from geo.view.dataset import load_bundle
from geo.view.filters import IncidentFilter
from geo.outputs.mapview import map_data
from geo.paths import GAZETTEER_CSV
from geo.outputs.static_map import render_static_map

TITLE = "North Korean workers in Russia: incidents"
CAPTION = ["Filters: all records", "Cut-off: 2024-12-31",
           "Places: GeoNames (CC BY 4.0) · Outlines: Natural Earth (public domain)", "Release mode: public"]
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def full(bundle):
    return map_data(bundle, bundle.incidents)


def svg_texts(path) -> list[str]:
    return ["".join(t.itertext()) for t in ET.parse(path).getroot().iter(SVG_TEXT)]


def leftovers(folder, keep=()):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_png_is_print_resolution(full, tmp_path):
    path = render_static_map(full, tmp_path / "map.png", "png", title=TITLE, caption_lines=CAPTION)
    assert path == tmp_path / "map.png"
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width >= 2480                      # A4 width (8.27 in) at 300 dpi
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)
    assert leftovers(tmp_path, keep={"map.png"}) == []  # no temporary file left behind


def test_svg_keeps_text_as_text(full, tmp_path):
    path = render_static_map(full, tmp_path / "map.svg", "svg", title=TITLE, caption_lines=CAPTION)
    texts = svg_texts(path)
    assert TITLE in texts
    assert CAPTION[2] in texts
    unlocated = int(full.incidents.geometry.isna().sum())
    assert unlocated and f"{unlocated} records located only at country level are not drawn." in texts
    assert "Vladivostok" in texts and "Moscow" in texts       # place labels
    assert "Incidents by type".upper() in texts


def test_filtered_map_shows_only_its_types(bundle, tmp_path):
    courts = IncidentFilter(types=("court_decision",)).apply(bundle.incidents)
    data = map_data(bundle, courts)
    svg = render_static_map(data, tmp_path / "courts.svg", "svg", title="Court decisions", caption_lines=CAPTION)
    texts = svg_texts(svg)
    assert "Court decision" in texts and "Abduction" not in texts
    png = render_static_map(data, tmp_path / "courts.png", "png", title="Court decisions", caption_lines=CAPTION)
    with Image.open(png) as image:
        assert image.width >= 2480


def test_explicit_extent_counts_what_lies_outside(full, tmp_path):
    path = render_static_map(full, tmp_path / "far-east.svg", "svg", title="Far East", caption_lines=CAPTION,
                             extent=(120, 40, 145, 56))
    assert any("outside this map's extent" in t for t in svg_texts(path))
    with pytest.raises(ValueError, match="extent"):
        render_static_map(full, tmp_path / "bad.svg", "svg", title="x", caption_lines=[], extent=(145, 40, 120, 56))


def test_empty_selection_still_renders(bundle, tmp_path):
    data = map_data(bundle, IncidentFilter(types=()).apply(bundle.incidents))
    path = render_static_map(data, tmp_path / "empty.png", "png", title="Nothing selected", caption_lines=CAPTION)
    assert path.stat().st_size > 0


def test_unknown_format_is_refused(full, tmp_path):
    with pytest.raises(ValueError, match="unknown map format 'gif'"):
        render_static_map(full, tmp_path / "map.gif", "gif", title=TITLE, caption_lines=CAPTION)
    assert leftovers(tmp_path) == []


def test_missing_folder_is_a_clear_error(full, tmp_path):
    target = tmp_path / "no-such-folder" / "map.png"
    with pytest.raises(FileNotFoundError, match="no-such-folder/map.png"):
        render_static_map(full, target, "png", title=TITLE, caption_lines=CAPTION)
    assert leftovers(tmp_path) == []


def test_read_only_folder_leaves_nothing(full, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root)")
        with pytest.raises(PermissionError, match="locked/map.png"):
            render_static_map(full, folder / "map.png", "png", title=TITLE, caption_lines=CAPTION)
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o755)


def test_failed_render_keeps_the_old_file(full, tmp_path, monkeypatch):
    target = tmp_path / "map.png"
    target.write_bytes(b"previous map")

    def broken_savefig(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(static_map.Figure, "savefig", broken_savefig)
    with pytest.raises(RuntimeError, match="disk full"):
        render_static_map(full, target, "png", title=TITLE, caption_lines=CAPTION)
    assert target.read_bytes() == b"previous map"
    assert leftovers(tmp_path, keep={"map.png"}) == []


def test_label_places_come_from_the_gazetteer():
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as handle:
        rows = {r["name"]: r for r in csv.DictReader(handle)}
    vladivostok = rows["Vladivostok"]
    assert static_map.place_lonlat("Vladivostok") == (float(vladivostok["lon"]), float(vladivostok["lat"]))
    nakhodka = static_map.place_lonlat("Nakhodka")      # not in the gazetteer: GeoNames, when available
    if nakhodka is not None:
        assert 132 < nakhodka[0] < 134 and 42 < nakhodka[1] < 44


# -- what the issue found: sea-blue land, labels only in the Far East, groups pushed into the sea --

def _pixel_colour(data, extent, lon, lat):
    """The colour the basemap paints at (lon, lat) on a map of `extent` (drawn alone, 100 dpi)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from geo.outputs.static_map.frame import _draw_basemap, _draw_frame
    from geo.outputs.static_map.projection import _fit_view

    view = _fit_view(data.incidents.iloc[:0], extent, 4.0)
    fig = static_map.Figure(figsize=(4.0, 4.0 * view.aspect), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    _draw_frame(ax, view)
    _draw_basemap(ax, view, data)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    px, py = (float(v) for v in view.lonlat_to_pt(lon, lat))
    row, col = int(pixels.shape[0] - py / 72 * 100), int(px / 72 * 100)
    return "#%02x%02x%02x" % tuple(pixels[row, col, :3])


@pytest.mark.parametrize("place, lon, lat", [("Kyiv, Ukraine", 30.52, 50.45), ("Tbilisi, Georgia", 44.8, 41.7),
                                             ("Tashkent, Uzbekistan", 69.3, 41.3)])
def test_land_beyond_the_seven_outlined_countries_is_land_not_sea(full, place, lon, lat):
    from geo.outputs.static_map.style import OTHER_FILL
    from layers.basemap import SEA
    colour = _pixel_colour(full, (lon - 8, lat - 6, lon + 8, lat + 6), lon, lat)
    assert colour == OTHER_FILL and colour != SEA, place
    assert _pixel_colour(full, (30, 38, 50, 48), 34.0, 43.5) == SEA       # the Black Sea stays sea


def test_places_are_labelled_wherever_records_are(full, tmp_path):
    texts = svg_texts(render_static_map(full, tmp_path / "all.svg", "svg", title=TITLE, caption_lines=CAPTION))
    for place in ("Saint Petersburg", "Kazan", "Perm", "Ufa", "Tomsk", "Krasnoyarsk", "Khimki", "Khabarovsk",
                  "Vladivostok", "Chegdomyn"):
        assert place in texts, place


def test_a_regional_map_names_its_places_and_towns_around(bundle, tmp_path):
    tatarstan = map_data(bundle, IncidentFilter(subjects=("RU-TA",)).apply(bundle.incidents))
    texts = svg_texts(render_static_map(tatarstan, tmp_path / "kazan.svg", "svg", title="Kazan", caption_lines=CAPTION,
                                        extent=(45.0, 52.5, 53.5, 58.0)))
    assert "Kazan" in texts
    assert len({"Nizhniy Novgorod", "Ulyanovsk", "Samara", "Izhevsk", "Cheboksary"} & set(texts)) >= 2


def test_grouped_markers_are_kept_on_land_off_vladivostok(bundle):
    import shapely
    from geo.outputs.static_map import Panel
    from geo.outputs.static_map.frame import land_in_points
    from geo.outputs.static_map.labels import panel_labels
    from geo.outputs.static_map.markers import LAND_SLACK, _groups
    from geo.outputs.static_map.projection import _fit_view

    primorye = IncidentFilter(subjects=("RU-PRI", "RU-KHA", "RU-AMU")).apply(bundle.incidents)
    data = map_data(bundle, primorye)
    located = primorye[primorye.geometry.notna()]
    panel = Panel(_fit_view(located, None, 7.1))
    panel.labels = panel_labels(located, panel.view, 8)
    land = land_in_points(panel.view, data)
    groups, _ = _groups(panel, located, data, land)
    ashore = land.buffer(LAND_SLACK + 0.6)
    vladivostok = [g for g in groups if any(abs(i.px - g.tx) < 30 and 131.5 < panel.view.inverse.transform(
        *panel.view.from_pt(i.px, i.py))[0] < 132.2 for i in g.items)]
    assert vladivostok
    for g in groups:
        if shapely.contains_xy(ashore, g.tx, g.ty):
            assert shapely.contains_xy(ashore, g.cx, g.cy), f"a group of {len(g.items)} was pushed into the sea"


def test_print_symbols_have_the_app_shapes(bundle, tmp_path):
    """Each type is drawn with its own shape (layers.symbols), as on the web map, not as a dot:
    in the SVG, court decisions' colour fills only four-cornered diamonds, abductions' only
    ten-cornered stars."""
    import re
    from layers.symbols import SHAPE_OUTLINES, TYPE_COLOURS, TYPE_SHAPES
    data = map_data(bundle, IncidentFilter(types=("court_decision", "abduction")).apply(bundle.incidents))
    root = ET.parse(render_static_map(data, tmp_path / "shapes.svg", "svg", title="x", caption_lines=[])).getroot()
    svg = "{http://www.w3.org/2000/svg}"
    paths = {e.get("id"): e.get("d") for e in root.iter(svg + "path") if e.get("id")}
    corners: dict[str, set[int]] = {}
    for use in root.iter(svg + "use"):
        fill = re.search(r"fill: *(#[0-9a-fA-F]{6})", use.get("style") or "")
        d = paths.get((use.get("{http://www.w3.org/1999/xlink}href") or "").lstrip("#"))
        if fill and d:
            corners.setdefault(fill.group(1).lower(), set()).add(d.count("L") + 1)
    for kind in ("court_decision", "abduction"):
        assert corners[TYPE_COLOURS[kind].lower()] == {len(SHAPE_OUTLINES[TYPE_SHAPES[kind]])}, kind
