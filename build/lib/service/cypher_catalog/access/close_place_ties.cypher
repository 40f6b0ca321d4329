// Close the ties that place the given records, or place records at the given territories: no
// reader sees them until service/placement.py derives their tokens again after the write. A
// write that changes markings, targets or places therefore never shows a place under tokens
// that ignore the pseudonym rule, even for a moment.
// params: $ids: list[str], $types: list[str]
// returns: 1 row {closed: int}
UNWIND $ids AS id
MATCH (a:Record {id: id})-[r]-(:Record)
WHERE type(r) IN $types AND r.derived IS NULL
SET r.acl = []
RETURN count(r) AS closed
