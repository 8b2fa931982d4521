"""A loaded dataset in the interface's language: the labels the build wrote in English (types,
actors, dates, places, regions, site kinds) read again from the codes beside them.

Only labels are rewritten. The evidence — titles, quotes, places and dates as written, outcomes,
notes — stays as the documents have it (a curated translation is added beside it, marked:
geo.language.curated). Run after a public release: the place names it translates are the
ones the release shows (geo.language.places translates a name only where it is the English name of
the record's place id).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pandas as pd

from geo.evidence import dates
from geo.evidence.vocabulary import ACTORS, INCIDENT_TYPES, LOCATION_PRECISIONS, SITE_KINDS
from geo.language import current, using
from geo.language.places import place_names
from geo.language.curated import title_shown

_DAY, _MONTH = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}"), re.compile(r"[A-Z][a-z]{2} \d{4}")


def _date(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


@lru_cache(maxsize=200_000)
def _date_label(start, end, precision: str, qualifier, lang: str) -> str:
    with using(lang):
        return dates.date_label(start, end, precision, qualifier)


def _english_location_label(name: str, precision: str) -> str:
    return f"{name} ({LOCATION_PRECISIONS.english(precision)})"


def _places(frame: pd.DataFrame, lang: str) -> dict[str, list]:
    """place_name, subject_name and location_label in `lang`, where they are the build's English."""
    names = place_names()
    place, location, subject = [], [], []
    for pid, name, label, precision, code, region in zip(
            frame["place_id"], frame["place_name"], frame["location_label"], frame["location_precision"],
            frame["subject_code"], frame["subject_name"]):
        translated = names.name(pid, name, lang)
        place.append(translated)
        if isinstance(label, str) and isinstance(name, str) and precision in LOCATION_PRECISIONS \
                and label == _english_location_label(name, precision):
            label = f"{translated} ({LOCATION_PRECISIONS[precision]})"
        location.append(label)
        subject.append(names.name(code, region, lang))
    return {"place_name": place, "location_label": location, "subject_name": subject}


def localize_incidents(incidents: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    lang = lang or current()
    if lang == "en" or incidents.empty:
        return incidents
    with using(lang):
        columns = {
            "type_label": incidents["type"].map(lambda t: INCIDENT_TYPES.get(t, t)),
            "actor_labels": [[ACTORS.get(a, a) for a in actors] if isinstance(actors, (list, tuple)) else actors
                             for actors in incidents["actors"]],
            "date_label": [_date_label(_date(s), _date(e), p, q if isinstance(q, str) else None, lang)
                           if _date(e) is not None else label
                           for s, e, p, q, label in zip(incidents["date_start"], incidents["date_end"],
                                                        incidents["date_precision"], incidents["date_qualifier"],
                                                        incidents["date_label"])],
            **_places(incidents, lang),
        }
    return incidents.assign(**columns)


def _period(label, lang: str):
    """A site's active period in `lang`, read from the build's English ('since 1967', '1993 – 1995')."""
    if not isinstance(label, str):
        return label

    def bound(text: str):
        text = text.strip()
        for pattern, fmt, precision in ((_DAY, "%d %b %Y", "day"), (_MONTH, "%b %Y", "month")):
            if pattern.fullmatch(text):
                return pd.Timestamp.strptime(text, fmt).date(), precision
        return (pd.Timestamp(int(text), 1, 1).date(), "year") if text.isdigit() else (None, None)

    since = label.startswith("since ")
    parts = [label[6:]] if since else label.split(" – ")
    read = [bound(p) for p in parts]
    if any(d is None for d, _ in read):
        return label
    with using(lang):
        start, precision = read[0]
        end = None if since else read[-1][0]
        return dates.period_label(start, end, precision)


def localize_sites(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    lang = lang or current()
    if lang == "en" or frame.empty:
        return frame
    with using(lang):
        columns = {"kind_label": frame["kind"].map(lambda k: SITE_KINDS.get(k, k)),
                   "period_label": [_period(p, lang) for p in frame["period_label"]], **_places(frame, lang)}
    return frame.assign(**columns)


def localize_bundle(bundle, lang: str | None = None):
    """The bundle with its labels in `lang` (default: the active language); English: itself."""
    lang = lang or current()
    if lang == getattr(bundle, "lang", "en"):
        return bundle
    if getattr(bundle, "lang", "en") != "en":
        raise ValueError(f"the bundle is labelled in {bundle.lang!r} already; localize the built (English) one")
    names = place_names()
    subject_names = {code: names.name(code, name, lang) for code, name in bundle.subject_names.items()}
    subjects = bundle.subjects.assign(name=[subject_names.get(c, n) for c, n in
                                            zip(bundle.subjects["code"], bundle.subjects["name"])])
    countries = bundle.countries
    if "code" in countries and "name" in countries:
        countries = countries.assign(name=[names.name(c, n, lang) for c, n in zip(countries["code"], countries["name"])])
    incidents = localize_incidents(bundle.incidents, lang)
    titles = bundle.titles
    if "translations" in incidents.columns:       # curated translations of titles, marked as such
        titles = {**titles, **{i: title_shown(r, lang) for i, r in zip(incidents["id"], incidents.to_dict("records"))
                               if i in titles and isinstance(r.get("translations"), dict)}}
    return replace(bundle, incidents=incidents, titles=titles,
                   sites={k: localize_sites(v, lang) for k, v in bundle.sites.items()},
                   subjects=subjects, countries=countries, subject_names=subject_names, outlines={}, lang=lang)
