// Embed tokens, newest first; only $org's when $org is not null.
// params: $org: str
// returns: 0..n rows {id, org, view, params, max_tlp, expires_at, frame_ancestors, created_by, created_at, revoked_at}
MATCH (e:EmbedToken)
WHERE $org IS NULL OR e.org = $org
RETURN e.id AS id, e.org AS org, e.view AS view, e.params AS params, e.max_tlp AS max_tlp,
       e.expires_at AS expires_at, e.frame_ancestors AS frame_ancestors,
       e.created_by AS created_by, e.created_at AS created_at, e.revoked_at AS revoked_at
ORDER BY created_at DESC, id
