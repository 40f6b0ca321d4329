// The defenders the viewer may see who are members of an organization it may see on $as_of
// (MEMBER_OF holding that day): whose risk makes an organization's.
// params: $id: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str}
MATCH (o:Organization {id: $id})
WHERE any(tok IN o.acl WHERE tok IN $viewer_grants)
WITH o
MATCH (d:Defender)-[m:MEMBER_OF]->(o)
WHERE any(tok IN m.acl WHERE tok IN $viewer_grants)
  AND any(tok IN d.acl WHERE tok IN $viewer_grants)
  AND (m.valid_from IS NULL OR m.valid_from <= $as_of)
  AND (m.valid_to IS NULL OR m.valid_to >= $as_of)
RETURN DISTINCT d.id AS id
ORDER BY id
