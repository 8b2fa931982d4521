"""Public release mode: personal names withheld, sensitive locations coarsened.

Outputs default to **public**. Every form of a name that any record lists in `people_names` is
replaced in every text field of every record (a person named in one case may be quoted in
another), whole-word and case-insensitive, by a visible marker. Records whose `public_precision`
is coarser than their location move to the coarser place; the only coarser places this project
can draw honestly are the federal subject (its label point and outline) or nothing (country).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import geopandas
from shapely.geometry import Point

from geo.evidence.vocabulary import LOCATION_PRECISIONS, precision_rank

WITHHELD = "[name withheld]"
PUBLIC, FULL = "public", "full"
MODES = (PUBLIC, FULL)

_TEXT_COLUMNS = ("title", "name", "outcome", "notes", "place_as_written", "date_as_written", "period_as_written")


# Names that are public, not at risk: heads of state in the sources and the reports' own authors.
# A listed surname ("Kim", "Lee") must not eat them, and the citations must stay intact.
PUBLIC_FIGURES = ("Kim Il Sung", "Kim Jong Il", "Kim Jong Un", "Kim Il-sung", "Kim Jong-il", "Kim Jong-un",
                  "Moonyoung Lee")


class Redactor:
    """Replaces every listed name form; longest forms first so "Kim Sun Ho" wins over "Kim"."""

    def __init__(self, names: Iterable[str], keep: Iterable[str] = PUBLIC_FIGURES):
        forms = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
        self.names = tuple(forms)
        self._keep = {k.casefold() for k in keep}
        alternatives = sorted([*forms, *keep], key=len, reverse=True) if forms else []
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in alternatives) + r")(?!\w)", re.I)
                         if forms else None)

    def _replace(self, match: re.Match) -> str:
        return match.group(0) if match.group(0).casefold() in self._keep else WITHHELD

    def text(self, value):
        if not isinstance(value, str) or self._pattern is None:
            return value
        return self._pattern.sub(self._replace, value)

    def sources(self, sources):
        return [{**s, "quote": self.text(s.get("quote")), "locator": self.text(s.get("locator"))}
                for s in sources or []]


def register_names(*frames: geopandas.GeoDataFrame) -> list[str]:
    names: set[str] = set()
    for frame in frames:
        if "people_names" in frame:
            for listed in frame["people_names"]:
                names.update(listed or [])
    return sorted(names)


def public_frame(frame: geopandas.GeoDataFrame, redactor: Redactor, subjects) -> geopandas.GeoDataFrame:
    """A copy of `frame` fit for public release."""
    out = frame.copy()
    for column in _TEXT_COLUMNS:
        if column in out:
            out[column] = out[column].map(redactor.text)
    if "sources" in out:
        out["sources"] = out["sources"].map(redactor.sources)
    if "date_readings" in out:
        out["date_readings"] = out["date_readings"].map(
            lambda rs: [{**r, "as_written": redactor.text(r["as_written"])} for r in rs or []])
    if "people_names" in out:
        out["people_names"] = [[] for _ in range(len(out))]
    for record_id, row in out.iterrows():
        target = row.get("public_precision")
        if isinstance(target, str) and precision_rank(target) > precision_rank(row["location_precision"]):
            _coarsen(out, record_id, target, subjects)
    return out


def _coarsen(out, record_id, target: str, subjects) -> None:
    """Move one record to its federal subject (or drop its point when none is known)."""
    code = out.at[record_id, "subject_code"]
    if target == "country" or not isinstance(code, str) or code not in subjects:
        out.at[record_id, "geometry"] = None
        new = "country"
    else:
        subject = subjects[code]
        out.at[record_id, "geometry"] = Point(subject.label_point.x, subject.label_point.y)
        out.at[record_id, "place_name"] = subject.name
        out.at[record_id, "place_id"] = code
        new = "region"
    out.at[record_id, "location_precision"] = new
    out.at[record_id, "location_label"] = f"{out.at[record_id, 'place_name']} ({LOCATION_PRECISIONS[new]}, coarsened for public release)"
    out.at[record_id, "coordinate_source"] = "coarsened for public release"
    out.at[record_id, "place_as_written"] = f"[withheld: shown at {LOCATION_PRECISIONS[new]} level]"
    if "court_name" in out and isinstance(out.at[record_id, "court_name"], str):   # a court's name names its town
        out.at[record_id, "court_name"] = f"[withheld: shown at {LOCATION_PRECISIONS[new]} level]"


def release_bundle(bundle, mode: str):
    """The bundle as a release in `mode`: public (redacted, coarsened) or full (as built)."""
    from dataclasses import replace

    from geo.places.boundaries import load_subjects

    if mode not in MODES:
        raise ValueError(f"unknown release mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == FULL or bundle.mode == PUBLIC:   # a public bundle keeps the redactor built from the names
        return bundle
    redactor = Redactor(register_names(bundle.incidents, *bundle.sites.values()))
    subjects = load_subjects()
    incidents = public_frame(bundle.incidents, redactor, subjects)
    sites = {name: public_frame(frame, redactor, subjects) for name, frame in bundle.sites.items()}
    from geo.view.scale import coordinates
    return replace(bundle, incidents=incidents, sites=sites, titles=dict(zip(incidents["id"], incidents["title"])),
                   coords=coordinates(incidents),
                   redactor=redactor, mode=PUBLIC)
