"""Public release mode: personal names withheld, sensitive locations coarsened.

Outputs default to **public**. Every name that any record lists in `people_names` is replaced in
every text field of every record (a person named in one case may be quoted in another) by a
visible marker — the whole name, in every form a text uses it (geo.outputs.name_forms). Records
and sites whose `public_precision` is coarser than their location move to the coarser place, and
the finer place is withheld in all their fields and ids (geo.outputs.public_places); the only
coarser places this project can draw honestly are the federal subject (its label point and
outline) or nothing (country).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas

from geo.evidence.vocabulary import precision_rank
from geo.outputs.name_forms import NameMatcher
from geo.outputs.public_places import (INCIDENT_TEXT, SITE_TEXT, Coarsening, coarsen, coarsening_for, public_id,
                                       public_id_words, rename_ids, unique_ids, withheld_wording)

WITHHELD = "[name withheld]"
PUBLIC, FULL = "public", "full"
MODES = (PUBLIC, FULL)

_TEXT_COLUMNS = ("title", "name", "outcome", "notes", "place_as_written", "date_as_written", "period_as_written",
                 "location_label", "court_name", "period_label")


# Names that are public, not at risk: heads of state in the sources and the reports' own authors.
# A listed surname ("Kim", "Lee") must not eat them, and the citations must stay intact.
PUBLIC_FIGURES = ("Kim Il Sung", "Kim Jong Il", "Kim Jong Un", "Kim Il-sung", "Kim Jong-il", "Kim Jong-un",
                  "Kim Yo Jong", "Ким Ир Сен", "Ким Чен Ир", "Ким Чен Ын",
                  "Lee Myung-bak", "Park Geun-hye", "Moon Jae-in", "Roh Moo-hyun", "Kim Dae-jung", "Kim Young-sam",
                  "Yoon Suk Yeol", "Lee Jae-myung", "Boris Yeltsin", "Yeltsin", "Ельцин", "Mikhail Gorbachev",
                  "Dmitry Medvedev", "Vladimir Putin", "Moonyoung Lee")


class Redactor:
    """Replaces every listed name in every form a text uses it (geo.outputs.name_forms): the whole
    name around a listed part, plurals and possessives, Russian inflected forms, other
    romanisations. Public figures are kept."""

    def __init__(self, names: Iterable[str], keep: Iterable[str] = PUBLIC_FIGURES):
        self._matcher = NameMatcher(names, keep)
        self.names = self._matcher.names
        self._done: dict[str, str] = {}

    def text(self, value):
        if not isinstance(value, str) or not self.names:
            return value
        if value not in self._done:     # the same quote recurs across records (and synthetic data)
            spans = self._matcher.spans(value)
            out, last = [], 0
            for start, end in spans:
                out += [value[last:start], WITHHELD]
                last = end
            self._done[value] = "".join(out) + value[last:] if spans else value
        return self._done[value]

    def sources(self, sources):
        return [{**s, **{k: self.text(s.get(k)) for k in ("quote", "locator", "doc_title") if k in s}}
                for s in sources or []]


def register_names(*frames: geopandas.GeoDataFrame) -> list[str]:
    names: set[str] = set()
    for frame in frames:
        if "people_names" in frame:
            for listed in frame["people_names"]:
                names.update(listed or [])
    return sorted(names)


def public_frame(frame: geopandas.GeoDataFrame, redactor: Redactor) -> geopandas.GeoDataFrame:
    """A copy of `frame` with every listed name withheld (places: see public_release)."""
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
    return out


@dataclass
class PublicRelease:
    incidents: geopandas.GeoDataFrame
    sites: dict[str, geopandas.GeoDataFrame]
    redactor: "PublicRedactor"
    public_ids: dict[str, str]            # register id -> id in the release (only those that differ)


def public_release(incidents, sites: dict, subjects) -> PublicRelease:
    """Names withheld everywhere; records and sites with public_precision coarsened, their finer
    places withheld in every field, sites that would reveal them coarsened or withheld, ids that
    spell them replaced (geo.outputs.public_places)."""
    names = Redactor(register_names(incidents, *sites.values()))
    incidents = public_frame(incidents, names)
    sites = {name: public_frame(frame, names) for name, frame in sites.items()}
    sites_by_id = {i: row for frame in sites.values() for i, row in frame.iterrows()}
    coarsened: dict[str, Coarsening] = {}
    severed: dict[str, set[str]] = {}     # site id -> coarsened records that no longer point at it
    for frame, text in ((incidents, INCIDENT_TEXT), *((f, SITE_TEXT) for f in sites.values())):
        if "public_precision" not in frame:
            continue
        for record_id in frame.index[frame["public_precision"].notna()]:
            row = frame.loc[record_id]
            c = coarsening_for(row, subjects, sites_by_id)
            if c is None:
                continue
            coarsen(frame, record_id, c, subjects, text)
            coarsened[record_id] = c
            for column in ("site", "court"):
                site = sites_by_id.get(row.get(column)) if column in frame else None
                if site is not None and precision_rank(site["location_precision"]) < precision_rank(c.target):
                    frame.at[record_id, column] = None
                    severed.setdefault(site["id"], set()).add(record_id)
            if "kind_label" in frame:       # a coarsened site: its name is the finer place
                frame.at[record_id, "name"] = f"{frame.at[record_id, 'kind_label']} ({c.wording})"
    kept_sites = {}
    for name, frame in sites.items():
        frame = frame.copy()
        frame["incidents"] = [[r for r in (listed or []) if r not in severed.get(i, ())]
                              for i, listed in zip(frame["id"], frame["incidents"])]
        only_coarsened = [bool(severed.get(i)) and not listed for i, listed in zip(frame["id"], frame["incidents"])]
        kept_sites[name] = frame[[not x for x in only_coarsened]]
    incidents = _unlink_revealing(incidents, coarsened)
    ids = {i: public_id(i, c) for i, c in coarsened.items()}
    every_id = set(incidents["id"]).union(*(set(f["id"]) for f in kept_sites.values()))
    ids = unique_ids({old: new for old, new in ids.items() if new != old}, every_id)
    incidents = rename_ids(incidents, ids)
    kept_sites = {name: rename_ids(frame, ids) for name, frame in kept_sites.items()}
    shown = set(incidents.loc[incidents["location_precision"] != "country", "place_id"].dropna())
    for frame in kept_sites.values():
        shown.update(frame["place_id"].dropna())
    exclusive = set().union(*(c.withheld_ids | c.place_ids for c in coarsened.values())) - shown
    # The distinctive words of a coarsened record's place ("Khasansky", "Continent" cafe) go with
    # it, where that place is one no public record names.
    stems = {stem: c.wording for c in coarsened.values()
             if (c.withheld_ids | c.place_ids) and (c.withheld_ids | c.place_ids) <= exclusive for stem in c.stems()}
    redactor = PublicRedactor(names.names, exclusive, subjects, stems)
    if exclusive:      # other records of the same story name them too
        incidents = _withhold_everywhere(incidents, redactor, INCIDENT_TEXT)
        kept_sites = {name: _withhold_everywhere(frame, redactor, SITE_TEXT) for name, frame in kept_sites.items()}
    return PublicRelease(incidents, kept_sites, redactor, ids)


def _unlink_revealing(incidents, coarsened: dict[str, Coarsening]):
    """A coarsened record drops its `related` links to records whose id or title names its withheld
    place ("mem20-case1-held-vladivostok", "... (Vladivostok)"), and they drop theirs back: either
    way the link (and the title a popup shows for it) would say where it was."""
    drop: set[tuple[str, str]] = set()
    titles = dict(zip(incidents["id"], incidents["title"]))
    for record_id, c in coarsened.items():
        if record_id not in incidents.index:
            continue
        words = public_id_words(c)
        for other in incidents.at[record_id, "related"] or []:
            title = titles.get(other)
            if words & set(other.split("-")) or (isinstance(title, str) and c.text(title) != title):
                drop.update({(record_id, other), (other, record_id)})
    if not drop:
        return incidents
    out = incidents.copy()
    out["related"] = [[r for r in (related or []) if (i, r) not in drop] for i, related in zip(out["id"], out["related"])]
    return out


def _withhold_everywhere(frame, redactor: "PublicRedactor", columns):
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = out[column].map(redactor.places)
    out["sources"] = [[{**s, **{k: redactor.places(s.get(k)) for k in ("quote", "locator") if k in s}} for s in ss or []]
                      for ss in out["sources"]]
    return out


class PublicRedactor(Redactor):
    """For texts outside the records (briefings, an export's title): names withheld, and the places
    that only coarsened records name (the release withholds them everywhere) replaced by their region."""

    def __init__(self, names: Iterable[str], withheld_places: Iterable[str] = (), subjects=None,
                 stems: dict[str, str] | None = None):
        super().__init__(names)
        self.withheld_places = frozenset(withheld_places)
        self.stems = dict(sorted((stems or {}).items(), key=lambda kv: -len(kv[0])))
        self._regions = {code: s.name for code, s in (subjects or {}).items()}
        self._placed: dict[str, str] = {}

    def text(self, value):
        return self.places(super().text(value))

    def places(self, value):
        if not isinstance(value, str) or not self.withheld_places:
            return value
        if value not in self._placed:
            import re

            from geo.outputs.public_places import _mentions, replacement
            out = value
            for mention in reversed(_mentions(value)):
                hidden = [p for p in mention.candidates if p.id in self.withheld_places]
                if hidden and out[mention.end:mention.end + 1] != "-":
                    region = self._regions.get(hidden[0].subject, "Russia")
                    out = out[:mention.start] + replacement(mention.as_written, withheld_wording(region)) + out[mention.end:]
            for stem, wording in self.stems.items():
                out = re.sub(rf"(?<![\w-]){re.escape(stem)}\w*(?![\w-])", wording, out, flags=re.I)
            self._placed[value] = out
        return self._placed[value]


def release_bundle(bundle, mode: str):
    """The bundle as a release in `mode`: public (redacted, coarsened) or full (as built)."""
    from dataclasses import replace

    from geo.language import curated
    from geo.places.boundaries import load_subjects
    from geo.view.scale import coordinates

    if mode not in MODES:
        raise ValueError(f"unknown release mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == FULL or bundle.mode == PUBLIC:   # a public bundle keeps the redactor built from the names
        return bundle
    if getattr(bundle, "lang", "en") != "en":
        # The release finds places to withhold by the names the build wrote (English): release first,
        # then localize (geo.language.localize), or a translated name would hide the English one.
        raise ValueError("a public release is made from the built (English) bundle, before its labels are translated")
    release = public_release(bundle.incidents, bundle.sites, load_subjects())
    incidents = curated.released(release.incidents, release.redactor)   # only those that withhold nothing
    return replace(bundle, incidents=incidents, sites=release.sites,
                   titles=dict(zip(incidents["id"], incidents["title"])), coords=coordinates(incidents),
                   redactor=release.redactor, public_ids=release.public_ids, mode=PUBLIC)
