// One page of every node with its labels and properties, for `tejido backup` of a database
// Tejido does not run itself (service/backup.py); $skip/$limit page through a stable order.
// params: $skip: int, $limit: int
// returns: 0..$limit rows {key, labels: list[str], props: map}
MATCH (n)
WITH n
ORDER BY id(n)
SKIP $skip
LIMIT $limit
RETURN id(n) AS key, labels(n) AS labels, properties(n) AS props
