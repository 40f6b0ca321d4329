// Upsert HAS_INTEREST_IN relationships by id between records that exist (the loader checked the ends).
// Stamps created_at once and updated_at only when a property really changes.
// params: $rows: list[{id: str, from_id: str, to_id: str, props: map}], $now: str
// returns: 1 row {written: int, changed: int}
UNWIND $rows AS row
MATCH (a:Record {id: row.from_id})
MATCH (b:Record {id: row.to_id})
MERGE (a)-[r:HAS_INTEREST_IN {id: row.id}]->(b)
ON CREATE SET r.created_at = $now
WITH r, row, size([k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]]) AS changes
SET r += row.props
SET r.updated_at = CASE WHEN changes > 0 THEN $now ELSE r.updated_at END
RETURN count(r) AS written, sum(CASE WHEN changes > 0 THEN 1 ELSE 0 END) AS changed
