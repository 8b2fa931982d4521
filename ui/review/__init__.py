"""The Review & edit page's parts: the document viewer, the list of proposals, the source picker."""
