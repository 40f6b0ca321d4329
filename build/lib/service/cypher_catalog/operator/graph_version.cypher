// The graph version (0 before the first change): caches of derived results key on it.
// returns: 1 row {version: int}
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
RETURN coalesce(v.version, 0) AS version
