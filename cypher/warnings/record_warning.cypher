// Record a warning once: $key names what fired (the watch and the facts), so evaluating again
// finds it and changes nothing. A warning is also its own outbox entry: `delivery` is
// 'pending' when its organization has a webhook, and the deliverer takes it from there, so a
// crash after this statement loses nothing. `created` says whether this call made it.
// params: $key: str, $id: str, $org: str, $watch: str, $kind: str, $message: str, $params: str, $records: list[str], $clearance: str, $delivery: str, $now: str
// returns: 1 row {id: str, created: bool}
MERGE (w:Warning {key: $key})
ON CREATE SET w.id = $id, w.org = $org, w.watch = $watch, w.kind = $kind, w.message = $message,
              w.params = $params, w.records = $records, w.clearance = $clearance, w.at = $now, w.delivery = $delivery,
              w.attempts = 0, w.next_attempt_at = $now
RETURN w.id AS id, w.id = $id AS created
