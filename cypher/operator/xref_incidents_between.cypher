// Incidents dated within [$since, $until] (the date index), as xref_incidents returns them.
// params: $since: str, $until: str
// returns: 0..n rows {id, holder, kind, date, places, actors, targets}
MATCH (i:Incident)
WHERE i.date >= $since AND i.date <= $until
RETURN i.id AS id, i.owner AS holder, i.kind AS kind, i.date AS date,
       [(i)-[:OCCURRED_IN]->(t:Territory) | t.id] AS places,
       [(i)-[:PERPETRATED_BY]->(a:Actor) | a.id] AS actors,
       [(i)-[:TARGETED]->(d:Defender) | d.name] AS targets
