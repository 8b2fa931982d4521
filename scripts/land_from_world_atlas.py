"""Write data/geodata/land_region.geojson from Natural Earth's 1:50m land polygons.

The input is `land-50m.json` of the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 land,
public domain, as TopoJSON; the package itself is ISC). Get it with `npm pack world-atlas@2.0.2`
and unpack the tarball, then:

    .venv/bin/python scripts/land_from_world_atlas.py package/land-50m.json

GDAL reads the TopoJSON. Natural Earth's Eurasia ring crosses the antimeridian (Chukotka), which a
flat plane reads as bands across the whole map; each ring is unwrapped (a jump of more than 180°
of longitude continues past 180° instead), the land is cut to the part of the world the print
maps can show (Europe to the Pacific, and the Bering Strait, moved back west of -180°) and
written unsimplified; `python -m geo boundaries` simplifies it into data/boundaries/land.geojson.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyogrio
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, mapping

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geo.paths import GEODATA_DIR  # noqa: E402

WEST, EAST = (-12.0, 5.0, 180.0, 85.0), (180.0, 45.0, 210.0, 80.0)   # EAST: past the antimeridian


def _unwrapped(ring) -> np.ndarray:
    xy = np.asarray(ring.coords)
    jumps = np.diff(xy[:, 0])
    xy[1:, 0] += -360.0 * np.cumsum(np.round(jumps / 360.0))
    return xy


def _polygons(geometry):
    for polygon in getattr(geometry, "geoms", [geometry]):
        yield Polygon(_unwrapped(polygon.exterior), [_unwrapped(r) for r in polygon.interiors])


def main(topojson: str) -> None:
    frame = pyogrio.read_dataframe(topojson)
    polygons = [p for g in frame.geometry for p in _polygons(g)]
    land = shapely.union_all(shapely.make_valid(np.array(polygons + [shapely.affinity.translate(p, 360) for p in polygons
                                                                     if p.bounds[2] < -150], dtype=object)))
    west = land.intersection(shapely.box(*WEST))
    east = shapely.affinity.translate(land.intersection(shapely.box(*EAST)), -360)
    clipped = shapely.set_precision(shapely.union_all([west, east]), 1e-5)
    feature = {"type": "Feature", "properties": {"name": "land", "source": "Natural Earth 4.1.0 1:50m land"},
               "geometry": mapping(clipped)}
    out = GEODATA_DIR / "land_region.geojson"
    out.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main(sys.argv[1])
