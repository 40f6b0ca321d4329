// A live (not revoked) embed token by id, with the networks its organization is a member of on
// $today (AMBER records shared with them reach the organization too, as for API keys). Runs on
// every embed request: revocation is checked against the database, never a cache.
// params: $id: str, $today: str
// returns: 0..1 rows {id, org, view, params, max_tlp, expires_at, frame_ancestors, networks: list[str]}
MATCH (e:EmbedToken {id: $id})
WHERE e.revoked_at IS NULL
OPTIONAL MATCH (o:Organization {id: e.org})-[m:MEMBER_OF]->(n:Organization)
WHERE n.kind = 'network'
  AND (m.valid_from IS NULL OR m.valid_from <= $today)
  AND (m.valid_to IS NULL OR m.valid_to >= $today)
WITH e, n
ORDER BY n.id
RETURN e.id AS id, e.org AS org, e.view AS view, e.params AS params, e.max_tlp AS max_tlp,
       e.expires_at AS expires_at, e.frame_ancestors AS frame_ancestors,
       collect(n.id) AS networks
