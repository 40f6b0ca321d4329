// Refresh the proposals that matching made for these pairs (older ones carry an explanation):
// the keyed id, unless somebody judged the pair (its id was handed out); no score of their own,
// since each holder's is on its side (write_sides); readable by no generic read unless
// confirmed (then RED for the two holders), since a proposal's existence is itself a score.
// Counts the pairs proposed to someone that somebody judged: their status stays.
// params: $rows: list[{id: str, left: str, right: str, owner: str, shared_with: list[str], holders_acl: list[str], sided: bool}], $now: str
// returns: 1 row {refreshed: int, judged: int}
UNWIND $rows AS row
MATCH (a:Record {id: row.left})-[s:SAME_AS]-(b:Record {id: row.right})
WHERE s.made_by = 'xref' OR s.explanation IS NOT NULL
WITH row, s, coalesce(s.status, 'proposed') IN ['confirmed', 'rejected'] AS judged
SET s.made_by = 'xref', s.score = null, s.confidence = null, s.explanation = null,
    s.holders_acl = row.holders_acl, s.updated_at = $now,
    s.id = CASE WHEN judged THEN s.id ELSE row.id END,
    s.acl = CASE WHEN s.status = 'confirmed' THEN row.holders_acl ELSE [] END
RETURN count(DISTINCT row.id) AS refreshed,
       count(DISTINCT CASE WHEN judged AND row.sided THEN row.id END) AS judged
