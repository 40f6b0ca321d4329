// The records with the given ids that the viewer may see (the others are simply absent). A
// defender's name is replaced by its pseudonym unless the viewer may see the record at AMBER.
// params: $ids: list[str], $viewer_grants: list[str]
// returns: 0..n rows {label: str, record: map}
UNWIND $ids AS id
MATCH (n:Record {id: id})
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
WITH n, [l IN labels(n) WHERE l <> 'Record'][0] AS label,
     any(t IN coalesce(n.name_acl, n.acl) WHERE t IN $viewer_grants) AS may_see_name
RETURN label,
       n {.*,
          name: CASE WHEN may_see_name THEN n.name ELSE coalesce(n.pseudonym, n.name) END,
          search_name: CASE WHEN may_see_name THEN n.search_name ELSE null END} AS record
