"""Outputs: the folium map, popups, exports (HTML/PNG/SVG/GeoJSON/CSV/GPKG), briefings and public-release redaction."""
