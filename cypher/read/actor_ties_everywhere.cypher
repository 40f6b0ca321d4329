// Every actor-to-actor relationship the viewer may see between actors it may see, that holds on
// $as_of: actor_ties for the whole graph. One scan of the relationships costs FalkorDB less than
// half what looking every actor up by id does (313 against 762 ms at --scale 10).
// params: $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, type, source, target, confidence, mode, covert}
MATCH (a:Actor)-[r:ALLIED_WITH|COLLUDES_WITH|INFILTRATES|FUNDS|COMMANDS]->(b:Actor)
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
  AND any(tok IN r.acl WHERE tok IN $viewer_grants)
  AND any(tok IN b.acl WHERE tok IN $viewer_grants)
  AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN r.id AS id, type(r) AS type, a.id AS source, b.id AS target,
       r.confidence AS confidence, r.mode AS mode, r.covert AS covert
ORDER BY id
