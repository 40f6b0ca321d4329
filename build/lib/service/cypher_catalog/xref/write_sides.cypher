// One holder's side of each pair: the score and explanation computed from what its organization
// may read, the tokens that took (a viewer is served the side only holding them all) and
// whether the other holder's disclosure was used. Kept on an :XrefSide node hanging off the
// holder's record, keyed by the proposal's id: not a Record, without an acl, so no generic
// read ever reaches it.
// params: $rows: list[{left: str, right: str, record: str, score: float, explanation: str, needs: list[str], disclosed: bool}], $now: str
// returns: 1 row {written: int}
UNWIND $rows AS row
MATCH (:Record {id: row.left})-[s:SAME_AS]-(:Record {id: row.right})
MATCH (mine:Record {id: row.record})
MERGE (mine)-[:XREF_SIDE]->(x:XrefSide {match: s.id})
SET x.score = row.score, x.explanation = row.explanation, x.needs = row.needs,
    x.disclosed = row.disclosed, x.updated_at = $now
RETURN count(x) AS written
