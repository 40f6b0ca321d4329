// Store a new API key: only the SHA-256 of its secret is kept. Keys are not :Record nodes, so
// no viewer read can ever reach them. $expires_at is null for a key that does not expire.
// params: $id: str, $org: str, $role: str, $clearance: str, $hash: str, $note: str, $now: str
// params: $expires_at: str | None
// returns: 1 row {id: str}
CREATE (k:ApiKey {id: $id, org: $org, role: $role, clearance: $clearance, hash: $hash,
                  note: $note, created_at: $now, expires_at: $expires_at})
RETURN k.id AS id
