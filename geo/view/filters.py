"""What the user is looking at: a frozen filter that round-trips through URL parameters.

`IncidentFilter.apply` is a pure function of the incidents frame; the app, the exports and the
command line all use it, so a shared link, a downloaded file and `python -m geo export` agree.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, RENAMED_TYPES
from geo.language import N_, Labels, _, current
from geo.view import proximity

# Records dated this precisely count as "dated at least to the month".
MONTH_OR_BETTER = ("day", "month")
FIRST_YEAR, LAST_YEAR = 1950, 2030


class FilterError(ValueError):
    """A filter value that is not known; the message lists the allowed values."""


_YEAR = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")   # YYYY or YYYY-MM, ASCII digits only ("٢٠١٩" is not a year)
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WARNING_VALUE_LIMIT = 80          # characters of a bad link value echoed back in a warning


def shown(value, limit: int = WARNING_VALUE_LIMIT) -> str:
    """A value from a link, quoted for a message and cut to `limit` characters ("…" marks the cut)."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def allowed_list(allowed, limit: int | None = 12) -> str:
    names = sorted(allowed)
    return ", ".join(names) if limit is None or len(names) <= limit else ", ".join(names[:limit]) + ", … (" + _("{n} in all").format(n=len(names)) + ")"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def month_label(year: int, month: int) -> str:
    """2018, 3 -> 'Mar 2018' ('март 2018 г.', '2018년 3월' in the interface's language)."""
    if current() != "en":
        from geo.language import dates
        return dates.bound_label(dt.date(year, month, 1), "month")
    return "{month} {year}".format(month=MONTH_ABBREVIATIONS[month - 1], year=year)


@dataclass(frozen=True)
class IncidentFilter:
    start_year: int | None = None          # None: from the earliest record
    end_year: int | None = None            # None: to the latest record
    month_or_better: bool = False
    types: tuple[str, ...] | None = None   # None: every type; () selects nothing
    actors: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    docs: tuple[str, ...] | None = None
    # The window's first and last month (1-12) when it does not run over whole years (the
    # timeline, playback): ?from=2018-03&to=2018-05. None: January / December.
    start_month: int | None = None
    end_month: int | None = None
    # Within `within_km` of the site `near` (geo.view.proximity): ?near=<site id>&km=50.
    near: str | None = None
    within_km: float | None = None
    near_place: proximity.SitePlace | None = field(default=None, compare=False, repr=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    # -- URL ---------------------------------------------------------------------------------
    PARAMS = ("from", "to", "month", "type", "actor", "subject", "doc", "near", "km")

    @classmethod
    def from_params(cls, params, known_subjects=(), known_docs=(), strict: bool = False,
                    known_sites=None) -> "IncidentFilter":
        """Build from URL-style string parameters. Unknown values raise (strict) or are dropped with a
        warning; when none of a parameter's values is known, the parameter is ignored as a whole (an
        explicitly empty one, `type=`, still selects nothing: that is how a cleared filter reads).
        `known_sites` maps site ids to geo.view.proximity.SitePlace (for ?near=)."""
        warnings: list[str] = []

        def complain(message: str, consequence: str | None = None) -> None:
            if strict:
                raise FilterError(message)
            warnings.append("{message}; {consequence}".format(message=message, consequence=consequence or _("ignored")))

        def year(key):
            raw = params.get(key)
            if raw in (None, ""):
                return None, None
            raw = str(raw)
            found = _YEAR.fullmatch(raw.strip())
            value = int(found.group(1)) if found else None
            month = int(found.group(2)) if found and found.group(2) else None
            if value is None or not FIRST_YEAR <= value <= LAST_YEAR or (month is not None and not 1 <= month <= 12):
                complain(_("{key}={value} is not a year between {first} and {last} (or a month of one, YYYY-MM)")
                         .format(key=key, value=shown(raw), first=FIRST_YEAR, last=LAST_YEAR))
                return None, None
            return value, month

        def values(key, allowed, renamed=None):
            if key not in params:
                return None
            chosen = tuple((renamed or {}).get(v, v) for v in _split(params.get(key)))
            unknown = [v for v in chosen if allowed and v not in allowed]
            known = tuple(v for v in chosen if v not in unknown)
            if unknown:
                listed = ", ".join(shown(v) for v in unknown[:5])
                if len(unknown) > 5:
                    listed += " " + _("and {n} more").format(n=len(unknown) - 5)
                message = _("unknown {key} {values}; allowed: {allowed}").format(
                    key=key, values=listed, allowed=allowed_list(allowed, None if strict else 12))
                if strict:
                    raise FilterError(message)
                warnings.append(message + "; " + (_("ignored") if known else _("the {key} filter is ignored").format(key=key)))
                if not known:
                    return None
            return known

        (start, start_month), (end, end_month) = year("from"), year("to")
        if start is not None and end is not None and (end, end_month or 12) < (start, start_month or 1):
            complain(_("the time window ends ({end}) before it starts ({start})").format(
                end=params.get("to"), start=params.get("from")), _("swapped"))
            (start, start_month), (end, end_month) = (end, end_month), (start, start_month)
        near, km, place = cls._near_from(params, known_sites or {}, complain)
        return cls(
            start_year=start, end_year=end, start_month=start_month, end_month=end_month,
            month_or_better=str(params.get("month", "")).lower() in ("1", "true", "yes"),
            types=values("type", INCIDENT_TYPES, RENAMED_TYPES), actors=values("actor", ACTORS),
            subjects=values("subject", set(known_subjects)), docs=values("doc", set(known_docs)),
            near=near, within_km=km, near_place=place, warnings=tuple(warnings),
        )

    @staticmethod
    def _near_from(params, known_sites, complain):
        """?near=<site id>&km=<distance>: the site must be one a distance can be measured from."""
        site_id, raw_km = params.get("near") or None, params.get("km")
        if site_id is None:
            if raw_km not in (None, ""):
                complain(_("km={value} without a site (near=)").format(value=shown(raw_km)))
            return None, None, None
        place = known_sites.get(site_id)
        if place is None:
            complain(_("near={value} is not a site with a point to measure from (a worksite, court, crossing, "
                       "detention site or office at settlement, district or exact precision)").format(value=shown(site_id)),
                     _("the distance filter is ignored"))
            return None, None, None
        km = proximity.DEFAULT_KM if raw_km in (None, "") else proximity.parse_km(raw_km)
        if km is None:
            complain(_("km={value} is not a distance between 0 and {most} km").format(
                value=shown(raw_km), most=proximity.MAX_KM), _("{km} km is used").format(km=proximity.DEFAULT_KM))
            km = float(proximity.DEFAULT_KM)
        return site_id, float(km), place

    def with_near(self, place: proximity.SitePlace | None, km: float | None = None) -> "IncidentFilter":
        """This filter asking for the incidents within km of `place` (None: anywhere)."""
        if place is None:
            return replace(self, near=None, within_km=None, near_place=None)
        return replace(self, near=place.id, within_km=float(km or proximity.DEFAULT_KM), near_place=place)

    def near_ring(self) -> tuple | None:
        """(lat, lon, km, site name) of the distance filter, for the map to draw; None without one."""
        if self.near_place is None:
            return None
        place = self.near_place
        return place.lat, place.lon, self.within_km or float(proximity.DEFAULT_KM), place.name

    def to_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        if self.start_year is not None:
            params["from"] = _year_param(self.start_year, self.start_month if self.start_month != 1 else None)
        if self.end_year is not None:
            params["to"] = _year_param(self.end_year, self.end_month if self.end_month != 12 else None)
        if self.month_or_better:
            params["month"] = "1"
        for key, chosen in (("type", self.types), ("actor", self.actors),
                            ("subject", self.subjects), ("doc", self.docs)):
            if chosen is not None:
                params[key] = ",".join(chosen)
        if self.near is not None:
            params["near"] = self.near
            params["km"] = proximity.format_km(self.within_km or proximity.DEFAULT_KM)
        return params

    # -- the machine form --------------------------------------------------------------------
    def window(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        start = end = None
        if self.start_year is not None:
            start = pd.Timestamp(dt.date(self.start_year, self.start_month or 1, 1))
        if self.end_year is not None:
            month = self.end_month or 12
            end = pd.Timestamp(dt.date(self.end_year, month, calendar.monthrange(self.end_year, month)[1]))
        return start, end

    def without_time(self) -> "IncidentFilter":
        """The same filter over all dates (what the timeline under the map counts)."""
        return replace(self, start_year=None, end_year=None, start_month=None, end_month=None)

    def mask(self, incidents: pd.DataFrame, coords=None) -> pd.Series:
        """True for the records this filter keeps. Vectorised; lists are tested row by row.
        `coords`: the frame's (lon, lat) arrays, when the caller has them (geo.view.scale.coordinates)."""
        keep = pd.Series(True, index=incidents.index)
        if incidents.empty:
            return keep
        start, end = self.window()
        if start is not None:   # a record counts when [date_start, date_end] overlaps the window
            keep &= incidents["date_end"] >= start
        if end is not None:     # no date_start: "on or before date_end", open to every earlier window
            keep &= (incidents["date_start"] <= end) | incidents["date_start"].isna()
        if self.month_or_better:
            keep &= incidents["date_precision"].isin(MONTH_OR_BETTER)
        if self.types is not None:
            keep &= incidents["type"].isin(self.types)
        if self.subjects is not None:
            keep &= incidents["subject_code"].isin(self.subjects)
        if self.actors is not None:
            wanted = set(self.actors)
            keep &= incidents["actors"].map(lambda actors: bool(wanted.intersection(actors)))
        if self.docs is not None:
            wanted_docs = set(self.docs)
            keep &= incidents["source_docs"].map(lambda docs: bool(wanted_docs.intersection(docs)))
        if self.near_place is not None:
            if coords is None:
                from geo.view.scale import coordinates
                coords = coordinates(incidents)
            keep &= proximity.near(incidents, coords, self.near_place, self.within_km or proximity.DEFAULT_KM).mask
        return keep

    def apply(self, incidents: pd.DataFrame) -> pd.DataFrame:
        return incidents[self.mask(incidents)]

    # -- the human form ----------------------------------------------------------------------
    def describe(self, subject_names: dict[str, str] | None = None, doc_names: dict[str, str] | None = None) -> str:
        parts = []
        if self.start_year is not None or self.end_year is not None:
            parts.append(self.window_label())
        else:
            parts.append(_("all dates"))
        if self.month_or_better:
            parts.append(_("dated at least to the month"))
        parts.append(_describe_values("types", self.types, INCIDENT_TYPES))
        if self.actors is not None:
            parts.append(_("actors: {values}").format(values=_describe_values("actors", self.actors, ACTORS)))
        if self.subjects is not None:
            parts.append(_("regions: {values}").format(values=_describe_values("regions", self.subjects, subject_names or {})))
        if self.docs is not None:
            parts.append(_("sources: {values}").format(values=_describe_values("sources", self.docs, doc_names or {})))
        if self.near is not None:
            name = self.near_place.name if self.near_place is not None else self.near
            parts.append(_("within {km} km of {site} (settlement, district or exact places; geodesic distance)").format(
                km=proximity.format_km(self.within_km or proximity.DEFAULT_KM), site=name))
        return " · ".join(parts)

    def window_label(self) -> str:
        """'2018–2019', 'Mar 2018 – May 2018', 'Mar 2018', 'earliest–2019'."""
        months = self.start_month is not None or self.end_month is not None
        if not months:
            if self.start_year is not None and self.start_year == self.end_year:
                return str(self.start_year)
            return "{start}–{end}".format(start=self.start_year or _earliest(), end=self.end_year or _latest())
        start = month_label(self.start_year, self.start_month or 1) if self.start_year is not None else _earliest()
        end = month_label(self.end_year, self.end_month or 12) if self.end_year is not None else _latest()
        return start if start == end else "{start} – {end}".format(start=start, end=end)


def _year_param(year: int, month: int | None) -> str:
    return str(year) if month is None else "{year}-{month:02d}".format(year=year, month=month)


# "all types" / "no types selected", by what is described (each said whole, for the translations)
_ALL = Labels({"types": N_("all types"), "actors": N_("all actors"), "regions": N_("all regions"),
               "sources": N_("all sources")})
_NONE = Labels({"types": N_("no types selected"), "actors": N_("no actors selected"),
                "regions": N_("no regions selected"), "sources": N_("no sources selected")})


def _earliest() -> str:
    return _("earliest")


def _latest() -> str:
    return _("latest")


def _describe_values(what: str, chosen: tuple[str, ...] | None, labels: dict[str, str]) -> str:
    if chosen is None:
        return _ALL[what]
    if not chosen:
        return _NONE[what]
    return ", ".join(labels.get(v, v) for v in chosen)
