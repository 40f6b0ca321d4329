// Refresh the proposals that matching made for these pairs (older ones carry an explanation):
// the keyed id, unless somebody judged the pair (its id was handed out); no score of their own,
// since each holder's is on its side (write_sides); readable by no generic read unless
// confirmed (then RED for the two holders), since a proposal's existence is itself a score.
// A SAME_AS loaded as data is left as it is. Counts the pairs proposed to someone that
// somebody judged, loaded ones included: their status stays.
// params: $rows: list[{id: str, left: str, right: str, owner: str, shared_with: list[str], holders_acl: list[str], sided: bool}], $now: str
// returns: 1 row {refreshed: int, judged: int}
UNWIND $rows AS row
MATCH (:Record {id: row.left})-[s:SAME_AS]-(:Record {id: row.right})
WITH row, s, coalesce(s.status, 'proposed') IN ['confirmed', 'rejected'] AS judged
FOREACH (made IN CASE WHEN s.made_by = 'xref' OR s.explanation IS NOT NULL THEN [s] ELSE [] END |
  SET made.made_by = 'xref', made.score = null, made.confidence = null,
      made.explanation = null, made.holders_acl = row.holders_acl, made.updated_at = $now,
      made.id = CASE WHEN judged THEN made.id ELSE row.id END,
      made.acl = CASE WHEN made.status = 'confirmed' THEN row.holders_acl ELSE [] END)
RETURN count(DISTINCT row.id) AS refreshed,
       count(DISTINCT CASE WHEN judged AND row.sided THEN row.id END) AS judged
