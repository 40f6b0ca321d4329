// Delete up to $limit nodes with their relationships; `tejido reset` repeats it until none is left.
// params: $limit: int
// returns: 1 row {deleted: int}
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
