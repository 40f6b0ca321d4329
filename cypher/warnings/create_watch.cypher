// A new watch of an organization: what it watches (kind, subject), its threshold (params, a
// JSON string, since maps are not property values) and the clearance it is evaluated with.
// Watches are not :Record nodes, so no viewer read can reach them.
// params: $id: str, $org: str, $kind: str, $subject: str, $params: str, $clearance: str, $since: str, $created_by: str, $now: str
// returns: 1 row {id: str}
CREATE (w:Watch {id: $id, org: $org, kind: $kind, subject: $subject, params: $params,
                 clearance: $clearance, since: $since, created_by: $created_by,
                 created_at: $now})
RETURN w.id AS id
