"""Controlled vocabularies of the register, with the labels people see.

The keys are what records store; the labels are for legends, filters and captions. Derived from
the five source reports (see data/README.md for what each term covers).
"""
from __future__ import annotations

INCIDENT_TYPES: dict[str, str] = {
    "abduction": "Abduction",
    "arrest_detention": "Arrest / detention",
    "court_decision": "Court decision",
    "administrative_decision": "Administrative decision (not a court)",
    "forcible_return": "Forcible return / handover",
    "killing": "Killing / execution",
    "death": "Death",
    "ill_treatment": "Ill-treatment",
    "surveillance_intimidation": "Search / surveillance / intimidation",
    "forced_labour": "Forced-labour conditions",
    "asylum_application": "Asylum application",
    "asylum_decision": "Asylum decision",
    "escape": "Escape / border crossing",
    "release_resettlement": "Release / resettlement",
    "agreement_policy": "Agreement / policy",
    "advocacy": "Advocacy / refugees' organisation",
}

# Records of these types describe violence or a death: in briefing and public modes their
# description (quotes, outcome, curator's notes) stays behind a "show description" click.
GRAPHIC_TYPES: tuple[str, ...] = ("killing", "ill_treatment", "death")

# Type keys that were renamed: old links and briefings keep working (geo.view.filters maps them).
RENAMED_TYPES: dict[str, str] = {"court_expulsion_decision": "court_decision"}

ACTORS: dict[str, str] = {
    "dprk_security": "DPRK security agents",
    "dprk_enterprise": "DPRK enterprise / worksite management",
    "dprk_government": "DPRK government",
    "ru_police": "Russian police / MVD",
    "ru_migration": "Russian migration authorities",
    "ru_court": "Russian courts",
    "ru_prosecutor": "Russian prosecutors",
    "ru_border_security": "Russian border guards / FSB",
    "ru_government": "Russian government",
    "ru_employer": "Russian employers",
    "ru_authorities": "Russian authorities (not specified)",
    "dprk_citizens": "DPRK citizens (affiliation not stated)",
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

# A date the source bounds only from one side. `on_or_before`: only the latest date is known
# (e.g. "rescued in 1989 after he had been apprehended"); the record then has no start.
DATE_QUALIFIERS: dict[str, str] = {
    "on_or_before": "on or before (the source gives only the latest date)",
}

# Court decisions (type court_decision) carry the court, the instance and the outcome.
COURT_INSTANCES: dict[str, str] = {
    "first_instance": "first instance",
    "appeal": "appeal",
    "cassation": "cassation",
    "supervisory": "supervisory review",
    "not_stated": "not stated in the source",
}

COURT_OUTCOMES: dict[str, str] = {
    "expulsion": "expulsion ordered (form not stated)",
    "forced_expulsion": "forced expulsion (held in a detention centre for foreign citizens)",
    "controlled_departure": "expulsion by controlled independent departure",
    "fine": "fine, no expulsion",
    "overturned": "earlier ruling overturned",
    "proceedings_terminated": "proceedings terminated",
    "returned_for_retrial": "returned for retrial",
    "upheld": "earlier ruling upheld",
    "custodial_sentence": "custodial sentence (criminal case)",
    "authority_decision_unlawful": "an authority's decision declared unlawful",
}
# The outcomes that order a person to leave Russia.
EXPULSION_OUTCOMES = ("expulsion", "forced_expulsion", "controlled_departure")

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
    "international_organisation": "UN / international organisation office",
    "other": "Other site",
}

# Each site kind is drawn in exactly one site layer; the build writes data/<layer>.geojson.
SITE_LAYERS: dict[str, tuple[str, ...]] = {
    "worksites": ("logging_camp", "construction_site", "mine", "worksite"),
    "courts": ("court",),
    "crossings": ("border_crossing", "airport"),
    "detention": ("detention_facility",),
    "offices": ("diplomatic_mission", "government_office", "international_organisation", "other"),
}


def precision_rank(precision: str) -> int:
    return list(LOCATION_PRECISIONS).index(precision)
