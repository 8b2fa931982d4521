"""Places: the gazetteer (geocoding within the named federal subject) and the outline boundaries."""
