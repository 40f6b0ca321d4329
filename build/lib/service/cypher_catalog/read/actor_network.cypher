// The actors the viewer may see, anywhere, on $as_of, with their places and the incidents
// attributed to them, for the power analytics.
// params: $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, name, sector, kind, public, presence: list[map], incidents: list[map]}
MATCH (a:Actor)
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
WITH a,
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
RETURN a.id AS id, a.name AS name, a.sector AS sector, a.kind AS kind,
       coalesce(a.public, false) AS public, presence, incidents
ORDER BY id
