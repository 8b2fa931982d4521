"""Detention places: context sites from the register (data/detention.geojson)."""
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="detention", title="Detention places", colour="#4a148c", letter="D")
