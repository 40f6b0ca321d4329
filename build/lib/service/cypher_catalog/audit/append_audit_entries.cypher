// Append the audit entries of one request: one per organization whose defenders, cases or
// incidents the request returned or changed, naming only that organization's records: who
// (key, organization), what (the server's name for the operation), which records, when. The
// label and owner of each id come from the graph, never from the caller, so a caller can only
// name records that exist, and only in their real owner's log. Entries are only ever created;
// only the admins of the owning organization may read them (acl holds $admin_prefix + owner).
// params: $ids: list[str], $labels: list[str], $request: str, $at: str, $key_id: str, $org: str, $operation: str, $admin_prefix: str
// returns: 1 row {written: int}
UNWIND $ids AS id
MATCH (n:Record {id: id})
WHERE any(l IN labels(n) WHERE l IN $labels)
WITH DISTINCT n.owner AS owner, n.id AS id
ORDER BY owner, id
WITH owner, collect(id) AS ids
CREATE (e:AuditEntry {id: $request + '/' + owner, at: $at, key_id: $key_id, org: $org,
                      operation: $operation, owner: owner, ids: ids,
                      acl: [$admin_prefix + owner]})
RETURN count(e) AS written
