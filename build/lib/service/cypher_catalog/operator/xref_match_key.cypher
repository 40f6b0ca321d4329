// The secret that keys match ids (service/xref/match_ids.py), if one was made already; the
// oldest, should two workers have made one at once.
// returns: 0..1 rows {secret: str}
MATCH (k:XrefMatchKey)
RETURN k.secret AS secret
ORDER BY k.created_at, k.secret
LIMIT 1
