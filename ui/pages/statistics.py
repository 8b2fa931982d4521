"""Statistics page: patterns in the current view (per year by type, per region) and the figures the
sources state, each cited."""
import streamlit as st

from geo.evidence.sources import DOC_LABELS
from geo.language import _
from geo.outputs.html_text import markdown_literal as md
from geo.view import aggregate, charts, proximity
from ui import data as shared, session
from ui.sidebar import filters

data = shared.bundle_or_stop()
if data.at_scale:   # the incidents stay in the team store (ui.data.SCALE_FROM): say so, never a silent empty result
    st.markdown("# Statistics")
    st.info("This store holds more incidents than the app loads at once, so this page is not available for it; "
            "the map reads them from the database. Export from the command line: `python -m geo store export`.")
    st.stop()
view = filters(data)
shown = data.incidents[view.mask(data.incidents, data.coords)]

st.markdown("# " + _("Statistics"))
st.caption(_("Showing: {view}").format(view=md(view.describe(data.subject_names, DOC_LABELS))))
st.markdown("## " + _("Patterns in the current view"))
per_year = aggregate.per_year_by_type(shown)
if per_year.empty:
    st.info(_("No incident matches these filters. Widen the time window or select more types."))
else:
    st.vega_lite_chart(charts.timeline_spec(per_year), width="stretch")
st.markdown(_("**Incidents per region** (the map's “Incidents per region” layer shows the same counts)"))
st.dataframe(aggregate.counts_table(aggregate.counts_per_subject(shown, data.subject_names)), hide_index=True,
             width="stretch")

st.markdown(_("**Incidents near each site** (within the distance, measured on the Earth's ellipsoid; records placed "
              "at a settlement, a site or a district; the “Near a site” filter in the sidebar shows them on the map)"))
km = st.select_slider(_("Within"), [float(k) for k in proximity.DISTANCES_KM], value=float(proximity.DEFAULT_KM),
                      key="per_site_km", format_func=lambda k: _("{km} km").format(km=proximity.format_km(k)))
per_site = proximity.per_site_counts(data.incidents, data.coords, data.site_places, km,
                                     among=view.with_near(None).mask(data.incidents, data.coords).to_numpy())
st.dataframe(per_site[per_site["incidents"] > 0].rename(columns={"name": _("Site"), "kind_label": _("Kind"),
                                                                   "incidents": _("Incidents"), "id": _("Site id")})
             [[_("Site"), _("Kind"), _("Incidents"), _("Site id")]], hide_index=True, width="stretch")

st.markdown("## " + _("Statistics from the sources"))
spec, figures, disagreeing = shared.source_statistics()
for topic, note in disagreeing:   # where the documents' figures differ, said above the bars
    st.markdown(_("**Where the documents differ — {topic}.** {note}").format(topic=md(topic), note=md(note)))
st.vega_lite_chart(spec, width="content")
st.dataframe(figures, hide_index=True, width="stretch")
session.write_url(view.to_params())
