// How many incidents the viewer may see occurred in $territory or below it, by kind and year,
// up to $as_of.
// params: $territory: str, $as_of: str, $viewer_grants: list[str]
// returns: 0..n rows {kind: str, year: str, count: int}
MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $territory})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
WITH collect(DISTINCT sub.id) AS scope
MATCH (i:Incident)-[o:OCCURRED_IN]->(t:Territory)
WHERE t.id IN scope
  AND any(tok IN t.acl WHERE tok IN $viewer_grants)
  AND any(tok IN i.acl WHERE tok IN $viewer_grants)
  AND any(tok IN o.acl WHERE tok IN $viewer_grants)
  AND i.date <= $as_of
RETURN i.kind AS kind, substring(i.date, 0, 4) AS year, count(DISTINCT i) AS count
ORDER BY year, kind
