// Delete up to $limit nodes with their relationships; `tejido reset` repeats it until none is
// left. The graph version is kept, and moves on: caches must never see it start again.
// params: $limit: int
// returns: 1 row {deleted: int}
MATCH (n)
WHERE NOT n:GraphVersion
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
