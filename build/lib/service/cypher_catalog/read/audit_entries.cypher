// A page of the audit entries about the viewer's organization's records, newest first
// (only admins hold the ADMIN:<org> token that opens them), with the number of all. An entry
// shows only the ids of records the viewer may see now (a GREEN-cleared admin does not learn
// the ids of its organization's RED records); an entry left with none is neither served nor
// counted. The reading organization is shown only where the viewer may see its record.
// Entries are grouped by the ids they name, and by their reading organization, so that each
// id and each organization is looked up once, however long the log.
// params: $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, entries: list[map]}
MATCH (e:AuditEntry)
WHERE any(t IN e.acl WHERE t IN $viewer_grants)
UNWIND e.ids AS id
WITH id, collect(e) AS naming
MATCH (r:Record {id: id})
WHERE any(t IN r.acl WHERE t IN $viewer_grants)
UNWIND naming AS e
WITH e, collect(r.id) AS open_ids
WITH e.org AS reader, collect({e: e, open_ids: open_ids}) AS read_by
OPTIONAL MATCH (o:Organization {id: reader})
WHERE any(t IN o.acl WHERE t IN $viewer_grants)
UNWIND read_by AS found
WITH found.e AS e, found.open_ids AS open_ids, o.id AS org
ORDER BY e.at DESC, e.id
WITH collect(e {.id, .at, .key_id, .operation, org: org,
                ids: [i IN e.ids WHERE i IN open_ids]}) AS entries
RETURN size(entries) AS total, entries[$offset..$offset + $first] AS entries
