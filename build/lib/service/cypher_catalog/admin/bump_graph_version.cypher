// Move the graph version on: run by the store after every change to records or relationships,
// so caches keyed by the version never serve what was computed before the change.
// returns: 1 row {version: int}
MERGE (v:GraphVersion {id: 'graph'})
SET v.version = coalesce(v.version, 0) + 1
RETURN v.version AS version
