// End the admissions of $organization to the network $network (MEMBER_OF ties that the network
// owns, still holding after $last_day): they hold up to $last_day and no longer after it. Both
// must be visible to the viewer; whether the viewer may do this (the network's or the member's
// admins) is checked before.
// params: $network: str, $organization: str, $last_day: str, $now: str, $viewer_grants: list[str]
// returns: 1 row {ended: int}
MATCH (o:Organization {id: $organization})
WHERE any(t IN o.acl WHERE t IN $viewer_grants)
MATCH (n:Organization {id: $network})
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
OPTIONAL MATCH (o)-[m:MEMBER_OF]->(n)
WHERE m.owner = n.id AND (m.valid_to IS NULL OR m.valid_to > $last_day)
SET m.valid_to = $last_day, m.updated_at = $now
RETURN count(m) AS ended
