// Share a case file of the viewer's organization (and the relationships it recorded from it)
// with more organizations: new `shared_with` and the access tokens computed for each marking.
// $shared_with is built from the list as the viewer reads it, which leaves out organizations
// it may not see: those stay listed, and keep their tokens (sharing only ever adds, so the old
// tokens joined to the new are the tokens of the whole list). The list returned names only
// organizations the viewer may see.
// params: $id: str, $shared_with: list[str], $acl_by_tlp: map, $now: str, $viewer_org: str, $viewer_grants: list[str]
// returns: 0..1 rows {id: str, shared_with: list[str]}
MATCH (c:Case {id: $id})
WHERE c.owner = $viewer_org AND any(t IN c.acl WHERE t IN $viewer_grants)
WITH c, [o IN coalesce(c.shared_with, []) WHERE NOT o IN $shared_with] AS unseen
SET c.shared_with = $shared_with + unseen,
    c.acl = $acl_by_tlp[c.tlp] + [t IN c.acl WHERE NOT t IN $acl_by_tlp[c.tlp]],
    c.updated_at = $now
WITH c, unseen
OPTIONAL MATCH (c)-[r]->()
WHERE r.owner = $viewer_org
SET r.shared_with = $shared_with + [o IN coalesce(r.shared_with, []) WHERE NOT o IN $shared_with],
    r.acl = $acl_by_tlp[r.tlp] + [t IN r.acl WHERE NOT t IN $acl_by_tlp[r.tlp]],
    r.updated_at = $now
WITH c, unseen, count(r) AS relationships
RETURN c.id AS id, [o IN c.shared_with WHERE NOT o IN unseen] AS shared_with
