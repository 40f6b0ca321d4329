// Number of records per label in the whole graph (operator statistics, no viewer).
// returns: 0..n rows {label: str, count: int}
MATCH (n:Record)
UNWIND labels(n) AS label
WITH label
WHERE label <> 'Record'
RETURN label, count(*) AS count
ORDER BY label
