// Revoke an API key (kept, with the time it was revoked, for the audit trail).
// params: $id: str, $now: str
// returns: 0..1 rows {id: str, revoked_at: str}
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $now)
RETURN k.id AS id, k.revoked_at AS revoked_at
