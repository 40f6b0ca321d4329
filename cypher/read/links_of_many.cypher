// For each given record, the relationships the viewer may see that hold on $as_of (optionally
// only some types, one direction), each with the id of the record at the other end; one page
// per record ($offset, $first) and the total. A relationship is visible only with both its
// ends. Where a defender's name is hidden from the viewer, its ties to places finer than a
// region are left out too: a pseudonym with a village attached is a name. So is the place, finer
// than a region, of an incident that targeted such a defender.
// params: $ids: list[str], $types: list[str], $direction: str, $as_of: str, $offset: int, $first: int, $viewer_grants: list[str]
// returns: 0..n rows {source: str, total: int, links: list[map]}
UNWIND $ids AS id
MATCH (n:Record {id: id})-[r]-(m:Record)
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
  AND any(t IN r.acl WHERE t IN $viewer_grants)
  AND any(t IN m.acl WHERE t IN $viewer_grants)
  AND (size($types) = 0 OR type(r) IN $types)
  AND (r.valid_from IS NULL OR r.valid_from <= $as_of)
  AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
WITH n, r, m,
     CASE WHEN startNode(r).id = n.id THEN 'OUT' ELSE 'IN' END AS direction,
     n:Defender AND NOT any(t IN n.name_acl WHERE t IN $viewer_grants) AS n_pseudonymous,
     m:Defender AND NOT any(t IN m.name_acl WHERE t IN $viewer_grants) AS m_pseudonymous
WHERE ($direction = 'BOTH' OR direction = $direction)
  AND NOT (n_pseudonymous AND m:Territory AND NOT m.kind IN ['country', 'region'])
  AND NOT (m_pseudonymous AND n:Territory AND NOT n.kind IN ['country', 'region'])
WITH n, r, m, direction,
     CASE
       WHEN type(r) = 'OCCURRED_IN' AND n:Incident AND NOT m.kind IN ['country', 'region']
       THEN n
       WHEN type(r) = 'OCCURRED_IN' AND m:Incident AND NOT n.kind IN ['country', 'region']
       THEN m
     END AS placed
WITH n, r, m, direction,
     CASE WHEN placed IS NULL THEN [] ELSE
       [(placed)-[tg:TARGETED]->(d:Defender)
        WHERE any(t IN tg.acl WHERE t IN $viewer_grants)
          AND any(t IN d.acl WHERE t IN $viewer_grants)
          AND NOT any(t IN d.name_acl WHERE t IN $viewer_grants) | d.id]
     END AS pseudonymous_targets
WHERE size(pseudonymous_targets) = 0
WITH n, r, m, direction
ORDER BY n.id, r.id
WITH n.id AS source,
     collect(r {.*, type: type(r), direction: direction, other_id: m.id}) AS links
RETURN source, size(links) AS total, links[$offset..$offset + $first] AS links
