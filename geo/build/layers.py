"""Build the map layers: register -> geocode -> GeoJSON (RFC 7946, WGS84, lon/lat).

Checks everything first and lists all problems at once; writes nothing unless the whole register
is sound, and then writes every layer atomically. Output is deterministic: records sorted by id,
coordinates rounded to 6 decimals, no timestamps.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path


from geo.evidence import sources as source_texts
from geo.evidence.dates import date_label, period_label
from geo.language import in_english
from geo.errors import GeoError, Problem, RegisterError
from geo.places.gazetteer import Gazetteer, Resolution
from geo.paths import DATA_DIR, GAZETTEER_CSV, REGISTER_DIR, SOURCES_DIR
from geo.evidence.register import Register, load_register, read_register_file
from geo.evidence.schema import DateSpan, Incident, Period, Place, Site, Source
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, LOCATION_PRECISIONS, SITE_KINDS, SITE_LAYERS
from geo.writing import write_atomically

INCIDENTS_LAYER = "incidents"
LAYER_NAMES = (INCIDENTS_LAYER, *SITE_LAYERS)
# The properties of every incident, in this order (the app, exports and synthetic datasets rely on them).
INCIDENT_COLUMNS = (
    "id", "title", "type", "type_label", "date_start", "date_end", "date_precision",
    "date_qualifier", "date_as_written", "date_label", "date_readings", "place_as_written", "place_name",
    "place_id", "location_precision", "location_label", "subject_code", "subject_name", "country",
    "coordinate_source", "site", "court", "court_name", "court_instance", "court_outcome",
    "people_affected", "people_names", "public_precision", "actors",
    "actor_labels", "outcome", "related", "case", "sources", "source_docs", "notes",
)


class BuildWriteError(GeoError):
    """The checked layers could not be written; the previous files are untouched."""


@dataclass
class BuildResult:
    counts: dict[str, int]
    seconds: float
    written: list[Path]


def layer_path(layer: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / f"{layer}.geojson"


@in_english
def build(register_dir: Path = REGISTER_DIR, gazetteer_csv: Path = GAZETTEER_CSV,
          data_dir: Path = DATA_DIR, sources_dir: Path = SOURCES_DIR) -> BuildResult:
    started = time.perf_counter()
    register = load_register(register_dir)
    checked = check_register(register, Gazetteer.load(gazetteer_csv), sources_dir, gazetteer_csv.name)
    if checked.problems:
        raise RegisterError(checked.problems)
    layers = layer_features(register, checked.resolved, checked.titles)
    files = {layer_path(name, data_dir): _feature_collection(name, feats) for name, feats in layers.items()}
    try:
        write_atomically(files)
    except OSError as exc:   # a read-only data/, a full disk: the old layers stay as they were
        where = exc.filename or data_dir
        raise BuildWriteError(f"cannot write the layers to {data_dir} ({where}: {exc.strerror or exc}); "
                              "nothing was written: make the folder writable or free some disk space") from None
    return BuildResult({n: len(f) for n, f in layers.items()}, time.perf_counter() - started, list(files))


@dataclass
class CheckedRegister:
    resolved: dict[str, Resolution]       # record id -> where its place resolved
    problems: list[Problem]
    titles: dict[str, str]                # document id -> full title (from the source catalogue)


def check_register(register: Register, gazetteer: Gazetteer, sources_dir: Path = SOURCES_DIR,
                   gazetteer_name: str = GAZETTEER_CSV.name) -> CheckedRegister:
    """Every check the build makes (places, sites, sources and quotes, readings, links, courts,
    ids), all problems at once. The build and the stores (import, saving a record) use it."""
    problems = list(register.problems)
    problems += [Problem(gazetteer_name, row, fld, msg) for row, fld, msg in gazetteer.entry_problems()]
    catalogue = source_texts.catalogue(sources_dir)

    site_ids = {s.id for s in register.sites}
    site_kinds = {s.id: s.kind for s in register.sites}
    all_ids = site_ids | {i.id for i in register.incidents}
    resolved: dict[str, Resolution] = {}
    for record in [*register.sites, *register.incidents]:
        where = register.origin[record.id]
        report = lambda fld, msg: problems.append(Problem(where, record.id, fld, msg))  # noqa: E731
        try:
            resolved[record.id] = gazetteer.resolve(record.place)
        except GeoError as exc:
            report("place.name", str(exc))
        if record.place.site and record.place.site not in site_ids:
            from_court = isinstance(record, Incident) and record.court_decision and record.court_decision.court
            report("court_decision.court" if from_court else "place.site",
                   f"no site record with id {record.place.site!r}")
        for i, source in enumerate(record.sources):
            _check_source(source, catalogue, sources_dir, lambda f, m: report(f"sources[{i}].{f}", m))
        if isinstance(record, Incident):
            cited = {s.doc for s in record.sources}
            for j, reading in enumerate(record.date.readings):
                if reading.doc not in cited:
                    report(f"date.readings[{j}].doc", f"{reading.doc!r} is not among the record's sources")
            for rel in record.related:
                if rel not in all_ids:
                    report("related", f"no record with id {rel!r}")
            court = record.court_decision.court if record.court_decision else None
            if court and court in site_kinds and site_kinds[court] != "court":
                report("court_decision.court", f"site {court!r} is a {site_kinds[court]}, not a court")
    problems += _names_in_ids(register)
    return CheckedRegister(resolved, problems, {d.id: d.title for d in catalogue.values()})


@in_english
def layer_features(register: Register, resolved: dict[str, Resolution], titles: dict[str, str]) -> dict[str, list[dict]]:
    """The GeoJSON features of every layer, records sorted by id."""
    related = symmetric_related(register)
    site_names = {s.id: s.name for s in register.sites}
    at_site: dict[str, list[str]] = {}
    for incident in register.incidents:
        if incident.place.site:
            at_site.setdefault(incident.place.site, []).append(incident.id)
    layers: dict[str, list[dict]] = {name: [] for name in LAYER_NAMES}
    for incident in sorted(register.incidents, key=lambda r: r.id):
        layers[INCIDENTS_LAYER].append(incident_feature(incident, resolved[incident.id], related, titles, site_names))
    for site in sorted(register.sites, key=lambda r: r.id):
        layer = site_layer(site.kind)
        layers[layer].append(site_feature(site, resolved[site.id], layer, titles, sorted(at_site.get(site.id, []))))
    return layers


def site_layer(kind: str) -> str:
    return next(name for name, kinds in SITE_LAYERS.items() if kind in kinds)


def _check_source(source: Source, catalogue: dict, sources_dir: Path, report) -> None:
    if source.doc not in catalogue:
        report("doc", f"unknown document {source.doc!r}; known: {', '.join(sorted(catalogue))}")
        return
    why = source_texts.quote_problem(source.quote, source_texts.document_text(source.doc, sources_dir))
    if why:
        report("quote", f"{why} in {source.doc}")


def _names_in_ids(register: Register) -> list[Problem]:
    """Ids and case ids are published even in public releases: they must not spell a name."""
    slugs = set()
    for record in [*register.incidents, *register.sites]:
        slugs.update(tuple(re.findall(r"[a-z0-9]+", name.casefold())) for name in record.people_names)
    problems = []
    for record in [*register.incidents, *register.sites]:
        for fld, value in (("id", record.id), ("case", getattr(record, "case", None))):
            tokens = tuple((value or "").split("-"))
            for slug in slugs:
                if slug and any(tokens[i:i + len(slug)] == slug for i in range(len(tokens))):
                    problems.append(Problem(register.origin[record.id], record.id, fld,
                                            f"{value!r} contains the personal name {' '.join(slug)!r}; "
                                            "ids are public: use a neutral id (e.g. ai96-case-a)"))
    return problems


def symmetric_related(register: Register) -> dict[str, list[str]]:
    """A chain can be followed both ways even if a curator linked only one direction."""
    links: dict[str, set[str]] = {i.id: set(i.related) for i in register.incidents}
    for incident in register.incidents:
        for other in incident.related:
            links.setdefault(other, set()).add(incident.id)
    return {k: sorted(v - {k}) for k, v in links.items()}


def _place_properties(place: Place, where: Resolution) -> dict:
    return {
        "place_as_written": place.as_written,
        "place_name": place.name,
        "place_id": where.place_id,
        "location_precision": where.precision,
        "location_label": f"{place.name} ({LOCATION_PRECISIONS[where.precision]})",
        "subject_code": where.subject,
        "subject_name": where.subject_name,
        "country": where.country,
        "coordinate_source": where.coordinate_source,
    }


def _date_properties(span: DateSpan) -> dict:
    return {
        "date_start": span.start.isoformat() if span.start else None,   # None: only the latest date is known
        "date_end": span.end.isoformat(),
        "date_precision": span.precision,
        "date_qualifier": span.qualifier,
        "date_as_written": span.as_written,
        "date_label": date_label(span.start, span.end, span.precision, span.qualifier),
        "date_readings": [r.model_dump(mode="json", exclude_none=True) for r in span.readings],
    }


def _court_properties(incident: Incident, site_names: dict[str, str]) -> dict:
    """Flat court fields (every format can carry them); empty for records that are not court decisions."""
    decision = incident.court_decision
    if decision is None:
        return {"court": None, "court_name": None, "court_instance": None, "court_outcome": []}
    return {
        "court": decision.court,
        "court_name": site_names.get(decision.court) if decision.court else None,
        "court_instance": decision.instance,
        "court_outcome": list(decision.outcome),
    }


def _period_properties(period: Period | None) -> dict:
    if period is None:
        return {"period_start": None, "period_end": None, "period_as_written": None, "period_label": None}
    return {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat() if period.end else None,
        "period_as_written": period.as_written,
        "period_label": period_label(period.start, period.end, period.precision),
    }


def _source_properties(record: Incident | Site, titles: dict[str, str]) -> dict:
    return {
        "sources": [{**s.model_dump(), "doc_title": titles.get(s.doc, s.doc)} for s in record.sources],
        "source_docs": sorted({s.doc for s in record.sources}),
    }


@in_english
def incident_feature(incident: Incident, where: Resolution, related: dict, titles: dict,
                      site_names: dict[str, str]) -> dict:
    properties = {
        "id": incident.id,
        "title": incident.title,
        "type": incident.type,
        "type_label": INCIDENT_TYPES[incident.type],
        **_date_properties(incident.date),
        **_place_properties(incident.place, where),
        "site": incident.place.site,
        **_court_properties(incident, site_names),
        "people_affected": incident.people_affected,
        "people_names": incident.people_names,
        "public_precision": incident.public_precision,
        "actors": incident.actors,
        "actor_labels": [ACTORS[a] for a in incident.actors],
        "outcome": incident.outcome,
        "related": related.get(incident.id, []),
        "case": incident.case,
        **_source_properties(incident, titles),
        "notes": incident.notes,
    }
    translations = {fld: dict(found) for fld, found in (("title", incident.title_translations),
                                                         ("outcome", incident.outcome_translations)) if found}
    if translations:      # only on the records that have any (geo.language.curated)
        properties["translations"] = translations
    return _feature(incident.id, properties, where)


@in_english
def site_feature(site: Site, where: Resolution, layer: str, titles: dict, incidents: list[str]) -> dict:
    properties = {
        "id": site.id,
        "name": site.name,
        "kind": site.kind,
        "kind_label": SITE_KINDS[site.kind],
        "layer": layer,
        **_period_properties(site.period),
        **_place_properties(site.place, where),
        "people_names": site.people_names,
        "public_precision": site.public_precision,
        "incidents": incidents,   # ids of the records that took place here (for a court: its decisions)
        **_source_properties(site, titles),
        "notes": site.notes,
    }
    return _feature(site.id, properties, where)


def _feature(record_id: str, properties: dict, where: Resolution) -> dict:
    geometry = None
    if where.lon is not None:
        geometry = {"type": "Point", "coordinates": [round(where.lon, 6), round(where.lat, 6)]}
    return {"type": "Feature", "id": record_id, "geometry": geometry, "properties": properties}


def _feature_collection(name: str, features: list[dict]) -> str:
    collection = {"type": "FeatureCollection", "name": name, "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


def check_quotes_in_files(files: list[Path], sources_dir: Path = SOURCES_DIR) -> list[Problem]:
    """Only the quote check, for curators working on one file (no gazetteer needed)."""
    catalogue = source_texts.catalogue(sources_dir)
    problems: list[Problem] = []
    for path in files:
        records, unreadable = read_register_file(path, str(path))
        problems += unreadable
        for record in records:
            if not isinstance(record, dict):
                continue
            for i, raw in enumerate(record.get("sources") or []):
                if not isinstance(raw, dict):
                    continue
                source = Source.model_construct(doc=raw.get("doc"), locator=raw.get("locator"),
                                                quote=str(raw.get("quote") or ""))
                _check_source(source, catalogue, sources_dir,
                              lambda f, m: problems.append(Problem(str(path), str(record.get("id")),
                                                                   f"sources[{i}].{f}", m)))
    return problems
