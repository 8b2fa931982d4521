"""Build: register -> GeoJSON layers (and synthetic datasets for scale tests)."""
