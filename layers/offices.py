"""Embassies and offices: context sites from the register (data/offices.geojson)."""
from geo.language import N_
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="offices", title=N_("Embassies and offices"), colour="#546e7a", letter="O")
