"""Every map layer, declared once. The map, the legend, the exports and the tests iterate this."""
from layers import basemap, courts, crossings, detention, incidents, offices, regions, routes, worksites

LAYERS = (
    basemap.LAYER,
    regions.LAYER,
    worksites.LAYER,
    courts.LAYER,
    crossings.LAYER,
    detention.LAYER,
    offices.LAYER,
    routes.LAYER,      # below the incident markers
    incidents.LAYER,   # last, so incident markers sit on top of sites
)
