// The networks (organizations) that an organization is a member of today: AMBER records shared
// with them reach the organization too (see service/access.py).
// params: $org: str, $today: str
// returns: 0..n rows {id: str}
MATCH (o:Organization {id: $org})-[m:MEMBER_OF]->(n:Organization)
WHERE n.kind = 'network'
  AND (m.valid_from IS NULL OR m.valid_from <= $today)
  AND (m.valid_to IS NULL OR m.valid_to >= $today)
RETURN n.id AS id
ORDER BY id
