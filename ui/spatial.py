"""Beside the map: the steps of a clicked case route, and a clicked site with "incidents within N km"."""
from __future__ import annotations

import streamlit as st

from geo.outputs.html_text import markdown_literal as md
from geo.view import proximity
from geo.view.dataset import Bundle
from geo.view.filters import IncidentFilter
from geo.view.routes import Route
from ui import map_state
from ui.sidebar import show_filter, site_label
from geo.language import _


def close_route() -> None:
    st.session_state["selected_route"] = None


def route_card(data: Bundle, route: Route) -> None:
    """The steps of a route in date order; each opens its record (and the map goes there)."""
    with st.container(border=True):
        st.markdown("**{label}**: {steps} steps in date order".format(label=md(route.label), steps=len(route.steps)))
        for number, s in enumerate(route.steps, start=1):
            note = "" if s.mapped and s.shown else (" (country level, not drawn)" if not s.mapped
                                                    else " (outside the filters)")
            st.button("{n}. {date} · {type} · {place}{note}".format(n=number, date=s.date_label, type=s.type_label,
                                                                     place=s.place, note=note),
                      key=f"route-step-{route.case}-{s.id}", help=s.title, on_click=map_state.select,
                      args=(s.id, data), width="stretch")
        st.button(_("Close the route"), key="route-close", on_click=close_route)


def _near(data: Bundle, view: IncidentFilter, site_id: str) -> None:
    state = st.session_state
    state["clicked_site"] = None
    show_filter(view.with_near(data.site_places[site_id], state.get("near_km") or proximity.DEFAULT_KM), data)


def _close_site() -> None:
    st.session_state["clicked_site"] = None


def site_card(data: Bundle, view: IncidentFilter, site_id: str) -> None:
    """A site clicked on the map: how many incidents (of the other filters) lie near it, and a
    button that makes that the filter."""
    place = data.site_places[site_id]
    km = float(st.session_state.get("near_km") or proximity.DEFAULT_KM)
    elsewhere = view.with_near(None).mask(data.incidents, data.coords).to_numpy()
    near = proximity.near(data.incidents, data.coords, place, km, among=elsewhere)
    with st.container(border=True):
        st.markdown("**{site}**".format(site=md(site_label(place))))
        st.markdown("{n} of the incidents in view lie within {km} km of it (geodesic).".format(
            n=int(near.mask.sum()), km=proximity.format_km(km)))
        if near.left_out:
            st.caption("{n} region-level records nearby are not counted: their point is only the region's.".format(
                n=near.left_out))
        left, right = st.columns(2)
        left.button(_("Show only these"), key="site-near", on_click=_near, args=(data, view, site_id), type="primary",
                    width="stretch")
        right.button(_("Close"), key="site-close", on_click=_close_site, width="stretch")


def site_of_record(data: Bundle, record_id: str) -> None:
    """Under a record that took place at a site: a way to its surroundings (the site's own symbol is
    drawn under its incidents, so it is often not there to click)."""
    site = data.incidents.loc[record_id].get("site")
    if isinstance(site, str) and site in data.site_places:
        place = data.site_places[site]
        st.button(_("Incidents near {site}").format(site=place.name), key=f"site-of-{record_id}",
                  on_click=_open_site, args=(site,), help=_("How many incidents lie within a distance of this site"))


def _open_site(site_id: str) -> None:
    st.session_state["clicked_site"] = site_id
