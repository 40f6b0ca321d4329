// Revoke an embed token (kept, with the time it was revoked); only $org's own when $org is not
// null (an admin revokes its organization's tokens; the operator's command line any token).
// params: $id: str, $org: str, $now: str
// returns: 0..1 rows {id: str, revoked_at: str}
MATCH (e:EmbedToken {id: $id})
WHERE $org IS NULL OR e.org = $org
SET e.revoked_at = coalesce(e.revoked_at, $now)
RETURN e.id AS id, e.revoked_at AS revoked_at
