// Store a new embed token: what it shows (view, params as a JSON string, since maps are not
// property values), whose access it uses (org) and up to which marking (max_tlp). Tokens are not
// :Record nodes, so no viewer read can ever reach them.
// params: $id: str, $org: str, $view: str, $params: str, $max_tlp: str, $expires_at: str, $frame_ancestors: list[str], $created_by: str, $now: str
// returns: 1 row {id: str}
CREATE (e:EmbedToken {id: $id, org: $org, view: $view, params: $params, max_tlp: $max_tlp,
                      expires_at: $expires_at, frame_ancestors: $frame_ancestors,
                      created_by: $created_by, created_at: $now})
RETURN e.id AS id
