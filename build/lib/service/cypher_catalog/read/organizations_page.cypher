// One page of organizations by kind and country, in id order from $offset, with the number of all
// the viewer may see under the same filters (so totals never count hidden records).
// params: $kind: str|null, $country: str|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
MATCH (n:Organization)
WHERE any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($country IS NULL OR n.country = $country)
WITH n ORDER BY n.id
WITH collect(n.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $first] AS ids
