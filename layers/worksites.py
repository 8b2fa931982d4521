"""Worksites (logging, construction, mines): context sites from the register (data/worksites.geojson)."""
from geo.language import N_
from layers.site_layer import SiteLayer

LAYER = SiteLayer(name="worksites", title=N_("Worksites (logging, construction, mines)"), colour="#5d4037", letter="W")
