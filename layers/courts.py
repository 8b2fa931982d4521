"""Courts: context sites from the register (data/courts.geojson)."""
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="courts", title="Courts", colour="#37474f", letter="C")
