// Write the derived OPERATES_IN ties: for a tie that places a defender finer than a region, the same
// tie to the region (or country) above, readable under the tie's own marking, for viewers that
// may not read the fine one (service/placement.py). Keyed by the fine tie; its id is random.
// params: $rows: list[{from: str, to: str, fine: str, id: str, props: map}], $now: str
// returns: 1 row {written: int}
UNWIND $rows AS row
MATCH (n:Record {id: row.from})
MATCH (t:Territory {id: row.to})
MERGE (n)-[x:OPERATES_IN {derived_from: row.fine}]->(t)
ON CREATE SET x.id = row.id, x.created_at = $now
SET x += row.props, x.derived = true, x.updated_at = $now
RETURN count(x) AS written
