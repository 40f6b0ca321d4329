// Write the derived OPERATES_IN ties: for the ties that place a defender finer than a region, one tie to
// the region (or country) above, readable under their own marking, for the viewers that may not
// read them (service/placement.py). Keyed by place and marking; `stands_for` lists the fine
// ties (never returned), `id` is random.
// params: $rows: list[{from: str, to: str, key: str, id: str, props: map}], $now: str
// returns: 1 row {written: int}
UNWIND $rows AS row
MATCH (n:Record {id: row.from})
MATCH (t:Territory {id: row.to})
MERGE (n)-[x:OPERATES_IN {derived_key: row.key}]->(t)
ON CREATE SET x.id = row.id, x.created_at = $now
SET x += row.props, x.derived = true, x.updated_at = $now
RETURN count(x) AS written
