"""Case routes: the records of one case history in date order, as a line from place to place.

A case is the register's `case` id (shared by every record of one case history). Records that have
no case but are linked by `related` to each other (and to no record of a case) make a case of
their own, named after their earliest record: a link from a case record to a policy record is a
cross-reference, not a step in someone's journey, so it never joins two cases.

Order: by the date each record starts; a record known only as "on or before" a date ("Oct 2008 or
earlier") at the start of that date's month or year, before the records that start then. Records
the sources date alike (several events "between 2 and 8 November") follow the `related` chain:
by how many links they sit from its first record (of the earliest records, the one at an end of
the chain), then by end date and id.

The route is drawn through the steps that have a point, one stop per run of consecutive steps at the
same point. A leg that starts or ends at a place known only to its district or region is drawn
dashed. Arrowheads sit at the middle of each leg, pointing along it on the screen (Web Mercator is
conformal, so the angle is the same at every zoom).
"""
from __future__ import annotations

import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.language import _

COARSE = ("district", "region")   # a leg to such a place is drawn dashed
ROUTE_LIMIT = 300                 # routes drawn at once; beyond that the app asks to zoom or filter


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    date_label: str
    type: str
    type_label: str
    place: str
    precision: str
    lon: float | None      # None: not drawn (country level)
    lat: float | None
    shown: bool            # kept by the filters in force

    @property
    def mapped(self) -> bool:
        return self.lon is not None


@dataclass(frozen=True)
class Stop:
    lon: float
    lat: float
    steps: tuple[int, ...]   # 1-based step numbers at this stop
    coarse: bool


@dataclass(frozen=True)
class Leg:
    start: Stop
    end: Stop
    dashed: bool
    arrow_lon: float
    arrow_lat: float
    angle: float             # degrees clockwise from east, on the screen


@dataclass(frozen=True)
class Route:
    case: str
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        return _("Case {case}").format(case=self.case)

    def stops(self, shown_only: bool = True) -> list[Stop]:
        """Where the line goes: the mapped steps (kept by the filters, unless shown_only=False) in
        order, consecutive steps at one point merged."""
        stops: list[Stop] = []
        for number, s in enumerate(self.steps, start=1):
            if not s.mapped or (shown_only and not s.shown):
                continue
            coarse = s.precision in COARSE
            if stops and (stops[-1].lon, stops[-1].lat) == (s.lon, s.lat):
                last = stops[-1]
                stops[-1] = Stop(last.lon, last.lat, last.steps + (number,), last.coarse or coarse)
            else:
                stops.append(Stop(s.lon, s.lat, (number,), coarse))
        return stops

    def legs(self, shown_only: bool = True) -> list[Leg]:
        stops = self.stops(shown_only)
        legs = []
        for a, b in zip(stops, stops[1:]):
            x1, y1, x2, y2 = a.lon, mercator_y(a.lat), b.lon, mercator_y(b.lat)
            mid_lon, mid_lat = (x1 + x2) / 2, lat_from_mercator((y1 + y2) / 2)
            # On the screen a degree of longitude is 1/360 and a unit of Mercator y 1/(2π) of the
            # world's width, at every zoom; the screen's y grows downwards.
            angle = math.degrees(math.atan2(-(y2 - y1) / (2 * math.pi), (x2 - x1) / 360))
            legs.append(Leg(a, b, a.coarse or b.coarse, mid_lon, mid_lat, angle))
        return legs

    @property
    def drawable(self) -> bool:
        return len(self.stops()) >= 2


def mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def lat_from_mercator(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _order_keys(frame: pd.DataFrame) -> dict[str, tuple]:
    """(date, 0 for "on or before" else 1) per record: see the module's docstring."""
    keys = {}
    for record_id, start, end, precision in zip(frame.index, frame["date_start"], frame["date_end"],
                                                 frame["date_precision"]):
        if pd.notna(start):
            keys[record_id] = (start, 1)
        elif pd.notna(end):
            period = {"month": end.replace(day=1), "year": end.replace(month=1, day=1)}.get(precision, end)
            keys[record_id] = (period, 0)
        else:
            keys[record_id] = (pd.Timestamp.max, 1)
    return keys


def _chain_distance(ids: list[str], related: dict[str, list[str]], first: str) -> dict[str, int]:
    """Steps along `related` links from `first`, within the case."""
    members = set(ids)
    distance = {first: 0}
    queue = deque([first])
    while queue:
        here = queue.popleft()
        for other in related.get(here, ()):
            if other in members and other not in distance:
                distance[other] = distance[here] + 1
                queue.append(other)
    return distance


def case_groups(incidents: pd.DataFrame) -> dict[str, list[str]]:
    """Case id -> record ids: the `case` field, plus the related-only groups of records with no case."""
    cases = incidents["case"] if "case" in incidents.columns else pd.Series(None, index=incidents.index)
    has_case = cases.notna() & (cases.astype(str) != "")
    groups: dict[str, list[str]] = defaultdict(list)
    for record_id, case in zip(incidents.index[has_case.to_numpy()], cases[has_case]):
        groups[str(case)].append(record_id)
    # related-only: records without a case linked to records without a case (union-find)
    loose = incidents.index[~has_case.to_numpy()]
    loose_related = incidents.loc[loose, "related"] if len(loose) else pd.Series(dtype=object)
    linked = {rid: [r for r in (rel or []) if r in loose_related.index] for rid, rel in loose_related.items() if rel}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for rid, others in linked.items():
        for other in others:
            a, b = root(rid), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    loose_groups: dict[str, list[str]] = defaultdict(list)
    for rid, others in linked.items():
        if others:
            loose_groups[root(rid)].append(rid)
    for members in loose_groups.values():
        if len(members) >= 2:
            groups["related-" + sorted(members)[0]].extend(sorted(members))
    return dict(groups)


def route_of(incidents: pd.DataFrame, case: str, member_ids: list[str], shown: set[str] | None = None) -> Route:
    """The route of one case: its records in date order (see the module's docstring)."""
    frame = incidents.loc[member_ids]
    key = _order_keys(frame)
    members = set(member_ids)
    related = {r: [o for o in (frame.at[r, "related"] or []) if o in members] for r in member_ids}
    first_key = min(key.values())
    earliest = min((r for r in member_ids if key[r] == first_key),
                   key=lambda r: (len(related[r]), frame.at[r, "date_end"], r))   # an end of the chain
    distance = _chain_distance(member_ids, related, earliest)
    far = len(member_ids) + 1
    ordered = sorted(member_ids, key=lambda r: (key[r], distance.get(r, far), frame.at[r, "date_end"], r))
    steps = []
    for r in ordered:
        p = frame.loc[r]
        point = p.geometry
        mapped = point is not None and not getattr(point, "is_empty", True)
        steps.append(Step(r, p["title"], p["date_label"], p["type"], p["type_label"], p["place_name"],
                          p["location_precision"], float(point.x) if mapped else None,
                          float(point.y) if mapped else None, shown is None or r in shown))
    return Route(case, tuple(steps))


def routes(incidents: pd.DataFrame, shown_mask=None, touching: set[str] | None = None,
           limit: int | None = ROUTE_LIMIT) -> tuple[list[Route], int]:
    """The routes of the cases among the records `shown_mask` keeps (all records when None) that
    can be drawn (two stops or more), earliest first; with `touching`, only cases with a step in
    it (e.g. the records drawn as markers). Returns (routes, how many more were left out by limit)."""
    if shown_mask is None:
        shown_mask = np.ones(len(incidents), dtype=bool)
    shown_ids = set(incidents.index[np.asarray(shown_mask, dtype=bool)])
    groups = case_groups(incidents)
    found: list[Route] = []
    for case, members in groups.items():
        if len(members) < 2 or not shown_ids.intersection(members):
            continue
        if touching is not None and not touching.intersection(members):
            continue
        route = route_of(incidents, case, members, shown_ids)
        if route.drawable:
            found.append(route)
    found.sort(key=lambda r: (_first_date(r, incidents), r.case))
    if limit is not None and len(found) > limit:
        return found[:limit], len(found) - limit
    return found, 0


def _first_date(route: Route, incidents: pd.DataFrame):
    first = incidents.loc[route.steps[0].id]
    value = first["date_start"] if pd.notna(first["date_start"]) else first["date_end"]
    return value if pd.notna(value) else pd.Timestamp.max


def route_id_from_tooltip(tooltip: str | None) -> str | None:
    """A route's tooltip ends with [route:<case id>] (a record's ends with [<record id>])."""
    if not tooltip:
        return None
    found = re.search(r"\[route:([A-Za-z0-9_.-]+)\]\s*$", tooltip.strip())
    return found.group(1) if found else None
