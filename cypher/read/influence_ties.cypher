// For each given record, the relationships that can carry influence in influencePaths: those
// the viewer may see that hold on $as_of, with a confidence above 0 (optionally only some
// types), at most $first in all. Lean on purpose: ids, type, direction and confidence only (the
// path search reads thousands at a hub; the few hops it returns get their sources from
// influence_hop_sources). Visible as in links_of_many: the relationship and both its ends, and
// a derived tie only for whoever sees none of the finer ties it stands for.
// params: $ids: list[str], $types: list[str], $as_of: str, $first: int, $viewer_grants: list[str]
// returns: 0..n rows {source: str, ties: list[[id: str, type: str, out: bool, other_id: str, confidence: float]]}
UNWIND $ids AS id
MATCH (n:Record {id: id})
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
// Each record on its own, then its relationships (FalkorDB plans one MATCH of both ends
// from the far end, through every record).
WITH n
MATCH (n)-[r]-(m:Record)
WHERE any(t IN r.acl WHERE t IN $viewer_grants)
  AND any(t IN m.acl WHERE t IN $viewer_grants)
  AND (size($types) = 0 OR type(r) IN $types)
  AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND r.confidence > 0
// As in links_of_many: only a derived tie looks at the finer ties it stands for.
// unchecked: derived_from (the link's start record: n or m, both checked above)
WITH n, r, m, CASE WHEN r.stands_for IS NULL THEN null ELSE startNode(r) END AS derived_from
OPTIONAL MATCH (derived_from)-[f]->(:Territory)
WHERE f.id IN r.stands_for AND any(t IN f.acl WHERE t IN $viewer_grants)
WITH n, r, m, count(f) AS shown_finer
WHERE shown_finer = 0
WITH n, r, m
LIMIT $first
// One row per record, its ties in a list: Neo4j's driver decodes a row at a time, and one row
// of 500 ties reads in half the time of 500 rows.
WITH n, collect([r.id, type(r), startNode(r).id = n.id, m.id, r.confidence]) AS ties
RETURN n.id AS source, ties
