// Write match candidates as SAME_AS proposals where the two records have no SAME_AS yet.
// Proposals are marked RED for the two holders: generic reads show one only to whoever may see
// both records; crossReferences applies the disclosure rule (docs/cross-referencing.md).
// params: $rows: list[{id: str, left: str, right: str, score: float, explanation: str, owner: str, shared_with: list[str], acl: list[str]}], $now: str
// returns: 1 row {created: int}
UNWIND $rows AS row
MATCH (a:Record {id: row.left})
MATCH (b:Record {id: row.right})
OPTIONAL MATCH (a)-[old:SAME_AS]-(b)
WITH a, b, row, count(old) AS links
WHERE links = 0
CREATE (a)-[s:SAME_AS {id: row.id, status: 'proposed', score: row.score,
                       confidence: row.score, explanation: row.explanation, tlp: 'RED',
                       owner: row.owner, shared_with: row.shared_with, acl: row.acl,
                       created_at: $now, updated_at: $now}]->(b)
RETURN count(s) AS created
