// One delivery attempt of a warning, logged; the warning becomes 'delivered', or stays
// 'pending' until $next_attempt_at (backoff). The log is append-only.
// params: $id: str, $org: str, $url: str, $attempt: int, $status: int, $error: str, $delivered: bool, $next_attempt_at: str, $now: str
// returns: 1 row {delivery: str}
MATCH (w:Warning {id: $id})
CREATE (d:WarningDelivery {warning: $id, org: $org, url: $url, attempt: $attempt,
                           status: $status, error: $error, delivered: $delivered, at: $now})
SET w.attempts = $attempt, w.lease_until = null,
    w.delivery = CASE WHEN $delivered THEN 'delivered' ELSE w.delivery END,
    w.delivered_at = CASE WHEN $delivered THEN $now ELSE w.delivered_at END,
    w.next_attempt_at = $next_attempt_at
RETURN w.delivery AS delivery
