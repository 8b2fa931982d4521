"""Border crossings and airports: context sites from the register (data/crossings.geojson)."""
from geo.language import N_
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="crossings", title=N_("Border crossings and airports"), colour="#1b5e20", letter="B")
