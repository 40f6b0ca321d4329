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
WITH n.id AS source, collect({r: r, direction: direction, other_id: m.id}) AS links
WITH source, size(links) AS total, links[$offset..$offset + $first] AS page
// The ids a link of the page lists (`sources`, `shared_with`) keep only the records the viewer
// may open, and `corroboration` counts only those sources. Each id is matched on its own so that
// both databases use the index (FalkorDB scans the label for `id IN list`); ids are unique
// across records. An empty page still gives its row, with the total.
UNWIND CASE WHEN size(page) = 0 THEN [null] ELSE page END AS link
WITH source, total, link.r AS r, link.direction AS direction, link.other_id AS other_id
UNWIND coalesce(r.sources, []) + coalesce(r.shared_with, []) + [null] AS listed
OPTIONAL MATCH (x:Record {id: listed})
WHERE any(t IN x.acl WHERE t IN $viewer_grants)
WITH source, total, r, direction, other_id, collect(x.id) AS open_ids
WITH source, total, r, direction, other_id, open_ids,
     [i IN r.sources WHERE i IN open_ids] AS sources
ORDER BY source, r.id
WITH source, total,
     collect(CASE WHEN r IS NOT NULL THEN r {.*, type: type(r), direction: direction,
       other_id: other_id, sources: sources,
       shared_with: [i IN r.shared_with WHERE i IN open_ids],
       corroboration: CASE WHEN r.corroboration IS NULL THEN null ELSE size(coalesce(sources, [])) END}
     END) AS links
RETURN source, total, links
