// One record by id as the viewer may see it: no row when it is hidden. A defender's name is
// replaced by the pseudonym, and the name's search field dropped, unless the viewer may see
// the record at AMBER or above.
// params: $id: str, $viewer_grants: list[str]
// returns: 0..1 rows {label: str, record: map}
MATCH (n:Record {id: $id})
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
WITH n, [l IN labels(n) WHERE l <> 'Record'][0] AS label,
     any(t IN coalesce(n.name_acl, n.acl) WHERE t IN $viewer_grants) AS may_see_name
RETURN label,
       n {.*,
          name: CASE WHEN may_see_name THEN n.name ELSE coalesce(n.pseudonym, n.name) END,
          search_name: CASE WHEN may_see_name THEN n.search_name ELSE null END} AS record
