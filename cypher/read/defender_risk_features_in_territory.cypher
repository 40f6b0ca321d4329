// What the risk rests on (as defender_risk_features) for the defenders the viewer may see
// working in $territory or below it. It starts from the territories: its cost follows their
// size, not the graph's.
// params: $territory: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, identities, focus, measures, places, incidents, organizations, supporters, solidarity}
MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $territory})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH collect(DISTINCT sub.id) AS scope
MATCH (here:Territory)<-[h:OPERATES_IN]-(d:Defender)
WHERE here.id IN scope
  AND any(tok IN here.acl WHERE tok IN $viewer_grants)
  AND any(tok IN h.acl WHERE tok IN $viewer_grants)
  AND any(tok IN d.acl WHERE tok IN $viewer_grants)
  AND (h.valid_from IS NULL OR h.valid_from <= $as_of)
  AND (h.valid_to IS NULL OR h.valid_to >= $as_of)
WITH DISTINCT d
WITH d,
     [(d)-[op:OPERATES_IN]->(t:Territory)
      WHERE any(tok IN op.acl WHERE tok IN $viewer_grants)
        AND any(tok IN t.acl WHERE tok IN $viewer_grants)
        AND (op.valid_from IS NULL OR op.valid_from <= $as_of)
        AND (op.valid_to IS NULL OR op.valid_to >= $as_of) | t.id] AS places,
     [(d)<-[g:TARGETED]-(i:Incident)
      WHERE any(tok IN g.acl WHERE tok IN $viewer_grants)
        AND any(tok IN i.acl WHERE tok IN $viewer_grants)
        AND i.date <= $as_of
      | {id: i.id, severity: i.severity, date: i.date, verified: i.verified}] AS incidents,
     [(d)-[m:MEMBER_OF]->(o:Organization)
      WHERE any(tok IN m.acl WHERE tok IN $viewer_grants)
        AND any(tok IN o.acl WHERE tok IN $viewer_grants)
        AND (m.valid_from IS NULL OR m.valid_from <= $as_of)
        AND (m.valid_to IS NULL OR m.valid_to >= $as_of) | o.id] AS organizations,
     [(d)<-[su:SUPPORTS]-(so:Organization)
      WHERE any(tok IN su.acl WHERE tok IN $viewer_grants)
        AND any(tok IN so.acl WHERE tok IN $viewer_grants)
        AND (su.valid_from IS NULL OR su.valid_from <= $as_of)
        AND (su.valid_to IS NULL OR su.valid_to >= $as_of) | so.id] AS supporters,
     [(d)-[sw:SOLIDARITY_WITH]-(x:Record)
      WHERE any(tok IN sw.acl WHERE tok IN $viewer_grants)
        AND any(tok IN x.acl WHERE tok IN $viewer_grants)
        AND (sw.valid_from IS NULL OR sw.valid_from <= $as_of)
        AND (sw.valid_to IS NULL OR sw.valid_to >= $as_of) | x.id] AS solidarity
RETURN d.id AS id,
       coalesce(d.identities, []) AS identities,
       coalesce(d.focus, []) AS focus,
       coalesce(d.protection_measures, []) AS measures,
       places, incidents, organizations, supporters, solidarity
ORDER BY id
