"""Controlled vocabularies of the register, with the labels people see.

The keys are what records store; the labels are for legends, filters and captions. Derived from
the five source reports (see data/README.md for what each term covers).
"""
from __future__ import annotations

INCIDENT_TYPES: dict[str, str] = {
    "abduction": "Abduction",
    "arrest_detention": "Arrest / detention",
    "court_expulsion_decision": "Court expulsion decision",
    "forcible_return": "Forcible return / handover",
    "killing": "Killing / execution",
    "death": "Death",
    "ill_treatment": "Ill-treatment",
    "surveillance_intimidation": "Search / surveillance / intimidation",
    "forced_labour": "Forced-labour conditions",
    "asylum_decision": "Asylum decision",
    "escape": "Escape / border crossing",
    "release_resettlement": "Release / resettlement",
    "agreement_policy": "Agreement / policy",
}

ACTORS: dict[str, str] = {
    "dprk_security": "DPRK security agents",
    "dprk_enterprise": "DPRK enterprise / worksite management",
    "dprk_government": "DPRK government",
    "ru_police": "Russian police / MVD",
    "ru_migration": "Russian migration authorities",
    "ru_court": "Russian courts",
    "ru_border_security": "Russian border guards / FSB",
    "ru_government": "Russian government",
    "ru_employer": "Russian employers",
    "un": "United Nations",
    "other": "Other",
    "unknown": "Unknown",
}

DATE_PRECISIONS: dict[str, str] = {
    "day": "day",
    "month": "month only",
    "season": "season only",
    "year": "year only",
    "range": "date range",
}

# Ordered from most to least precise: a coarsening moves right, never left.
LOCATION_PRECISIONS: dict[str, str] = {
    "exact_site": "exact site",
    "settlement": "settlement",
    "district": "district",
    "region": "region",
    "country": "country",
}

SITE_KINDS: dict[str, str] = {
    "logging_camp": "Logging camp",
    "construction_site": "Construction site",
    "mine": "Mine",
    "worksite": "Worksite",
    "court": "Court",
    "border_crossing": "Border crossing",
    "airport": "Airport",
    "detention_facility": "Detention place",
    "diplomatic_mission": "Embassy / consulate",
    "government_office": "Government office",
    "other": "Other site",
}

# Each site kind is drawn in exactly one site layer; the build writes data/<layer>.geojson.
SITE_LAYERS: dict[str, tuple[str, ...]] = {
    "worksites": ("logging_camp", "construction_site", "mine", "worksite"),
    "courts": ("court",),
    "crossings": ("border_crossing", "airport"),
    "detention": ("detention_facility",),
    "offices": ("diplomatic_mission", "government_office", "other"),
}


def precision_rank(precision: str) -> int:
    return list(LOCATION_PRECISIONS).index(precision)
