// The cases the viewer may see that document each given incident, with the day each reached
// every stage of $stages (the Case properties named in the model; null: not reached).
// params: $ids: list[str], $stages: list[str], $viewer_grants: list[str]
// returns: 0..n rows {incident: str, days: list[str]}
UNWIND $ids AS wanted
MATCH (i:Incident {id: wanted})
WHERE any(tok IN i.acl WHERE tok IN $viewer_grants)
WITH i
MATCH (c:Case)-[d:DOCUMENTS]->(i)
WHERE any(tok IN d.acl WHERE tok IN $viewer_grants)
  AND any(tok IN c.acl WHERE tok IN $viewer_grants)
RETURN i.id AS incident, [s IN $stages | c[s]] AS days
ORDER BY incident
