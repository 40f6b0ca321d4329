// The records with the given ids that the viewer may see (the others are simply absent). A
// defender's name is replaced by its pseudonym unless the viewer may see the record at AMBER.
// The lists of ids a record carries (`sources`, `shared_with`) keep only the sources and
// organizations the viewer may open: an id of a hidden record is itself a leak. Each id is
// looked up on its own (UNWIND, then a match by id) because FalkorDB uses the id index for an
// equality but scans the label for `id IN list`; the `+ [null]` keeps a record whose list is
// empty. `owner` is returned as it is, even where the owner's own Organization record is hidden
// from the viewer: the owner chose the record's marking, and with it who may learn that it
// wrote the record; the hidden organization is named by its id only, never by its name.
// params: $ids: list[str], $viewer_grants: list[str]
// returns: 0..n rows {label: str, record: map}
UNWIND $ids AS id
MATCH (n:Record {id: id})
WHERE any(t IN n.acl WHERE t IN $viewer_grants)
UNWIND coalesce(n.sources, []) + [null] AS source_id
OPTIONAL MATCH (s:Source {id: source_id})
WHERE any(t IN s.acl WHERE t IN $viewer_grants)
WITH n, collect(s.id) AS open_sources
UNWIND coalesce(n.shared_with, []) + [null] AS org_id
OPTIONAL MATCH (o:Organization {id: org_id})
WHERE any(t IN o.acl WHERE t IN $viewer_grants)
WITH n, open_sources, collect(o.id) AS open_orgs,
     [l IN labels(n) WHERE l <> 'Record'][0] AS label,
     any(t IN coalesce(n.name_acl, n.acl) WHERE t IN $viewer_grants) AS may_see_name
RETURN label,
       n {.*,
          name: CASE WHEN may_see_name THEN n.name ELSE coalesce(n.pseudonym, n.name) END,
          search_name: CASE WHEN may_see_name THEN n.search_name ELSE null END,
          sources: [i IN n.sources WHERE i IN open_sources],
          shared_with: [i IN n.shared_with WHERE i IN open_orgs]} AS record
