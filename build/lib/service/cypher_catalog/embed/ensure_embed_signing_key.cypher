// The key that signs embed tokens when TEJIDO_EMBED_SIGNING_KEY is not set: created once with
// $candidate, then the same for every worker and replica (MERGE; unique on Neo4j by a
// constraint, and FalkorDB runs writes one at a time).
// params: $candidate: str, $now: str
// returns: 1 row {secret: str}
MERGE (k:EmbedSigningKey {name: 'default'})
ON CREATE SET k.secret = $candidate, k.created_at = $now
RETURN k.secret AS secret
