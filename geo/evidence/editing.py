"""The record form's logic, without Streamlit: a draft (what the form holds) <-> a register record,
with every problem said next to its field and nothing built until all pass.

    draft = draft_from_record(incident)           # correct a record
    draft = Draft(type="arrest_detention", ...)    # or fill one from a proposal (geo.ingest.review)
    built = build_record(draft, place, rules)      # -> Built(record, errors by field, warnings)

A draft holds plain values (dates as datetime.date, lists of strings). `build_record` checks what
the register's rules say — a verbatim quote for every source (`check_quote`), a date that reads
as the source allows, a place resolved at a precision no finer than the place itself
(geo.places.choice), court-decision fields on court decisions only, a reason for every change —
and then validates the record with the register's own schema (geo.evidence.schema), turning its
errors into the same per-field messages. Names listed as people's names that appear in a title,
an outcome or notes are warnings: public outputs withhold them, but a title should not need that.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from geo.evidence import sources as documents
from geo.evidence.schema import Incident
from geo.evidence.vocabulary import (ACTORS, COURT_INSTANCES, COURT_OUTCOMES, DATE_PRECISIONS, DATE_QUALIFIERS,
                                    INCIDENT_TYPES, LOCATION_PRECISIONS, precision_rank)
from geo.language import N_, Labels, _
from geo.paths import SOURCES_DIR

# What the form says under each field: the register's rule in a sentence (data/README.md has them all).
HELP = Labels({
    "title": N_("A short, neutral description of what happened. Never a person's name (names go to "
             "People's names); the title is public."),
    "type": N_("What happened, in the register's vocabulary. A court decision gets its court fields below."),
    "date_as_written": N_("The date exactly as the source writes it (\"in late March 1995\", \"2018\")."),
    "date_precision": N_("How precisely the source dates it: never more precise than the words allow."),
    "date_start": N_("The first day the source allows (for \"March 1995\": 1995-03-01)."),
    "date_end": N_("The last day the source allows; leave empty for day, month and year precision (it follows)."),
    "date_qualifier": N_("\"on or before\" when the source gives only the latest date (an event dated by a "
                      "later one): then there is no start."),
    "readings": N_("Where another source dates it differently, keep both readings: its words, its dates, its document."),
    "place": N_("Search the gazetteer (Latin or Cyrillic, any case ending), or click the map for a researched point."),
    "precision": N_("How precisely the source places it; never finer than the place chosen. A district or "
                 "region is drawn as an area, a country is not drawn."),
    "public_precision": N_("Coarsen the place in public releases (where someone lived or hid): region or country."),
    "people_affected": N_("The lowest figure the sources give; empty when they give none (\"several\")."),
    "people_names": N_("Names and pseudonyms of people at risk, one per line. Sensitive: public releases withhold "
                    "them in every field."),
    "actors": N_("Code an actor only as far as the source names it: \"the Russian authorities\" is "
              "Russian authorities (not specified), not the police."),
    "outcome": N_("What came of it, in the source's terms. No names."),
    "related": N_("Other records of the same case or chain of events."),
    "case": N_("A case id shared by the records of one person's case (neutral: ids are public)."),
    "notes": N_("Curator's reasoning: inferences, what the source does not say, disagreements."),
    "quote": N_("The source's own words, verbatim (select them in the document, or paste). [...] skips words."),
    "locator": N_("Where in the document: page, section, paragraph or item."),
    "court": N_("The court's site record; \"not named in the source\" when it says only \"the court\"."),
    "instance": N_("First instance, appeal, cassation, supervisory — or not stated."),
    "court_outcome": N_("What the court decided; more than one when the source says so."),
    "court_people": N_("How many people the decision concerns (lowest figure); it is the record's people affected."),
    "reason": N_("Why this change (it goes into the change log with your name)."),
    "site": N_("The named site (worksite, court, crossing) where it happened, if the register has it."),
})

SHORT_TEXT = 3      # a title or a reason shorter than this says nothing


@dataclass
class SourceDraft:
    doc: str = ""
    locator: str = ""
    quote: str = ""


@dataclass
class ReadingDraft:
    doc: str = ""
    as_written: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Draft:
    """What the record form holds. `record_id` is None for a new record (an id is minted on save)."""
    record_id: str | None = None
    title: str = ""
    type: str = ""
    date_as_written: str = ""
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str = ""
    date_qualifier: str | None = None
    readings: list[ReadingDraft] = field(default_factory=list)
    place_as_written: str = ""
    site: str | None = None
    court: str | None = None
    court_instance: str = ""
    court_outcome: list[str] = field(default_factory=list)
    people_affected: int | None = None
    people_names: list[str] = field(default_factory=list)
    public_precision: str | None = None
    actors: list[str] = field(default_factory=list)
    outcome: str = ""
    related: list[str] = field(default_factory=list)
    case: str = ""
    sources: list[SourceDraft] = field(default_factory=list)
    notes: str = ""
    reason: str = ""
    # Curated translations (geo.language.curated) are not in the form: a correction carries them over.
    title_translations: dict = field(default_factory=dict)
    outcome_translations: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteCheck:
    """Where a quote is in its document, or why it is not there."""
    found: bool
    message: str
    start: int | None = None
    end: int | None = None
    page: str | None = None


@dataclass
class Built:
    record: Incident | None
    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.errors


# -- the quote ------------------------------------------------------------------------------------

def check_quote(quote: str, doc_id: str, sources_dir: Path = SOURCES_DIR) -> QuoteCheck:
    """Is `quote` verbatim in document `doc_id`? With its offsets in the stored text and its page."""
    if not (quote or "").strip():
        return QuoteCheck(False, _("no quote yet: select the words in the document, or paste them"))
    catalogue = documents.catalogue(sources_dir)
    if doc_id not in catalogue:
        return QuoteCheck(False, _("the document {doc} is not registered").format(doc=repr(doc_id)))
    problem = documents.quote_problem(quote, documents.document_text(doc_id, sources_dir))
    if problem:
        return QuoteCheck(False, _("{problem} in {doc}").format(problem=problem, doc=doc_id))
    span = documents.find_quote(doc_id, quote, sources_dir)
    page = catalogue[doc_id].page_at(span[0]) if span else None
    where = _("characters {start}–{end}").format(start=f"{span[0]:,}", end=f"{span[1]:,}") if span else _("the text")
    return QuoteCheck(True, _("found verbatim in {doc}").format(doc=doc_id)
                      + (", " + _("p. {page}").format(page=page) if page else "") + f" ({where})",
                      span[0] if span else None, span[1] if span else None, page)


# -- names ----------------------------------------------------------------------------------------

def names_in(text: str, names: list[str]) -> list[str]:
    """The listed names (whole words, any case) that `text` contains."""
    found = []
    for name in names:
        name = name.strip()
        if name and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text or "", re.I) and name not in found:
            found.append(name)
    return found


def name_warnings(draft: Draft) -> dict[str, list[str]]:
    warnings: dict[str, list[str]] = {}
    for fld in ("title", "outcome", "notes"):
        hits = names_in(getattr(draft, fld), draft.people_names)
        if hits:
            warnings[fld] = [_("it contains {names}, listed as a person's name: write it without the name (public "
                               "releases would show “[name withheld]”)").format(names=", ".join(repr(h) for h in hits))]
    return warnings


# -- draft <-> record -----------------------------------------------------------------------------

def draft_from_record(record: Incident) -> Draft:
    decision = record.court_decision
    return Draft(
        record_id=record.id, title=record.title, type=record.type, date_as_written=record.date.as_written,
        date_start=record.date.start, date_end=record.date.end, date_precision=record.date.precision,
        date_qualifier=record.date.qualifier,
        readings=[ReadingDraft(r.doc, r.as_written, r.start, r.end) for r in record.date.readings],
        place_as_written=record.place.as_written, site=None if decision and decision.court else record.place.site,
        court=decision.court if decision else None, court_instance=decision.instance if decision else "",
        court_outcome=list(decision.outcome) if decision else [],
        people_affected=record.people_affected, people_names=list(record.people_names),
        public_precision=record.public_precision, actors=list(record.actors), outcome=record.outcome or "",
        related=list(record.related), case=record.case or "",
        sources=[SourceDraft(s.doc, s.locator, s.quote) for s in record.sources], notes=record.notes or "",
        title_translations=dict(record.title_translations), outcome_translations=dict(record.outcome_translations))


@dataclass(frozen=True)
class Rules:
    """What a draft is checked against besides the schema."""
    sources_dir: Path = SOURCES_DIR
    record_ids: frozenset[str] = frozenset()          # every record id in the register (for `related`)
    courts: frozenset[str] = frozenset()              # site ids of kind court
    sites: frozenset[str] = frozenset()               # every site id
    reason_required: bool = False                     # corrections must say why


def problems(draft: Draft, place: dict | None, place_errors: list[str], rules: Rules) -> dict[str, list[str]]:
    """The form's own checks (the register's rules), by field; the schema's follow in build_record."""
    errors: dict[str, list[str]] = {}
    add = lambda key, msg: errors.setdefault(key, []).append(msg)  # noqa: E731
    if len(draft.title.strip()) < SHORT_TEXT:
        add("title", _("give a title: what happened, where, when (no names)"))
    if draft.type not in INCIDENT_TYPES:
        add("type", _("choose the type of incident"))
    if not draft.date_as_written.strip():
        add("date_as_written", _("write the date as the source gives it (e.g. “in March 1995”)"))
    if draft.date_precision not in DATE_PRECISIONS:
        add("date_precision", _("choose how precisely the source dates it"))
    if draft.date_qualifier not in (None, *DATE_QUALIFIERS):
        add("date_qualifier", f"unknown qualifier {draft.date_qualifier!r}")
    if draft.date_qualifier == "on_or_before":
        if draft.date_end is None:
            add("date_end", _("an “on or before” date needs its end: the latest date the source allows"))
    elif draft.date_start is None:
        add("date_start", _("give the first day the source allows (or choose “on or before” with an end)"))
    elif draft.date_precision in ("range", "season") and draft.date_end is None:
        add("date_end", _("a {precision} needs its last day").format(precision=DATE_PRECISIONS.get(draft.date_precision, draft.date_precision)))
    if draft.date_start and draft.date_end and draft.date_end < draft.date_start:
        add("date_end", _("the end {end} is before the start {start}").format(end=draft.date_end, start=draft.date_start))
    if not draft.place_as_written.strip():
        add("place", _("write the place as the source gives it (“a logging camp near Tynda”, “Russia”)"))
    for message in place_errors:
        add("place", message)
    if place and draft.public_precision:
        if draft.public_precision not in LOCATION_PRECISIONS:
            add("public_precision", f"unknown precision {draft.public_precision!r}")
        elif precision_rank(draft.public_precision) < precision_rank(place["precision"]):
            add("public_precision", _("coarsening in public cannot be finer than the record's {precision} precision")
                .format(precision=LOCATION_PRECISIONS[place['precision']]))
    if draft.site and draft.site not in rules.sites:
        add("site", _("no site record {site}").format(site=repr(draft.site)))
    _check_court(draft, rules, add)
    if draft.people_affected is not None and draft.people_affected < 0:
        add("people_affected", _("a number of people cannot be negative"))
    for actor in draft.actors:
        if actor not in ACTORS:
            add("actors", f"unknown actor {actor!r}")
    for rel in draft.related:
        if rel not in rules.record_ids or rel == draft.record_id:
            add("related", f"no other record {rel!r}")
    if draft.case and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", draft.case):
        add("case", _("a case id is lowercase a-z, 0-9 and '-' (e.g. mem20-case7)"))
    _check_sources(draft, rules, add)
    if rules.reason_required and len(draft.reason.strip()) < SHORT_TEXT:
        add("reason", _("say why you change the record (it goes into the change log)"))
    return errors


def _check_court(draft: Draft, rules: Rules, add) -> None:
    if draft.type != "court_decision":
        return
    if draft.court and draft.court not in rules.courts:
        add("court", _("{court} is not a court site of the register").format(court=repr(draft.court)))
    if draft.court_instance not in COURT_INSTANCES:
        add("court_instance", _("choose the instance (or “not stated in the source”)"))
    if not draft.court_outcome:
        add("court_outcome", _("choose what the court decided (one or more outcomes)"))
    for outcome in draft.court_outcome:
        if outcome not in COURT_OUTCOMES:
            add("court_outcome", f"unknown outcome {outcome!r}")


def _check_sources(draft: Draft, rules: Rules, add) -> None:
    if not draft.sources:
        add("sources", _("a record needs at least one source with a verbatim quote"))
    for i, source in enumerate(draft.sources):
        if not source.locator.strip():
            add(f"sources.{i}.locator", _("say where in the document (page, section, paragraph)"))
        checked = check_quote(source.quote, source.doc, rules.sources_dir)
        if not checked.found:
            add(f"sources.{i}.quote", _("the quote must be found verbatim: {problem}").format(problem=checked.message))
    cited = {s.doc for s in draft.sources}
    for j, reading in enumerate(draft.readings):
        if reading.doc not in cited:
            add(f"readings.{j}", _("the reading's document {doc} must be one of the record's sources: add that source "
                                   "with its quote").format(doc=reading.doc or _("(none)")))
        if not reading.as_written.strip() or reading.end is None:
            add(f"readings.{j}", _("a reading needs the source's words and at least its last day"))


def record_document(draft: Draft, record_id: str, place: dict) -> dict:
    """The register document for a draft (as a curator would write it: no empty fields)."""
    date: dict = {"as_written": draft.date_as_written.strip()}
    if draft.date_start and draft.date_qualifier != "on_or_before":
        date["start"] = draft.date_start.isoformat()
    if draft.date_end and (draft.date_precision in ("range", "season") or draft.date_qualifier == "on_or_before"
                           or draft.date_end != _implied_end(draft)):
        date["end"] = draft.date_end.isoformat()
    date["precision"] = draft.date_precision
    if draft.date_qualifier:
        date["qualifier"] = draft.date_qualifier
    if draft.readings:
        # a reading with no start gives only the latest date the source allows
        date["readings"] = [{"as_written": r.as_written.strip(),
                             **({"start": r.start.isoformat()} if r.start else {"qualifier": "on_or_before"}),
                             "end": r.end.isoformat() if r.end else None, "doc": r.doc} for r in draft.readings]
    doc: dict = {"id": record_id, "title": _one_line(draft.title), "type": draft.type, "date": date,
                 "place": {"as_written": " ".join(draft.place_as_written.split()), **place,
                           **({"site": draft.site} if draft.site and not draft.court else {})}}
    if draft.type == "court_decision":
        doc["court_decision"] = {"court": draft.court or None, "instance": draft.court_instance,
                                 "outcome": list(draft.court_outcome), "people": draft.people_affected}
    elif draft.people_affected is not None:
        doc["people_affected"] = draft.people_affected
    names = [n.strip() for n in draft.people_names if n.strip()]
    optional = {"people_names": names, "public_precision": draft.public_precision, "actors": list(draft.actors),
                "outcome": _one_line(draft.outcome), "related": list(draft.related), "case": draft.case.strip()}
    doc.update({k: v for k, v in optional.items() if v})
    doc["sources"] = [{"doc": s.doc, "locator": _one_line(s.locator), "quote": " ".join(s.quote.split())}
                      for s in draft.sources]
    if draft.notes.strip():
        doc["notes"] = _one_line(draft.notes)
    if draft.title_translations:
        doc["title_translations"] = dict(draft.title_translations)
    if draft.outcome_translations and doc.get("outcome"):
        doc["outcome_translations"] = dict(draft.outcome_translations)
    return doc


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _implied_end(draft: Draft) -> dt.date | None:
    from geo.evidence.schema import _default_end
    try:
        return _default_end(draft.date_start, draft.date_precision) if draft.date_start else None
    except ValueError:
        return None


def build_record(draft: Draft, record_id: str, place: dict | None, place_errors: list[str], rules: Rules) -> Built:
    """The record the draft describes, or every problem by field (nothing is built until all pass)."""
    warnings = name_warnings(draft)
    errors = problems(draft, place, place_errors, rules)
    if errors or place is None:
        return Built(None, errors or {"place": ["choose a place"]}, warnings)
    try:
        record = Incident.model_validate(record_document(draft, record_id, place))
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(field_of(error["loc"]), []).append(error["msg"].removeprefix("Value error, "))
        return Built(None, errors, warnings)
    return Built(record, {}, warnings)


# Where a schema or build problem is shown in the form ("date.start" -> the start field, ...).
_FIELD_OF_PATH = {"date.as_written": "date_as_written", "date.start": "date_start", "date.end": "date_end",
                  "date.precision": "date_precision", "date.qualifier": "date_qualifier", "date": "date_start",
                  "place.site": "site", "court_decision.court": "court", "court_decision.instance": "court_instance",
                  "court_decision.outcome": "court_outcome", "court_decision.people": "people_affected",
                  "court_decision": "court_outcome", "place.name": "place", "place": "place", "id": "title"}


def field_of(location) -> str:
    """The form field a schema error location or a build Problem field ("sources[0].quote") belongs to."""
    if isinstance(location, str):
        parts = [p for p in re.split(r"[.\[\]]+", location) if p]
    else:
        parts = [str(p) for p in location]
    path = ".".join(parts)
    if parts[:2] == ["date", "readings"] and len(parts) > 2:
        return f"readings.{parts[2]}"
    if parts and parts[0] == "sources" and len(parts) > 2:
        return f"sources.{parts[1]}.{parts[2]}"
    for prefix in sorted(_FIELD_OF_PATH, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "."):
            return _FIELD_OF_PATH[prefix]
    return parts[0] if parts else "record"
