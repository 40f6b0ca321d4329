// Incidents against the given organizations that the viewer may see, up to $as_of: a threat
// to an organization is a threat to its members. Each organization is matched, then closed with
// a WITH, before the expansion: in one pattern FalkorDB 4.16 scanned the incident date index once
// per organization (5.5 s instead of 13 ms for every organization at --scale 10).
// params: $ids: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {organization, id, severity, date, verified}
UNWIND $ids AS org
MATCH (o:Organization {id: org})
WHERE any(tok IN o.acl WHERE tok IN $viewer_grants)
WITH org, o
MATCH (o)<-[g:TARGETED]-(i:Incident)
WHERE any(tok IN g.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND i.date <= $as_of
RETURN org AS organization, i.id AS id, i.severity AS severity, i.date AS date, i.verified AS verified
ORDER BY organization, id
