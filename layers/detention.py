"""Detention places: context sites from the register (data/detention.geojson)."""
from geo.language import N_
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="detention", title=N_("Detention places"), colour="#4a148c", letter="D")
