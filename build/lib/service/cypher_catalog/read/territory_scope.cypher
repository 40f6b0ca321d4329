// The scope of a territory-scoped question: the ids of $territory and of the territories below
// it (up to 8 PART_OF links down) that the viewer may see through PART_OF links it may see; no
// ids when the viewer may not see $territory. The one place that walks down a territory: the
// reads that take `$scope` start from these ids and still check every territory they touch.
// They match each territory by id and close it with a WITH before expanding from it: given both
// in a single pattern, FalkorDB 4.16 plans from the far end (about 500 ms instead of 1 ms for a
// region at scale 10).
// params: $territory: str, $viewer_grants: list[str]
// returns: 1 row {ids: list[str]}
MATCH p = (sub:Territory)-[:PART_OF*0..8]->(top:Territory {id: $territory})
WHERE all(x IN nodes(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
  AND all(x IN relationships(p) WHERE any(tok IN x.acl WHERE tok IN $viewer_grants))
RETURN collect(DISTINCT sub.id) AS ids
