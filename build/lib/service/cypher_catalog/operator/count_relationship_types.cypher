// Number of relationships per type in the whole graph (operator statistics, no viewer). Derived
// region stand-ins (service/placement.py) are not data anyone loaded: left out.
// returns: 0..n rows {type: str, count: int}
MATCH ()-[r]->()
WHERE r.derived IS NULL
RETURN type(r) AS type, count(r) AS count
ORDER BY type
