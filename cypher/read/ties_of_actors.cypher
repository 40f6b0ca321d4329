// The ties of $types between each given actor and another actor that began or ended between
// $from and $to (inclusive), or were written from $written_since on (null: by dates only), as
// the viewer may see them (both ends and the tie): what changed in the power around a place, and
// the ties a covert-tie watch may find new. Selecting here, not in Python, keeps a region's many
// older ties in the database. `covert` is the tie's own flag where it has one; `source_public`
// the default's input.
// params: $ids: list[str], $types: list[str], $from: str, $to: str, $written_since: str|null, $viewer_grants: list[str]
// returns: 0..n rows {id, type, source, target, confidence, covert, source_public, valid_from, valid_to, created_at}
UNWIND $ids AS wanted
MATCH (a:Actor {id: wanted})
WHERE any(tok IN a.acl WHERE tok IN $viewer_grants)
WITH a
MATCH (a)-[r]-(b:Actor)
WHERE type(r) IN $types
  AND ((r.valid_from >= $from AND r.valid_from <= $to)
       OR (r.valid_to >= $from AND r.valid_to <= $to)
       OR ($written_since IS NOT NULL AND r.created_at >= $written_since))
  AND any(tok IN r.acl WHERE tok IN $viewer_grants)
  AND any(tok IN b.acl WHERE tok IN $viewer_grants)
WITH DISTINCT r
WITH r, startNode(r) AS s, endNode(r) AS e
RETURN r.id AS id, type(r) AS type, s.id AS source, e.id AS target, r.confidence AS confidence,
       r.covert AS covert, coalesce(s.public, false) AS source_public,
       r.valid_from AS valid_from, r.valid_to AS valid_to, r.created_at AS created_at
ORDER BY id
