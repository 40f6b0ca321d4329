// The actors the viewer may see that are present in $territory or below it on $as_of (they
// operate in, control, dispute or hold interests there), with their places there and the
// incidents attributed to them. It starts from the territories: its cost follows their size.
// params: $territory: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, name, sector, kind, public, presence: list[map], incidents: list[map]}
MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $territory})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH collect(DISTINCT sub.id) AS scope
MATCH (here:Territory)<-[h:OPERATES_IN|CONTROLS|DISPUTES|HAS_INTEREST_IN]-(a:Actor)
WHERE here.id IN scope
  AND any(tok IN here.acl WHERE tok IN $viewer_grants)
  AND any(tok IN h.acl WHERE tok IN $viewer_grants)
  AND any(tok IN a.acl WHERE tok IN $viewer_grants)
  AND (h.valid_from IS NULL OR h.valid_from <= $as_of)
  AND (h.valid_to IS NULL OR h.valid_to >= $as_of)
WITH DISTINCT a, scope
WITH a, scope,
     [(a)-[r:OPERATES_IN|CONTROLS|DISPUTES|HAS_INTEREST_IN]->(t:Territory)
      WHERE any(tok IN r.acl WHERE tok IN $viewer_grants)
        AND any(tok IN t.acl WHERE tok IN $viewer_grants)
        AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
      | {territory: t.id, type: type(r), degree: r.degree, confidence: r.confidence}] AS presence,
     [(a)<-[b:PERPETRATED_BY]-(i:Incident)
      WHERE any(tok IN b.acl WHERE tok IN $viewer_grants)
        AND any(tok IN i.acl WHERE tok IN $viewer_grants)
        AND i.date <= $as_of
      | {id: i.id, severity: i.severity, date: i.date, attribution: b.attribution}] AS incidents
WITH a, scope, incidents,
     [x IN presence WHERE x.territory IN scope] AS presence
RETURN a.id AS id, a.name AS name, a.sector AS sector, a.kind AS kind,
       coalesce(a.public, false) AS public, presence, incidents
ORDER BY id
