"""The register's record schema (pydantic). `data/README.md` documents it for people.

Dates arrive as strings (the loader turns off YAML's own date parsing) so that an impossible
date such as 2019-02-30 becomes a field error for that record instead of a crash of the loader.
"""
from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from geo.evidence.vocabulary import ACTORS, DATE_PRECISIONS, INCIDENT_TYPES, LOCATION_PRECISIONS, SITE_KINDS

IncidentType = StrEnum("IncidentType", {k: k for k in INCIDENT_TYPES})
Actor = StrEnum("Actor", {k: k for k in ACTORS})
DatePrecision = StrEnum("DatePrecision", {k: k for k in DATE_PRECISIONS})
LocationPrecision = StrEnum("LocationPrecision", {k: k for k in LOCATION_PRECISIONS})
SiteKind = StrEnum("SiteKind", {k: k for k in SITE_KINDS})

RecordId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Source(Strict):
    doc: Text
    locator: Text
    quote: Text


class DateReading(Strict):
    """One source's reading of a date where sources disagree."""
    as_written: Text
    start: dt.date
    end: dt.date
    doc: Text


class DateSpan(Strict):
    as_written: Text
    start: dt.date
    end: dt.date | None = None
    precision: DatePrecision
    readings: list[DateReading] = []

    @model_validator(mode="after")
    def _end_follows_precision(self):
        if self.end is None:
            self.end = _default_end(self.start, self.precision)
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
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


class Incident(Strict):
    id: RecordId
    title: Text
    type: IncidentType
    date: DateSpan
    place: Place
    people_affected: Annotated[int, Field(ge=0)] | None = None
    people_names: list[Text] = []
    public_precision: LocationPrecision | None = None
    actors: list[Actor] = []
    outcome: Text | None = None
    related: list[RecordId] = []
    case: RecordId | None = None
    sources: Annotated[list[Source], Field(min_length=1)]
    notes: Text | None = None


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
