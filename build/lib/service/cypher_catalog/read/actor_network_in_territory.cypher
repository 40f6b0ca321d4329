// The actors the viewer may see that are present in the territories of $scope (territory_scope)
// on $as_of (they operate in, control, dispute or hold interests there), with their places there
// and the incidents attributed to them. It starts from the territories: its cost follows them.
// params: $scope: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, name, sector, kind, public, presence: list[map], incidents: list[map]}
UNWIND $scope AS place
MATCH (here:Territory {id: place})
WHERE any(tok IN here.acl WHERE tok IN $viewer_grants)
WITH here
MATCH (here)<-[h:OPERATES_IN|CONTROLS|DISPUTES|HAS_INTEREST_IN]-(a:Actor)
WHERE any(tok IN h.acl WHERE tok IN $viewer_grants)
  AND any(tok IN a.acl WHERE tok IN $viewer_grants)
  AND (h.valid_from IS NULL OR h.valid_from <= $as_of)
  AND (h.valid_to IS NULL OR h.valid_to >= $as_of)
WITH DISTINCT a
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
WITH a, incidents, [x IN presence WHERE x.territory IN $scope] AS presence
RETURN a.id AS id, a.name AS name, a.sector AS sector, a.kind AS kind,
       coalesce(a.public, false) AS public, presence, incidents
ORDER BY id
