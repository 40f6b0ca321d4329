// Defenders whose real name matches the full-text query, only where the viewer may see the
// name: nobody can find a pseudonymous defender by guessing a name. $query targets the
// search_name field (service/search.py).
// params: $query: str, $labels: list[str], $first: int, $viewer_grants: list[str]
// returns: 0..$first rows {id, label, name, score}
CALL db.index.fulltext.queryNodes('record_search', $query) YIELD node, score
WHERE any(t IN node.acl WHERE t IN $viewer_grants)
  AND any(t IN node.name_acl WHERE t IN $viewer_grants)
WITH node, score, 'Defender' AS label
WHERE size($labels) = 0 OR label IN $labels
RETURN node.id AS id, label, node.name AS name, score
ORDER BY score DESC, id
LIMIT $first
