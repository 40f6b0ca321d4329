// For each given territory, itself and every territory above it through PART_OF links the
// viewer may see, with the number of steps: how far apart two places are.
// params: $ids: list[str], $viewer_grants: list[str]
// returns: 0..n rows {territory: str, ancestor: str, depth: int}
UNWIND $ids AS place
MATCH p = (t:Territory {id: place})-[:PART_OF*0..6]->(up:Territory)
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
RETURN place AS territory, up.id AS ancestor, length(p) AS depth
ORDER BY territory, depth
