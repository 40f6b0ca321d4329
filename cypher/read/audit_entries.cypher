// A page of the audit entries about the viewer's organization's records, newest first
// (only admins hold the ADMIN:<org> token that opens them), with the number of all.
// params: $offset: int, $first: int, $viewer_grants: list[str]
// returns: 1 row {total: int, entries: list[map]}
MATCH (e:AuditEntry)
WHERE any(t IN e.acl WHERE t IN $viewer_grants)
WITH e ORDER BY e.at DESC, e.id
WITH collect(e {.id, .at, .key_id, .org, .operation, .ids}) AS entries
RETURN size(entries) AS total, entries[$offset..$offset + $first] AS entries
