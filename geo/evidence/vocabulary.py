"""Controlled vocabularies of the register, with the labels people see.

The keys are what records store; the labels are for legends, filters and captions, declared in
English and read in the active language (geo.language.Labels: the catalogue translates them). Derived from
the five source reports (see data/README.md for what each term covers).
"""
from __future__ import annotations

from geo.language import N_, Labels

INCIDENT_TYPES = Labels({
    "abduction": N_("Abduction"),
    "arrest_detention": N_("Arrest / detention"),
    "court_decision": N_("Court decision"),
    "administrative_decision": N_("Administrative decision (not a court)"),
    "forcible_return": N_("Forcible return / handover"),
    "killing": N_("Killing / execution"),
    "death": N_("Death"),
    "ill_treatment": N_("Ill-treatment"),
    "surveillance_intimidation": N_("Search / surveillance / intimidation"),
    "forced_labour": N_("Forced-labour conditions"),
    "asylum_application": N_("Asylum application"),
    "asylum_decision": N_("Asylum decision"),
    "escape": N_("Escape / border crossing"),
    "release_resettlement": N_("Release / resettlement"),
    "agreement_policy": N_("Agreement / policy"),
    "advocacy": N_("Advocacy / refugees' organisation"),
})

# Records of these types describe violence or a death: in briefing and public modes their
# description (quotes, outcome, curator's notes) stays behind a "show description" click.
GRAPHIC_TYPES: tuple[str, ...] = ("killing", "ill_treatment", "death")

# Type keys that were renamed: old links and briefings keep working (geo.view.filters maps them).
RENAMED_TYPES: dict[str, str] = {"court_expulsion_decision": "court_decision"}

ACTORS = Labels({
    "dprk_security": N_("DPRK security agents"),
    "dprk_enterprise": N_("DPRK enterprise / worksite management"),
    "dprk_government": N_("DPRK government"),
    "ru_police": N_("Russian police / MVD"),
    "ru_migration": N_("Russian migration authorities"),
    "ru_court": N_("Russian courts"),
    "ru_prosecutor": N_("Russian prosecutors"),
    "ru_border_security": N_("Russian border guards / FSB"),
    "ru_government": N_("Russian government"),
    "ru_employer": N_("Russian employers"),
    "ru_authorities": N_("Russian authorities (not specified)"),
    "dprk_citizens": N_("DPRK citizens (affiliation not stated)"),
    "un": N_("United Nations"),
    "other": N_("Other"),
    "unknown": N_("Unknown"),
})

DATE_PRECISIONS = Labels({
    "day": N_("day"),
    "month": N_("month only"),
    "season": N_("season only"),
    "year": N_("year only"),
    "range": N_("date range"),
})

# A date the source bounds only from one side. `on_or_before`: only the latest date is known
# (e.g. "rescued in 1989 after he had been apprehended"); the record then has no start.
DATE_QUALIFIERS = Labels({
    "on_or_before": N_("on or before (the source gives only the latest date)"),
})

# Court decisions (type court_decision) carry the court, the instance and the outcome.
COURT_INSTANCES = Labels({
    "first_instance": N_("first instance"),
    "appeal": N_("appeal"),
    "cassation": N_("cassation"),
    "supervisory": N_("supervisory review"),
    "not_stated": N_("not stated in the source"),
})

COURT_OUTCOMES = Labels({
    "expulsion": N_("expulsion ordered (form not stated)"),
    "forced_expulsion": N_("forced expulsion (held in a detention centre for foreign citizens)"),
    "controlled_departure": N_("expulsion by controlled independent departure"),
    "fine": N_("fine, no expulsion"),
    "overturned": N_("earlier ruling overturned"),
    "proceedings_terminated": N_("proceedings terminated"),
    "returned_for_retrial": N_("returned for retrial"),
    "upheld": N_("earlier ruling upheld"),
    "custodial_sentence": N_("custodial sentence (criminal case)"),
    "authority_decision_unlawful": N_("an authority's decision declared unlawful"),
})
# The outcomes that order a person to leave Russia.
EXPULSION_OUTCOMES = ("expulsion", "forced_expulsion", "controlled_departure")

# Ordered from most to least precise: a coarsening moves right, never left.
LOCATION_PRECISIONS = Labels({
    "exact_site": N_("exact site"),
    "settlement": N_("settlement"),
    "district": N_("district"),
    "region": N_("region"),
    "country": N_("country"),
})

SITE_KINDS = Labels({
    "logging_camp": N_("Logging camp"),
    "construction_site": N_("Construction site"),
    "mine": N_("Mine"),
    "worksite": N_("Worksite"),
    "court": N_("Court"),
    "border_crossing": N_("Border crossing"),
    "airport": N_("Airport"),
    "detention_facility": N_("Detention place"),
    "diplomatic_mission": N_("Embassy / consulate"),
    "government_office": N_("Government office"),
    "international_organisation": N_("UN / international organisation office"),
    "other": N_("Other site"),
})

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
