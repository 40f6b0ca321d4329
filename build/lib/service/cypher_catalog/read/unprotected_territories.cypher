// Territories of $scope (territory_scope; all when null) where the viewer may see incidents since
// $since and no organization the viewer may see works there or in a territory above it. An
// incident counts at the region through a derived tie only for viewers who may not read its
// finer place (service/placement.py).
// params: $scope: list[str]|null, $since: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str, incidents: int, last: str}
MATCH (i:Incident)-[o:OCCURRED_IN]->(t:Territory)
WHERE ($scope IS NULL OR t.id IN $scope)
  AND any(tok IN t.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND i.date >= $since AND i.date <= $as_of
WITH t, i,
     [(i)-[f:OCCURRED_IN]->(:Territory)
      WHERE f.id IN coalesce(o.stands_for, []) AND any(tok IN f.acl WHERE tok IN $viewer_grants)
      | f.id] AS shown_finer
WHERE size(shown_finer) = 0
WITH t, count(DISTINCT i) AS incidents, max(i.date) AS last
WITH t, incidents, last,
     [(t)-[:PART_OF*0..6]->(up:Territory)<-[w:OPERATES_IN]-(g:Organization)
      WHERE any(tok IN up.acl WHERE tok IN $viewer_grants)
        AND any(tok IN w.acl WHERE tok IN $viewer_grants)
        AND any(tok IN g.acl WHERE tok IN $viewer_grants)
        AND (w.valid_from IS NULL OR w.valid_from <= $as_of)
        AND (w.valid_to IS NULL OR w.valid_to >= $as_of) | g.id] AS present
WHERE size(present) = 0
RETURN t.id AS id, incidents, last
ORDER BY incidents DESC, id
