// Append audit entries, one per organization whose records a request read or changed: who
// (key, organization), what (operation), which defenders, cases and incidents, when. Entries are
// only ever created; only the admins of the owning organization may read them (acl holds
// ADMIN:<owner>), and an entry names only that organization's records.
// params: $entries: list[{id, at, key_id, org, operation, owner, ids, acl}]
// returns: 1 row {written: int}
UNWIND $entries AS entry
CREATE (e:AuditEntry {id: entry.id, at: entry.at, key_id: entry.key_id, org: entry.org,
                      operation: entry.operation, owner: entry.owner, ids: entry.ids,
                      acl: entry.acl})
RETURN count(e) AS written
