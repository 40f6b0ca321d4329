// Upsert Actor records by id: given properties replace stored ones, absent ones are kept.
// Stamps created_at once and updated_at only when a property really changes, so that loading
// the same rows twice changes nothing.
// params: $rows: list[{id: str, props: map}], $now: str
// returns: 1 row {written: int, changed: int}
UNWIND $rows AS row
MERGE (n:Actor:Record {id: row.id})
ON CREATE SET n.created_at = $now
WITH n, row, size([k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k]]) AS changes
SET n += row.props
SET n.updated_at = CASE WHEN changes > 0 THEN $now ELSE n.updated_at END
RETURN count(n) AS written, sum(CASE WHEN changes > 0 THEN 1 ELSE 0 END) AS changed
