// Stop a watch of $org (its warnings stay).
// params: $id: str, $org: str, $now: str
// returns: 0..1 rows {id: str}
MATCH (w:Watch {id: $id, org: $org})
WHERE w.ended_at IS NULL
SET w.ended_at = $now
RETURN w.id AS id
