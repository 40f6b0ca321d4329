// Write pairs that some holder may learn of as SAME_AS proposals, where the two records have no
// SAME_AS yet. A proposal carries no score (each holder's is on its side, write_sides) and is
// readable by no generic read (acl []) until confirmed: crossReferences serves each side by
// its own rule (docs/cross-referencing.md).
// params: $rows: list[{id: str, left: str, right: str, owner: str, shared_with: list[str], holders_acl: list[str], sided: bool}], $now: str
// returns: 1 row {created: int}
UNWIND $rows AS row
MATCH (a:Record {id: row.left})
MATCH (b:Record {id: row.right})
OPTIONAL MATCH (a)-[old:SAME_AS]-(b)
WITH a, b, row, count(old) AS links
WHERE links = 0
CREATE (a)-[s:SAME_AS {id: row.id, status: 'proposed', made_by: 'xref', tlp: 'RED',
                       owner: row.owner, shared_with: row.shared_with, acl: [],
                       holders_acl: row.holders_acl, created_at: $now, updated_at: $now}]->(b)
RETURN count(s) AS created
