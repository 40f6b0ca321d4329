// Records whose public search text (names, aliases, pseudonyms; already folded) matches the
// full-text query, as the viewer may see them, best first. $query is built by service/search.py
// in this database's query syntax.
// params: $query: str, $labels: list[str], $first: int, $viewer_grants: list[str]
// returns: 0..$first rows {id, label, name, score}
CALL db.idx.fulltext.queryNodes('Record', $query) YIELD node, score
WHERE any(t IN node.acl WHERE t IN $viewer_grants)
WITH node, score, [l IN labels(node) WHERE l <> 'Record'][0] AS label
WHERE size($labels) = 0 OR label IN $labels
RETURN node.id AS id,
       label,
       CASE
         WHEN label = 'Defender' AND NOT any(t IN node.name_acl WHERE t IN $viewer_grants)
         THEN node.pseudonym
         ELSE node.name
       END AS name,
       score
ORDER BY score DESC, id
LIMIT $first
