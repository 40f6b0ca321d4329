// The defenders and organizations that work in the territories of $scope (territory_scope) on
// $as_of, as the viewer may see them. (A defender whose name the viewer may not see reaches no
// place finer than a region: the tokens of its ties say so, service/placement.py.)
// params: $scope: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str, label: str}
UNWIND $scope AS place
MATCH (t:Territory {id: place})
WHERE any(tok IN t.acl WHERE tok IN $viewer_grants)
WITH t
MATCH (t)<-[o:OPERATES_IN]-(n:Record)
WHERE (n:Defender OR n:Organization)
  AND any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND (o.valid_from IS NULL OR o.valid_from <= $as_of)
  AND (o.valid_to IS NULL OR o.valid_to >= $as_of)
RETURN DISTINCT n.id AS id, CASE WHEN n:Defender THEN 'Defender' ELSE 'Organization' END AS label
ORDER BY label, id
