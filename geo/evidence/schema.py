"""The register's record schema (pydantic). `data/README.md` documents it for people.

Dates arrive as strings (the loader turns off YAML's own date parsing) so that an impossible
date such as 2019-02-30 becomes a field error for that record instead of a crash of the loader.
"""
from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from geo.evidence.vocabulary import (ACTORS, COURT_INSTANCES, COURT_OUTCOMES, DATE_PRECISIONS, DATE_QUALIFIERS,
                                    INCIDENT_TYPES, LOCATION_PRECISIONS, SITE_KINDS)

IncidentType = StrEnum("IncidentType", {k: k for k in INCIDENT_TYPES})
Actor = StrEnum("Actor", {k: k for k in ACTORS})
DatePrecision = StrEnum("DatePrecision", {k: k for k in DATE_PRECISIONS})
DateQualifier = StrEnum("DateQualifier", {k: k for k in DATE_QUALIFIERS})
CourtInstance = StrEnum("CourtInstance", {k: k for k in COURT_INSTANCES})
CourtOutcome = StrEnum("CourtOutcome", {k: k for k in COURT_OUTCOMES})
LocationPrecision = StrEnum("LocationPrecision", {k: k for k in LOCATION_PRECISIONS})
SiteKind = StrEnum("SiteKind", {k: k for k in SITE_KINDS})

RecordId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A curated translation of a title or outcome (the interface's other languages; geo.language.curated).
Translations = dict[Literal["ru", "ko"], Text]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Source(Strict):
    doc: Text
    locator: Text
    quote: Text


def _check_bounds(span) -> None:
    """`start`..`end`, or only `end` when the qualifier says the source gives only a latest date."""
    if span.qualifier == "on_or_before":
        if span.start is not None:
            raise ValueError("an on_or_before date has no start (the source gives only the latest date); "
                             "with a known earliest date use precision: range")
        if span.end is None:
            raise ValueError("an on_or_before date needs its end: the latest date the source allows")
        return
    if span.start is None:
        raise ValueError("start is required (or qualifier: on_or_before with an end)")
    if span.end is not None and span.end < span.start:
        raise ValueError(f"end {span.end} is before start {span.start}")


class DateReading(Strict):
    """One source's reading of a date where sources disagree."""
    as_written: Text
    start: dt.date | None = None
    end: dt.date
    qualifier: DateQualifier | None = None
    doc: Text

    @model_validator(mode="after")
    def _bounds(self):
        _check_bounds(self)
        return self


class DateSpan(Strict):
    as_written: Text
    start: dt.date | None = None
    end: dt.date | None = None
    precision: DatePrecision
    qualifier: DateQualifier | None = None
    readings: list[DateReading] = []

    @model_validator(mode="after")
    def _end_follows_precision(self):
        if self.end is None and self.start is not None:
            self.end = _default_end(self.start, self.precision)
        _check_bounds(self)
        return self


def _default_end(start: dt.date, precision: str) -> dt.date:
    if precision == "day":
        return start
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return dt.date(start.year, 12, 31)
    raise ValueError(f"a {precision!r} date needs an explicit end")


class Period(Strict):
    """When a site was active. An empty end means the source gives no end ("established in 1967")."""
    as_written: Text
    start: dt.date
    end: dt.date | None = None
    precision: DatePrecision

    @model_validator(mode="after")
    def _end_not_before_start(self):
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Place(Strict):
    as_written: Text
    name: Text
    subject: Annotated[str, StringConstraints(pattern=r"^RU-[A-Z]{2,3}$")] | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "RU"
    precision: LocationPrecision
    site: RecordId | None = None

    @model_validator(mode="after")
    def _subject_for_russia(self):
        if self.country == "RU" and self.precision != "country" and not self.subject:
            raise ValueError("a place in Russia needs the federal subject the source names (subject: RU-...)")
        if self.country != "RU" and self.subject:
            raise ValueError(f"subject {self.subject} is a Russian federal subject but country is {self.country}")
        return self


class CourtDecision(Strict):
    """What a court decided: required for type court_decision, not allowed on other types."""
    court: RecordId | None = Field(description="site id of the court; null when the source names no court")
    instance: CourtInstance
    outcome: Annotated[list[CourtOutcome], Field(min_length=1)]
    people: Annotated[int, Field(ge=1)] | None = None   # people the decision concerns (lowest figure)


class Incident(Strict):
    id: RecordId
    title: Text
    type: IncidentType
    date: DateSpan
    place: Place
    court_decision: CourtDecision | None = None
    people_affected: Annotated[int, Field(ge=0)] | None = None
    people_names: list[Text] = []
    public_precision: LocationPrecision | None = None
    actors: list[Actor] = []
    outcome: Text | None = None
    related: list[RecordId] = []
    case: RecordId | None = None
    sources: Annotated[list[Source], Field(min_length=1)]
    notes: Text | None = None
    title_translations: Translations = {}      # curated, optional; shown marked as a translation
    outcome_translations: Translations = {}

    @model_validator(mode="after")
    def _translations_have_an_original(self):
        if self.outcome_translations and not self.outcome:
            raise ValueError("outcome_translations need the outcome they translate")
        return self

    @model_validator(mode="after")
    def _court_decision_fields(self):
        decision = self.court_decision
        if self.type == "court_decision" and decision is None:
            raise ValueError("a court_decision needs court_decision: {court, instance, outcome, people}")
        if self.type != "court_decision" and decision is not None:
            raise ValueError(f"court_decision fields belong to type court_decision, not {self.type}")
        if decision is None:
            return self
        # The court is where the decision was taken: court_decision.court is the record's site.
        if decision.court and self.place.site is None:
            self.place.site = decision.court
        elif decision.court and self.place.site != decision.court:
            raise ValueError(f"place.site {self.place.site!r} differs from court_decision.court {decision.court!r}")
        if self.people_affected is None:
            self.people_affected = decision.people
        elif decision.people is not None and decision.people != self.people_affected:
            raise ValueError(f"people_affected {self.people_affected} differs from court_decision.people "
                             f"{decision.people}; give the number once, in court_decision.people")
        return self


class Site(Strict):
    id: RecordId
    name: Text
    kind: SiteKind
    place: Place
    period: Period | None = None
    public_precision: LocationPrecision | None = None
    people_names: list[Text] = []
    sources: Annotated[list[Source], Field(min_length=1)]
    notes: Text | None = None
