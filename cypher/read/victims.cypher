// The defenders the viewer may see whose status is one of $statuses (killed, disappeared), in
// the territories of $scope (territory_scope; everywhere when null), with what ties them to
// those around them (places, organizations, cases) and the incidents against them up to $as_of.
// A victim is placed only through ties the viewer may read, so a pseudonymous victim is in her
// region, never her village (service/placement.py). A membership may have been closed at her
// death: each comes with its `valid_to`, and the caller keeps those that held on $as_of or on
// the day she was killed or disappeared.
// params: $statuses: list[str], $scope: list[str]|null, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, status, places, organizations: list[map], cases, incidents: list[map]}
MATCH (d:Defender)
WHERE d.status IN $statuses
  AND any(tok IN d.acl WHERE tok IN $viewer_grants)
WITH d,
     [(d)-[op:OPERATES_IN]->(t:Territory)
      WHERE any(tok IN op.acl WHERE tok IN $viewer_grants)
        AND any(tok IN t.acl WHERE tok IN $viewer_grants)
        AND (op.valid_from IS NULL OR op.valid_from <= $as_of) | t.id] AS places
WITH d, places, [p IN places WHERE $scope IS NULL OR p IN $scope] AS here
WHERE $scope IS NULL OR size(here) > 0
WITH d, places,
     [(d)-[m:MEMBER_OF]->(o:Organization)
      WHERE any(tok IN m.acl WHERE tok IN $viewer_grants)
        AND any(tok IN o.acl WHERE tok IN $viewer_grants)
        AND (m.valid_from IS NULL OR m.valid_from <= $as_of)
      | {id: o.id, valid_to: m.valid_to}] AS organizations,
     [(d)<-[cc:CONCERNS]-(c:Case)
      WHERE any(tok IN cc.acl WHERE tok IN $viewer_grants)
        AND any(tok IN c.acl WHERE tok IN $viewer_grants) | c.id] AS cases,
     [(d)<-[g:TARGETED]-(i:Incident)
      WHERE any(tok IN g.acl WHERE tok IN $viewer_grants)
        AND any(tok IN i.acl WHERE tok IN $viewer_grants)
        AND i.date <= $as_of
      | {id: i.id, kind: i.kind, date: i.date}] AS incidents
RETURN d.id AS id, d.status AS status, places, organizations, cases, incidents
ORDER BY id
