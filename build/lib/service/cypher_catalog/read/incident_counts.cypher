// How many incidents the viewer may see occurred in the territories of $scope
// (territory_scope), by kind and year, up to $as_of.
// params: $scope: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {kind: str, year: str, count: int}
UNWIND $scope AS place
MATCH (t:Territory {id: place})
WHERE any(tok IN t.acl WHERE tok IN $viewer_grants)
WITH t
MATCH (t)<-[o:OCCURRED_IN]-(i:Incident)
WHERE any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND i.date <= $as_of
RETURN i.kind AS kind, substring(i.date, 0, 4) AS year, count(DISTINCT i) AS count
ORDER BY year, kind
