// Take away a holder's side of a pair that it may no longer learn of (its score fell below the
// threshold, or what it took may no longer be read).
// params: $rows: list[{left: str, right: str, record: str}]
// returns: 1 row {dropped: int}
UNWIND $rows AS row
MATCH (:Record {id: row.left})-[s:SAME_AS]-(:Record {id: row.right})
MATCH (:Record {id: row.record})-[:XREF_SIDE]->(x:XrefSide)
WHERE x.match = s.id
DETACH DELETE x
RETURN count(*) AS dropped
