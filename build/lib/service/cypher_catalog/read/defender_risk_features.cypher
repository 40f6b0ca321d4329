// What the risk of each given defender rests on, as the viewer may see it on $as_of: places,
// incidents against them, memberships, supporters and solidarity ties. The ids come from
// defender_ids (the whole graph) or defenders_working_in (a territory); each is looked up on its
// own, so the cost follows the defenders asked for. A defender the viewer may not see is absent.
// params: $ids: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, identities, focus, measures, places, incidents, organizations, supporters, solidarity}
UNWIND $ids AS wanted
MATCH (d:Defender {id: wanted})
WHERE any(tok IN d.acl WHERE tok IN $viewer_grants)
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
