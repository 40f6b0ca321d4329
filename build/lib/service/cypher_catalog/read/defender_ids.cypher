// The ids of every defender the viewer may see: whose risk a question over the whole graph
// weighs (defender_risk_features).
// params: $viewer_grants: list[str]
// returns: 0..n rows {id: str}
MATCH (d:Defender)
WHERE any(tok IN d.acl WHERE tok IN $viewer_grants)
RETURN d.id AS id
ORDER BY id
