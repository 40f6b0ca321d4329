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
WITH n.id AS source,
     collect(r {.*, type: type(r), direction: direction, other_id: m.id,
                derived: coalesce(r.derived, false), derived_key: null, stands_for: null})
       AS links
RETURN source, size(links) AS total, links[$offset..$offset + $first] AS links
