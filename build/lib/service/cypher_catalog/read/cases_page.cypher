// One page of case files by holder and status, in id order from $offset, with the number of all
// the viewer may see under the same filters (so totals never count hidden records).
// params: $holder: str|null, $status: str|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
MATCH (n:Case)
WHERE any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND ($holder IS NULL OR n.owner = $holder)
  AND ($status IS NULL OR n.status = $status)
WITH n ORDER BY n.id
WITH collect(n.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $first] AS ids
