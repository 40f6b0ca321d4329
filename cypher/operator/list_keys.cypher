// Every API key, newest first, without their hashes.
// returns: 0..n rows {id, org, role, clearance, note, created_at, revoked_at, expires_at, last_used_at}
MATCH (k:ApiKey)
RETURN k.id AS id, k.org AS org, k.role AS role, k.clearance AS clearance, k.note AS note,
       k.created_at AS created_at, k.revoked_at AS revoked_at, k.expires_at AS expires_at,
       k.last_used_at AS last_used_at
ORDER BY created_at DESC, id
