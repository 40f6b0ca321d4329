// The relationships of one record that the viewer may see and that hold on $as_of, each with
// the record at the other end. A relationship is visible only with both its ends. Where a
// defender's name is hidden from the viewer, its ties to places finer than a region are left
// out too: a pseudonym with a village attached is a name.
// params: $id: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id, type, direction, confidence, valid_from, valid_to, other: map}
MATCH (n:Record {id: $id})-[r]-(m:Record)
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
  AND any(t IN r.acl WHERE t IN $viewer_grants)
  AND any(t IN m.acl WHERE t IN $viewer_grants)
  AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
WITH n, r, m,
     [l IN labels(m) WHERE l <> 'Record'][0] AS label,
     n:Defender AND NOT any(t IN n.name_acl WHERE t IN $viewer_grants) AS n_pseudonymous,
     m:Defender AND NOT any(t IN m.name_acl WHERE t IN $viewer_grants) AS m_pseudonymous
WHERE NOT (n_pseudonymous AND m:Territory AND NOT m.kind IN ['country', 'region'])
  AND NOT (m_pseudonymous AND n:Territory AND NOT n.kind IN ['country', 'region'])
RETURN r.id AS id,
       type(r) AS type,
       CASE WHEN startNode(r).id = n.id THEN 'out' ELSE 'in' END AS direction,
       r.confidence AS confidence,
       r.valid_from AS valid_from,
       r.valid_to AS valid_to,
       {id: m.id,
        label: label,
        name: CASE WHEN m_pseudonymous THEN m.pseudonym ELSE m.name END} AS other
ORDER BY id
