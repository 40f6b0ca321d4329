// The ties that put actors in the territories of $scope (territory_scope), whatever their
// validity, as the viewer may see them: changes and watches compare them between two days.
// params: $scope: list[str], $types: list[str], $viewer_grants: list[str]
// returns: 0..n rows {id, type, actor, territory, degree, valid_from, valid_to, created_at}
UNWIND $scope AS place
MATCH (t:Territory {id: place})
WHERE any(tok IN t.acl WHERE tok IN $viewer_grants)
WITH t
MATCH (a:Actor)-[p]->(t)
WHERE type(p) IN $types
  AND any(tok IN p.acl WHERE tok IN $viewer_grants)
  AND any(tok IN a.acl WHERE tok IN $viewer_grants)
RETURN p.id AS id, type(p) AS type, a.id AS actor, t.id AS territory, p.degree AS degree,
       p.valid_from AS valid_from, p.valid_to AS valid_to, p.created_at AS created_at
ORDER BY id
