// Mark a warning of $org as read (the first acknowledgement stands).
// params: $id: str, $org: str, $by: str, $now: str
// returns: 0..1 rows {id: str, acknowledged_at: str}
MATCH (w:Warning {id: $id, org: $org})
SET w.acknowledged_at = coalesce(w.acknowledged_at, $now),
    w.acknowledged_by = coalesce(w.acknowledged_by, $by)
RETURN w.id AS id, w.acknowledged_at AS acknowledged_at
