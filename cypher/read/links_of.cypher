// The relationships of one record that the viewer may see and that hold on $as_of, each with
// the record at the other end. A relationship is visible only with both its ends.
// params: $id: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, type, direction, confidence, valid_from, valid_to, other: map}
MATCH (n:Record {id: $id})-[r]-(m:Record)
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
  AND any(t IN r.acl WHERE t IN $viewer_grants)
  AND any(t IN m.acl WHERE t IN $viewer_grants)
  AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
WITH n, r, m, [l IN labels(m) WHERE l <> 'Record'][0] AS label
RETURN r.id AS id,
       type(r) AS type,
       CASE WHEN startNode(r).id = n.id THEN 'out' ELSE 'in' END AS direction,
       r.confidence AS confidence,
       r.valid_from AS valid_from,
       r.valid_to AS valid_to,
       {id: m.id,
        label: label,
        name: CASE
          WHEN any(t IN coalesce(m.name_acl, m.acl) WHERE t IN $viewer_grants) THEN m.name
          ELSE coalesce(m.pseudonym, m.name)
        END} AS other
ORDER BY id
