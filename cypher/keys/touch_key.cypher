// Note when an API key was last used (service/keys.py writes it at most once a minute per key
// and process, so that a busy key does not turn every read into a write).
// params: $id: str, $now: str
// returns: 0..1 rows {id: str}
MATCH (k:ApiKey {id: $id})
SET k.last_used_at = $now
RETURN k.id AS id
