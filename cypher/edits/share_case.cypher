// Share a case file of the viewer's organization (and the relationships it recorded from it)
// with more organizations: new `shared_with` and the access tokens computed for each marking.
// params: $id: str, $shared_with: list[str], $acl_by_tlp: map, $now: str, $viewer_org: str, $viewer_grants: list[str]
// returns: 0..1 rows {id: str, shared_with: list[str]}
MATCH (c:Case {id: $id})
WHERE c.owner = $viewer_org AND any(t IN c.acl WHERE t IN $viewer_grants)
SET c.shared_with = $shared_with, c.acl = $acl_by_tlp[c.tlp], c.updated_at = $now
WITH c
OPTIONAL MATCH (c)-[r]->()
WHERE r.owner = $viewer_org
SET r.shared_with = $shared_with, r.acl = $acl_by_tlp[r.tlp], r.updated_at = $now
WITH c, count(r) AS relationships
RETURN c.id AS id, c.shared_with AS shared_with
