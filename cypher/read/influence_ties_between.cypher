// The relationships between two sets of records that can carry influence in influencePaths
// (the middle hop of the paths between the records already read around each end): from each
// record of $ids, those to a record of $others, visible and holding on $as_of exactly as in
// influence_ties, at most $first in all. Walked from $ids (the caller passes the smaller set);
// a relationship to a record outside $others is dropped before anything else is looked at.
// params: $ids: list[str], $others: list[str], $types: list[str], $as_of: str, $first: int, $viewer_grants: list[str]
// returns: 0..n rows {source: str, ties: list[[id: str, type: str, out: bool, other_id: str, confidence: float]]}
UNWIND $ids AS id
MATCH (n:Record {id: id})
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
// Each record on its own, then its relationships, and only then the test on the far end
// (FalkorDB otherwise looks up every record of $others for every record of $ids: 22 s for
// 187 x 406 records at the hub, where this takes 0.2 s).
WITH n
MATCH (n)-[r]-(m:Record)
WITH n, r, m
WHERE m.id IN $others
  AND any(t IN r.acl WHERE t IN $viewer_grants)
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
