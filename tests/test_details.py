"""What the details panel and the popups say about every record and site: no 'nan', 'None' or
empty brackets, no range of one year, a place not written twice."""
import re

import pytest

from geo.outputs.details import incident_html, incident_rows, site_html, site_rows
from geo.view.dataset import load_bundle
from layers.incidents import marker_label, tooltip_text

GLITCHES = {
    "a missing value": re.compile(r"\b(nan|NaN|None|NaT|null|undefined)\b"),
    "empty brackets": re.compile(r"\(\s*\)|\[\s*\]"),
    "a range of one year": re.compile(r"\b(\d{4})\s*[–-]\s*\1\b"),
    "a range of one day": re.compile(r"\b(\d{1,2})\s*[–-]\s*\1 [A-Z][a-z]{2}\b"),
    "a dangling separator": re.compile(r"(^|\s)[·→]\s*$|^\s*[·→]"),
}


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def texts(bundle):
    for _, p in bundle.incidents.iterrows():
        for label, text in incident_rows(p, bundle.titles):
            yield f"{p['id']} {label}", text
        yield f"{p['id']} label", marker_label(p)
        if p.geometry is not None:
            yield f"{p['id']} tooltip", tooltip_text(p)
    for frame in bundle.sites.values():
        for _, p in frame.iterrows():
            for label, text in site_rows(p):
                yield f"{p['id']} {label}", text


def test_no_record_or_site_text_has_a_glitch(bundle):
    found = [f"{where}: {name}: {text!r}" for where, text in texts(bundle)
             for name, pattern in GLITCHES.items() if pattern.search(text)]
    assert not found, "\n".join(found[:20])


def test_country_level_place_is_named_once_without_region(bundle):
    p = bundle.incidents.loc["agr-1957-extradition-treaty"]
    rows = dict(incident_rows(p, bundle.titles))
    assert rows["Place"] == "both nations → Russia (country precision)"
    assert "Region" not in rows
    same = bundle.incidents[bundle.incidents["place_as_written"].str.casefold() == bundle.incidents["place_name"].str.casefold()]
    for _, p in same.iterrows():
        assert "→" not in dict(incident_rows(p))["Place"]


def test_site_period_and_popups(bundle):
    site = bundle.sites["worksites"].loc["site-khabarovsk-krai-logging"]
    assert dict(site_rows(site))["Active"] == "since 1967"
    assert "nan" not in site_html(site) and "nan" not in incident_html(bundle.incidents.iloc[0], bundle.titles)
