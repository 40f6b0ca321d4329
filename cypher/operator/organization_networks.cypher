// An organization by id with the networks it is a member of on $today (AMBER records shared
// with them reach it too): the viewer of an operator's `tejido export` for that organization.
// params: $org: str, $today: str
// returns: 0..1 rows {id: str, networks: list[str]}
MATCH (o:Organization {id: $org})
OPTIONAL MATCH (o)-[m:MEMBER_OF]->(n:Organization)
WHERE n.kind = 'network'
  AND (m.valid_from IS NULL OR m.valid_from <= $today)
  AND (m.valid_to IS NULL OR m.valid_to >= $today)
WITH o, n
ORDER BY n.id
RETURN o.id AS id, collect(n.id) AS networks
