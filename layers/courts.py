"""Courts: context sites from the register (data/courts.geojson)."""
from geo.language import N_
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="courts", title=N_("Courts"), colour="#37474f", letter="C")
