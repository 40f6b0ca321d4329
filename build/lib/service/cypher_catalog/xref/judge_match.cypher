// Record a person's judgement of a match. Run only once crossReferences has listed that match
// to the viewer (service/api/resolvers/xref.py asks it for $id first): who may judge is decided there,
// in one place. A confirmed match made by matching becomes readable to generic reads as RED
// for its two holders; a proposed or rejected one stays readable to none. A SAME_AS loaded as
// data keeps its own marking. Matched by direction and id: FalkorDB finds a relationship by a
// property written into an undirected pattern from one of its ends only.
// params: $id: str, $status: str, $now: str, $key_id: str, $viewer_org: str
// returns: 0..1 rows {id: str, status: str}
MATCH (:Record)-[s:SAME_AS]->(:Record)
WHERE s.id = $id
SET s.status = $status, s.confirmed_by = $viewer_org, s.judged_by_key = $key_id,
    s.judged_at = $now, s.updated_at = $now,
    s.acl = CASE WHEN coalesce(s.made_by, '') <> 'xref' THEN s.acl
                 WHEN $status = 'confirmed' THEN s.holders_acl ELSE [] END
RETURN DISTINCT s.id AS id, s.status AS status
