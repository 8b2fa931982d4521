"""Reviewing the geoparser's proposals for one source: what each candidate is now, and the draft
record an accepted one opens with. No Streamlit; the app's Review & edit page draws it.

A candidate is
  - *in the register* when a record already cites the same document with a quote that overlaps
    the candidate's passage (`register_spans`), whoever made it — by hand or in an earlier review;
  - *accepted* / *rejected* by the latest review decision on it (the store keeps them per source,
    so a review stopped half-way resumes where it was);
  - *open* otherwise.
`may_create` is asked again right before a new record is saved, with the decisions and the
register as they are then: two reviews of one source never create the same record twice.
"""
from __future__ import annotations

from geo.language import N_, Labels

import datetime as dt
import re
from dataclasses import dataclass

from geo.evidence.editing import Draft, SourceDraft
from geo.evidence.sources import QuoteLocator
from geo.places.choice import PlaceChoice

OPEN, ACCEPTED, REJECTED, IN_REGISTER = "open", "accepted", "rejected", "in_register"
STATUS_LABELS = Labels({OPEN: N_("to review"), ACCEPTED: N_("accepted"), REJECTED: N_("rejected"),
                        IN_REGISTER: N_("already in the register")})


@dataclass(frozen=True)
class Span:
    """Where a register record quotes the document."""
    record_id: str
    start: int
    end: int


@dataclass
class Item:
    candidate: dict                  # geo.ingest.propose.Candidate.as_dict()
    status: str
    records: list[str]               # records that quote the passage (in the register / made from it)
    decision: object = None          # the latest geo.store.base.ReviewDecision, if any

    @property
    def id(self) -> str:
        return self.candidate["id"]


def register_spans(incidents, doc_id: str, text: str) -> list[Span]:
    """Where each record citing `doc_id` quotes it, in the stored text (quotes located verbatim)."""
    spans, locate = [], QuoteLocator(text)
    for record in incidents:
        for source in record.sources:
            if source.doc == doc_id:
                found = locate(source.quote)
                if found:
                    spans.append(Span(record.id, *found))
    return spans


def overlapping(start: int, end: int, spans: list[Span]) -> list[str]:
    return list(dict.fromkeys(s.record_id for s in spans if s.start < end and start < s.end))


def review_items(candidates: list[dict], decisions: list, spans: list[Span]) -> list[Item]:
    """Every candidate with its status, in the order of the document."""
    latest = {d.candidate: d for d in decisions}
    items = []
    for candidate in candidates:
        records = overlapping(candidate["start"], candidate["end"], spans)
        decision = latest.get(candidate["id"])
        if decision is not None and decision.decision == "accept" and decision.record_id:
            status = ACCEPTED
            records = list(dict.fromkeys([decision.record_id, *records]))
        elif records:
            status = IN_REGISTER
        elif decision is not None and decision.decision == "reject":
            status = REJECTED
        else:
            status = OPEN
        items.append(Item(candidate, status, records, decision))
    return items


def progress(items: list[Item]) -> dict[str, int]:
    counts = {status: 0 for status in STATUS_LABELS}
    for item in items:
        counts[item.status] += 1
    return counts


def may_create(candidate: dict, decisions: list, spans: list[Span]) -> str | None:
    """None when the candidate may become a new record; else why not (one line, with the record)."""
    for decision in decisions:
        if decision.candidate == candidate["id"] and decision.decision == "accept" and decision.record_id:
            return (f"this passage was already accepted by {decision.user} as record {decision.record_id}; "
                    "open that record to correct it instead of creating it twice")
    records = overlapping(candidate["start"], candidate["end"], spans)
    if records:
        return (f"the register already quotes this passage in record {records[0]}; open it to add to it "
                "instead of creating the same record twice")
    return None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


_COURT_WORDS = {"district", "court", "city", "regional", "region", "territory", "krai", "oblast", "the", "of",
                "republic", "moscow"}


def suggest_court(quote: str, courts: dict[str, str]) -> str | None:
    """The court site whose name the passage writes — every distinctive word of the site's name met
    by its first six letters ("Industrial District Court of Khabarovsk" -> the Industrialny District
    Court of Khabarovsk) — when exactly one court matches; else None."""
    written = {w[:6].casefold() for w in re.findall(r"[^\W\d_]{4,}", quote or "")}
    matches = []
    for court_id, name in courts.items():
        words = [w[:6].casefold() for w in re.findall(r"[^\W\d_]{4,}", name) if w.casefold() not in _COURT_WORDS]
        if words and all(w in written for w in words):
            matches.append(court_id)
    return matches[0] if len(matches) == 1 else None


def draft_from_candidate(candidate: dict, doc_id: str, courts: dict[str, str] | None = None) -> tuple[Draft, PlaceChoice]:
    """The record form pre-filled with what the proposal says (the reviewer checks every field);
    for a court decision, the court when the passage names one of the register's courts."""
    date = candidate.get("date") or {}
    precision = date.get("precision") or ""
    if precision not in ("day", "month", "season", "year", "range"):
        precision = "range" if date.get("start") != date.get("end") else "day"     # a week, say
    start, end = _date(date.get("start")), _date(date.get("end"))
    places = candidate.get("places") or []
    first = places[0] if places else None
    choice = PlaceChoice(place=_index_place(first) if first else None,
                         precision=first["precision"] if first else "")
    draft = Draft(
        title=candidate.get("title") or "", type=candidate.get("type") or "",
        date_as_written=date.get("as_written") or "", date_start=start,
        date_end=end if precision in ("range", "season") else None, date_precision=precision,
        place_as_written=(first or {}).get("as_written") or "",
        court=suggest_court(candidate.get("quote", ""), courts or {}) if candidate.get("type") == "court_decision" else None,
        court_instance="not_stated" if candidate.get("type") == "court_decision" else "",
        people_affected=candidate.get("people_affected"), people_names=list(candidate.get("people_names") or []),
        actors=list(candidate.get("actors") or []),
        sources=[SourceDraft(doc_id, candidate.get("locator") or "", candidate.get("quote") or "")])
    return draft, choice


def _index_place(place: dict) -> dict:
    """A candidate's place as the place picker holds it (geo.places.place_index.Place.as_dict())."""
    return {"gazetteer_id": place.get("gazetteer_id"), "name": place.get("name"), "name_ru": place.get("name_ru", ""),
            "kind": place.get("kind") or ("region" if place.get("precision") == "region" else "settlement"),
            "precision": place.get("precision"), "subject": place.get("subject"), "country": place.get("country"),
            "lat": place.get("lat"), "lon": place.get("lon"), "source": place.get("coordinate_source"),
            "curated": not str(place.get("gazetteer_id") or "").startswith("geonames:")}


def place_options(candidate: dict) -> list[dict]:
    """The places a candidate names, each chosen reading first and then its alternatives."""
    options = []
    for place in candidate.get("places") or []:
        options.append({**_index_place(place), "as_written": place.get("as_written")})
        for alternative in place.get("alternatives") or []:
            options.append({**alternative, "as_written": place.get("as_written"),
                            "curated": not str(alternative.get("gazetteer_id", "")).startswith("geonames:")})
    return options
