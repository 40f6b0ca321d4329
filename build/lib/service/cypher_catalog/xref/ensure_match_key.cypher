// Make the secret that keys match ids, once: MERGE keeps the first one made.
// params: $candidate: str, $now: str
// returns: 1 row {secret: str}
MERGE (k:XrefMatchKey {name: 'default'})
ON CREATE SET k.secret = $candidate, k.created_at = $now
RETURN k.secret AS secret
