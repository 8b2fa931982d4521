"""The load test's client (bench/streamlit_client.py) is a tab as the server sees it: against the
app on a team store it is refused with a wrong password, signs in as a viewer, reads the counts
above the map, and a switch in the sidebar changes them — what a person in a browser would see."""
from __future__ import annotations

import asyncio
import re

from bench.streamlit_client import AppSession
from tests.browser import streamlit_server
from tests.team_fixture import PASSWORD, imported_store

MONTH_ONLY = "Only records dated at least to the month"


async def _visit(url: str) -> dict:
    seen = {}
    async with AppSession(url, timeout=90) as tab:
        seen["first"] = tab.texts()[0]
        await tab.fill("User name", "vera")
        await tab.fill("Password", "not the password")
        await tab.submit("Sign in")
        seen["refused"] = tab.texts()
        await tab.fill("Password", PASSWORD)
        await tab.submit("Sign in")
        seen["counts"] = tab.markdown_containing("incidents in view")
        seen["signed in"] = tab.markdown_containing("Signed in as")
        await tab.toggle(MONTH_ONLY, True)
        seen["month only"] = tab.markdown_containing("incidents in view")
        await tab.toggle(MONTH_ONLY, False)
        seen["back"] = tab.markdown_containing("incidents in view")
        seen["exceptions"] = tab.exceptions
    return seen


def test_the_load_client_signs_in_and_reads_the_counts_a_filter_changes(postgis_cluster):
    url = imported_store(postgis_cluster)
    with streamlit_server({"INCIDENT_STORE": url}) as app_url:
        seen = asyncio.run(_visit(app_url))
    assert seen["first"] == "# Sign in"
    assert seen["refused"][0] == "# Sign in" and not any("incidents in view" in t for t in seen["refused"])
    assert seen["signed in"] and "vera" in seen["signed in"]
    total = re.match(r"\*\*(\d+) of \1\*\* incidents in view", seen["counts"]).group(1)   # all of them
    assert seen["month only"] != seen["counts"]
    assert re.match(rf"\*\*\d+ of {total}\*\* incidents in view", seen["month only"])
    assert seen["back"] == seen["counts"]
    assert seen["exceptions"] == []
