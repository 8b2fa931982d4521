"""What AppTest tests read from a run of the app: the map's arguments, the counts above it, the
view request sent to the map."""
from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest


def map_args(at: AppTest) -> dict:
    def walk(node):
        proto = getattr(node, "proto", None)
        if getattr(proto, "component_name", "") == "streamlit_folium.st_folium":
            yield json.loads(proto.json_args)
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    found = list(walk(at._tree))
    assert len(found) == 1, "expected exactly one map"
    return found[0]


def map_code(at: AppTest) -> str:
    """The base map's script plus the feature group st_folium swaps in (the incidents)."""
    args = map_args(at)
    return args["script"] + (args.get("feature_group") or "")


def incident_markers(at: AppTest) -> int:
    return map_code(at).count('"layer": "incidents"')


def counts(at: AppTest) -> tuple[int, int, int]:
    """(in view, on the map, country level only) from the line above the map."""
    line = next(m.value for m in at.markdown if "incidents in view" in m.value)
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\*\*([\d,]+)", line)]
    return numbers[0], numbers[1], numbers[2]   # "**N of T**" yields N


def in_view(at: AppTest) -> int:
    return counts(at)[0]


def view_request(at: AppTest) -> dict:
    """The view request the map was sent (geo.outputs.mapview.ViewRequest) in this run."""
    match = re.search(r"\}, 0, (\{.*?\})\);", map_args(at)["feature_group"])
    return json.loads(match.group(1))
