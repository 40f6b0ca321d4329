// Append the audit entries of one or more requests (written together: service/api/audit.py):
// per request, one entry per organization whose defenders, cases or incidents it returned or
// changed, naming only that organization's records: who (key, organization), what (the
// server's name for the operation), which records, when. The label and owner of each id come
// from the graph, never from the caller, so a caller can only name records that exist, and only
// in their real owner's log. Entries are only ever created; only the admins of the owning
// organization may read them (acl holds $admin_prefix + owner).
// params: $requests: list[map], $labels: list[str], $admin_prefix: str
// returns: 1 row {written: int}
UNWIND $requests AS request
UNWIND request.ids AS id
MATCH (n:Record {id: id})
WHERE any(l IN labels(n) WHERE l IN $labels)
WITH DISTINCT request.request AS request_id, request.at AS at, request.key_id AS key_id,
     request.org AS org, request.operation AS operation, n.owner AS owner, n.id AS id
ORDER BY request_id, owner, id
WITH request_id, at, key_id, org, operation, owner, collect(id) AS ids
CREATE (e:AuditEntry {id: request_id + '/' + owner, at: at, key_id: key_id, org: org,
                      operation: operation, owner: owner, ids: ids,
                      acl: [$admin_prefix + owner]})
RETURN count(e) AS written
