"""About the data: the source documents, attribution, how precision is shown."""
import streamlit as st

from geo.evidence.sources import about_lines
from geo.language import _
from geo.outputs.html_text import markdown_literal as md
from ui import data as shared, session
from ui.history import latest_changes

data = shared.bundle_or_stop()
st.markdown("# " + _("About the data"))
st.markdown(_("**Sources** (cited by id in every record; texts and hashes in data/sources/)"))
for line in about_lines(shared.sources_dir()):
    st.markdown(f"- {md(line)}")
st.markdown(_("Outlines: Natural Earth (public domain). Places: GeoNames (CC BY 4.0). "
              "Location precision is shown on the map: dashed rings are district- or region-level places."))
st.markdown(_("Quotes, places as written and record titles are evidence: they stay in the language of their "
              "document. A title or outcome translated by the curators is marked “(translation)”."))
if not shared.public_deployment():     # the change log names editors and may quote sensitive values
    latest_changes()
session.write_url({})
