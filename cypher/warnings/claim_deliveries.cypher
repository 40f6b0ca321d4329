// Take up to $limit warnings due for delivery, oldest first, and lease them until
// $lease_until so that another worker does not send them meanwhile (a lease that runs out,
// say because its worker died, makes them due again: delivery is at least once).
// params: $now: str, $lease_until: str, $limit: int
// returns: 0..n rows {id, org, watch, kind, message, params, records, clearance, at, attempts}
MATCH (w:Warning)
WHERE w.delivery = 'pending' AND w.next_attempt_at <= $now
  AND (w.lease_until IS NULL OR w.lease_until < $now)
WITH w
ORDER BY w.at, w.id
LIMIT $limit
SET w.lease_until = $lease_until
RETURN w.id AS id, w.org AS org, w.watch AS watch, w.kind AS kind, w.message AS message,
       w.params AS params, w.records AS records, w.clearance AS clearance, w.at AS at,
       w.attempts AS attempts
