// Number of relationships per type in the whole graph (operator statistics, no viewer).
// returns: 0..n rows {type: str, count: int}
MATCH ()-[r]->()
RETURN type(r) AS type, count(r) AS count
ORDER BY type
