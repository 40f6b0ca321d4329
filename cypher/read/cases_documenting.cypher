// The cases the viewer may see that document each given incident, with every property of the
// case (the stages it reached are read from them by name: service/analytics/impunity.py).
// params: $ids: list[str], $viewer_grants: list[str]
// returns: 0..n rows {incident: str, found: map}
UNWIND $ids AS wanted
MATCH (i:Incident {id: wanted})
WHERE any(tok IN i.acl WHERE tok IN $viewer_grants)
WITH i
MATCH (c:Case)-[d:DOCUMENTS]->(i)
WHERE any(tok IN d.acl WHERE tok IN $viewer_grants)
  AND any(tok IN c.acl WHERE tok IN $viewer_grants)
RETURN i.id AS incident, c {.*} AS found
ORDER BY incident
