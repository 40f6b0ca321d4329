// Every record at the start of a tie that places it ($types: the model's `places` types): what
// service/placement.py derives again after a load that moves territories.
// params: $types: list[str]
// returns: 0..n rows {id: str}
MATCH (n:Record)-[r]->(:Territory)
WHERE type(r) IN $types AND r.derived IS NULL
RETURN DISTINCT n.id AS id
