// The defenders and organizations that work in $territory or below it on $as_of, as the viewer
// may see them. (A defender whose name the viewer may not see reaches no place finer than a
// region: the tokens of its ties say so, service/placement.py.)
// params: $territory: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {id: str, label: str}
MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $territory})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH collect(DISTINCT sub.id) AS scope
MATCH (n:Record)-[o:OPERATES_IN]->(t:Territory)
WHERE t.id IN scope
  AND any(tok IN t.acl WHERE tok IN $viewer_grants)
  AND (n:Defender OR n:Organization)
  AND any(tok IN n.acl WHERE tok IN $viewer_grants)
  AND any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND (o.valid_from IS NULL OR o.valid_from <= $as_of)
  AND (o.valid_to IS NULL OR o.valid_to >= $as_of)
RETURN DISTINCT n.id AS id, CASE WHEN n:Defender THEN 'Defender' ELSE 'Organization' END AS label
ORDER BY label, id
