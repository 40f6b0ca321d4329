// The incidents the viewer may see that occurred, up to $as_of, in the territories of $scope
// (territory_scope): what a community's collective risk counts against it. An incident placed
// in a village only for some viewers counts there only for them (service/placement.py). Each
// territory is closed with a WITH before the expansion, as in organization_incidents.cypher:
// in one pattern FalkorDB scans the incident date index once per territory.
// params: $scope: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, severity, date, verified}
UNWIND $scope AS place
MATCH (t:Territory {id: place})
WHERE any(tok IN t.acl WHERE tok IN $viewer_grants)
WITH t
MATCH (t)<-[o:OCCURRED_IN]-(i:Incident)
WHERE any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND i.date <= $as_of
WITH DISTINCT i
RETURN i.id AS id, i.severity AS severity, i.date AS date, i.verified AS verified
ORDER BY id
