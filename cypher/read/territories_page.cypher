// One page of territories by kind, optionally only those within $within (itself included,
// through visible PART_OF links), in id order from $offset, with the number of all matches.
// params: $kind: str|null, $within: str|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
OPTIONAL MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $within})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH collect(DISTINCT sub.id) AS inside
MATCH (n:Territory)
WHERE any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($within IS NULL OR n.id IN inside)
WITH n ORDER BY n.id
WITH collect(n.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $first] AS ids
