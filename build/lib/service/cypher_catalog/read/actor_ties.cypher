// The actor-to-actor relationships that leave the given actors, that the viewer may see and that
// hold on $as_of. The caller keeps those whose other end is among the given actors too: a list
// membership test per relationship costs FalkorDB more than the rows do.
// params: $ids: list[str], $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, type, source, target, confidence, mode}
UNWIND $ids AS actor
MATCH (a:Actor {id: actor})-[r:ALLIED_WITH|COLLUDES_WITH|INFILTRATES|FUNDS|COMMANDS]->(b:Actor)
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
  AND any(tok IN r.acl WHERE tok IN $viewer_grants)
  AND any(tok IN b.acl WHERE tok IN $viewer_grants)
  AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target,
       r.confidence AS confidence, r.mode AS mode
ORDER BY id
