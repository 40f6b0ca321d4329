// An organization's warnings in the order they fired, from $since (null: all); only those
// acknowledged or not when $acknowledged is not null. The API then keeps only the warnings
// whose records the asking key may see (service/warnings/store.py).
// params: $org: str, $since: str, $acknowledged: bool
// returns: 0..n rows {id, watch, kind, message, params, records, at, delivery, acknowledged_at, acknowledged_by}
MATCH (w:Warning {org: $org})
WHERE ($since IS NULL OR w.at >= $since)
  AND ($acknowledged IS NULL OR (w.acknowledged_at IS NOT NULL) = $acknowledged)
RETURN w.id AS id, w.watch AS watch, w.kind AS kind, w.message AS message, w.params AS params,
       w.records AS records, w.at AS at, w.delivery AS delivery,
       w.acknowledged_at AS acknowledged_at, w.acknowledged_by AS acknowledged_by
ORDER BY at, id
