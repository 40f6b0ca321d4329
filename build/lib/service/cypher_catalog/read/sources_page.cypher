// One page of sources by kind and reliability, in id order from $offset, with the number of all
// the viewer may see under the same filters (so totals never count hidden records).
// params: $kind: str|null, $reliability: str|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
MATCH (n:Source)
WHERE any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($reliability IS NULL OR n.reliability = $reliability)
WITH n ORDER BY n.id
WITH collect(n.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $first] AS ids
