"""View: loading a built dataset, filters <-> URL, viewport plan at scale, counts and charts."""
