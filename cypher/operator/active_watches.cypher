// Watches that have not ended, oldest first; only $org's when $org is not null.
// params: $org: str
// returns: 0..n rows {id, org, kind, subject, params, clearance, since, created_by, created_at}
MATCH (w:Watch)
WHERE w.ended_at IS NULL AND ($org IS NULL OR w.org = $org)
RETURN w.id AS id, w.org AS org, w.kind AS kind, w.subject AS subject, w.params AS params,
       w.clearance AS clearance, w.since AS since, w.created_by AS created_by,
       w.created_at AS created_at
ORDER BY created_at, id
