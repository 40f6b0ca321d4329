// One page of territories by kind, optionally only those of $scope (territory_scope: a
// territory and those below it), in id order from $offset, with the number of all matches.
// params: $kind: str|null, $scope: list[str]|null, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, ids: list[str]}
MATCH (n:Territory)
WHERE any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($scope IS NULL OR n.id IN $scope)
WITH n ORDER BY n.id
WITH collect(n.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $first] AS ids
