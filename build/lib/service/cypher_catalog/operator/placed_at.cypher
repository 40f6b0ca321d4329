// The records placed at the given territories ($types: the model's `places` types): whose ties
// service/placement.py derives again when a territory is written.
// params: $ids: list[str], $types: list[str]
// returns: 0..n rows {id: str}
UNWIND $ids AS id
MATCH (n:Record)-[r]->(t:Territory {id: id})
WHERE type(r) IN $types AND r.derived IS NULL
RETURN DISTINCT n.id AS id
