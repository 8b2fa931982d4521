"""Sensitive places in a public release: coarsened, and withheld in every field.

A record or site with `public_precision` coarser than its place moves to its federal subject (or
loses its point at country level), and nothing in it may still name the finer place: not its
title, quotes, locators, outcome, notes, court name or site, nor its id. Every such mention —
the place as written, the site's name, and each place name the texts use (found with
geo.places.mentions, so Russian inflected forms and other romanisations count) that lies in the
record's region at a finer precision — is replaced by the region's wording,
"[place withheld: Amur Oblast]". The same holds for a record that already sits at its public
precision but whose texts name the finer place ("a village near Yekaterinburg").

Sites follow their records: a coarsened record no longer points at a finer site (and the site's
"records here" no longer lists it), a site with its own `public_precision` is coarsened like a
record, and a site known only through coarsened records is withheld from the release.
Ids that spell a withheld place get a public id in which the region stands for it; links
(`related`, a site's records, briefings' highlights) follow the new ids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import geopandas
import pandas as pd
from shapely.geometry import Point

from geo.evidence.vocabulary import LOCATION_PRECISIONS, precision_rank

GENERIC_PLACE_WORDS = {"district", "city", "town", "village", "krai", "oblast", "region", "court", "the", "of",
                       "territory", "republic", "raion", "rayon", "okrug", "area", "p", "g", "pos", "районный",
                       "суд", "район", "город"}
# Capitalised words of a place as written that name nothing ("The building where ...").
_COMMON_WORDS = {"the", "building", "where", "used", "premises", "one", "near", "village", "cafe", "former", "this",
                 "that", "area", "firms", "firm", "reconstruction", "site", "camp", "office", "station", "house",
                 "logging", "labour", "federal", "migration", "service", "department", "internal", "affairs",
                 "centre", "center", "temporary", "detention", "foreign", "citizens", "russian", "north", "korean",
                 "dprk", "russia", "territory", "region"}
INCIDENT_TEXT = ("title", "outcome", "notes", "place_as_written", "date_as_written", "location_label", "court_name")
SITE_TEXT = ("name", "notes", "place_as_written", "period_as_written", "location_label")


def withheld_wording(region: str) -> str:
    return f"[place withheld: {region}]"


def slug(text: str) -> str:
    from geo.places.morphology import fold
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@dataclass
class Coarsening:
    """What one record or site must not reveal, and the words that stand in for it."""
    target: str                          # the precision it is released at: region or country
    region: str                          # the subject's name (or the country's)
    subject: str | None
    country: str
    phrases: tuple[str, ...] = ()        # verbatim: the place as written, a site's name
    place_ids: frozenset[str] = frozenset()
    withheld: set[str] = field(default_factory=set)   # names actually replaced (for ids)
    withheld_ids: set[str] = field(default_factory=set)   # gazetteer ids of the places replaced
    keep_words: frozenset[str] = frozenset()              # words of the region's own names

    @property
    def wording(self) -> str:
        return withheld_wording(self.region)

    def reveals(self, place) -> bool:
        """Does naming this gazetteer place say more than the release allows?"""
        if place.id in self.place_ids:
            return True
        if precision_rank(place.precision) >= precision_rank(self.target):
            return False
        return place.country == self.country if self.target == "country" else place.subject == self.subject

    def text(self, value):
        if not isinstance(value, str) or not value:
            return value
        out = value
        for phrase in sorted(self.phrases, key=len, reverse=True):
            if len(phrase) >= 4:
                name = len(phrase.split()) <= 3       # a place's name, not a site's or a description
                out, n = re.subn(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)",
                                 lambda m: replacement(m.group(), self.wording) if name else self.wording, out, flags=re.I)
                if n and name:
                    self.withheld.add(phrase)
        spans = []
        for mention in _mentions(out):
            revealed = [p for p in mention.candidates if self.reveals(p)]
            if not revealed:
                continue
            compound = re.match(r"(?:-[^\W\d_]+)+", out[mention.end:])
            if compound:    # "Slavyansk-na-Kubani": another town, whose name would point at the withheld one
                other = next((p for p in mention.candidates if not self.reveals(p) and p.subject), None)
                wording = withheld_wording(_subject_names().get(other.subject, "Russia")) if other else self.wording
                spans.append((mention.start, mention.end + compound.end(), "", wording))
                continue
            spans.append((mention.start, mention.end, mention.as_written, self.wording))
            self.withheld.update({mention.as_written, *(p.name for p in revealed)})
            self.withheld_ids.update(p.id for p in revealed)
        for start, end, as_written, wording in reversed(spans):
            if as_written.count("(") > as_written.count(")"):     # "Blagoveshchensk (Amur Oblast)"
                close = out.find(")", end, end + 40)
                end, as_written = (close + 1, "") if close >= 0 else (end, as_written)
            out = out[:start] + replacement(as_written, wording) + out[end:]
        for stem in self.stems():       # "Blagoveshchenie" (the word the town is named after)
            out = re.sub(rf"(?<![\w-]){re.escape(stem)}\w*(?:-[^\W\d_]+)*", self._stem_wording, out, flags=re.I)
        return out

    def _stem_wording(self, match: re.Match) -> str:
        """A compound of the stem ("Slavyansk-na-Kubani") is another town: its own region's wording."""
        if "-" in match.group():
            for mention in _mentions(match.group()):
                other = next((p for p in mention.candidates if p.subject and p.subject != self.subject), None)
                if other is not None:
                    return withheld_wording(_subject_names().get(other.subject, "Russia"))
        return self.wording

    def stems(self) -> list[str]:
        """Distinctive words of the withheld names and phrases, as stems: a town's name without its
        -sk, the proper names of a place as written ("Continent" cafe, "Annunciation" firms)."""
        words = [n for n in self.withheld if " " not in n]
        for phrase in self.phrases:
            words += [w for w in re.findall(r"[^\W\d_]{4,}", phrase) if w[:1].isupper()]
        stems = {w[:-2] if len(w) >= 7 and w.lower().endswith(("sk", "ск")) else w
                 for w in words if w.lower() not in self.keep_words}
        return sorted(stems, key=len, reverse=True)

    def sources(self, sources):
        return [{**s, **{k: self.text(s.get(k)) for k in ("quote", "locator", "doc_title") if k in s}}
                for s in sources or []]


@lru_cache(maxsize=20_000)
def _mentions(text: str):
    from geo.places.mentions import find_mentions
    from geo.places.place_index import PlaceIndex
    return tuple(find_mentions(text, PlaceIndex.load()))


@lru_cache(maxsize=1)
def replacement(as_written: str, wording: str) -> str:
    """The wording, keeping what the mention says about the kind of place and closing a bracket
    it opened: "Khasansky District Court" -> "[place withheld: …] District Court"."""
    if not as_written:
        return wording
    words = as_written.split()
    tail = []
    while len(words) > 1 and words[-1].lower().strip("()") in GENERIC_PLACE_WORDS:
        tail.insert(0, words.pop())
    text = " ".join([wording, *tail])
    return text + ")" if as_written.count("(") > as_written.count(")") else text


@lru_cache(maxsize=1)
def _subject_names() -> dict[str, str]:
    from geo.places.place_index import PlaceIndex
    return dict(PlaceIndex.load().subject_names)


@lru_cache(maxsize=1)
def _places_by_id() -> dict:
    from geo.places.place_index import PlaceIndex
    return {p.id: p for p in PlaceIndex.load().places}


def coarsening_for(row, subjects, sites_by_id: dict) -> Coarsening | None:
    """The coarsening a record or site needs in a public release, or None."""
    wanted = row.get("public_precision")
    if not isinstance(wanted, str):
        return None
    current = row["location_precision"]
    target = wanted if precision_rank(wanted) >= precision_rank(current) else current
    if precision_rank(target) < precision_rank("region"):
        target = "region"      # the only coarser places drawn honestly are the subject and the country
    code = row.get("subject_code")
    if target == "country" or not isinstance(code, str) or code not in subjects:
        target, region = "country", _country_name(row.get("country"))
    else:
        region = subjects[code].name
    phrases = [row.get("place_as_written")]
    place_ids = set()
    if precision_rank(current) < precision_rank(target):
        place_ids.add(row.get("place_id"))
        phrases.append(row.get("place_name"))
    for site_id in {row.get("site"), row.get("court")} - {None}:
        site = sites_by_id.get(site_id)
        if site is not None and precision_rank(site["location_precision"]) < precision_rank(target):
            phrases += [site["name"], site.get("place_as_written")]
            place_ids.add(site.get("place_id"))
    keep = GENERIC_PLACE_WORDS | _COMMON_WORDS
    if target != "country":
        keep = keep | {w.lower() for alias in (subjects[code].name, *subjects[code].aliases) for w in alias.split()}
    return Coarsening(target, region, code if target != "country" else None, row.get("country") or "RU",
                      tuple(p for p in phrases if isinstance(p, str) and p.strip()),
                      frozenset(p for p in place_ids if isinstance(p, str)), keep_words=frozenset(keep))


def _country_name(code) -> str:
    from geo.places.place_index import COUNTRY_ALIASES
    return COUNTRY_ALIASES.get(code, (code or "Russia",))[0]


def coarsen(frame: geopandas.GeoDataFrame, record_id: str, c: Coarsening, subjects, text_columns) -> None:
    """Move one record or site to its coarse place and withhold the finer one in its texts."""
    if precision_rank(frame.at[record_id, "location_precision"]) < precision_rank(c.target) or c.target == "country":
        if c.target == "country":
            frame.at[record_id, "geometry"] = None
            frame.at[record_id, "place_id"] = c.country
        else:
            point = subjects[c.subject].label_point
            frame.at[record_id, "geometry"] = Point(point.x, point.y)
            frame.at[record_id, "place_id"] = c.subject
        frame.at[record_id, "place_name"] = c.region
        frame.at[record_id, "location_precision"] = c.target
        frame.at[record_id, "coordinate_source"] = "coarsened for public release"
        frame.at[record_id, "place_as_written"] = c.wording
    frame.at[record_id, "location_label"] = (f"{c.region} ({LOCATION_PRECISIONS[c.target]}, "
                                             "coarsened for public release)")
    for column in text_columns:
        if column in frame and isinstance(frame.at[record_id, column], str):
            frame.at[record_id, column] = c.text(frame.at[record_id, column])
    if "court_name" in frame and isinstance(frame.at[record_id, "court_name"], str) and c.place_ids:
        frame.at[record_id, "court_name"] = c.wording      # a court's name names its town
    frame.at[record_id, "sources"] = c.sources(frame.at[record_id, "sources"])
    if "date_readings" in frame:
        frame.at[record_id, "date_readings"] = [{**r, "as_written": c.text(r.get("as_written"))}
                                                for r in frame.at[record_id, "date_readings"] or []]


def public_id(record_id: str, c: Coarsening) -> str:
    """The id with every withheld place in it spelt as the region ("mem20-court-01-slavyanka" ->
    "mem20-court-01-primorsky-krai")."""
    words, region = public_id_words(c), slug(c.region)
    tokens = [region if t in words else t for t in record_id.split("-")]
    out = []
    for t in tokens:
        if not (out and out[-1] == t == region):
            out.append(t)
    return "-".join(out)


def public_id_words(c: Coarsening) -> set[str]:
    """The id words (slugs) that name a place the coarsening withholds."""
    words = set()
    places = _places_by_id()
    named = {places[i].name for i in c.place_ids if i in places}
    for name in c.withheld | set(c.phrases) | named:
        parts = [w for w in slug(name).split("-") if w and w not in GENERIC_PLACE_WORDS and not w.isdigit()]
        if len(parts) <= 3:       # a place name, not a whole phrase
            words.update(parts)
    return words - set(slug(c.region).split("-"))


def unique_ids(mapping: dict[str, str], taken: set[str]) -> dict[str, str]:
    """Number public ids that would clash with another record's id."""
    out, used = {}, set(taken) - set(mapping)
    for old, new in mapping.items():
        candidate, n = new, 2
        while candidate in used:
            candidate, n = f"{new}-{n}", n + 1
        used.add(candidate)
        out[old] = candidate
    return out


def rename_ids(frame: pd.DataFrame, ids: dict[str, str], columns=("related", "incidents")) -> pd.DataFrame:
    """Apply a public-id map to a frame's own ids and to its lists of linked ids."""
    if not ids:
        return frame
    out = frame.copy()
    out["id"] = [ids.get(i, i) for i in out["id"]]
    out.index = out["id"].rename(out.index.name)
    for column in columns:
        if column in out:
            out[column] = [[ids.get(i, i) for i in (v or [])] for v in out[column]]
    for column in ("site", "court"):
        if column in out:
            out[column] = [ids.get(v, v) if isinstance(v, str) else v for v in out[column]]
    return out
