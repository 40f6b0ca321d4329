// The defenders the viewer may see who are members of the given organization on $as_of, with
// their status: whose risk an organization's collective risk is made of.
// params: $id: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str, status: str|null}
MATCH (o:Organization {id: $id})<-[m:MEMBER_OF]-(d:Defender)
WHERE any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND any(tok IN m.acl WHERE tok IN $viewer_grants)
  AND any(tok IN d.acl WHERE tok IN $viewer_grants)
  AND (m.valid_from IS NULL OR m.valid_from <= $as_of)
  AND (m.valid_to IS NULL OR m.valid_to >= $as_of)
RETURN DISTINCT d.id AS id, d.status AS status
ORDER BY id
