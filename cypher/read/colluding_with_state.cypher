// Which of the given actors collude with, or infiltrate, a state actor, through relationships
// the viewer may see on $as_of: the impunity that makes their threats graver. Each actor is
// closed with a WITH before the expansion: in one pattern FalkorDB 4.16 scanned every actor once
// per given actor (10.7 s instead of milliseconds for every actor at --scale 10).
// params: $ids: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str, links: list[str]}
UNWIND $ids AS actor
MATCH (a:Actor {id: actor})
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
WITH actor, a
MATCH (a)-[k:COLLUDES_WITH|INFILTRATES]-(s:Actor)
WHERE s.sector = 'state'
  AND any(tok IN k.acl WHERE tok IN $viewer_grants)
  AND any(tok IN s.acl WHERE tok IN $viewer_grants)
  AND (k.valid_from IS NULL OR k.valid_from <= $as_of)
  AND (k.valid_to IS NULL OR k.valid_to >= $as_of)
RETURN actor AS id, collect(k.id) AS links
ORDER BY id
