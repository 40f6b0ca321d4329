// Give standing proposals their new score. A pair that a person has judged (confirmed or
// rejected, in either direction) is left alone.
// params: $rows: list[{id: str, left: str, right: str, score: float, explanation: str, owner: str, shared_with: list[str], acl: list[str]}], $now: str
// returns: 1 row {refreshed: int}
UNWIND $rows AS row
MATCH (a:Record {id: row.left})-[s:SAME_AS]-(b:Record {id: row.right})
WITH row, collect(s) AS links
WHERE none(l IN links WHERE l.status IN ['confirmed', 'rejected'])
UNWIND links AS s
SET s.score = row.score, s.confidence = row.score, s.explanation = row.explanation,
    s.updated_at = $now
RETURN count(DISTINCT row.id) AS refreshed
