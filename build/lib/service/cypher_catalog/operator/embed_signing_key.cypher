// The stored key that signs embed tokens, if one was made already.
// returns: 0..1 rows {secret: str}
MATCH (k:EmbedSigningKey {name: 'default'})
RETURN k.secret AS secret
