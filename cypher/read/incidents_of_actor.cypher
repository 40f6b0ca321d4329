// The incidents the viewer may see attributed to an actor it may see, between $from and $to
// (inclusive), with the attribution of each.
// params: $actor: str, $from: str, $to: str, $viewer_grants: list[str]
// returns: 0..n rows {id, kind, date, attribution}
MATCH (a:Actor {id: $actor})
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
WITH a
MATCH (a)<-[p:PERPETRATED_BY]-(i:Incident)
WHERE any(tok IN p.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND i.date >= $from AND i.date <= $to
RETURN DISTINCT i.id AS id, i.kind AS kind, i.date AS date, p.attribution AS attribution
ORDER BY date, id
