// Every territory with its kind and parent: matching compares places through the hierarchy.
// returns: 0..n rows {id: str, kind: str, parent: str|null}
MATCH (t:Territory)
RETURN t.id AS id, t.kind AS kind, [(t)-[:PART_OF]->(p:Territory) | p.id][0] AS parent
