"""Published-item counts per (body, year, topic, genre), kept in step with the catalog so that the portal's
totals, facets and trends never count over the catalog itself (issue 11, deliverable 4; docs/portal.md,
"Caching")."""
