// The ids of the defenders the viewer may see working, on $as_of, in the territories of $scope
// (territory_scope): whose risk a territory-scoped question weighs. It starts from the
// territories, so its cost follows them, not the graph.
// params: $scope: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str}
UNWIND $scope AS place
MATCH (here:Territory {id: place})
WHERE any(tok IN here.acl WHERE tok IN $viewer_grants)
WITH here
MATCH (here)<-[h:OPERATES_IN]-(d:Defender)
WHERE any(tok IN h.acl WHERE tok IN $viewer_grants)
  AND any(tok IN d.acl WHERE tok IN $viewer_grants)
  AND (h.valid_from IS NULL OR h.valid_from <= $as_of)
  AND (h.valid_to IS NULL OR h.valid_to >= $as_of)
RETURN DISTINCT d.id AS id
ORDER BY id
