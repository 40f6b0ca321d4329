// Write match candidates as SAME_AS proposals. A pair that a person has judged (confirmed or
// rejected, in either direction) is left alone; a standing proposal gets its new score.
// Proposals are marked RED for the two holders: generic reads show one only to whoever may see
// both records; crossReferences applies the disclosure rule (docs/cross-referencing.md).
// params: $rows: list[{id: str, left: str, right: str, score: float, explanation: str, owner: str, shared_with: list[str], acl: list[str]}], $now: str
// returns: 1 row {written: int}
UNWIND $rows AS row
MATCH (a:Record {id: row.left})
MATCH (b:Record {id: row.right})
OPTIONAL MATCH (a)-[judged:SAME_AS]-(b)
WHERE judged.status IN ['confirmed', 'rejected']
WITH a, b, row, count(judged) AS judgements
WHERE judgements = 0
MERGE (a)-[s:SAME_AS {id: row.id}]->(b)
ON CREATE SET s.created_at = $now, s.status = 'proposed'
SET s.score = row.score, s.confidence = row.score, s.explanation = row.explanation,
    s.tlp = 'RED', s.owner = row.owner, s.shared_with = row.shared_with, s.acl = row.acl,
    s.updated_at = $now
RETURN count(s) AS written
