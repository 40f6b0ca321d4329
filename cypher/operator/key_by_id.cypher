// A live (not revoked) API key by its public id, with the hash to check the secret against.
// params: $id: str
// returns: 0..1 rows {id, org, role, clearance, hash}
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at IS NULL
RETURN k.id AS id, k.org AS org, k.role AS role, k.clearance AS clearance, k.hash AS hash
