// The sources the viewer may open of the relationships of an influence path, each found from
// its two ends ($ids[i] runs between $starts[i] and $ends[i]), with the same checks as the
// projection: the relationship and both its ends visible. A source is listed only if the
// viewer may open it; each is matched on its own so that both databases use the index.
// params: $ids: list[str], $starts: list[str], $ends: list[str], $viewer_grants: list[str]
// returns: 0..n rows {id: str, sources: list[str]|null}
UNWIND range(0, size($ids) - 1) AS i
WITH $ids[i] AS rel_id, $starts[i] AS start_id, $ends[i] AS end_id
MATCH (a:Record {id: start_id})-[r]-(b:Record {id: end_id})
WHERE r.id = rel_id
  AND any(t IN a.acl WHERE t IN $viewer_grants)
  AND any(t IN r.acl WHERE t IN $viewer_grants)
  AND any(t IN b.acl WHERE t IN $viewer_grants)
WITH DISTINCT r
UNWIND coalesce(r.sources, []) + [null] AS listed
OPTIONAL MATCH (x:Record {id: listed})
WHERE any(t IN x.acl WHERE t IN $viewer_grants)
WITH r, collect(x.id) AS open_ids
RETURN r.id AS id, [i IN r.sources WHERE i IN open_ids] AS sources
