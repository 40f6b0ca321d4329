// The incidents dated within [$since, $until] (the date index), with their kind and places:
// enough to pick, by blocking keys, the few worth reading whole. Derived placements are left
// out, as in xref_incidents.
// params: $since: str, $until: str
// returns: 0..n rows {id: str, kind: str, places: list[str]}
MATCH (i:Incident)
WHERE i.date >= $since AND i.date <= $until
RETURN i.id AS id, i.kind AS kind,
       [(i)-[r:OCCURRED_IN]->(t:Territory) WHERE r.derived IS NULL | t.id] AS places
