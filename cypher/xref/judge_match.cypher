// Confirm or reject a cross-reference on behalf of a viewer whose organization holds one of
// the two records, sees it, and may know of the other one (it is open to the viewer, or its
// holder discloses matches and it is not RED). Anyone else gets no row.
// params: $id: str, $status: str, $now: str, $key_id: str, $viewer_org: str, $viewer_grants: list[str]
// returns: 0..1 rows {id: str, status: str}
MATCH (mine:Record)-[s:SAME_AS {id: $id}]-(other:Record)
WHERE any(t IN mine.acl WHERE t IN $viewer_grants)
OPTIONAL MATCH (mine)-[:HELD_BY]->(mh:Organization)
OPTIONAL MATCH (other)-[:HELD_BY]->(oh:Organization)
WITH mine, s, other, coalesce(mh.id, mine.owner) AS my_holder,
     coalesce(oh.id, other.owner) AS their_holder
WHERE my_holder = $viewer_org AND their_holder <> $viewer_org
MATCH (org:Organization {id: their_holder})
WITH s, any(t IN other.acl WHERE t IN $viewer_grants) AS open_file,
     coalesce(org.xref_disclose, false) AND other.tlp <> 'RED' AS disclosed
WHERE open_file OR disclosed
SET s.status = $status, s.confirmed_by = $viewer_org, s.judged_by_key = $key_id,
    s.judged_at = $now, s.updated_at = $now
RETURN DISTINCT s.id AS id, s.status AS status
