// The actors the viewer may see that are present in $territory or below it (all when null) on
// $as_of, with their places and the incidents attributed to them, for the power analytics.
// params: $territory: str|null, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, name, sector, kind, public, presence: list[map], incidents: list[map]}
OPTIONAL MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $territory})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH collect(DISTINCT sub.id) AS scope
MATCH (a:Actor)
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
WITH a, scope,
     [(a)-[r]->(t:Territory)
      WHERE type(r) IN ['OPERATES_IN', 'CONTROLS', 'DISPUTES', 'HAS_INTEREST_IN']
        AND any(tok IN r.acl WHERE tok IN $viewer_grants)
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
     [x IN presence WHERE $territory IS NULL OR x.territory IN scope] AS presence
WHERE $territory IS NULL OR size(presence) > 0
RETURN a.id AS id, a.name AS name, a.sector AS sector, a.kind AS kind,
       coalesce(a.public, false) AS public, presence, incidents
ORDER BY id
