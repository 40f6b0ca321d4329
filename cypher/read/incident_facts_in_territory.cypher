// The incidents the viewer may see in the territories of $scope (territory_scope) between
// $from and $to (inclusive; $kinds empty: every kind), with the perpetrators and targets it
// may see: what changes, trends and watches count.
// params: $scope: list[str], $from: str, $to: str, $kinds: list[str], $viewer_grants: list[str]
// returns: 0..n rows {id, kind, date, severity, perpetrators: list[str], targets: list[{id, label, identities, kind}], created_at}
UNWIND $scope AS place
MATCH (t:Territory {id: place})
WHERE any(tok IN t.acl WHERE tok IN $viewer_grants)
WITH t
MATCH (t)<-[o:OCCURRED_IN]-(i:Incident)
WHERE any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND i.date >= $from AND i.date <= $to
  AND (size($kinds) = 0 OR i.kind IN $kinds)
WITH DISTINCT i
WITH i,
     [(i)-[p:PERPETRATED_BY]->(a:Actor)
      WHERE any(tok IN p.acl WHERE tok IN $viewer_grants)
        AND any(tok IN a.acl WHERE tok IN $viewer_grants) | a.id] AS perpetrators,
     [(i)-[g:TARGETED]->(x:Record)
      WHERE any(tok IN g.acl WHERE tok IN $viewer_grants)
        AND any(tok IN x.acl WHERE tok IN $viewer_grants)
      | {id: x.id, label: [l IN labels(x) WHERE l <> 'Record'][0],
         identities: coalesce(x.identities, []), kind: x.kind}] AS targets
RETURN i.id AS id, i.kind AS kind, i.date AS date, i.severity AS severity, perpetrators, targets,
       i.created_at AS created_at
ORDER BY date, id
