// A live (not revoked) API key by its public id, with the hash to check the secret against and
// the networks its organization is a member of on $today: AMBER records shared with them reach
// the organization too (see service/access.py). One statement: it runs on every request.
// params: $id: str, $today: str
// returns: 0..1 rows {id, org, role, clearance, hash, networks: list[str]}
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at IS NULL
OPTIONAL MATCH (o:Organization {id: k.org})-[m:MEMBER_OF]->(n:Organization)
WHERE n.kind = 'network'
  AND (m.valid_from IS NULL OR m.valid_from <= $today)
  AND (m.valid_to IS NULL OR m.valid_to >= $today)
WITH k, n
ORDER BY n.id
RETURN k.id AS id, k.org AS org, k.role AS role, k.clearance AS clearance, k.hash AS hash,
       collect(n.id) AS networks
