// Which of the given actors collude with, or infiltrate, a state actor, through relationships
// the viewer may see on $as_of: the impunity that makes their threats graver.
// params: $ids: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str, links: list[str]}
UNWIND $ids AS actor
MATCH (a:Actor {id: actor})-[k:COLLUDES_WITH|INFILTRATES]-(s:Actor)
WHERE s.sector = 'state'
  AND any(tok IN a.acl WHERE tok IN $viewer_grants)
  AND any(tok IN k.acl WHERE tok IN $viewer_grants)
  AND any(tok IN s.acl WHERE tok IN $viewer_grants)
  AND (k.valid_from IS NULL OR k.valid_from <= $as_of)
  AND (k.valid_to IS NULL OR k.valid_to >= $as_of)
RETURN actor AS id, collect(k.id) AS links
ORDER BY id
