// The incidents the viewer may see that targeted a record it may see, from $from on, with
// when each was written: what a watch on a defender or an organization looks at.
// params: $id: str, $from: str, $viewer_grants: list[str]
// returns: 0..n rows {id, kind, date, severity, created_at}
MATCH (x:Record {id: $id})
WHERE any(tok IN x.acl WHERE tok IN $viewer_grants)
WITH x
MATCH (x)<-[g:TARGETED]-(i:Incident)
WHERE any(tok IN g.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND i.date >= $from
RETURN DISTINCT i.id AS id, i.kind AS kind, i.date AS date, i.severity AS severity,
       i.created_at AS created_at
ORDER BY date, id
