// One page of every relationship with its type, properties and the keys of its two ends (as
// dump_nodes gives them), for `tejido backup` (service/backup.py).
// params: $skip: int, $limit: int
// returns: 0..$limit rows {start, end, type: str, props: map}
MATCH (a)-[r]->(b)
WITH a, r, b
ORDER BY elementId(r)
SKIP $skip
LIMIT $limit
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
