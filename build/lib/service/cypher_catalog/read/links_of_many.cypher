// For each given record, the relationships the viewer may see that hold on $as_of (optionally
// only some types, one direction), each with the id of the record at the other end; one page
// per record ($offset, $first) and the total. A relationship is visible only with both its
// ends. (Ties that would place a pseudonymous defender in a village are closed to such viewers
// by their own tokens, service/placement.py; they read the derived tie to the region instead,
// which those who read the village's tie do not get twice.)
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
WITH n, r, m, startNode(r) AS start,
     CASE WHEN startNode(r).id = n.id THEN 'OUT' ELSE 'IN' END AS direction
WHERE $direction = 'BOTH' OR direction = $direction
WITH n, r, m, direction,
     [(start)-[f]->(:Territory)
      WHERE f.id IN coalesce(r.stands_for, []) AND any(t IN f.acl WHERE t IN $viewer_grants)
      | f.id] AS shown_finer
WHERE size(shown_finer) = 0
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
       derived: coalesce(r.derived, false), derived_key: null, stands_for: null,
       corroboration: CASE WHEN r.corroboration IS NULL THEN null ELSE size(coalesce(sources, [])) END}
     END) AS links
RETURN source, total, links
