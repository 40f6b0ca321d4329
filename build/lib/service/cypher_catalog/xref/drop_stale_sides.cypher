// After matching the whole graph: every side it did not write is of a pair no longer compared,
// of a proposal whose id changed, or of a deleted record; none may be served any more.
// params: $now: str
// returns: 1 row {dropped: int}
MATCH (x:XrefSide)
WHERE x.updated_at IS NULL OR x.updated_at < $now
DETACH DELETE x
RETURN count(*) AS dropped
